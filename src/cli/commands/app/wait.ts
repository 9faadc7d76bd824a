/**
 * Waiting on one Application: a watch of the namespace's Applications (filtered by name), so every change the
 * controller writes arrives at once, with no polling. Every wait is bounded; Ctrl-C (or a caller's signal) ends it.
 */
import type { KubeObject } from '../../../model/resource.js';
import type { AppContext } from './context.js';
import { APP_API_VERSION, APP_KIND } from './context.js';

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Called with every state of the Application seen (the current one first). */
  readonly onUpdate?: (object: KubeObject) => void;
  /** End as `done` once no change arrived for this long (the controller has settled). */
  readonly quietMs?: number;
  /** Ends the wait as `interrupted` (Ctrl-C by default). */
  readonly signal?: AbortSignal;
}

export interface WaitResult {
  readonly outcome: 'done' | 'timeout' | 'interrupted';
  /** The last state seen; undefined when the Application does not exist (any more). */
  readonly object: KubeObject | undefined;
}

/** Waits on one application until `done` holds: a watch of the cluster, or the API's event stream (`--server`). */
export type AppWaiter = (name: string, done: (object: KubeObject | undefined) => boolean, options: WaitOptions) => Promise<WaitResult>;

export const kubeWaiter = (context: AppContext): AppWaiter => (name, done, options) => waitForApp(context, name, done, options);

/** Watches `name` until `done` says so for its current state (undefined: it does not exist). */
export async function waitForApp(context: AppContext, name: string, done: (object: KubeObject | undefined) => boolean, options: WaitOptions): Promise<WaitResult> {
  const abort = new AbortController();
  let outcome: WaitResult['outcome'] | undefined;
  let last: KubeObject | undefined;
  let quiet: NodeJS.Timeout | undefined;
  const finish = (how: WaitResult['outcome']): void => {
    outcome ??= how;
    abort.abort();
  };
  const check = (): void => {
    if (done(last)) finish('done');
    if (options.quietMs === undefined) return;
    clearTimeout(quiet);
    quiet = setTimeout(() => { finish('done'); }, options.quietMs);
  };
  const timer = setTimeout(() => { finish('timeout'); }, options.timeoutMs);
  const onInterrupt = (): void => { finish('interrupted'); };
  const signal = options.signal;
  if (signal === undefined) process.once('SIGINT', onInterrupt);
  else signal.addEventListener('abort', onInterrupt, { once: true });
  let synced = false;
  try {
    await context.client.watch(APP_API_VERSION, APP_KIND, {
      namespace: context.namespace,
      signal: abort.signal,
      onSynced: () => {
        synced = true;
        check();
      },
    }, (event) => {
      if (event.object.metadata.name !== name || outcome !== undefined) return;
      last = event.type === 'DELETED' ? undefined : event.object;
      if (last !== undefined) options.onUpdate?.(last);
      // Before the first list is complete, the object may simply not have arrived yet.
      if (synced || last !== undefined) check();
    });
  } finally {
    clearTimeout(timer);
    clearTimeout(quiet);
    if (signal === undefined) process.removeListener('SIGINT', onInterrupt);
    else signal.removeEventListener('abort', onInterrupt);
  }
  return { outcome: outcome ?? 'interrupted', object: last };
}
