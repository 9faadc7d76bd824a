/**
 * One kind, across all namespaces, watched and kept in memory by `namespace/name` — Namespaces for namespaceSelectors,
 * generate triggers and clone sources, the kinds background scans report on. Changes are passed on as they come; the
 * first list completes `synced`. A watch that ends with an error is reported once and the cache stays as it was.
 */
import type { KubeClient, WatchEvent } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';

export const keyOf = (object: KubeObject): string => `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;

export interface KindCacheOptions {
  readonly client: KubeClient;
  readonly apiVersion: string;
  readonly kind: string;
  /** Only this namespace (a clone source's); every namespace when undefined. */
  readonly namespace?: string;
  readonly signal: AbortSignal;
  readonly onChange?: (event: WatchEvent, previous: KubeObject | undefined) => void;
  readonly onError?: (error: unknown) => void;
}

export class KindCache {
  private readonly objects = new Map<string, KubeObject>();
  readonly synced: Promise<void>;

  constructor(private readonly options: KindCacheOptions) {
    let markSynced: () => void = () => undefined;
    this.synced = new Promise<void>((resolve) => {
      markSynced = resolve;
    });
    const { client, apiVersion, kind, signal } = options;
    const scope = options.namespace === undefined ? {} : { namespace: options.namespace };
    void client.watch(apiVersion, kind, { ...scope, signal, onSynced: markSynced }, (event) => { this.onEvent(event); }).then(markSynced, (error: unknown) => {
      markSynced();
      options.onError?.(error);
    });
  }

  get apiVersion(): string {
    return this.options.apiVersion;
  }

  get kind(): string {
    return this.options.kind;
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  list(): KubeObject[] {
    return [...this.objects.values()];
  }

  private onEvent(event: WatchEvent): void {
    const key = keyOf(event.object);
    const previous = this.objects.get(key);
    if (event.type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, event.object);
    this.options.onChange?.(event, previous);
  }
}
