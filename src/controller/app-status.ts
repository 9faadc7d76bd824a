/**
 * The part of an Application's `status` that a reconcile decides — sync, health, resources, summary, conditions,
 * reconciledAt, sourceType(s) — in Argo CD's field names, so `kubectl get/describe application`, Argo CD's CLI and
 * dashboards read it. `operationState` and `history` belong to the operation runner and are never touched here.
 * Writes are JSON merge patches of exactly what changed (RFC 7386: null removes): they work whether or not the
 * CRD has a status subresource (Argo CD's has none), and nothing at all is written when nothing changed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { HealthResult } from '../health/types.js';
import type { ApplicationDestination, ApplicationSource } from '../model/application.js';
import { isPlainObject } from '../model/values.js';
import type { ResourceStatus, ResourceSyncStatus } from './compare.js';

export type ConditionType = 'InvalidSpecError' | 'ComparisonError' | 'SyncError' | 'SharedResourceWarning' | 'OrphanedResourceWarning' | 'ExcludedResourceWarning' | 'UnknownError';

export interface Condition {
  readonly type: ConditionType;
  readonly message: string;
  readonly lastTransitionTime?: string;
}

export interface ReconciledState {
  readonly sync: ResourceSyncStatus;
  /** Resolved revision per source, in order ("" when unresolved). */
  readonly revisions: readonly string[];
  readonly sources: readonly ApplicationSource[];
  readonly multiSource: boolean;
  readonly destination: ApplicationDestination;
  readonly health: HealthResult;
  readonly resources: readonly ResourceStatus[];
  readonly images: readonly string[];
  readonly conditions: readonly Condition[];
  readonly sourceTypes: readonly string[];
}

/** Fields of `status` the reconcile owns; everything else is left as it is. */
export const RECONCILE_FIELDS = ['sync', 'health', 'resources', 'summary', 'conditions', 'reconciledAt', 'sourceType', 'sourceTypes', 'observedAt'] as const;

function healthStatus(health: HealthResult): Record<string, string> {
  return health.message === '' ? { status: health.status } : { status: health.status, message: health.message };
}

function syncStatus(state: ReconciledState): Record<string, unknown> {
  const comparedTo = state.multiSource ? { sources: state.sources, destination: state.destination } : { source: state.sources[0] ?? {}, destination: state.destination };
  return {
    status: state.sync,
    comparedTo,
    ...(state.multiSource ? { revisions: state.revisions } : state.revisions[0] === undefined || state.revisions[0] === '' ? {} : { revision: state.revisions[0] }),
  };
}

/** Conditions keep their transition time while they stay the same. */
function conditionsWithTimes(conditions: readonly Condition[], previous: unknown, now: string): Condition[] {
  const before = Array.isArray(previous) ? (previous as Condition[]) : [];
  return conditions.map((condition) => {
    const same = before.find((old) => old.type === condition.type && old.message === condition.message);
    return { ...condition, lastTransitionTime: same?.lastTransitionTime ?? now };
  });
}

/** The reconcile-owned fields for `state`; `previous` is the current status (for condition times). */
export function reconciledStatus(state: ReconciledState, previous: Readonly<Record<string, unknown>>, now: string): Record<string, unknown> {
  const conditions = conditionsWithTimes(state.conditions, previous.conditions, now);
  return {
    sync: syncStatus(state),
    health: healthStatus(state.health),
    resources: state.resources,
    summary: state.images.length === 0 ? {} : { images: state.images },
    ...(conditions.length === 0 ? {} : { conditions }),
    ...(state.multiSource ? { sourceTypes: state.sourceTypes } : state.sourceTypes[0] === undefined ? {} : { sourceType: state.sourceTypes[0] }),
    reconciledAt: now,
  };
}

/**
 * The merge patch turning `before` into `after` (undefined when they are equal). Objects are patched key by key,
 * removed keys become null; arrays and scalars are replaced whole.
 */
export function mergePatch(before: unknown, after: unknown): unknown {
  if (isDeepStrictEqual(before, after)) return undefined;
  if (!isPlainObject(before) || !isPlainObject(after)) return after === undefined ? null : after;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    const change = mergePatch(before[key], after[key]);
    if (change !== undefined) patch[key] = change;
  }
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null;
  return Object.keys(patch).length === 0 ? undefined : patch;
}

/**
 * The patch of the reconcile-owned status fields, or undefined when only `reconciledAt` would change: a refresh
 * that found nothing new writes nothing (Argo CD rewrites reconciledAt every time; Launchpad's steady state is free).
 */
export function statusPatch(current: Readonly<Record<string, unknown>>, next: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const owned = Object.fromEntries(RECONCILE_FIELDS.filter((field) => field in current).map((field) => [field, current[field]]));
  const comparable = (value: Readonly<Record<string, unknown>>): Record<string, unknown> => Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'reconciledAt' && key !== 'observedAt'));
  if (isDeepStrictEqual(comparable(owned), comparable(next))) return undefined;
  const patch = mergePatch(owned, next);
  return isPlainObject(patch) ? patch : undefined;
}
