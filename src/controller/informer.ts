/**
 * One kind, in one namespace or in all of them, watched and kept in memory (Applications, AppProjects and the
 * controller's Secrets; Namespaces, policies, generate triggers and scanned kinds for the policy add-on). The first
 * list completes `synced`; every later change is reported to `onChange`.
 */
import type { KubeObject } from '../model/resource.js';
import type { KubeClient, WatchEvent } from '../kube/types.js';

/** `namespace/name` (`/name` for cluster-scoped objects): how an Informer keys what it holds. */
export const keyOf = (object: KubeObject): string => `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;

export interface InformerOptions {
  readonly client: KubeClient;
  readonly apiVersion: string;
  readonly kind: string;
  /** Only this namespace; every namespace (or a cluster-scoped kind) when undefined. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly signal: AbortSignal;
  readonly onChange?: (event: WatchEvent, previous: KubeObject | undefined) => void;
  readonly onError?: (error: unknown) => void;
}

export type ChangeListener = (event: WatchEvent, previous: KubeObject | undefined) => void;

export class Informer {
  private readonly objects = new Map<string, KubeObject>();
  private readonly listeners = new Set<ChangeListener>();
  private syncedFlag = false;
  readonly synced: Promise<void>;

  constructor(private readonly options: InformerOptions) {
    let markSynced: () => void = () => undefined;
    this.synced = new Promise<void>((resolve) => {
      markSynced = resolve;
    });
    const { client, apiVersion, kind, namespace, labelSelector, signal } = options;
    void client
      .watch(apiVersion, kind, { signal, ...(namespace === undefined ? {} : { namespace }), ...(labelSelector === undefined ? {} : { labelSelector }), onSynced: () => {
        this.syncedFlag = true;
        markSynced();
      } }, (event) => {
        this.onEvent(event);
      })
      .then(markSynced, (error: unknown) => {
        markSynced();
        options.onError?.(error);
      });
  }

  /** The object named `name` in `namespace` (by default the informer's own; '' for cluster-scoped kinds). */
  get(name: string, namespace = this.options.namespace ?? ''): KubeObject | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  list(): KubeObject[] {
    return [...this.objects.values()];
  }

  isSynced(): boolean {
    return this.syncedFlag;
  }

  /**
   * Adds a listener besides `onChange`, until `signal` aborts. A listener that comes late is first handed what the
   * informer already holds, as ADDED events, so every listener sees each object from its first state on.
   */
  subscribe(listener: ChangeListener, signal?: AbortSignal): void {
    if (signal?.aborted === true) return;
    for (const object of this.objects.values()) listener({ type: 'ADDED', object }, undefined);
    this.listeners.add(listener);
    signal?.addEventListener('abort', () => { this.listeners.delete(listener); }, { once: true });
  }

  private onEvent(event: WatchEvent): void {
    const key = keyOf(event.object);
    const previous = this.objects.get(key);
    if (event.type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, event.object);
    this.options.onChange?.(event, previous);
    for (const listener of this.listeners) listener(event, previous);
  }
}
