/**
 * `syncApplication`: bring the cluster to an application's rendered state, safely, and say exactly what happened.
 * The narrative: refuse a failed render → plan → dry-run everything (nothing is written if anything fails) →
 * namespace → phases and waves with health gates → prune → record the inventory. A failed attempt runs the
 * SyncFail hooks and is retried per `syncPolicy.retry`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../errors.js';
import type { Application } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { formatResourceKey, resourceKey, resourceKeyString } from '../model/resource.js';
import type { ChangeSet } from './changeset.js';
import type { SyncContext, SyncRunOptions } from './context.js';
import { clusterOf, createContext, settingsOf } from './context.js';
import type { InventoryEntry, InventoryLocation } from './inventory.js';
import { inventoryEntryOf, inventoryLocation, readInventory, writeInventory } from './inventory.js';
import type { SyncTask } from './plan.js';
import { planTasks } from './plan.js';
import { TERMINATED, runPhases, runSyncFailHooks } from './phases.js';
import { prune } from './prune.js';
import { retryPlan } from './retry.js';
import { optionIs, parseSyncOptions } from './sync-options.js';
import type { Validation } from './validate.js';
import { validateAll } from './validate.js';
import { excludedMessage, partitionExcluded } from '../settings/resource-filter.js';
import { withTrackingAll } from '../settings/tracking.js';

export interface SyncInput {
  readonly app: Application;
  /** The rendered resources of the application. */
  readonly objects: readonly KubeObject[];
  /** The render's outcome: a sync never starts from a failed or skipped render. */
  readonly renderStatus: 'ok' | 'error' | 'skipped';
  readonly renderMessage: string;
}

type Outcome = Pick<ChangeSet, 'outcome' | 'message'>;

function finish(context: SyncContext, outcome: Outcome, started: number, attempts: number): ChangeSet {
  return { app: context.app.metadata.name, ...outcome, entries: context.entries, dryRun: context.dryRun, attempts, durationMs: Date.now() - started };
}

async function ensureNamespace(context: SyncContext): Promise<void> {
  const namespace = context.app.spec.destination.namespace;
  if (namespace === undefined || !optionIs(context.appOptions, 'CreateNamespace', 'true') || context.dryRun) return;
  const metadata = context.app.spec.syncPolicy?.managedNamespaceMetadata;
  await context.options.client.apply({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace, ...(metadata?.labels === undefined ? {} : { labels: metadata.labels }), ...(metadata?.annotations === undefined ? {} : { annotations: metadata.annotations }) },
  });
}

function pruneEnabled(context: SyncContext): boolean {
  return context.options.prune ?? context.app.spec.syncPolicy?.automated?.prune === true;
}

interface Recorded {
  readonly location: InventoryLocation;
  readonly previous: readonly InventoryEntry[];
  readonly validation: Validation;
}

async function pruneAndRecord(tasks: readonly SyncTask[], context: SyncContext, recorded: Recorded): Promise<Outcome> {
  const { location, validation } = recorded;
  const known = new Set(recorded.previous.map(resourceKeyString));
  const previous = [...recorded.previous, ...(context.options.pruneCandidates ?? []).filter((entry) => !known.has(resourceKeyString(entry)))];
  const resources = tasks.filter((task) => task.hook.phase === undefined && task.object.metadata.name !== undefined);
  const desiredIds = new Set(resources.map((task) => resourceKeyString(resourceKey(task.object))));
  let kept = previous.filter((entry) => !desiredIds.has(resourceKeyString(entry)));
  if (kept.length > 0 && pruneEnabled(context)) {
    if (resources.length === 0 && context.app.spec.syncPolicy?.automated?.allowEmpty !== true) {
      context.say(`not pruning ${kept.length} resource(s): the desired state is empty (set syncPolicy.automated.allowEmpty to allow it)`);
    } else {
      kept = (await prune(previous, desiredIds, context)).kept;
    }
  } else if (kept.length > 0) {
    context.say(`${kept.length} resource(s) no longer desired; run with --prune to delete them: ${kept.map((entry) => formatResourceKey(entry)).join(', ')}`);
  }
  if (!context.dryRun) {
    const entries = resources.map((task) => {
      const resourceVersion = validation.resourceVersions.get(task.id);
      return inventoryEntryOf(task.object, resourceVersion === undefined ? undefined : { resourceVersion });
    });
    await writeInventory(context.options.client, location, [...entries, ...kept], { previous: recorded.previous, cachedRead: context.options.cachedRead });
  }
  return { outcome: 'Succeeded', message: '' };
}

/**
 * The objects this sync acts on: kinds argocd-cm excludes are left out (and said so, as Argo CD's
 * ExcludedResourceWarning), the rest carry the tracking label/annotation the tracking method wants.
 */
function objectsToSync(input: SyncInput, context: SyncContext): KubeObject[] {
  const settings = settingsOf(context);
  const { kept, excluded } = partitionExcluded(input.objects, settings, clusterOf(context));
  for (const object of excluded) {
    context.record({ key: resourceKey(object), action: 'skipped', message: `not applied: ${excludedMessage(object)} (argocd-cm resource.exclusions/inclusions)`, durationMs: 0 });
  }
  return withTrackingAll(kept, context.app.metadata.name, settings);
}

async function attempt(input: SyncInput, context: SyncContext): Promise<Outcome> {
  const tasks = planTasks(objectsToSync(input, context));
  const location = inventoryLocation(context.app.metadata.name, context.app.metadata.namespace);
  const previous = await readInventory(context.options.client, location, context.options.cachedRead);
  const validation = await validateAll(tasks, context, previous);
  if (validation.failures.length > 0) {
    for (const failure of validation.failures) context.record(failure);
    return { outcome: 'Failed', message: `server-side dry-run rejected ${validation.failures.length} object(s); nothing was applied` };
  }
  if (validation.conflicts.size > 0 && optionIs(context.appOptions, 'FailOnSharedResource', 'true')) {
    const shared = [...validation.conflicts].map(([id, owner]) => `${id} (tracked by "${owner}")`).join(', ');
    return { outcome: 'Failed', message: `shared resources with FailOnSharedResource=true: ${shared}; nothing was applied` };
  }
  await ensureNamespace(context);
  const phases = await runPhases(tasks, context, validation);
  if (!phases.ok) {
    await runSyncFailHooks(tasks, context, validation);
    return { outcome: 'Failed', message: phases.message };
  }
  return pruneAndRecord(tasks, context, { location, previous, validation });
}

export async function syncApplication(input: SyncInput, options: SyncRunOptions): Promise<ChangeSet> {
  const started = Date.now();
  const appOptions = parseSyncOptions(input.app.spec.syncPolicy?.syncOptions ?? []);
  if (input.renderStatus !== 'ok') {
    const context = createContext(input.app, options, appOptions);
    return finish(context, { outcome: 'Refused', message: `not syncing: the render ${input.renderStatus === 'skipped' ? 'was skipped' : 'failed'}: ${input.renderMessage}` }, started, 0);
  }
  const retry = retryPlan(input.app.spec.syncPolicy);
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    const context = createContext(input.app, options, appOptions);
    const outcome = await attempt(input, context).catch((error: unknown): Outcome => ({ outcome: 'Failed', message: options.signal?.aborted === true ? TERMINATED : describeError(error) }));
    const stopped = options.signal?.aborted === true;
    if (outcome.outcome !== 'Failed' || attemptNumber > retry.limit || context.dryRun || stopped) return finish(context, outcome, started, attemptNumber);
    const delay = retry.delayMs(attemptNumber);
    const limit = Number.isFinite(retry.limit) ? String(retry.limit + 1) : 'unlimited';
    options.onMessage?.(`attempt ${attemptNumber} failed: ${outcome.message}; retrying in ${Math.round(delay / 1000)}s at ${new Date(Date.now() + delay).toISOString()} (attempt ${attemptNumber + 1} of ${limit})`);
    const interrupted = await sleep(delay, undefined, options.signal === undefined ? {} : { signal: options.signal }).then(() => false, () => true);
    if (interrupted) return finish(context, { outcome: 'Failed', message: TERMINATED }, started, attemptNumber);
  }
}
