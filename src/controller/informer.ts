/**
 * One kind in one namespace, watched and kept in memory by name (Applications, AppProjects and the controller's
 * Secrets). The first list completes `synced`; every later change is reported to `onChange`.
 */
import type { KubeObject } from '../model/resource.js';
import type { KubeClient, WatchEvent } from '../kube/types.js';

export interface InformerOptions {
  readonly client: KubeClient;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly labelSelector?: string;
  readonly signal: AbortSignal;
  readonly onChange?: (event: WatchEvent, previous: KubeObject | undefined) => void;
  readonly onError?: (error: unknown) => void;
}

export class Informer {
  private readonly objects = new Map<string, KubeObject>();
  private syncedFlag = false;
  readonly synced: Promise<void>;

  constructor(private readonly options: InformerOptions) {
    let markSynced: () => void = () => undefined;
    this.synced = new Promise<void>((resolve) => {
      markSynced = resolve;
    });
    const { client, apiVersion, kind, namespace, labelSelector, signal } = options;
    void client
      .watch(apiVersion, kind, { namespace, signal, ...(labelSelector === undefined ? {} : { labelSelector }), onSynced: () => {
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

  get(name: string): KubeObject | undefined {
    return this.objects.get(name);
  }

  list(): KubeObject[] {
    return [...this.objects.values()];
  }

  isSynced(): boolean {
    return this.syncedFlag;
  }

  private onEvent(event: WatchEvent): void {
    const name = event.object.metadata.name ?? '';
    const previous = this.objects.get(name);
    if (event.type === 'DELETED') this.objects.delete(name);
    else this.objects.set(name, event.object);
    this.options.onChange?.(event, previous);
  }
}
