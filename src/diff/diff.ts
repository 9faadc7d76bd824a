/**
 * Server-side diff. The desired object is the API server's answer to a dry-run server-side apply of the rendered
 * object (defaults filled in, webhooks run, other managers' fields merged from live), so comparing it with the live
 * object shows exactly what applying would change. Both are compared only on the fields Launchpad's field manager
 * owns — its `Apply` entries in the dry-run result and in the live object (the latter shows fields an apply would
 * remove) — after ignoreDifferences and server noise are taken out. Secret values are never shown.
 */
import type { IgnoreDifference } from '../model/application.js';
import { resourceKey } from '../model/resource.js';
import type { KubeObject } from '../model/resource.js';
import { fieldSetOfValue, managedFieldSet, mergeFieldInto, projectOntoFieldSet, removeFieldSet, unionFieldSets } from './field-set.js';
import type { FieldSet } from './field-set.js';
import { matchingIgnoreRules, selectedPaths, trustedManagersFieldSet } from './ignore.js';
import { normalizeForCompare } from './normalize.js';
import { canonicalizeSecret, isSecret } from './secrets.js';
import type { ResourceDiff } from './types.js';
import { DEFAULT_CONTEXT_LINES, unifiedDiff } from './unified.js';
import { copy, deepEqual, deepestLastFirst, isRecord, pruneEmpty, removeAt } from './values.js';
import type { JsonRecord } from './values.js';

/** Launchpad's field manager name for server-side apply. */
export const DEFAULT_FIELD_MANAGER = 'launchpad';

export interface DiffResourcesOptions {
  /**
   * The result of a server-side dry-run apply of the rendered object (with its managedFields). A plain rendered
   * object also works: then every field it sets counts as owned, and server defaults may show as differences.
   */
  readonly desired: KubeObject;
  /** The object in the cluster; undefined when it does not exist (status `missing`). */
  readonly live?: KubeObject | undefined;
  /** @default 'launchpad' */
  readonly fieldManager?: string;
  /** The Application's ignoreDifferences; only rules matching the object apply. @default [] */
  readonly ignore?: readonly IgnoreDifference[];
  /** Deadline for one jq expression on one object, milliseconds. @default 1000 (Argo CD's) */
  readonly jqTimeoutMs?: number;
  /** Lines of context around each change in the diff. @default 3 */
  readonly contextLines?: number;
}

export interface ExtraneousDiffOptions {
  /** @default 'launchpad' */
  readonly fieldManager?: string;
  /** @default 3 */
  readonly contextLines?: number;
}

const IDENTITY_METADATA = ['name', 'generateName', 'namespace'];

/**
 * The fields `manager` owns through `Apply` in the live object and in the desired one — or, when the desired object
 * has no such entry (a plain rendered object), every field it sets. For Secrets, `stringData` fields count as `data`.
 */
function ownedFieldSet(desired: KubeObject, live: KubeObject | undefined, manager: string): FieldSet {
  const wanted = managedFieldSet(desired, { manager, operation: 'Apply' }) ?? fieldSetOfValue(canonicalizeSecret(desired));
  const had = live === undefined ? undefined : managedFieldSet(live, { manager, operation: 'Apply' });
  const owned = had === undefined ? wanted : unionFieldSets(wanted, had);
  return isSecret(desired) ? mergeFieldInto(owned, 'stringData', 'data') : owned;
}

/** The object cut down to the owned fields, keeping what identifies it (apiVersion, kind, name, namespace). */
function projectObject(object: KubeObject, owned: FieldSet): KubeObject {
  const projected = owned.children.size === 0 ? {} : (projectOntoFieldSet(object, owned) as JsonRecord);
  const metadata = isRecord(projected.metadata) ? projected.metadata : {};
  for (const field of IDENTITY_METADATA) if (object.metadata[field] !== undefined) metadata[field] = object.metadata[field];
  return { ...projected, apiVersion: object.apiVersion, kind: object.kind, metadata };
}

function withoutFieldSet(object: KubeObject, set: FieldSet | undefined): KubeObject {
  if (set === undefined || set.children.size === 0) return object;
  const kept = removeFieldSet(object, set);
  return isRecord(kept) ? (kept as KubeObject) : object;
}

interface Preparation {
  readonly rules: readonly IgnoreDifference[];
  readonly trusted: FieldSet | undefined;
  readonly owned: FieldSet;
  readonly jqTimeoutMs: number | undefined;
}

/** One side made comparable: secrets canonical, ignored fields out, owned fields only, server noise out. */
async function prepare(object: KubeObject, how: Preparation): Promise<KubeObject> {
  let result = copy(canonicalizeSecret(object));
  const paths = await selectedPaths(how.rules, result, how.jqTimeoutMs === undefined ? {} : { jqTimeoutMs: how.jqTimeoutMs });
  for (const path of deepestLastFirst(paths)) removeAt(result, path);
  result = withoutFieldSet(result, how.trusted);
  if (how.rules.length > 0) result = pruneEmpty(result) as KubeObject;
  return normalizeForCompare(projectObject(result, how.owned));
}

/**
 * Compares a desired object (a server-side dry-run apply result) with the live one: `in-sync` (diff ""),
 * `out-of-sync` with a unified YAML diff live → desired, or `missing` (no live object; the diff shows everything
 * that would be created). Secret values are never in the result. Throws a DiffError for an invalid ignore rule or
 * a jq expression past its deadline.
 */
export async function diffResources(options: DiffResourcesOptions): Promise<ResourceDiff> {
  const { desired, live } = options;
  const key = resourceKey(desired);
  const rules = matchingIgnoreRules(options.ignore ?? [], desired);
  const owned = ownedFieldSet(desired, live, options.fieldManager ?? DEFAULT_FIELD_MANAGER);
  const how: Preparation = { rules, owned, trusted: trustedManagersFieldSet(rules, live), jqTimeoutMs: options.jqTimeoutMs };
  const context = options.contextLines ?? DEFAULT_CONTEXT_LINES;
  const wanted = await prepare(desired, how);
  if (live === undefined) return { key, status: 'missing', diff: unifiedDiff(key, undefined, wanted, context) };
  const current = await prepare(live, how);
  if (deepEqual(wanted, current)) return { key, status: 'in-sync', diff: '' };
  return { key, status: 'out-of-sync', diff: unifiedDiff(key, current, wanted, context) };
}

/**
 * The ResourceDiff of an object in the application's inventory that is no longer desired (a prune candidate):
 * status `extraneous`, the diff shows the object (its Launchpad-owned fields when it has any) as removed.
 */
export function extraneousDiff(live: KubeObject, options: ExtraneousDiffOptions = {}): ResourceDiff {
  const key = resourceKey(live);
  const canonical = canonicalizeSecret(live);
  const owned = managedFieldSet(live, { manager: options.fieldManager ?? DEFAULT_FIELD_MANAGER, operation: 'Apply' });
  const shown = normalizeForCompare(owned === undefined ? canonical : projectObject(canonical, isSecret(live) ? mergeFieldInto(owned, 'stringData', 'data') : owned));
  return { key, status: 'extraneous', diff: unifiedDiff(key, shown, undefined, options.contextLines ?? DEFAULT_CONTEXT_LINES) };
}
