/**
 * Cluster access as the sync engine needs it. One interface, implemented over node:https (transport.ts) against a real
 * API server (and, for unit tests only, any stand-in that passes the same contract suite in test/integration/kube/).
 * Every method names the object in its errors (`Deployment/shop/web: …`) and classes them terminal or retryable.
 */
import type { KubeObject } from '../model/resource.js';

/** What discovery says about a kind. */
export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name, e.g. "deployments". */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

/** Identifies one object; `apiVersion` may be any served version of the kind. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface ApplyOptions {
  /** Server-side dry-run: validate (schema, admission webhooks, quota) and return the result without persisting. */
  readonly dryRun?: boolean;
  /** Take ownership of fields other managers own (SSA `force`). Launchpad applies with force, as Argo CD's SSA does. @default true */
  readonly force?: boolean;
  /** @default 'launchpad' */
  readonly fieldManager?: string;
}

export interface DeleteOptions {
  /** @default 'Foreground' */
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly dryRun?: boolean;
}

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
}

/** `merge`: RFC 7386 JSON merge patch (null deletes a field); `json`: RFC 6902 operations. */
export type PatchType = 'merge' | 'json';

export interface PatchOptions {
  /** @default 'merge' */
  readonly type?: PatchType;
  /** @default the client's field manager */
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
  /** Patch the `status` subresource (CRDs that declare one, such as Bitnami's SealedSecret). @default the object itself */
  readonly subresource?: 'status';
}

export interface WatchOptions extends ListOptions {
  readonly signal: AbortSignal;
  readonly onSynced?: () => void;
}

export type WatchEvent = { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: KubeObject };

export interface KubeClient {
  /** The kind's resource info; refreshes discovery once when the kind is unknown (a CRD created mid-sync). Undefined if still unknown. */
  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** Forgets cached discovery (after CRDs are applied). */
  invalidateDiscovery(): void;
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]>;
  /** Server-side apply (PATCH application/apply-patch+yaml). Returns the object as the server has (or would have) it. */
  apply(object: KubeObject, options?: ApplyOptions): Promise<KubeObject>;
  /** Create (for generateName hooks) — returns the created object. */
  create(object: KubeObject, options?: { readonly dryRun?: boolean }): Promise<KubeObject>;
  /**
   * PATCH an existing object (a missing one is a NotFound KubeError). Used where server-side apply cannot express the
   * change: removing a field another manager owns (an Application's `operation`), or writing `status` of kinds
   * whose CRD has no status subresource (Argo CD's Application).
   */
  patch(ref: ObjectRef, patch: unknown, options?: PatchOptions): Promise<KubeObject>;
  /** PUT replace (Replace=true); creates when missing. */
  replace(object: KubeObject, options?: { readonly dryRun?: boolean }): Promise<KubeObject>;
  /** Deletes; resolves when the API server accepted the deletion (not when it is gone). Missing is not an error. */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<void>;
  /**
   * Watches a kind until `signal` aborts; events for objects matching `options`. Objects that exist when it starts
   * arrive as ADDED, then `onSynced` is called once: from then on the consumer has seen the whole collection.
   */
  watch(apiVersion: string, kind: string, options: WatchOptions, onEvent: (event: WatchEvent) => void): Promise<void>;
  /** The API server's version, e.g. "v1.35.4". */
  serverVersion(): Promise<string>;
  /** Every kind the server serves, as discovery last read it (helm's `--api-versions`). */
  apiResources?(): Promise<ResourceInfo[]>;
  /** Lets go of pooled connections (idle ones never keep the process alive); watches and requests in flight finish. */
  close?(): void;
}
