/**
 * Waiting on one Application through the API (`--server`): the API's event stream says when the application
 * changed, and each change is read in full (`GET /api/v1/applications/{name}`), so `done` and `onUpdate` see the
 * same object a watch of the cluster gives. Bounded like every wait; Ctrl-C ends it.
 */
import type { ApiClient } from '../../api-client.js';
import { ApiRequestError } from '../../api-client.js';
import type { KubeObject } from '../../../model/resource.js';
import { isPlainObject } from '../../../model/values.js';
import type { AppWaiter, WaitOptions, WaitResult } from './wait.js';

/** The application as the API returns it, or undefined once it is gone (404). */
export async function fetchApp(api: ApiClient, name: string): Promise<KubeObject | undefined> {
  try {
    return await api.json<KubeObject>('GET', `/api/v1/applications/${encodeURIComponent(name)}`);
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 404) return undefined;
    throw error;
  }
}

export function remoteWaiter(api: ApiClient): AppWaiter {
  return (name, done, options) => waitRemote(api, name, done, options);
}

async function waitRemote(api: ApiClient, name: string, done: (object: KubeObject | undefined) => boolean, options: WaitOptions): Promise<WaitResult> {
  const abort = new AbortController();
  let outcome: WaitResult['outcome'] | undefined;
  let last: KubeObject | undefined;
  let quiet: NodeJS.Timeout | undefined;
  let failure: unknown;
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
  // Reads run one at a time, in the order the changes came: the last read is the latest state.
  let reads: Promise<void> = Promise.resolve();
  // A function, not an inline test: the wait may end while a read is under way.
  const ended = (): boolean => outcome !== undefined;
  const read = (): void => {
    reads = reads.then(async () => {
      if (ended()) return;
      last = await fetchApp(api, name);
      if (ended()) return;
      if (last !== undefined) options.onUpdate?.(last);
      check();
    }).catch((error: unknown) => {
      failure ??= error;
      finish('interrupted');
    });
  };
  const timer = setTimeout(() => { finish('timeout'); }, options.timeoutMs);
  const onInterrupt = (): void => { finish('interrupted'); };
  const signal = options.signal;
  if (signal === undefined) process.once('SIGINT', onInterrupt);
  else signal.addEventListener('abort', onInterrupt, { once: true });
  try {
    await api.stream(`/api/v1/stream/applications?search=${encodeURIComponent(name)}`, {
      // Changes from here on arrive as events; the state as it is now is read once the stream is open.
      onOpen: read,
      onEvent: (event, data) => {
        const application = isPlainObject(data) && isPlainObject(data.application) ? data.application : {};
        if (event === 'application' && application.name === name) read();
      },
    }, abort.signal).catch((error: unknown) => {
      if (!abort.signal.aborted) throw error;
    });
    if (outcome === undefined) finish('interrupted');
    await reads;
  } finally {
    clearTimeout(timer);
    clearTimeout(quiet);
    if (signal === undefined) process.removeListener('SIGINT', onInterrupt);
    else signal.removeEventListener('abort', onInterrupt);
  }
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error('reading the application failed', { cause: failure });
  return { outcome: outcome ?? 'interrupted', object: last };
}
