/**
 * `GET /api/v1/applications/{name}/resource?group=&version=&kind=&namespace=&name=`: the live manifest of one node of
 * the application's resource tree — a managed resource, a child application's resource, or an object Kubernetes made
 * for a workload (ReplicaSet, Pod, Job). The object must be in the tree, checked here against the tree the server
 * builds itself, so the endpoint never reads anything else in the cluster; a node of a child application also needs
 * `get` on that child. Secret values are hidden like everywhere.
 */
import type { FastifyInstance } from 'fastify';
import type { KubeObject } from '../../model/resource.js';
import { formatResourceKey } from '../../model/resource.js';
import { requireApp } from '../app-access.js';
import type { Identity } from '../access.js';
import { notFound } from '../errors.js';
import { identityOf } from '../http.js';
import type { ApiRuntime, ApiShared } from '../runtime.js';
import { S } from '../schemas.js';
import { managedNodes, resourceTree } from '../views/tree.js';
import type { TreeNode } from '../views/tree.js';
import { destinationClient, forDisplay } from './applications.js';

export interface ResourceQuery {
  readonly group?: string;
  readonly version?: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

const matches = (query: ResourceQuery) => (node: TreeNode): boolean =>
  node.group === (query.group ?? '') && node.kind === query.kind && node.namespace === (query.namespace ?? '') && node.name === query.name;

/** The tree node the query names: the app's own managed resources first (no cluster reads), then the whole tree. */
async function findNode(runtime: ApiRuntime, app: KubeObject, query: ResourceQuery): Promise<TreeNode | undefined> {
  const direct = managedNodes(app, undefined).find(matches(query));
  if (direct !== undefined) return direct;
  return (await resourceTree(app, { application: (child) => runtime.store.application(child), clientFor: (target) => destinationClient(runtime, target) })).find(matches(query));
}

/** The live object of `query` in `name`'s tree, as the caller may see it. */
export async function treeResource(runtime: ApiRuntime, identity: Identity, name: string, query: ResourceQuery): Promise<KubeObject> {
  const app = await requireApp(runtime, identity, name, 'get');
  const key = formatResourceKey({ group: query.group ?? '', kind: query.kind, namespace: query.namespace ?? '', name: query.name });
  const node = await findNode(runtime, app, query);
  if (node === undefined) throw notFound(`${key} in the resource tree of application "${name}"`, 'pick a node of GET /api/v1/applications/{name}/resource-tree');
  // A child application's resource lives where that child deploys, and is that child's to show.
  const owner = node.app === name ? app : await requireApp(runtime, identity, node.app, 'get');
  const version = node.version !== '' ? node.version : query.version ?? '';
  const client = await destinationClient(runtime, owner);
  const live = await client.get({ apiVersion: node.group === '' ? version : `${node.group}/${version}`, kind: node.kind, name: node.name, ...(node.namespace === '' ? {} : { namespace: node.namespace }) });
  if (live === undefined) throw notFound(`${key} (application "${node.app}") in the cluster`, 'it is not there (yet): see the application\'s sync status');
  return live;
}

export function resourceRoutes(app: FastifyInstance, shared: ApiShared): void {
  app.get('/api/v1/applications/:name/resource', { schema: { tags: ['applications'], summary: 'the live manifest of one node of the resource tree (Secret values hidden); 404 for anything not in the tree', params: S.appName, querystring: S.resourceQuery, response: { 200: S.resource } } }, async (request) => {
    const runtime = shared.runtime();
    const live = await treeResource(runtime, identityOf(request), (request.params as { name: string }).name, request.query as ResourceQuery);
    return { manifest: forDisplay(live) };
  });
}
