/**
 * The actions on an Application, written as Argo CD's API server writes them, for the controller to carry out:
 * sync and rollback set `operation` (refused while another is requested or running), refresh sets the refresh
 * annotation, terminate sets `status.operationState.phase: Terminating`, delete sets the resources finalizer that
 * matches the cascade, then deletes. Each patch carries the resourceVersion it was decided on, so a change in
 * between (the controller starting an operation) is read again and decided again, never overwritten.
 */
import { RESOURCES_FINALIZER } from '../controller/deletion.js';
import { historyEntry } from '../controller/history.js';
import { REFRESH_ANNOTATION } from '../controller/reconcile.js';
import { APPLICATION_API_VERSION } from '../controller/services.js';
import { KubeError } from '../errors.js';
import type { KubeClient } from '../kube/types.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';
import { ApiError } from './errors.js';

type Json = Readonly<Record<string, unknown>>;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export interface SyncRequest {
  readonly revision?: string;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly resources?: readonly { readonly group?: string; readonly kind: string; readonly name: string; readonly namespace?: string }[];
  readonly syncOptions?: readonly string[];
}

export type Cascade = 'foreground' | 'background' | 'orphan';

const CONFLICT_RETRIES = 5;

/** Reads the app, lets `decide` build a merge patch (or throw), writes it guarded by resourceVersion. */
export async function patchDecided(client: KubeClient, namespace: string, name: string, decide: (app: KubeObject) => Json): Promise<KubeObject> {
  const ref = { apiVersion: APPLICATION_API_VERSION, kind: 'Application', namespace, name };
  for (let attempt = 1; ; attempt += 1) {
    const app = await client.get(ref);
    if (app === undefined) throw new ApiError(404, `application "${name}" not found`);
    const patch = decide(app);
    const metadata = isPlainObject(patch.metadata) ? patch.metadata : {};
    try {
      return await client.patch(ref, { ...patch, metadata: { ...metadata, resourceVersion: app.metadata.resourceVersion } });
    } catch (error) {
      if (!(error instanceof KubeError && error.status === 409) || attempt >= CONFLICT_RETRIES) throw error;
    }
  }
}

const state = (app: KubeObject): Json => (isPlainObject(app.status) && isPlainObject(app.status.operationState) ? app.status.operationState : {});

/** 409 while an operation is requested or running. */
export function refuseWhenBusy(app: KubeObject): void {
  const phase = text(state(app).phase);
  const name = app.metadata.name ?? '';
  if (phase === 'Running' || phase === 'Terminating') throw new ApiError(409, `${name}: another operation is already in progress (${phase})`, 'wait for it to end, or terminate it');
  if (app.operation !== undefined && app.operation !== null) throw new ApiError(409, `${name}: another operation is already requested and not started yet`, 'wait for the controller to take it');
}

/** The `operation.sync.resources` entries: each selector must name one of the app's resources. */
export function selectedResources(app: KubeObject, selectors: SyncRequest['resources']): Json[] {
  const known = isPlainObject(app.status) && Array.isArray(app.status.resources) ? app.status.resources.filter(isPlainObject) : [];
  return (selectors ?? []).flatMap((selector) => {
    const group = selector.group ?? '';
    const matches = known.filter((resource) => text(resource.group) === group && text(resource.kind) === selector.kind && text(resource.name) === selector.name
      && (selector.namespace === undefined || text(resource.namespace) === selector.namespace));
    if (matches.length === 0) {
      throw new ApiError(400, `application "${app.metadata.name ?? ''}" has no resource ${group === '' ? '' : `${group}/`}${selector.kind}/${selector.namespace === undefined ? '' : `${selector.namespace}/`}${selector.name}`, 'pick resources from its managed-resources list');
    }
    return matches.map((resource) => ({ group: text(resource.group), kind: text(resource.kind), name: text(resource.name), ...(text(resource.namespace) === '' ? {} : { namespace: text(resource.namespace) }) }));
  });
}

function isMultiSource(app: KubeObject): boolean {
  return isPlainObject(app.spec) && Array.isArray(app.spec.sources);
}

export function syncOperation(app: KubeObject, request: SyncRequest): Json {
  if (request.revision !== undefined && isMultiSource(app)) throw new ApiError(400, `application "${app.metadata.name ?? ''}" has several sources: a revision cannot be given`, 'sync without a revision, or roll back to a history entry');
  const resources = selectedResources(app, request.resources);
  return {
    ...(request.revision === undefined ? {} : { revision: request.revision }),
    ...(request.prune === true ? { prune: true } : {}),
    ...(request.dryRun === true ? { dryRun: true } : {}),
    ...(resources.length === 0 ? {} : { resources }),
    ...(request.syncOptions === undefined || request.syncOptions.length === 0 ? {} : { syncOptions: [...request.syncOptions] }),
  };
}

export function rollbackOperation(app: KubeObject, id: number, options: { readonly prune?: boolean; readonly dryRun?: boolean }): Json {
  const name = app.metadata.name ?? '';
  if (isPlainObject(app.spec) && isPlainObject(app.spec.syncPolicy) && isPlainObject(app.spec.syncPolicy.automated)) {
    throw new ApiError(409, `${name}: rollback cannot be initiated when auto-sync is enabled`, 'turn off spec.syncPolicy.automated first');
  }
  const entry = historyEntry(isPlainObject(app.status) ? app.status.history : undefined, id);
  if (entry === undefined) throw new ApiError(404, `application "${name}" has no history entry ${id}`, 'see its history for the ids');
  const multi = Array.isArray(entry.revisions) || Array.isArray(entry.sources);
  const target = multi ? { revisions: entry.revisions, sources: entry.sources } : { revision: text(entry.revision), source: entry.source };
  return { ...target, ...(options.prune === true ? { prune: true } : {}), ...(options.dryRun === true ? { dryRun: true } : {}) };
}

/** Writes `operation` with the sync built by `build` (which also checks the app), refused when busy. */
export function requestSync(target: { readonly client: KubeClient; readonly namespace: string; readonly name: string }, username: string, build: (app: KubeObject) => Json): Promise<KubeObject> {
  return patchDecided(target.client, target.namespace, target.name, (app) => {
    const sync = build(app);
    refuseWhenBusy(app);
    return { operation: { sync, initiatedBy: { username } } };
  });
}

export function requestRefresh(client: KubeClient, namespace: string, name: string, hard: boolean): Promise<KubeObject> {
  return client.patch({ apiVersion: APPLICATION_API_VERSION, kind: 'Application', namespace, name }, { metadata: { annotations: { [REFRESH_ANNOTATION]: hard ? 'hard' : 'normal' } } });
}

export function requestTerminate(client: KubeClient, namespace: string, name: string): Promise<KubeObject> {
  return patchDecided(client, namespace, name, (app) => {
    const phase = text(state(app).phase);
    if (phase !== 'Running' && phase !== 'Terminating') throw new ApiError(409, `${name}: no operation is running — nothing to terminate${phase === '' ? '' : ` (the last one ${phase})`}`);
    return { status: { operationState: { phase: 'Terminating' } } };
  });
}

const RESOURCE_FINALIZERS = [RESOURCES_FINALIZER, `${RESOURCES_FINALIZER}/foreground`, `${RESOURCES_FINALIZER}/background`];

/** The finalizers for a cascade: none of the resources finalizers for orphan; the policy's own otherwise. */
export function finalizersFor(current: readonly string[], cascade: Cascade): string[] {
  const others = current.filter((finalizer) => !RESOURCE_FINALIZERS.includes(finalizer));
  if (cascade === 'orphan') return others;
  return [...others, cascade === 'background' ? `${RESOURCES_FINALIZER}/background` : RESOURCES_FINALIZER];
}

export async function requestDelete(client: KubeClient, namespace: string, name: string, cascade: Cascade): Promise<void> {
  await patchDecided(client, namespace, name, (app) => {
    const current = Array.isArray(app.metadata.finalizers) ? app.metadata.finalizers.filter((item): item is string => typeof item === 'string') : [];
    return { metadata: { finalizers: finalizersFor(current, cascade) } };
  });
  await client.delete({ apiVersion: APPLICATION_API_VERSION, kind: 'Application', namespace, name }, { propagationPolicy: 'Background' });
}

export function parseCascade(value: string | undefined): Cascade {
  if (value === undefined || value === 'true' || value === 'foreground') return 'foreground';
  if (value === 'background') return 'background';
  if (value === 'orphan' || value === 'false') return 'orphan';
  throw new ApiError(400, `cascade=${value}: expected foreground, background or orphan`);
}
