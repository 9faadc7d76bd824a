/**
 * Resources as the application view names and nests them. A resource's id is kubectl's `Kind.group/namespace/name`
 * (`Deployment.apps/shop/web`, `ConfigMap/shop/web-config`, `Namespace//shop`) — readable in the URL. The tree
 * nests nodes by `parentRefs`: the app's resources at the top, a child Application's resources under it, and
 * ReplicaSets and Pods under their owners.
 */
export interface Ref {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface TreeNode extends Ref {
  readonly version: string;
  readonly app: string;
  readonly status?: string;
  readonly health?: { readonly status: string; readonly message?: string };
  readonly parentRefs: readonly Ref[];
  readonly managed: boolean;
  readonly requiresPruning?: boolean;
  readonly syncWave?: number;
  readonly images?: readonly string[];
}

export interface Nested {
  readonly node: TreeNode;
  readonly children: readonly Nested[];
}

export const resourceId = (ref: Ref): string => `${ref.kind}${ref.group === '' ? '' : `.${ref.group}`}/${ref.namespace}/${ref.name}`;

export function parseResourceId(id: string): Ref | undefined {
  const [kindGroup = '', namespace, ...rest] = id.split('/');
  if (namespace === undefined || rest.length === 0) return undefined;
  const dot = kindGroup.indexOf('.');
  return { kind: dot < 0 ? kindGroup : kindGroup.slice(0, dot), group: dot < 0 ? '' : kindGroup.slice(dot + 1), namespace, name: rest.join('/') };
}

export const sameRef = (a: Ref, b: Ref): boolean => a.kind === b.kind && a.name === b.name && a.namespace === b.namespace && a.group === b.group;

/** The nodes nested under their parents; a node whose parent is not in the tree stays at the top. */
export function nest(nodes: readonly TreeNode[]): Nested[] {
  const byId = new Map(nodes.map((node) => [resourceId(node), node]));
  const children = new Map<string, TreeNode[]>();
  const roots: TreeNode[] = [];
  for (const node of nodes) {
    const parent = node.parentRefs.find((ref) => byId.has(resourceId(ref)));
    if (parent === undefined) roots.push(node);
    else children.set(resourceId(parent), [...(children.get(resourceId(parent)) ?? []), node]);
  }
  const seen = new Set<string>();
  const build = (node: TreeNode): Nested => {
    const id = resourceId(node);
    // A cycle (an object naming itself as owner) must not hang the page.
    if (seen.has(id)) return { node, children: [] };
    seen.add(id);
    return { node, children: (children.get(id) ?? []).map(build) };
  };
  return roots.map(build);
}

/** Kubernetes objects as the API returns them in manifest lists. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

export function objectRef(object: KubeObject): Ref {
  const apiVersion = object.apiVersion ?? '';
  return { group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '', kind: object.kind ?? '', namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' };
}
