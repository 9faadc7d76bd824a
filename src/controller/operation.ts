/**
 * Operations: a sync requested by writing `operation` on the Application (by `kubectl patch`, `launchpad app sync`,
 * a rollback, or the controller's own automated sync) runs here, one per application at a time, outside the work
 * queue so a long sync never holds a processor. The narrative: record `operationState` Running → render at the
 * requested revision → check the project → `syncApplication` (the same engine as `launchpad sync`) → record the
 * result, the history entry and an Event, and remove `operation`. Because `operation` stays on the object until the
 * end, a controller that dies mid-sync runs it again after restart. Terminating stops it between waves.
 */
import { describeError } from '../errors.js';
import type { Application, ApplicationSource } from '../model/application.js';
import { applicationSources } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { groupOf } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';
import type { ChangeEntry, ChangeSet } from '../sync/changeset.js';
import { syncApplication } from '../sync/engine.js';
import { inventoryEntryOf } from '../sync/inventory.js';
import { isHook } from '../health/index.js';
import { mergePatch } from './app-status.js';
import { historyWith } from './history.js';
import { OperationProgress } from './operation-progress.js';
import type { ClusterHandle, ControllerServices } from './services.js';

export interface SyncRequest {
  readonly revision?: string;
  readonly revisions?: readonly string[];
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly syncOptions?: readonly string[];
  readonly resources?: readonly { readonly group?: string; readonly kind: string; readonly name: string; readonly namespace?: string }[];
  /** A rollback names the source(s) of a history entry. */
  readonly source?: ApplicationSource;
  readonly sources?: readonly ApplicationSource[];
}

export interface OperationRequest {
  readonly sync: SyncRequest;
  readonly initiatedBy: { readonly username?: string; readonly automated?: boolean };
}

function strings(list: unknown): string[] | undefined {
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : undefined;
}

/** `operation.sync.resources`: the resources a selective sync is limited to. */
function selectedResources(value: unknown): SyncRequest['resources'] {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isPlainObject).flatMap((item) => (typeof item.kind === 'string' && typeof item.name === 'string'
    ? [{ kind: item.kind, name: item.name, ...(typeof item.group === 'string' ? { group: item.group } : {}), ...(typeof item.namespace === 'string' ? { namespace: item.namespace } : {}) }]
    : []));
}

/** Reads `operation` as written by a user or a tool; a string says what is wrong with it. */
export function parseOperation(value: unknown): OperationRequest | string {
  if (!isPlainObject(value)) return 'operation must be an object';
  if (!isPlainObject(value.sync)) return 'only sync operations are supported (operation.sync is missing)';
  const sync = value.sync;
  const resources = selectedResources(sync.resources);
  const initiatedBy = isPlainObject(value.initiatedBy) ? value.initiatedBy : {};
  const revisions = strings(sync.revisions);
  const syncOptions = strings(sync.syncOptions);
  return {
    sync: {
      ...(typeof sync.revision === 'string' && sync.revision !== '' ? { revision: sync.revision } : {}),
      ...(revisions === undefined ? {} : { revisions }),
      ...(typeof sync.prune === 'boolean' ? { prune: sync.prune } : {}),
      ...(typeof sync.dryRun === 'boolean' ? { dryRun: sync.dryRun } : {}),
      ...(syncOptions === undefined ? {} : { syncOptions }),
      ...(resources === undefined ? {} : { resources }),
      ...(isPlainObject(sync.source) ? { source: sync.source as unknown as ApplicationSource } : {}),
      ...(Array.isArray(sync.sources) ? { sources: sync.sources as ApplicationSource[] } : {}),
    },
    initiatedBy: {
      ...(typeof initiatedBy.username === 'string' ? { username: initiatedBy.username } : {}),
      ...(initiatedBy.automated === true ? { automated: true } : {}),
    },
  };
}

function withoutRevisions(request: SyncRequest): SyncRequest {
  const copy: { -readonly [K in keyof SyncRequest]?: SyncRequest[K] } = { ...request };
  delete copy.revision;
  delete copy.revisions;
  return copy;
}

/** The Application as this operation syncs it: requested revisions and sources, extra sync options. */
export function effectiveApplication(app: Application, request: SyncRequest): Application {
  let sources: ApplicationSource[] = request.sources !== undefined ? [...request.sources] : request.source !== undefined ? [request.source] : [...applicationSources(app)];
  if (request.revisions !== undefined) sources = sources.map((source, index) => ({ ...source, targetRevision: request.revisions?.[index] ?? source.targetRevision ?? 'HEAD' }));
  else if (request.revision !== undefined && sources.length === 1) {
    const revision = request.revision;
    sources = sources.map((source) => ({ ...source, targetRevision: revision }));
  }
  const spec: Omit<Application['spec'], 'source' | 'sources'> & { source?: ApplicationSource; sources?: readonly ApplicationSource[] } = { ...app.spec };
  delete spec.source;
  delete spec.sources;
  const syncOptions = [...(app.spec.syncPolicy?.syncOptions ?? []), ...(request.syncOptions ?? [])];
  return {
    ...app,
    spec: {
      ...spec,
      ...(sources.length === 1 && app.spec.sources === undefined && sources[0] !== undefined ? { source: sources[0] } : { sources }),
      syncPolicy: { ...app.spec.syncPolicy, syncOptions },
    },
  };
}

function resultStatus(entry: ChangeEntry): string {
  switch (entry.action) {
    case 'pruned': return 'Pruned';
    case 'failed':
    case 'hook-failed': return 'SyncFailed';
    case 'skipped': return entry.message.startsWith('not pruned') ? 'PruneSkipped' : 'Synced';
    default: return 'Synced';
  }
}

/** The API versions of the desired objects by group/kind: a ChangeSet entry names group and kind only. */
function versionsOf(desired: readonly KubeObject[]): Map<string, string> {
  return new Map(desired.map((object) => [`${groupOf(object.apiVersion)}/${object.kind}`, object.apiVersion.includes('/') ? object.apiVersion.slice(object.apiVersion.indexOf('/') + 1) : object.apiVersion]));
}

/** `syncResult.resources`: one per ChangeSet entry, with Argo CD's status and the hook phase of hooks. */
function resultResources(entries: readonly ChangeEntry[], versions: ReadonlyMap<string, string>): Record<string, unknown>[] {
  return entries.map((entry) => ({
    group: entry.key.group, version: versions.get(`${entry.key.group}/${entry.key.kind}`) ?? '', kind: entry.key.kind, namespace: entry.key.namespace, name: entry.key.name,
    status: resultStatus(entry), message: entry.message === '' ? entry.action : entry.message,
    ...(entry.phase === undefined ? {} : { syncPhase: entry.phase }),
    ...(entry.action.startsWith('hook-') ? { hookPhase: entry.action === 'hook-succeeded' ? 'Succeeded' : 'Failed' } : {}),
  }));
}

/**
 * `syncResult` as Argo CD writes it: the sources as the Application (or the operation) names them — `HEAD`, not the
 * commit — with the revisions beside them. Automation compares these with the app's spec to decide "already synced";
 * recording the resolved commit as targetRevision would make every later drift look like a new revision.
 */
function syncResultOf(changeSet: ChangeSet, target: { readonly app: Application; readonly request: SyncRequest }, revisions: readonly string[], desired: readonly KubeObject[]): Record<string, unknown> {
  const { app, request } = target;
  const resources = resultResources(changeSet.entries, versionsOf(desired));
  const sources = request.sources ?? (request.source === undefined ? applicationSources(app) : [request.source]);
  return app.spec.sources === undefined
    ? { resources, revision: revisions[0] ?? '', source: sources[0] ?? {} }
    : { resources, revisions, sources };
}

interface Outcome {
  readonly state: Record<string, unknown>;
  readonly succeeded: boolean;
  readonly app: Application;
  readonly revisions: string[];
}

interface Running {
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

export interface StartRequest {
  readonly object: KubeObject;
  readonly app: Application;
  readonly request: OperationRequest;
  readonly cluster: ClusterHandle;
  /** Why the project refuses some rendered resource, or undefined. */
  readonly refuse: (objects: readonly KubeObject[]) => Promise<string | undefined>;
}

const REPLACE = Symbol('replace operationState');

/** Kubernetes resourceVersions are etcd revisions in practice: compared as numbers when they are, else never older. */
function olderThan(version: unknown, than: string): boolean {
  if (typeof version !== 'string' || !/^\d+$/.test(version) || !/^\d+$/.test(than)) return false;
  return BigInt(version) < BigInt(than);
}

export class OperationRunner {
  private readonly running = new Map<string, Running>();
  /** Per app, the resourceVersion of the Application right after this runner ended its last operation. */
  private readonly finished = new Map<string, string>();
  private draining = false;

  constructor(private readonly services: ControllerServices) {}

  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  /**
   * Whether `object` predates the end of the operation this runner last finished for it: the informer can hand a
   * reconcile the Application as it was before the end was written, `operation` still on it — that operation is
   * done and must not run twice.
   */
  isStale(object: KubeObject): boolean {
    const finished = this.finished.get(object.metadata.name ?? '');
    return finished !== undefined && olderThan(object.metadata.resourceVersion, finished);
  }

  count(): number {
    return this.running.size;
  }

  /** Starts the operation unless one runs for this application already. */
  start(request: StartRequest): void {
    const name = request.app.metadata.name;
    if (this.running.has(name)) return;
    const abort = new AbortController();
    const done = this.run(request, abort.signal)
      .catch((error: unknown) => {
        this.services.log.error({ app: name }, `operation failed unexpectedly: ${describeError(error)}`);
      })
      .finally(() => {
        this.running.delete(name);
        // The status that says "Synced at <revision>" is what a user or a CI job waits for: it does not queue behind
        // a thousand other apps' refreshes.
        this.services.enqueueFirst(name);
      });
    this.running.set(name, { abort, done });
  }

  /** Stops the application's operation between waves; false when none runs here. */
  terminate(name: string): boolean {
    const running = this.running.get(name);
    running?.abort.abort();
    return running !== undefined;
  }

  /** Stops every operation between waves and waits for them to record their end (SIGTERM drain). */
  async drain(): Promise<void> {
    this.draining = true;
    for (const running of this.running.values()) running.abort.abort();
    await Promise.all([...this.running.values()].map((running) => running.done));
  }

  /**
   * Writes `operationState`. The start and the end replace it whole — a JSON patch, since a merge patch would merge
   * the new state into whatever the object holds (an earlier operation's fields would survive) — so the result never
   * depends on how stale the object in hand is. Progress messages merge only what changed. `extra` (removing
   * `operation`, the history) follows in a merge patch once the state is written.
   */
  private async patchState(object: KubeObject, previous: unknown, next: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<KubeObject | undefined> {
    if (!this.services.writesAllowed()) return undefined;
    const ref = { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace ?? this.services.namespace, name: object.metadata.name ?? '' };
    let written: KubeObject | undefined;
    if (previous === REPLACE) {
      written = await this.services.client.patch(ref, [{ op: 'add', path: '/status/operationState', value: next }], { type: 'json' })
        // No `status` yet: nothing to merge with, so a merge patch is exact.
        .catch(() => this.services.client.patch(ref, { status: { operationState: next } }));
    } else {
      const change = mergePatch(previous, next);
      if (change !== undefined) written = await this.services.client.patch(ref, { status: { operationState: change } });
    }
    if (Object.keys(extra).length > 0) written = await this.services.client.patch(ref, extra);
    return written;
  }

  private async run(start: StartRequest, signal: AbortSignal): Promise<void> {
    const { object, app, request } = start;
    const name = app.metadata.name;
    const operation = { sync: request.sync, initiatedBy: request.initiatedBy };
    const running: Record<string, unknown> = { operation, phase: 'Running', message: 'sync started', startedAt: new Date().toISOString() };
    await this.patchState(object, REPLACE, running);
    this.services.event(object, 'OperationStarted', `${request.initiatedBy.automated === true ? 'Initiated automated sync' : 'Sync operation started'}${request.sync.revision === undefined ? '' : ` to ${request.sync.revision}`}`);
    this.services.log.info({ app: name, phase: 'Running' }, 'sync operation started');
    const started = Date.now();
    const outcome = await this.execute(start, signal, running);
    if (this.draining) {
      // Stopped between waves by a drain: `operation` stays on the object, so the next controller runs it again.
      this.services.log.info({ app: name }, 'sync operation left for the next controller (draining)');
      return;
    }
    await this.finish(start, running, { ...outcome, startedMs: started });
  }

  /** Records the end: operationState, the history entry, `operation` removed — one patch — then metrics and an Event. */
  private async finish(start: StartRequest, running: Record<string, unknown>, outcome: Outcome & { readonly startedMs: number }): Promise<void> {
    const { object, app, request } = start;
    const name = app.metadata.name;
    const status = isPlainObject(object.status) ? object.status : {};
    const finished: Record<string, unknown> = { ...running, ...outcome.state, finishedAt: new Date().toISOString() };
    // History records full syncs only (a selective or dry-run sync is not a deployment of the revision), as Argo CD.
    const full = request.sync.dryRun !== true && (request.sync.resources === undefined || request.sync.resources.length === 0);
    const history = outcome.succeeded && full ? historyWith(status.history, { app: outcome.app, revisions: outcome.revisions, startedAt: String(running.startedAt), initiatedBy: request.initiatedBy }) : undefined;
    const written = await this.patchState({ ...object }, REPLACE, finished, { operation: null, ...(history === undefined ? {} : { status: { history } }) });
    const version = written?.metadata.resourceVersion;
    if (typeof version === 'string') this.finished.set(name, version);
    const phase = String(finished.phase);
    this.services.metrics.syncTotal.inc({ name, namespace: object.metadata.namespace ?? '', project: app.spec.project, phase });
    this.services.metrics.syncSeconds.observe({ phase }, (Date.now() - outcome.startedMs) / 1000);
    this.services.event(object, 'OperationCompleted', `Sync operation to ${outcome.revisions.join(', ') || 'the target revision'} ${phase === 'Succeeded' ? 'succeeded' : `${phase.toLowerCase()}: ${String(finished.message)}`}`, phase === 'Succeeded' ? 'Normal' : 'Warning');
    this.services.log.info({ app: name, phase, revision: outcome.revisions.join(',') }, `sync operation ${phase.toLowerCase()}${phase === 'Succeeded' ? '' : `: ${String(finished.message)}`}`);
  }

  /**
   * Renders what the operation syncs. A request for the revisions the app's own targets resolve to right now (what
   * automated syncs ask for) renders the app as it is — a render-cache hit after the reconcile that decided to sync —
   * and only a different revision (a branch moved meanwhile, a rollback, `--revision`) renders at that revision.
   */
  private async renderFor(start: StartRequest): Promise<{ app: Application; rendered: Awaited<ReturnType<ControllerServices['render']>> }> {
    const { sync } = start.request;
    const wanted = sync.revisions ?? (sync.revision === undefined ? undefined : [sync.revision]);
    if (sync.source === undefined && sync.sources === undefined && wanted !== undefined) {
      const asIs = effectiveApplication(start.app, withoutRevisions(sync));
      const rendered = await this.services.render(asIs, { hard: false });
      if (rendered.sources.map((source) => source.resolvedRevision).join(',') === wanted.join(',')) return { app: effectiveApplication(start.app, sync), rendered };
    }
    const app = effectiveApplication(start.app, sync);
    return { app, rendered: await this.services.render(app, { hard: false }) };
  }

  /**
   * Progress on the object while the sync runs: the message and the resources applied so far, each write merged
   * into what the previous one left (the final state replaces it all).
   */
  private progressFor(object: KubeObject, running: Record<string, unknown>, versions: ReadonlyMap<string, string>): OperationProgress {
    let written: Record<string, unknown> = running;
    return new OperationProgress({
      write: async ({ message, entries }) => {
        const next = { ...running, message, syncResult: { resources: resultResources(entries, versions) } };
        await this.patchState(object, written, next);
        written = next;
      },
    });
  }

  private async execute(start: StartRequest, signal: AbortSignal, running: Record<string, unknown>): Promise<Outcome> {
    const { app, rendered } = await this.renderFor(start);
    const revisions = rendered.sources.map((source) => source.resolvedRevision);
    if (rendered.status !== 'ok') return { state: { phase: 'Error', message: `rendering failed, nothing was synced: ${rendered.message}` }, succeeded: false, app, revisions };
    const refused = await start.refuse(rendered.resources);
    if (refused !== undefined) return { state: { phase: 'Failed', message: refused }, succeeded: false, app, revisions };
    const selected = start.request.sync.resources;
    const objects = selected === undefined || selected.length === 0 ? rendered.resources : rendered.resources.filter((object) => selected.some((item) =>
      // An entry without a namespace selects the object in any namespace, as Argo CD does.
      item.kind === object.kind && item.name === object.metadata.name && (item.group ?? '') === groupOf(object.apiVersion) && (item.namespace === undefined || item.namespace === '' || item.namespace === (object.metadata.namespace ?? ''))));
    const progress = this.progressFor(start.object, running, versionsOf(objects));
    const changeSet = await syncApplication({ app, objects, renderStatus: 'ok', renderMessage: '' }, {
      client: start.cluster.client,
      pruneCandidates: start.cluster.cache.managedBy(app.metadata.name).filter((live) => !isHook(live)).map((live) => inventoryEntryOf(live)),
      ...(this.services.settings === undefined ? {} : { settings: this.services.settings() }),
      cluster: start.cluster.server,
      // A selective sync never prunes what it did not select (as Argo CD).
      prune: selected !== undefined && selected.length > 0 ? false : (start.request.sync.prune ?? app.spec.syncPolicy?.automated?.prune === true),
      dryRun: start.request.sync.dryRun === true,
      assessHealth: this.services.assessHealth,
      // A controller answers faster than the CLI's one-second polls: health is checked four times a second.
      pollMs: 250,
      // As Argo CD: the operation succeeds once the last wave is applied (health gates only the waves before it, and
      // hooks); the app's health is then reported by the next reconcile. `launchpad sync` waits, like `argocd app sync`.
      waitLastWave: false,
      cachedRead: (ref) => (start.cluster.cache.isWatched(ref.apiVersion, ref.kind) ? { object: start.cluster.cache.get(ref) } : undefined),
      signal,
      onMessage: (message) => { progress.say(message); },
      onProgress: (event) => { progress.progress(event); },
      onWaiting: (pending) => { progress.waiting(pending); },
    }).finally(() => progress.close());
    const phase = changeSet.outcome === 'Succeeded' ? 'Succeeded' : 'Failed';
    return {
      state: { phase, message: changeSet.message === '' ? 'successfully synced (all tasks run)' : changeSet.message, syncResult: syncResultOf(changeSet, { app: start.app, request: start.request.sync }, revisions, objects), retryCount: Math.max(0, changeSet.attempts - 1) },
      succeeded: phase === 'Succeeded',
      app,
      revisions,
    };
  }
}
