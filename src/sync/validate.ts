/**
 * Before the first write, every object is dry-run on the server (schema, admission webhooks, quota, unknown kinds).
 * If any fails, nothing is applied. Objects that cannot be validated yet because this very sync creates what they
 * need — the CustomResourceDefinition of their kind, or their namespace — are deferred: dry-run right before their
 * own wave applies. Live objects are read here too, for ownership and "unchanged" decisions.
 */
import { respectIgnoreDifferences } from '../diff/index.js';
import { describeError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';
import { formatResourceKey, groupOf, resourceKey, resourceKeyString } from '../model/resource.js';
import type { KubeClient } from '../kube/types.js';
import { createLimiter } from '../render/limit.js';
import { ignoreRulesFor } from '../settings/compare-settings.js';
import { DEFAULT_TRACKING, appOfTrackingAnnotation, managingAppOf } from '../settings/tracking.js';
import type { Tracking } from '../settings/tracking.js';
import type { ChangeEntry } from './changeset.js';
import type { SyncContext } from './context.js';
import { settingsOf } from './context.js';
import type { InventoryEntry } from './inventory.js';
import { desiredHash } from './inventory.js';
import { liveLookup } from './live-lookup.js';
import type { SyncTask } from './plan.js';
import { optionIs, resourceSyncOptions } from './sync-options.js';

export interface Validation {
  readonly live: Map<string, KubeObject | undefined>;
  /** Objects known unchanged on both sides since the last apply (inventory hash + resourceVersion match). */
  readonly unchanged: Set<string>;
  /** resourceVersion each object has after this sync (written or found unchanged), for the inventory. */
  readonly resourceVersions: Map<string, string>;
  readonly dryRun: Map<string, KubeObject>;
  readonly deferred: Set<string>;
  readonly failures: ChangeEntry[];
  /** Objects tracked by another application: id → that application. */
  readonly conflicts: Map<string, string>;
}

/**
 * The application a live object is tracked by: its tracking annotation, or with argocd-cm's `label` tracking method
 * its instance label.
 */
export function trackedBy(object: KubeObject | undefined, tracking: Tracking = DEFAULT_TRACKING): string | undefined {
  if (object === undefined) return undefined;
  return tracking.trackingMethod === 'label' ? managingAppOf(object, tracking) : appOfTrackingAnnotation(object);
}

/** `group/Kind` of kinds defined by CRDs among the tasks. */
function kindsDefinedBy(tasks: readonly SyncTask[]): Set<string> {
  const kinds = new Set<string>();
  for (const { object } of tasks) {
    if (object.kind !== 'CustomResourceDefinition') continue;
    const spec = object.spec as { group?: string; names?: { kind?: string } } | undefined;
    if (spec?.group !== undefined && spec.names?.kind !== undefined) kinds.add(`${spec.group}/${spec.names.kind}`);
  }
  return kinds;
}

function namespacesCreatedBy(tasks: readonly SyncTask[], context: SyncContext): Set<string> {
  const names = new Set(tasks.filter((task) => task.object.kind === 'Namespace' && groupOf(task.object.apiVersion) === '').map((task) => task.object.metadata.name ?? ''));
  const destination = context.app.spec.destination.namespace;
  if (destination !== undefined && optionIs(context.appOptions, 'CreateNamespace', 'true')) names.add(destination);
  return names;
}

/**
 * The object as it will be written: with `RespectIgnoreDifferences=true`, the live values of ignored fields are kept
 * (so a sync does not revert, say, replicas an autoscaler owns).
 */
export async function objectToWrite(task: SyncTask, live: KubeObject | undefined, context: SyncContext): Promise<KubeObject> {
  const options = resourceSyncOptions(task.object, context.appOptions);
  if (!optionIs(options, 'RespectIgnoreDifferences', 'true')) return task.object;
  return respectIgnoreDifferences(task.object, live, ignoreRulesFor(context.app.spec.ignoreDifferences, settingsOf(context)));
}

/** Dry-runs one object the way it will be written. */
export async function dryRunWrite(client: KubeClient, task: SyncTask, context: SyncContext, live?: KubeObject): Promise<KubeObject> {
  const options = resourceSyncOptions(task.object, context.appOptions);
  const object = await objectToWrite(task, live, context);
  if (object.metadata.name === undefined) return client.create(object, { dryRun: true });
  if (optionIs(options, 'Replace', 'true')) return client.replace(object, { dryRun: true });
  return client.apply(object, { dryRun: true });
}

/** Adds what to do for the rejections users meet most. */
function withHint(message: string): string {
  const missingNamespace = /namespaces "([^"]+)" not found/.exec(message);
  if (missingNamespace !== null && !message.includes(' — ')) {
    return `${message} — create namespace "${missingNamespace[1] ?? ''}" first: set syncOptions CreateNamespace=true, or sync the application that creates it (an earlier wave of the root)`;
  }
  return message;
}

interface Check {
  readonly inventory: ReadonlyMap<string, InventoryEntry>;
  readonly lookupLive: (object: KubeObject) => Promise<KubeObject | undefined>;
  readonly crdKinds: Set<string>;
  readonly newNamespaces: Set<string>;
  readonly namespaceExists: (name: string) => Promise<boolean>;
}

/** Nothing changed on either side since the last apply: same desired object, same live resourceVersion. */
function unchangedSinceLastApply(task: SyncTask, live: KubeObject | undefined, recorded: InventoryEntry | undefined): boolean {
  if (task.hook.phase !== undefined || recorded?.resourceVersion === undefined) return false;
  return live?.metadata.resourceVersion === recorded.resourceVersion && recorded.desiredHash === desiredHash(task.object);
}

async function validateTask(task: SyncTask, context: SyncContext, check: Check, into: Validation): Promise<void> {
  const { client } = context.options;
  const { object } = task;
  const label = formatResourceKey(resourceKey(object));
  const info = await client.resourceFor(object.apiVersion, object.kind);
  if (info === undefined) {
    if (check.crdKinds.has(`${groupOf(object.apiVersion)}/${object.kind}`)) into.deferred.add(task.id);
    else into.failures.push({ key: resourceKey(object), action: 'failed', durationMs: 0, message: `${label}: the server does not know kind ${object.kind} in ${object.apiVersion} — install its CustomResourceDefinition first (or add it to this application) or fix apiVersion` });
    return;
  }
  const namespace = object.metadata.namespace;
  if (info.namespaced && namespace !== undefined && check.newNamespaces.has(namespace) && !(await check.namespaceExists(namespace))) {
    into.deferred.add(task.id);
    return;
  }
  if (object.metadata.name !== undefined) {
    const live = await check.lookupLive(object);
    into.live.set(task.id, live);
    const owner = trackedBy(live, settingsOf(context));
    if (owner !== undefined && owner !== context.app.metadata.name) into.conflicts.set(task.id, owner);
    if (unchangedSinceLastApply(task, live, check.inventory.get(task.id))) {
      into.unchanged.add(task.id);
      into.resourceVersions.set(task.id, String(live?.metadata.resourceVersion));
      return;
    }
  }
  try {
    into.dryRun.set(task.id, await dryRunWrite(client, task, context, into.live.get(task.id)));
  } catch (error) {
    into.failures.push({ key: resourceKey(object), action: 'failed', durationMs: 0, message: withHint(describeError(error)) });
  }
}

export async function validateAll(tasks: readonly SyncTask[], context: SyncContext, inventory: readonly InventoryEntry[]): Promise<Validation> {
  const validation: Validation = { live: new Map(), unchanged: new Set(), resourceVersions: new Map(), dryRun: new Map(), deferred: new Set(), failures: [], conflicts: new Map() };
  const namespaceChecks = new Map<string, Promise<boolean>>();
  const check: Check = {
    inventory: new Map(inventory.map((entry) => [resourceKeyString(entry), entry])),
    lookupLive: liveLookup(tasks, context.options.client, context.options.cachedRead),
    crdKinds: kindsDefinedBy(tasks),
    newNamespaces: namespacesCreatedBy(tasks, context),
    namespaceExists: (name) => {
      let found = namespaceChecks.get(name);
      if (found === undefined) {
        const cached = context.options.cachedRead?.({ apiVersion: 'v1', kind: 'Namespace', name });
        found = cached !== undefined ? Promise.resolve(cached.object !== undefined) : context.options.client.get({ apiVersion: 'v1', kind: 'Namespace', name }).then((ns) => ns !== undefined);
        namespaceChecks.set(name, found);
      }
      return found;
    },
  };
  const limit = createLimiter(context.options.concurrency ?? 16);
  await Promise.all(tasks.map((task) => limit(() => validateTask(task, context, check, validation).catch((error: unknown) => {
    validation.failures.push({ key: resourceKey(task.object), action: 'failed', durationMs: 0, message: describeError(error) });
  }))));
  return validation;
}
