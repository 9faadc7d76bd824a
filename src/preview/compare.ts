/**
 * Comparing one cluster's render at base with its render at head: which applications were added, removed, changed,
 * failed or could not be compared, and for each, its application-level changes and its resource diffs. Pure.
 */
import type { KubeObject, ResourceKey } from '../model/resource.js';
import { formatResourceKey, resourceKey, resourceKeyString } from '../model/resource.js';
import type { RenderedApp, RenderTree } from '../render/types.js';
import { applicationFieldChanges } from './compare-fields.js';
import { redactSecretPair } from './redact.js';
import type { AppDiff, AppError, ClusterDiff, ClusterStatus, ClusterSummary, ResourceChange, Side } from './types.js';
import { canonicalYaml, unifiedDiff } from './yaml-diff.js';

export interface ClusterInput {
  readonly name: string;
  readonly root: string;
  /** Undefined when the root file does not exist at that side (a cluster added or removed). */
  readonly base: RenderTree | undefined;
  readonly head: RenderTree | undefined;
  /** Names of head applications reused from base by impact analysis. */
  readonly unaffected: ReadonlySet<string>;
  /** Lines of context in resource diffs. @default 3 */
  readonly context?: number;
}

function sortKey(key: ResourceKey): string {
  return `${key.namespace}\0${key.kind}\0${key.name}\0${key.group}`;
}

function label(side: Side, key: ResourceKey): string {
  return `${side}/${formatResourceKey(key, { withGroup: true })}`;
}

/** Resource diffs between two lists of objects, by group/kind/namespace/name; unchanged ones are left out. */
export function compareResources(base: readonly KubeObject[], head: readonly KubeObject[], context = 3): ResourceChange[] {
  if (base === head) return [];
  const index = (objects: readonly KubeObject[]): Map<string, KubeObject> => new Map(objects.map((object) => [resourceKeyString(resourceKey(object)), object]));
  const before = index(base);
  const after = index(head);
  const keys = new Map<string, ResourceKey>();
  for (const object of [...base, ...head]) keys.set(resourceKeyString(resourceKey(object)), resourceKey(object));
  const changes: ResourceChange[] = [];
  for (const [id, key] of [...keys].sort(([, a], [, b]) => sortKey(a).localeCompare(sortKey(b)))) {
    const left = before.get(id);
    const right = after.get(id);
    if (left !== undefined && right !== undefined && (left === right || JSON.stringify(left) === JSON.stringify(right))) continue;
    const redacted = redactSecretPair(left, right);
    const diff = unifiedDiff(canonicalYaml(redacted.base), canonicalYaml(redacted.head), { baseLabel: label('base', key), headLabel: label('head', key), context });
    if (diff === '') continue;
    const change = left === undefined ? 'added' : right === undefined ? 'removed' : 'changed';
    changes.push({ key, change, diff, ...(redacted.keys === undefined ? {} : { secretKeys: redacted.keys }) });
  }
  return changes;
}

function failureOf(side: Side, app: RenderedApp): AppError[] {
  const messages = app.errors.length > 0 ? app.errors : [app.message];
  return messages.map((message) => ({ side, message }));
}

/** An application at only one side whose parent at the other side did not render: its absence proves nothing. */
function orphanOf(app: RenderedApp, otherSide: Side, other: ReadonlyMap<string, RenderedApp>): AppDiff | undefined {
  const parent = app.parent === undefined ? undefined : other.get(app.parent);
  if (parent === undefined || parent.status === 'ok') return undefined;
  const what = parent.status === 'skipped' ? 'was skipped' : 'failed';
  return {
    name: app.name,
    change: parent.status === 'skipped' ? 'skipped' : 'error',
    errors: [{ side: otherSide, message: `not rendered at ${otherSide}: its parent application "${parent.name}" ${what}` }],
    fields: [],
    resources: [],
  };
}

function oneSided(app: RenderedApp, side: Side, other: ReadonlyMap<string, RenderedApp>, context: number): AppDiff {
  const orphan = orphanOf(app, side === 'base' ? 'head' : 'base', other);
  if (orphan !== undefined) return orphan;
  if (app.status !== 'ok') return { name: app.name, change: app.status, errors: failureOf(side, app), fields: [], resources: [] };
  const resources = side === 'head' ? compareResources([], app.resources, context) : compareResources(app.resources, [], context);
  return { name: app.name, change: side === 'head' ? 'added' : 'removed', errors: [], fields: [], resources };
}

function bothSides(base: RenderedApp, head: RenderedApp, context: number): AppDiff | undefined {
  const fields = applicationFieldChanges(base, head);
  if (base.status === 'error' || head.status === 'error') {
    const errors = [...(base.status === 'error' ? failureOf('base', base) : []), ...(head.status === 'error' ? failureOf('head', head) : [])];
    return { name: head.name, change: 'error', errors, fields, resources: [] };
  }
  if (base.status === 'skipped' || head.status === 'skipped') {
    const skipped = head.status === 'skipped' ? failureOf('head', head) : failureOf('base', base);
    return { name: head.name, change: 'skipped', errors: skipped, fields, resources: [] };
  }
  const resources = compareResources(base.resources, head.resources, context);
  if (fields.length === 0 && resources.length === 0) return undefined;
  return { name: head.name, change: 'changed', errors: [], fields, resources };
}

type Counts = { -readonly [K in keyof ClusterSummary]: number };

function emptyCounts(): Counts {
  return {
    appsAdded: 0, appsRemoved: 0, appsChanged: 0, appsUnchanged: 0, appsUnaffected: 0, appsSkipped: 0, appsFailed: 0,
    resourcesAdded: 0, resourcesRemoved: 0, resourcesChanged: 0,
  };
}

const APP_COUNTER = { added: 'appsAdded', removed: 'appsRemoved', changed: 'appsChanged', error: 'appsFailed', skipped: 'appsSkipped' } as const;
const RESOURCE_COUNTER = { added: 'resourcesAdded', removed: 'resourcesRemoved', changed: 'resourcesChanged' } as const;

function count(counts: Counts, diff: AppDiff): void {
  counts[APP_COUNTER[diff.change]] += 1;
  for (const resource of diff.resources) counts[RESOURCE_COUNTER[resource.change]] += 1;
}

function statusOf(input: ClusterInput, errors: readonly AppError[], counts: Counts): ClusterStatus {
  if (errors.length > 0 || counts.appsFailed > 0) return 'error';
  if (input.base === undefined) return 'added';
  if (input.head === undefined) return 'removed';
  const changed = counts.appsAdded + counts.appsRemoved + counts.appsChanged;
  return changed > 0 ? 'changed' : 'unchanged';
}

function rootErrors(input: ClusterInput): AppError[] {
  const of = (side: Side, tree: RenderTree | undefined): AppError[] => (tree?.errors ?? []).map((message) => ({ side, message }));
  return [...of('base', input.base), ...of('head', input.head)];
}

/** The diff of one cluster root between base and head. */
export function compareCluster(input: ClusterInput): ClusterDiff {
  const context = input.context ?? 3;
  const baseApps = new Map((input.base?.apps ?? []).map((app) => [app.name, app]));
  const headApps = new Map((input.head?.apps ?? []).map((app) => [app.name, app]));
  const counts = emptyCounts();
  const applications: AppDiff[] = [];
  const record = (diff: AppDiff | undefined): void => {
    if (diff === undefined) return;
    count(counts, diff);
    applications.push(diff);
  };
  for (const head of headApps.values()) {
    const base = baseApps.get(head.name);
    if (base === undefined) {
      record(oneSided(head, 'head', baseApps, context));
      continue;
    }
    const diff = bothSides(base, head, context);
    if (diff === undefined) {
      counts.appsUnchanged += 1;
      if (input.unaffected.has(head.name)) counts.appsUnaffected += 1;
    }
    record(diff);
  }
  for (const base of baseApps.values()) if (!headApps.has(base.name)) record(oneSided(base, 'base', headApps, context));
  const errors = rootErrors(input);
  return { name: input.name, root: input.root, status: statusOf(input, errors, counts), errors, summary: counts, applications };
}
