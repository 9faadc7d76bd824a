/**
 * Acting on an application: sync, refresh, rollback, terminate, delete. Each checks the caller's RBAC on
 * `<project>/<name>` (sync for sync, rollback and terminate, as Argo CD; get for refresh; delete for delete), writes
 * what the controller acts on, and leaves one audit line with the result — refused requests included.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { describeError } from '../../errors.js';
import { appObject } from '../access.js';
import type { Identity } from '../access.js';
import { projectOf, requireApp } from '../app-access.js';
import { ApiError } from '../errors.js';
import { identityOf } from '../http.js';
import { parseCascade, requestDelete, requestRefresh, requestSync, requestTerminate, rollbackOperation, syncOperation } from '../operations.js';
import type { SyncRequest } from '../operations.js';
import type { ApiRuntime, ApiShared } from '../runtime.js';
import { S } from '../schemas.js';
import { refuseSyncBlockedByWindow } from '../sync-window-gate.js';
import { summarize } from '../views/summary.js';

interface Audited {
  readonly action: string;
  /** The RBAC action required on the application. */
  readonly rbac: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Runs `work` on the named app after the RBAC check, auditing the outcome either way. */
async function audited<T>(shared: ApiShared, request: FastifyRequest, what: Audited, work: (runtime: ApiRuntime, identity: Identity, name: string) => Promise<T>): Promise<T> {
  const runtime = shared.runtime();
  const identity = identityOf(request);
  const name = (request.params as { name: string }).name;
  const existing = runtime.store.application(name);
  const object = appObject(existing === undefined ? '*' : projectOf(existing), name);
  const entry = { who: identity, action: what.action, object, ...(what.detail === undefined ? {} : { detail: what.detail }) };
  try {
    await requireApp(runtime, identity, name, what.rbac);
    const result = await work(runtime, identity, name);
    shared.audit.record({ ...entry, result: 'ok' });
    return result;
  } catch (error) {
    const denied = error instanceof ApiError && error.status === 403;
    shared.audit.record({ ...entry, result: denied ? 'denied' : `failed: ${describeError(error)}` });
    throw error;
  }
}

const accepted = (message: string, app: Parameters<typeof summarize>[0]): { application: ReturnType<typeof summarize>; message: string } => ({ application: summarize(app), message });

export function actionRoutes(app: FastifyInstance, shared: ApiShared): void {
  const params = { params: S.appName };
  const reply202 = { response: { 202: S.accepted } };

  app.post('/api/v1/applications/:name/sync', { schema: { tags: ['actions'], summary: 'request a sync (prune, dry-run, selected resources, sync options)', ...params, body: S.syncRequest, ...reply202 } }, async (request, reply) => {
    const body = (request.body ?? {}) as SyncRequest;
    const detail = { prune: body.prune === true, dryRun: body.dryRun === true, resources: body.resources?.length ?? 0, ...(body.revision === undefined ? {} : { revision: body.revision }) };
    const patched = await audited(shared, request, { action: 'sync', rbac: 'sync', detail }, (runtime, identity, name) => requestSync({ client: runtime.client, namespace: runtime.namespace, name }, identity.name, (current) => {
      refuseSyncBlockedByWindow(runtime.store.project(projectOf(current)), current);
      return syncOperation(current, body);
    }));
    return reply.code(202).send(accepted('sync requested', patched));
  });

  app.post('/api/v1/applications/:name/refresh', { schema: { tags: ['actions'], summary: 'have the controller compare the application now (hard: render again, bypassing caches)', ...params, body: S.refreshRequest, ...reply202 } }, async (request, reply) => {
    const hard = (request.body as { type?: string } | undefined)?.type === 'hard';
    const patched = await audited(shared, request, { action: hard ? 'refresh.hard' : 'refresh', rbac: 'get' }, (runtime, _identity, name) => requestRefresh(runtime.client, runtime.namespace, name, hard));
    return reply.code(202).send(accepted(`${hard ? 'hard ' : ''}refresh requested`, patched));
  });

  app.post('/api/v1/applications/:name/rollback', { schema: { tags: ['actions'], summary: 'sync back to what a history entry deployed', ...params, body: S.rollbackRequest, ...reply202 } }, async (request, reply) => {
    const body = request.body as { id: number; prune?: boolean; dryRun?: boolean };
    const patched = await audited(shared, request, { action: 'rollback', rbac: 'sync', detail: { id: body.id } }, (runtime, identity, name) => requestSync({ client: runtime.client, namespace: runtime.namespace, name }, identity.name, (current) => rollbackOperation(current, body.id, body)));
    return reply.code(202).send(accepted(`rollback to history entry ${body.id} requested`, patched));
  });

  app.post('/api/v1/applications/:name/terminate', { schema: { tags: ['actions'], summary: 'stop the running operation (between waves)', ...params, ...reply202 } }, async (request, reply) => {
    const patched = await audited(shared, request, { action: 'terminate', rbac: 'sync' }, (runtime, _identity, name) => requestTerminate(runtime.client, runtime.namespace, name));
    return reply.code(202).send(accepted('terminating the running operation', patched));
  });

  app.delete('/api/v1/applications/:name', { schema: { tags: ['actions'], summary: 'delete the application; with cascade foreground/background the controller deletes its resources first', ...params, querystring: S.deleteQuery, response: { 202: { type: 'object', properties: { message: { type: 'string' } } } } } }, async (request, reply) => {
    const cascade = parseCascade((request.query as { cascade?: string }).cascade);
    await audited(shared, request, { action: 'delete', rbac: 'delete', detail: { cascade } }, (runtime, _identity, name) => requestDelete(runtime.client, runtime.namespace, name, cascade));
    return reply.code(202).send({ message: cascade === 'orphan' ? 'deleted; its resources stay in the cluster' : `deleting; the controller deletes its resources first (${cascade})` });
  });
}
