/**
 * The live state of one cluster, shared by every application that deploys to it: one LIST+WATCH per kind (all
 * namespaces), started the first time an application needs the kind and kept until the controller stops. Objects are
 * kept by group/kind/namespace/name — not version, since one object is served under several — and indexed by the
 * application their tracking annotation names, so prune candidates and drift come from here, never from a LIST per
 * application per refresh. Every change is reported, so drift is seen in seconds.
 */
import { describeError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';
import { groupOf } from '../model/resource.js';
import type { KubeClient, WatchEvent } from '../kube/types.js';
import { DEFAULT_TRACKING, managingAppOf } from '../settings/tracking.js';
import type { Tracking } from '../settings/tracking.js';

/** A kind as the cache knows it: `group/Kind` ("" group for core). */
export type KindKey = string;

export function kindKey(apiVersion: string, kind: string): KindKey {
  return `${groupOf(apiVersion)}/${kind}`;
}

export function objectKey(group: string, kind: string, namespace: string | undefined, name: string): string {
  return `${group}/${kind}/${namespace ?? ''}/${name}`;
}

/**
 * The application an object is managed by: its tracking annotation (`<app>:<group>/<kind>:<namespace>/<name>`)
 * names an application *and this very object*. Controllers copy annotations onto what they create (a Deployment's
 * onto its ReplicaSets); such copies name another object and are not managed, as in Argo CD. With argocd-cm's
 * `label` tracking method, the instance label names the application.
 */
export function managingApp(object: KubeObject, tracking: Tracking = DEFAULT_TRACKING): string | undefined {
  return managingAppOf(object, tracking, { strict: true });
}

export interface LiveChange {
  readonly object: KubeObject;
  readonly type: WatchEvent['type'];
  readonly apps: readonly string[];
}

export interface LiveCacheOptions {
  readonly client: KubeClient;
  readonly signal: AbortSignal;
  /**
   * Called for every change after a kind's first list (not for the objects the first list brings), with the
   * applications it concerns: the one managing the object now and the one that did before.
   */
  readonly onChange?: (change: LiveChange) => void;
  readonly log?: (message: string) => void;
  /** How objects name their application (argocd-cm's tracking method), read on every event. @default annotation */
  readonly tracking?: () => Tracking;
}

interface KindState {
  readonly apiVersion: string;
  readonly synced: Promise<void>;
  ready: boolean;
  failed: string | undefined;
  failedAt: number;
}

/** A kind whose watch failed (its CRD is not installed yet) is tried again at most this often. */
const RETRY_FAILED_KIND_MS = 15_000;

export class LiveCache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly byApp = new Map<string, Set<string>>();
  private readonly kinds = new Map<KindKey, KindState>();
  /** The tracking the by-application index was built with; a change rebuilds it on next use. */
  private indexedWith = '';

  constructor(private readonly options: LiveCacheOptions) {}

  /** Starts watching each kind not watched yet; resolves when all of them have been listed once. */
  async ensureKinds(kinds: readonly { readonly apiVersion: string; readonly kind: string }[]): Promise<void> {
    await Promise.all(kinds.map((entry) => this.ensureKind(entry.apiVersion, entry.kind)));
  }

  /** Kinds the cache could not watch (unknown to the server, forbidden), with why. */
  failedKinds(): ReadonlyMap<KindKey, string> {
    const failed = new Map<KindKey, string>();
    for (const [key, state] of this.kinds) if (state.failed !== undefined) failed.set(key, state.failed);
    return failed;
  }

  watchedKinds(): number {
    return this.kinds.size;
  }

  isWatched(apiVersion: string, kind: string): boolean {
    return this.kinds.get(kindKey(apiVersion, kind))?.ready === true;
  }

  get(ref: { readonly apiVersion: string; readonly kind: string; readonly namespace?: string | undefined; readonly name: string }): KubeObject | undefined {
    return this.objects.get(objectKey(groupOf(ref.apiVersion), ref.kind, ref.namespace, ref.name));
  }

  /** Objects whose tracking annotation names `app` (and themselves). */
  managedBy(app: string): KubeObject[] {
    this.ensureIndex();
    return [...(this.byApp.get(app) ?? [])].flatMap((key) => {
      const object = this.objects.get(key);
      return object === undefined ? [] : [object];
    });
  }

  size(): number {
    return this.objects.size;
  }

  /** Rebuilds the by-application index when argocd-cm's tracking method or label key changed since it was built. */
  private ensureIndex(): void {
    const tracking = this.options.tracking?.() ?? DEFAULT_TRACKING;
    const current = `${tracking.trackingMethod}|${tracking.instanceLabelKey}`;
    if (current !== this.indexedWith) this.reindex(current);
  }

  private reindex(current: string): void {
    this.indexedWith = current;
    this.byApp.clear();
    for (const [key, object] of this.objects) {
      const app = this.appOf(object);
      if (app === undefined) continue;
      const set = this.byApp.get(app) ?? new Set<string>();
      set.add(key);
      this.byApp.set(app, set);
    }
  }

  private appOf(object: KubeObject): string | undefined {
    // An object with owners is its owner's child (a SealedSecret's Secret, a Deployment's ReplicaSet), never an app's
    // own resource — even when it carries copied tracking labels — so it is neither drift nor pruned, as in Argo CD.
    if (Array.isArray(object.metadata.ownerReferences) && object.metadata.ownerReferences.length > 0) return undefined;
    return managingApp(object, this.options.tracking?.() ?? DEFAULT_TRACKING);
  }

  /** Every cached object of `namespace` (for orphaned-resource monitoring). */
  inNamespace(namespace: string): KubeObject[] {
    return [...this.objects.values()].filter((object) => object.metadata.namespace === namespace);
  }

  private ensureKind(apiVersion: string, kind: string): Promise<void> {
    const key = kindKey(apiVersion, kind);
    const existing = this.kinds.get(key);
    // A kind that failed (its CRD not installed yet) is tried again on a later request for it.
    if (existing !== undefined && (existing.failed === undefined || Date.now() - existing.failedAt < RETRY_FAILED_KIND_MS)) return existing.synced;
    const previousFailure = existing?.failed;
    let markSynced: () => void = () => undefined;
    let markFailed: (error: unknown) => void = () => undefined;
    const synced = new Promise<void>((resolve, reject) => {
      markSynced = resolve;
      markFailed = reject;
    });
    const state: KindState = { apiVersion, synced, ready: false, failed: undefined, failedAt: 0 };
    this.kinds.set(key, state);
    void this.options.client
      .watch(apiVersion, kind, { signal: this.options.signal, onSynced: () => {
        state.ready = true;
        markSynced();
      } }, (event) => {
        this.onEvent(event, state.ready);
      })
      .then(() => {
        markSynced();
      }, (error: unknown) => {
        state.failed = describeError(error);
        state.failedAt = Date.now();
        // Said once, not on every retry of a kind whose CRD is simply not there yet.
        if (state.failed !== previousFailure) this.options.log?.(`watch of ${key} stopped: ${state.failed}`);
        markFailed(error);
      });
    // Callers that only wanted the kind watched must not see an unhandled rejection.
    synced.catch(() => undefined);
    return synced;
  }

  private onEvent(event: WatchEvent, announce: boolean): void {
    this.ensureIndex();
    const { object } = event;
    const key = objectKey(groupOf(object.apiVersion), object.kind, object.metadata.namespace, object.metadata.name ?? '');
    const previousApp = this.appOfKey(key);
    if (event.type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, object);
    const app = event.type === 'DELETED' ? undefined : this.appOf(object);
    if (previousApp !== app) {
      if (previousApp !== undefined) this.byApp.get(previousApp)?.delete(key);
      if (app !== undefined) {
        const set = this.byApp.get(app) ?? new Set<string>();
        set.add(key);
        this.byApp.set(app, set);
      }
    }
    if (announce) {
      const apps = [...new Set([app ?? this.appOf(object), previousApp].filter((name): name is string => name !== undefined))];
      this.options.onChange?.({ object, type: event.type, apps });
    }
  }

  private appOfKey(key: string): string | undefined {
    const object = this.objects.get(key);
    return object === undefined ? undefined : this.appOf(object);
  }
}
