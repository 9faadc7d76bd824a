/**
 * The resource tree of an application, as the UI draws it: the app's managed resources (from its status, with sync
 * and health), child Applications' resources under the child (an app of apps, to a bounded depth), and under each
 * workload the objects Kubernetes made for it — ReplicaSets, Pods, Jobs — found by ownerReferences in the live
 * cluster. Every node names its parents (`parentRefs`), as Argo CD's tree does.
 */
import { assessHealth } from '../../health/index.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { groupOf } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import { createLimiter } from '../../render/limit.js';

export interface NodeRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
}

export interface TreeNode extends NodeRef {
  readonly version: string;
  /** The application whose status lists it (the tree's root app, or a child app). */
  readonly app: string;
  /** Synced / OutOfSync / Unknown for managed resources; undefined for objects Kubernetes made. */
  readonly status?: string;
  readonly health?: { readonly status: string; readonly message?: string };
  readonly parentRefs: readonly NodeRef[];
  readonly managed: boolean;
  readonly requiresPruning?: boolean;
  readonly syncWave?: number;
  readonly createdAt?: string;
  /** Container images (Pods). */
  readonly images?: readonly string[];
}

export interface TreeDeps {
  /** An application by name (child apps are looked up here). */
  readonly application: (name: string) => KubeObject | undefined;
  /** The client of the cluster an application deploys to. */
  readonly clientFor: (app: KubeObject) => Promise<KubeClient>;
  /** Child applications deeper than this are shown as nodes without their resources. @default 3 */
  readonly maxDepth?: number;
}

type Json = Readonly<Record<string, unknown>>;
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Kinds whose live children (by ownerReferences) are shown, and the kinds of those children. */
const OWNED: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  'apps/Deployment': [['apps/v1', 'ReplicaSet']],
  'apps/ReplicaSet': [['v1', 'Pod']],
  'apps/StatefulSet': [['v1', 'Pod']],
  'apps/DaemonSet': [['v1', 'Pod']],
  'batch/CronJob': [['batch/v1', 'Job']],
  'batch/Job': [['v1', 'Pod']],
};

/** The app's own managed resources (from its status), as tree nodes. */
export function managedNodes(app: KubeObject, parent: NodeRef | undefined): TreeNode[] {
  const resources = isPlainObject(app.status) && Array.isArray(app.status.resources) ? app.status.resources.filter(isPlainObject) : [];
  return resources.map((resource: Json) => {
    const health = isPlainObject(resource.health) ? { status: str(resource.health.status), ...(str(resource.health.message) === '' ? {} : { message: str(resource.health.message) }) } : undefined;
    return {
      group: str(resource.group), version: str(resource.version), kind: str(resource.kind), namespace: str(resource.namespace), name: str(resource.name),
      app: app.metadata.name ?? '', status: str(resource.status) || 'Unknown', ...(health === undefined ? {} : { health }),
      parentRefs: parent === undefined ? [] : [parent], managed: true,
      ...(resource.requiresPruning === true ? { requiresPruning: true } : {}),
      ...(typeof resource.syncWave === 'number' ? { syncWave: resource.syncWave } : {}),
    };
  });
}

function refOf(object: KubeObject): NodeRef {
  return { group: groupOf(object.apiVersion), kind: object.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '', uid: str(object.metadata.uid) };
}

function ownedNode(object: KubeObject, owner: NodeRef, app: string): TreeNode {
  const health = assessHealth(object);
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isPlainObject) : [];
  const images = containers.map((container) => str(container.image)).filter((image) => image !== '');
  return {
    ...refOf(object), version: object.apiVersion.split('/').at(-1) ?? '', app, parentRefs: [owner], managed: false,
    health: { status: health.status, ...(health.message === '' ? {} : { message: health.message }) },
    createdAt: str(object.metadata.creationTimestamp), ...(images.length === 0 ? {} : { images }),
  };
}

const ownerUids = (object: KubeObject): string[] => (Array.isArray(object.metadata.ownerReferences) ? object.metadata.ownerReferences.filter(isPlainObject).map((owner) => str(owner.uid)) : []);

/** Lists each (kind, namespace) once per tree. */
class LiveLister {
  private readonly lists = new Map<string, Promise<KubeObject[]>>();
  constructor(private readonly client: KubeClient) {}
  list(apiVersion: string, kind: string, namespace: string): Promise<KubeObject[]> {
    const key = `${apiVersion}/${kind}/${namespace}`;
    let found = this.lists.get(key);
    if (found === undefined) {
      found = this.client.list(apiVersion, kind, { namespace }).catch(() => []);
      this.lists.set(key, found);
    }
    return found;
  }
}

/** The live objects owned by `owner` (recursively: Deployment → ReplicaSets → Pods). */
async function ownedBy(lister: LiveLister, owner: KubeObject, app: string, depth = 0): Promise<TreeNode[]> {
  const kinds = OWNED[`${groupOf(owner.apiVersion)}/${owner.kind}`];
  const uid = str(owner.metadata.uid);
  if (kinds === undefined || uid === '' || depth > 2) return [];
  const nodes: TreeNode[] = [];
  for (const [apiVersion, kind] of kinds) {
    const children = (await lister.list(apiVersion, kind, owner.metadata.namespace ?? '')).filter((child) => ownerUids(child).includes(uid));
    for (const child of children) nodes.push(ownedNode(child, refOf(owner), app), ...(await ownedBy(lister, child, app, depth + 1)));
  }
  return nodes;
}

async function liveChildren(nodes: readonly TreeNode[], app: KubeObject, deps: TreeDeps): Promise<TreeNode[]> {
  const workloads = nodes.filter((node) => OWNED[`${node.group}/${node.kind}`] !== undefined && node.managed && node.app === (app.metadata.name ?? ''));
  if (workloads.length === 0) return [];
  const client = await deps.clientFor(app).catch(() => undefined);
  if (client === undefined) return [];
  const lister = new LiveLister(client);
  const limit = createLimiter(8);
  const found = await Promise.all(workloads.map((node) => limit(async () => {
    const live = await client.get({ apiVersion: node.group === '' ? node.version : `${node.group}/${node.version}`, kind: node.kind, namespace: node.namespace, name: node.name }).catch(() => undefined);
    return live === undefined ? [] : ownedBy(lister, live, node.app);
  })));
  return found.flat();
}

/** The whole tree of `app`: its nodes, its child apps' nodes, and the live objects under workloads. */
export async function resourceTree(app: KubeObject, deps: TreeDeps, depth = 0, parent?: NodeRef): Promise<TreeNode[]> {
  const own = managedNodes(app, parent);
  const nodes: TreeNode[] = [...own, ...(await liveChildren(own, app, deps))];
  if (depth >= (deps.maxDepth ?? 3)) return nodes;
  for (const node of own.filter((candidate) => candidate.group === 'argoproj.io' && candidate.kind === 'Application')) {
    const child = deps.application(node.name);
    if (child !== undefined) nodes.push(...(await resourceTree(child, deps, depth + 1, { group: node.group, kind: node.kind, namespace: node.namespace, name: node.name })));
  }
  return nodes;
}
