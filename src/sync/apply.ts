/**
 * Writes one task: server-side apply (or replace / create for Replace=true and generateName hooks), after the
 * checks that make it safe — never over an object another application owns, never unvalidated, and not at all when
 * the dry-run result equals the live object (so a no-change sync writes nothing).
 */
import { isDeepStrictEqual } from 'node:util';
import { describeError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';
import { resourceKey } from '../model/resource.js';
import type { ChangeAction, ChangeEntry } from './changeset.js';
import type { SyncContext } from './context.js';
import type { SyncTask } from './plan.js';
import { optionIs, resourceSyncOptions } from './sync-options.js';
import type { Validation } from './validate.js';
import { dryRunWrite, objectToWrite } from './validate.js';
import { deleteAndWait } from './wait.js';
import { earlierInstances, labelHook } from './hook-instances.js';

export interface Applied {
  readonly entry: ChangeEntry;
  /** The object as the server returned it (for health), undefined when nothing was written or it failed. */
  readonly object: KubeObject | undefined;
}

const SERVER_FIELDS = new Set(['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid']);

/** The object without fields the server changes on every write, for "would this write change anything?". */
function comparable(object: KubeObject): unknown {
  const metadata = Object.fromEntries(Object.entries(object.metadata).filter(([field]) => !SERVER_FIELDS.has(field)));
  return { ...object, metadata };
}

function entry(task: SyncTask, action: ChangeAction, message: string, started: number): ChangeEntry {
  return { key: resourceKey(task.object), action, message, durationMs: Date.now() - started, wave: task.wave, phase: task.phase };
}

async function write(task: SyncTask, context: SyncContext, live: KubeObject | undefined): Promise<KubeObject> {
  const { client } = context.options;
  const options = resourceSyncOptions(task.object, context.appOptions);
  const isHook = task.hook.phase !== undefined;
  const written = await objectToWrite(task, live, context);
  const object = isHook ? labelHook(written, context.app.metadata.name) : written;
  if (isHook && task.hook.deletePolicies.includes('BeforeHookCreation')) {
    // A named hook's previous instance is the live object; a generateName hook's are found by their labels.
    const previous = object.metadata.name === undefined ? await earlierInstances(client, object, context.app.metadata.name) : live === undefined ? [] : [live];
    for (const instance of previous) await deleteAndWait(client, instance, context);
  }
  if (object.metadata.name === undefined) return client.create(object);
  if (optionIs(options, 'Replace', 'true')) {
    if (optionIs(options, 'Force', 'true') && live !== undefined) {
      await deleteAndWait(client, live, context);
      return client.create(object);
    }
    return client.replace(object);
  }
  return client.apply(object);
}

function remember(validation: Validation, id: string, object: KubeObject): void {
  const version = object.metadata.resourceVersion;
  if (typeof version === 'string') validation.resourceVersions.set(id, version);
}

export async function applyTask(task: SyncTask, context: SyncContext, validation: Validation): Promise<Applied> {
  const started = Date.now();
  const owner = validation.conflicts.get(task.id);
  if (owner !== undefined) {
    return { entry: entry(task, 'skipped', `shared resource: tracked by application "${owner}", not modified (set FailOnSharedResource=true to fail instead)`, started), object: undefined };
  }
  const live = validation.live.get(task.id);
  if (validation.unchanged.has(task.id)) return { entry: entry(task, 'unchanged', '', started), object: live };
  let dryRun = validation.dryRun.get(task.id);
  try {
    if (dryRun === undefined) {
      dryRun = await dryRunWrite(context.options.client, task, context, live);
      validation.dryRun.set(task.id, dryRun);
    }
    const isHook = task.hook.phase !== undefined;
    if (!isHook && live !== undefined && isDeepStrictEqual(comparable(dryRun), comparable(live))) {
      remember(validation, task.id, live);
      return { entry: entry(task, 'unchanged', '', started), object: live };
    }
    const action: ChangeAction = live === undefined ? 'created' : 'configured';
    if (context.dryRun) return { entry: entry(task, action, 'dry run: not written', started), object: dryRun };
    const written = await write(task, context, live);
    remember(validation, task.id, written);
    return { entry: entry(task, action, '', started), object: written };
  } catch (error) {
    return { entry: entry(task, 'failed', describeError(error), started), object: undefined };
  }
}
