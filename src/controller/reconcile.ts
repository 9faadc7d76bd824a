/**
 * One reconcile of one application, as a narrative: read and validate the Application → deletion (finalizer) →
 * project → destination cluster → operation requested or terminated → render → resources the project permits →
 * compare with the live cache → write the status fields that changed → clear the refresh annotation → decide on
 * automated sync and self-heal. Every failure becomes a condition on this application alone; a failed render keeps
 * the last known state and never leads to a prune. The project's sync windows hold back automated syncs and
 * requested operations (which wait, Running, as in Argo CD) until they allow them; the app is queued again for the
 * moment a window opens or closes.
 */
import { describeError } from '../errors.js';
import type { Application } from '../model/application.js';
import { applicationSources } from '../model/application.js';
import { describeAs } from '../model/describe.js';
import { normalizeApplication } from '../model/normalize.js';
import type { KubeObject } from '../model/resource.js';
import { validateApplication } from '../model/validate-application.js';
import { isPlainObject } from '../model/values.js';
import type { AppRenderResult } from '../render/app.js';
import type { Condition, ReconciledState } from './app-status.js';
import { reconciledStatus, statusPatch } from './app-status.js';
import { autoSyncDecision } from './automation.js';
import { compareApplication } from './compare.js';
import { DEFAULT_ARGOCD_SETTINGS } from '../model/argocd-cm.js';
import { isExcludedObject } from '../settings/resource-filter.js';
import type { Comparison } from './compare.js';
import { handleDeletion } from './deletion.js';
import type { OperationRunner } from './operation.js';
import { parseOperation } from './operation.js';
import type { ProjectGate } from './project-gate.js';
import { OPERATION_BLOCKED, syncWindowVerdict } from './sync-windows.js';
import type { SyncWindowQuery, SyncWindowVerdict } from './sync-windows.js';
import type { ClusterHandle, ControllerServices } from './services.js';

const CACHED_FOR_SYNC = [{ apiVersion: 'v1', kind: 'Namespace' }, { apiVersion: 'v1', kind: 'ConfigMap' }] as const;

export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';

export interface ReconcileDeps {
  readonly services: ControllerServices;
  readonly runner: OperationRunner;
  readonly projects: ProjectGate;
  /** Per application: earlier comparisons, reused when neither side changed. */
  readonly memory: Map<string, Map<string, { readonly key: string; readonly status: 'Synced' | 'OutOfSync' | 'Unknown' }>>;
  readonly selfHealTimeoutMs: number;
}

export interface ReconcileResult {
  /** Reconcile again after this long (self-heal timeout not reached yet, deletion in progress). */
  readonly requeueAfterMs?: number;
}

interface Context {
  readonly deps: ReconcileDeps;
  readonly object: KubeObject;
  readonly status: Readonly<Record<string, unknown>>;
  readonly name: string;
}

function refOf(object: KubeObject, namespace: string): { apiVersion: string; kind: string; namespace: string; name: string } {
  return { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace ?? namespace, name: object.metadata.name ?? '' };
}

async function writeStatus(context: Context, state: ReconciledState): Promise<void> {
  const { services } = context.deps;
  const next = reconciledStatus(state, context.status, new Date().toISOString());
  const patch = statusPatch(context.status, next);
  services.metrics.setAppInfo({
    name: context.name, namespace: context.object.metadata.namespace ?? services.namespace, project: projectOf(context.object),
    syncStatus: state.sync, healthStatus: state.health.status, destServer: state.destination.server ?? state.destination.name ?? '',
  });
  if (patch === undefined || !services.writesAllowed()) return;
  await services.client.patch(refOf(context.object, services.namespace), { status: patch });
}

function projectOf(object: KubeObject): string {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  return typeof spec.project === 'string' && spec.project !== '' ? spec.project : 'default';
}

/** The state to show when the application cannot be compared: previous resources kept, sync Unknown. */
function unknownState(context: Context, app: Application | undefined, conditions: readonly Condition[]): ReconciledState {
  const resources = Array.isArray(context.status.resources) ? (context.status.resources as ReconciledState['resources']) : [];
  const sources = app === undefined ? [] : applicationSources(app);
  return {
    sync: 'Unknown', revisions: sources.map(() => ''), sources, multiSource: app?.spec.sources !== undefined,
    destination: app?.spec.destination ?? {}, health: { status: 'Unknown', message: conditions[0]?.message ?? '' }, resources,
    images: [], conditions, sourceTypes: [],
  };
}

function validated(object: KubeObject): { readonly app?: Application; readonly errors: readonly string[] } {
  const result = validateApplication(object, describeAs(`Application ${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`));
  if (!result.ok) return { errors: result.errors.map((error) => error.message) };
  const normalized = normalizeApplication(result.value) as Application;
  // Normalising lists every source in `sources`; status (revision vs revisions) must follow what the user wrote.
  const written = isPlainObject(object.spec) && Array.isArray(object.spec.sources);
  if (written) return { app: normalized, errors: [] };
  const { sources, ...spec } = normalized.spec;
  return { app: { ...normalized, spec: { ...spec, ...(sources?.[0] === undefined ? {} : { source: sources[0] }) } }, errors: [] };
}

function windowsFor(context: Context, app: Application, query: SyncWindowQuery): SyncWindowVerdict | undefined {
  const project = context.deps.projects.projectOf(app);
  return project === undefined ? undefined : syncWindowVerdict(project, app, query);
}

/** Queues the app again when its sync windows next change, so what they hold back is not left for the next resync. */
function recheckAt(context: Context, at: number | undefined, now: number): void {
  if (at !== undefined) context.deps.services.enqueue(context.name, Math.max(1_000, at - now));
}

/**
 * Whether the project's sync windows hold back the requested operation. As in Argo CD the operation is not failed:
 * it stays Running with a message saying why, and starts once a window allows it (or is terminated).
 */
async function heldBySyncWindow(context: Context, app: Application, manual: boolean): Promise<boolean> {
  const { services } = context.deps;
  const state = isPlainObject(context.status.operationState) ? context.status.operationState : {};
  const waiting = state.phase === 'Running' && typeof state.message === 'string' && state.message.startsWith(OPERATION_BLOCKED);
  const startedAt = waiting && typeof state.startedAt === 'string' ? Date.parse(state.startedAt) : Number.NaN;
  const now = Date.now();
  const verdict = windowsFor(context, app, { manual, now, ...(Number.isFinite(startedAt) ? { operationStartedAt: startedAt } : {}) });
  if (verdict === undefined || verdict.canSync) return false;
  recheckAt(context, verdict.nextChangeAt, now);
  const message = verdict.problems.length === 0 ? OPERATION_BLOCKED : `${OPERATION_BLOCKED}: ${verdict.problems.join('; ')}`;
  if (waiting && state.message === message) return true;
  services.log.info({ app: context.name, manual }, message);
  if (!services.writesAllowed()) return true;
  const next = { operation: context.object.operation, phase: 'Running', message, startedAt: waiting && typeof state.startedAt === 'string' ? state.startedAt : new Date(now).toISOString() };
  const ref = refOf(context.object, services.namespace);
  // Replaced whole, as the runner does: a merge would keep an earlier operation's result beside this one.
  await services.client.patch(ref, [{ op: 'add', path: '/status/operationState', value: next }], { type: 'json' })
    .catch(() => services.client.patch(ref, { status: { operationState: next } }));
  return true;
}

/** A requested operation is started; a Terminating one is stopped (or closed, when no process runs it any more). */
async function handleOperation(context: Context, app: Application, cluster: ClusterHandle): Promise<void> {
  const { deps, object } = context;
  const state = isPlainObject(context.status.operationState) ? context.status.operationState : {};
  if (state.phase === 'Terminating' && !deps.runner.terminate(context.name) && deps.services.writesAllowed()) {
    await deps.services.client.patch(refOf(object, deps.services.namespace), { operation: null, status: { operationState: { phase: 'Failed', message: 'operation terminated', finishedAt: new Date().toISOString() } } });
    return;
  }
  if (object.operation === undefined || object.operation === null || deps.runner.isRunning(context.name) || state.phase === 'Terminating' || deps.runner.isStale(object)) return;
  const request = parseOperation(object.operation);
  if (typeof request === 'string') {
    if (deps.services.writesAllowed()) await deps.services.client.patch(refOf(object, deps.services.namespace), { operation: null, status: { operationState: { phase: 'Error', message: request, finishedAt: new Date().toISOString() } } });
    return;
  }
  if (await heldBySyncWindow(context, app, request.initiatedBy.automated !== true)) return;
  deps.runner.start({ object, app, request, cluster, refuse: (objects) => deps.projects.refuseResources(app, objects, cluster) });
}

function stateOf(app: Application, rendered: AppRenderResult, comparison: Comparison, conditions: readonly Condition[]): ReconciledState {
  return {
    sync: comparison.sync, revisions: rendered.sources.map((source) => source.resolvedRevision), sources: applicationSources(app),
    multiSource: app.spec.sources !== undefined, destination: app.spec.destination, health: comparison.health, resources: comparison.resources,
    images: comparison.images, conditions, sourceTypes: rendered.sources.filter((source) => source.type !== 'ref').map((source) => source.type.replace(/^./, (first) => first.toUpperCase())),
  };
}

function comparisonConditions(comparison: Comparison, operationState: unknown, orphans: readonly string[]): Condition[] {
  const conditions: Condition[] = [];
  if (comparison.errors.length > 0) conditions.push({ type: 'ComparisonError', message: comparison.errors.join('; ') });
  if (comparison.shared.length > 0) conditions.push({ type: 'SharedResourceWarning', message: comparison.shared.join('; ') });
  if (comparison.excluded.length > 0) conditions.push({ type: 'ExcludedResourceWarning', message: comparison.excluded.join('; ') });
  if (orphans.length > 0) conditions.push({ type: 'OrphanedResourceWarning', message: `Application has ${orphans.length} orphaned resources: ${orphans.slice(0, 10).join(', ')}${orphans.length > 10 ? ', …' : ''}` });
  const state = isPlainObject(operationState) ? operationState : {};
  if ((state.phase === 'Failed' || state.phase === 'Error') && typeof state.message === 'string') conditions.push({ type: 'SyncError', message: state.message });
  return conditions;
}

async function startAutoSync(context: Context, target: { readonly app: Application; readonly cluster: ClusterHandle }, revisions: readonly string[], selfHeal: boolean): Promise<void> {
  const { app, cluster } = target;
  const { services, runner, projects } = context.deps;
  if (!services.writesAllowed()) return;
  const sync = app.spec.sources === undefined
    ? { revision: revisions[0] ?? '', prune: app.spec.syncPolicy?.automated?.prune === true }
    : { revisions, prune: app.spec.syncPolicy?.automated?.prune === true };
  services.log.info({ app: context.name, revision: revisions.join(','), selfHeal }, selfHeal ? 'self-healing drift' : 'starting automated sync');
  // Written on the object first, so a controller that dies before the sync ends runs it again after restart.
  const operation = { sync, initiatedBy: { automated: true } };
  await services.client.patch(refOf(context.object, services.namespace), { operation });
  // Started here rather than when the watch brings the patched object back: the sync does not queue behind every
  // other application's reconcile.
  runner.start({ object: { ...context.object, operation }, app, request: operation, cluster, refuse: (objects) => projects.refuseResources(app, objects, cluster) });
}

async function compareAndDecide(context: Context, app: Application, cluster: ClusterHandle, hard: boolean): Promise<ReconcileResult> {
  const { deps } = context;
  const { services } = deps;
  const rendered = await services.render(app, { hard });
  if (rendered.status !== 'ok') {
    await writeStatus(context, unknownState(context, app, [{ type: 'ComparisonError', message: `rendering failed: ${rendered.message}` }]));
    return {};
  }
  const refused = await deps.projects.refuseResources(app, rendered.resources, cluster);
  if (refused !== undefined) {
    await writeStatus(context, unknownState(context, app, [{ type: 'InvalidSpecError', message: refused }]));
    return {};
  }
  // Namespaces and ConfigMaps (the sync inventory) always: a sync then reads both from the cache, not the API server.
  const kinds = [...rendered.resources, ...previousKinds(context.status), ...CACHED_FOR_SYNC].map((object) => ({ apiVersion: object.apiVersion, kind: object.kind }));
  const settings = services.settings?.() ?? DEFAULT_ARGOCD_SETTINGS;
  // Kinds argocd-cm excludes are never watched (Argo CD does not see them at all).
  await cluster.cache.ensureKinds(dedupeKinds(kinds.filter((kind) => !isExcludedObject(settings, kind, cluster.server)))).catch(() => undefined);
  const memory = deps.memory.get(context.name) ?? new Map<string, { key: string; status: 'Synced' | 'OutOfSync' | 'Unknown' }>();
  deps.memory.set(context.name, memory);
  const comparison = await compareApplication({ app, desired: rendered.resources, cache: cluster.cache, client: cluster.client, assessHealth: services.assessHealth, memory, settings, cluster: cluster.server });
  const orphans = deps.projects.orphans(app, cluster);
  const now = Date.now();
  const windows = windowsFor(context, app, { manual: false, now });
  const conditions = comparisonConditions(comparison, context.status.operationState, orphans);
  // A window that cannot be parsed blocks syncs; the condition says which field to fix.
  if (windows !== undefined && windows.problems.length > 0) conditions.push({ type: 'InvalidSpecError', message: windows.problems.join('; ') });
  const state = stateOf(app, rendered, comparison, conditions);
  await writeStatus(context, state);
  const decision = autoSyncDecision({
    app, sync: comparison.sync, resources: comparison.resources, revisions: state.revisions, desiredCount: rendered.resources.length,
    operationState: context.status.operationState, operationRunning: deps.runner.isRunning(context.name) || context.object.operation !== undefined,
    now, selfHealTimeoutMs: deps.selfHealTimeoutMs,
    ...(windows === undefined || windows.assigned.length + windows.problems.length === 0 ? {} : { syncWindows: windows }),
  });
  if (decision.action === 'sync') await startAutoSync(context, { app, cluster }, state.revisions, decision.selfHeal);
  if (decision.action === 'blocked') {
    deps.services.log.info({ app: context.name, reason: decision.reason }, 'Sync prevented by sync window');
    if (decision.recheckAfterMs !== undefined) deps.services.enqueue(context.name, decision.recheckAfterMs);
  }
  if (decision.action === 'wait') return { requeueAfterMs: decision.delayMs };
  return {};
}

/** Kinds of the resources the status listed last time: objects to find again (and to prune) after a restart. */
function previousKinds(status: Readonly<Record<string, unknown>>): { apiVersion: string; kind: string }[] {
  if (!Array.isArray(status.resources)) return [];
  return status.resources.filter(isPlainObject).flatMap((entry) => (typeof entry.kind === 'string' && typeof entry.version === 'string'
    ? [{ apiVersion: typeof entry.group === 'string' && entry.group !== '' ? `${entry.group}/${entry.version}` : entry.version, kind: entry.kind }]
    : []));
}

function dedupeKinds(kinds: readonly { apiVersion: string; kind: string }[]): { apiVersion: string; kind: string }[] {
  const seen = new Map<string, { apiVersion: string; kind: string }>();
  for (const kind of kinds) {
    const group = kind.apiVersion.includes('/') ? kind.apiVersion.slice(0, kind.apiVersion.indexOf('/')) : '';
    if (!seen.has(`${group}/${kind.kind}`)) seen.set(`${group}/${kind.kind}`, kind);
  }
  return [...seen.values()];
}

async function clearRefresh(context: Context): Promise<void> {
  if (context.object.metadata.annotations?.[REFRESH_ANNOTATION] === undefined || !context.deps.services.writesAllowed()) return;
  await context.deps.services.client.patch(refOf(context.object, context.deps.services.namespace), { metadata: { annotations: { [REFRESH_ANNOTATION]: null } } });
}

export { previousKinds };

export async function reconcileApplication(deps: ReconcileDeps, object: KubeObject): Promise<ReconcileResult> {
  const status = isPlainObject(object.status) ? object.status : {};
  const context: Context = { deps, object, status, name: object.metadata.name ?? '' };
  if (object.metadata.deletionTimestamp !== undefined && object.metadata.deletionTimestamp !== null) return handleDeletion(deps.services, object);
  const { app, errors } = validated(object);
  if (app === undefined) {
    await writeStatus(context, unknownState(context, undefined, [{ type: 'InvalidSpecError', message: errors.join('; ') }]));
    return {};
  }
  // The destination first, as Argo CD: an unknown cluster is named as such, not as a project refusal.
  const cluster = await deps.services.clusterFor(app.spec.destination);
  if ('error' in cluster) {
    await writeStatus(context, unknownState(context, app, [{ type: 'InvalidSpecError', message: cluster.error }]));
    return {};
  }
  const invalid = deps.projects.refuseApplication(app);
  if (invalid !== undefined) {
    await writeStatus(context, unknownState(context, app, [{ type: 'InvalidSpecError', message: invalid }]));
    return {};
  }
  try {
    await handleOperation(context, app, cluster);
    const refresh = context.object.metadata.annotations?.[REFRESH_ANNOTATION];
    // An explicit refresh resolves branches again (a new commit shows now, not at the next resync).
    if (refresh !== undefined) deps.services.renewSources();
    const result = await compareAndDecide(context, app, cluster, refresh === 'hard');
    // Removed only once the new status is written, so "annotation gone" means "refreshed" to whoever set it.
    await clearRefresh(context);
    return result;
  } catch (error) {
    await writeStatus(context, unknownState(context, app, [{ type: 'ComparisonError', message: describeError(error) }])).catch(() => undefined);
    throw error;
  }
}
