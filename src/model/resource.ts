/** A Kubernetes object as rendered (plain JSON), and the key that identifies it: group/kind/namespace/name. */

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string;
    readonly generateName?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

export interface ResourceKey {
  readonly group: string;
  readonly kind: string;
  /** Empty for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

export function resourceKey(object: KubeObject): ResourceKey {
  return {
    group: groupOf(object.apiVersion),
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name ?? object.metadata.generateName ?? '',
  };
}

/** `Deployment/shop/web`, `apps/Deployment/shop/web` with the group when asked; cluster-scoped: `Namespace/shop`. */
export function formatResourceKey(key: ResourceKey, options: { readonly withGroup?: boolean } = {}): string {
  const parts = [key.kind, ...(key.namespace === '' ? [] : [key.namespace]), key.name];
  const text = parts.join('/');
  return options.withGroup === true && key.group !== '' ? `${key.group}/${text}` : text;
}

/** A stable string for maps and sorting: group/kind/namespace/name. */
export function resourceKeyString(key: ResourceKey): string {
  return `${key.group}/${key.kind}/${key.namespace}/${key.name}`;
}

/** Argo CD's annotation tracking id: `<app>:<group>/<kind>:<namespace>/<name>`. */
export function trackingId(appName: string, key: ResourceKey): string {
  return `${appName}:${key.group}/${key.kind}:${key.namespace}/${key.name}`;
}
