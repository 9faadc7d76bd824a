/**
 * One watch per kind, namespace and label selector for the whole process. The Application controller and the
 * add-ons beside it (API, notifications, ApplicationSets…) all read Applications, AppProjects and cluster Secrets;
 * each opening its own watch meant the API server streamed every change four times and the process kept four copies
 * of every Application. Here the first to ask starts the watch and later askers share it, subscribing to its changes
 * for as long as their own signal lasts. Watches end with the factory's signal (the controller's leadership).
 */
import { describeError } from '../errors.js';
import type { KubeClient } from '../kube/types.js';
import { Informer } from './informer.js';
import type { Logger } from './services.js';

export interface WatchTarget {
  readonly apiVersion: string;
  readonly kind: string;
  /** Only this namespace; every namespace (or a cluster-scoped kind) when undefined. */
  readonly namespace?: string;
  readonly labelSelector?: string;
}

export class SharedInformers {
  private readonly informers = new Map<string, Informer>();

  constructor(private readonly client: KubeClient, private readonly signal: AbortSignal, private readonly log: Pick<Logger, 'error'>) {}

  /** The informer for `target`, started by the first call; wait for `synced` before trusting `list()`. */
  informer(target: WatchTarget): Informer {
    const key = JSON.stringify([target.apiVersion, target.kind, target.namespace ?? '', target.labelSelector ?? '']);
    const existing = this.informers.get(key);
    if (existing !== undefined) return existing;
    const what = `${target.kind}s${target.namespace === undefined ? '' : ` in ${target.namespace}`}${target.labelSelector === undefined ? '' : ` (${target.labelSelector})`}`;
    const created = new Informer({
      client: this.client, signal: this.signal, apiVersion: target.apiVersion, kind: target.kind,
      ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
      ...(target.labelSelector === undefined ? {} : { labelSelector: target.labelSelector }),
      onError: (error) => {
        this.informers.delete(key);
        this.log.error({}, `watch of ${what} stopped: ${describeError(error)}`);
      },
    });
    this.informers.set(key, created);
    return created;
  }
}

/** The process's shared informers when the caller hands them over, else a set of this add-on's own. */
export function informersFor(context: { readonly informers?: SharedInformers | undefined; readonly client: KubeClient; readonly signal: AbortSignal; readonly log: Pick<Logger, 'error'> }): SharedInformers {
  return context.informers ?? new SharedInformers(context.client, context.signal, context.log);
}
