/**
 * Reading applications: the list (from the in-memory store, filtered by RBAC, then by the query), one application,
 * its resource tree, managed resources with their live objects, desired or live manifests, the diff, events and
 * history. Every object that could be a Secret is redacted before it leaves (`redactForDisplay`).
 */
import type { FastifyInstance } from 'fastify';
import { redactForDisplay } from '../../diff/secrets.js';
import { LaunchpadError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import { createLimiter } from '../../render/limit.js';
import { projectOf, requireApp, visibleApps } from '../app-access.js';
import { ApiError } from '../errors.js';
import { identityOf } from '../http.js';
import { appPermissions } from '../permissions.js';
import type { ApiRuntime, ApiShared } from '../runtime.js';
import { S } from '../schemas.js';
import { appFilter, countApps } from '../views/filters.js';
import type { AppFilterQuery } from '../views/filters.js';
import { resourceTree } from '../views/tree.js';

type Json = Readonly<Record<string, unknown>>;

/** The object as kubectl shows it: without managedFields (noise, and field values of Secrets in older servers). */
export function forDisplay(object: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = { ...object.metadata };
  delete metadata.managedFields;
  return redactForDisplay({ ...object, metadata });
}

function statusResources(app: KubeObject): Json[] {
  return isPlainObject(app.status) && Array.isArray(app.status.resources) ? app.status.resources.filter(isPlainObject) : [];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function destinationClient(runtime: ApiRuntime, app: KubeObject): Promise<KubeClient> {
  const destination = isPlainObject(app.spec) && isPlainObject(app.spec.destination) ? app.spec.destination : {};
  return runtime.clusters.clientFor({ server: text(destination.server), name: text(destination.name) });
}

/** The live object of each of the app's resources (undefined when missing), in status order. */
async function liveObjects(runtime: ApiRuntime, app: KubeObject): Promise<(KubeObject | undefined)[]> {
  const client = await destinationClient(runtime, app);
  const limit = createLimiter(8);
  return Promise.all(statusResources(app).map((resource) => limit(() => {
    const group = text(resource.group);
    const apiVersion = group === '' ? text(resource.version) : `${group}/${text(resource.version)}`;
    const namespace = text(resource.namespace);
    return client.get({ apiVersion, kind: text(resource.kind), name: text(resource.name), ...(namespace === '' ? {} : { namespace }) }).catch(() => undefined);
  })));
}

async function eventsOf(runtime: ApiRuntime, app: KubeObject): Promise<Json[]> {
  const name = app.metadata.name ?? '';
  const own = (await runtime.client.list('v1', 'Event', { namespace: runtime.namespace })).filter((event) => {
    const involved = isPlainObject(event.involvedObject) ? event.involvedObject : {};
    return involved.kind === 'Application' && involved.name === name;
  });
  // Events of the managed resources, from the namespaces they live in (bounded: the busiest apps span few).
  const managed = new Set(statusResources(app).map((resource) => `${text(resource.kind)}/${text(resource.namespace)}/${text(resource.name)}`));
  const namespaces = [...new Set(statusResources(app).map((resource) => text(resource.namespace)).filter((namespace) => namespace !== ''))].slice(0, 20);
  const client = await destinationClient(runtime, app).catch(() => undefined);
  const lists = client === undefined ? [] : await Promise.all(namespaces.map((namespace) => client.list('v1', 'Event', { namespace }).catch(() => [])));
  const resourceEvents = lists.flat().filter((event) => {
    const involved = isPlainObject(event.involvedObject) ? event.involvedObject : {};
    return managed.has(`${text(involved.kind)}/${text(involved.namespace)}/${text(involved.name)}`);
  });
  return [...own, ...resourceEvents].map((event) => ({
    type: text(event.type), reason: text(event.reason), message: text(event.message), count: typeof event.count === 'number' ? event.count : 1,
    firstTimestamp: text(event.firstTimestamp) || text(event.eventTime), lastTimestamp: text(event.lastTimestamp) || text(event.eventTime) || text(event.firstTimestamp),
    involvedObject: isPlainObject(event.involvedObject) ? { kind: text(event.involvedObject.kind), namespace: text(event.involvedObject.namespace), name: text(event.involvedObject.name), uid: text(event.involvedObject.uid) } : {},
  })).sort((a, b) => b.lastTimestamp.localeCompare(a.lastTimestamp));
}

export function applicationRoutes(app: FastifyInstance, shared: ApiShared): void {
  const nameParams = { params: S.appName };
  app.get('/api/v1/applications', { schema: { tags: ['applications'], summary: 'list applications (those the caller may get), filtered', querystring: S.appQuery, response: { 200: S.appList } } }, async (request) => {
    const runtime = shared.runtime();
    const identity = identityOf(request);
    const visible = await visibleApps(runtime, identity);
    let filter;
    try {
      filter = appFilter(request.query as AppFilterQuery);
    } catch (error) {
      throw new ApiError(400, error instanceof LaunchpadError ? error.message : String(error));
    }
    const matching = visible.filter(filter).sort((a, b) => a.name.localeCompare(b.name));
    // Per item, six decisions the enforcer has mostly made before (it remembers them until the policy changes).
    const { enforcer } = await runtime.access.rbacConfig();
    const subject = { name: identity.sub, groups: identity.groups };
    const items = matching.map((item) => ({ ...item, permissions: appPermissions(enforcer, subject, item.project, item.name) }));
    return { items, total: visible.length, counts: countApps(matching) };
  });

  app.get('/api/v1/applications/:name', { schema: { tags: ['applications'], summary: 'one Application object, with what the caller may do to it', ...nameParams, response: { 200: S.application } } }, async (request) => {
    const runtime = shared.runtime();
    const identity = identityOf(request);
    const object = await requireApp(runtime, identity, (request.params as { name: string }).name);
    const { enforcer } = await runtime.access.rbacConfig();
    const permissions = appPermissions(enforcer, { name: identity.sub, groups: identity.groups }, projectOf(object), object.metadata.name ?? '');
    return { ...forDisplay(object), permissions };
  });

  app.get('/api/v1/applications/:name/resource-tree', { schema: { tags: ['applications'], summary: 'the resource tree: resources, child applications\' resources, and the ReplicaSets/Pods/Jobs under workloads', ...nameParams, response: { 200: S.tree } } }, async (request) => {
    const runtime = shared.runtime();
    const identity = identityOf(request);
    const object = await requireApp(runtime, identity, (request.params as { name: string }).name);
    const nodes = await resourceTree(object, { application: (child) => runtime.store.application(child), clientFor: (target) => destinationClient(runtime, target) });
    return { application: object.metadata.name ?? '', nodes };
  });

  app.get('/api/v1/applications/:name/managed-resources', { schema: { tags: ['applications'], summary: 'the resources the application manages, with sync, health and the live object', ...nameParams, response: { 200: S.managedResources } } }, async (request) => {
    const runtime = shared.runtime();
    const object = await requireApp(runtime, identityOf(request), (request.params as { name: string }).name);
    const live = await liveObjects(runtime, object);
    return { items: statusResources(object).map((resource, index) => {
      const found = live[index];
      return { ...resource, live: found === undefined ? null : forDisplay(found) };
    }) };
  });

  app.get('/api/v1/applications/:name/manifests', { schema: { tags: ['applications'], summary: 'desired (rendered) or live manifests, Secret values hidden', ...nameParams, querystring: S.manifestQuery, response: { 200: S.manifests } } }, async (request) => {
    const runtime = shared.runtime();
    const object = await requireApp(runtime, identityOf(request), (request.params as { name: string }).name);
    const source = (request.query as { source?: 'desired' | 'live' }).source ?? 'desired';
    if (source === 'live') return { source, items: (await liveObjects(runtime, object)).filter((found): found is KubeObject => found !== undefined).map(forDisplay) };
    return { source, items: await runtime.desired.manifests(object) };
  });

  app.get('/api/v1/applications/:name/diff', { schema: { tags: ['applications'], summary: 'per resource, the unified diff between live and what a sync would make of it (Secret values hidden)', ...nameParams, response: { 200: S.diff } } }, async (request) => {
    const runtime = shared.runtime();
    const object = await requireApp(runtime, identityOf(request), (request.params as { name: string }).name);
    return { items: await runtime.desired.diff(object, await destinationClient(runtime, object), runtime.client, runtime.namespace) };
  });

  app.get('/api/v1/applications/:name/events', { schema: { tags: ['applications'], summary: 'Kubernetes events of the application and of its resources, newest first', ...nameParams, response: { 200: S.events } } }, async (request) => {
    const runtime = shared.runtime();
    const object = await requireApp(runtime, identityOf(request), (request.params as { name: string }).name);
    return { items: await eventsOf(runtime, object) };
  });

  app.get('/api/v1/applications/:name/history', { schema: { tags: ['applications'], summary: 'deployment history (status.history, newest first) — the ids rollback takes', ...nameParams, response: { 200: S.history } } }, async (request) => {
    const runtime = shared.runtime();
    const object = await requireApp(runtime, identityOf(request), (request.params as { name: string }).name);
    const history = isPlainObject(object.status) && Array.isArray(object.status.history) ? object.status.history.filter(isPlainObject) : [];
    return { items: [...history].reverse() };
  });
}
