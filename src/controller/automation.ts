/**
 * Argo CD's rules for automated sync, as a pure decision: sync once per new revision and spec; never repeat a
 * failed automated sync at the same revision (retries belong to `syncPolicy.retry`, inside the operation); with
 * `selfHeal`, sync again when the live state drifts from a revision already synced, but only after the self-heal
 * timeout; never sync to an empty desired state without `allowEmpty`; never sync only to prune without `prune`;
 * never sync while the project's sync windows block automated syncs — decide again when they next open or close.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Application, ApplicationSource } from '../model/application.js';
import { applicationSources } from '../model/application.js';
import { isPlainObject } from '../model/values.js';
import type { ResourceStatus, ResourceSyncStatus } from './compare.js';

export type AutoSyncDecision =
  | { readonly action: 'none'; readonly reason: string }
  | { readonly action: 'wait'; readonly delayMs: number; readonly reason: string }
  | { readonly action: 'sync'; readonly selfHeal: boolean; readonly reason: string }
  /** A sync (or self-heal) is due but a sync window blocks it; `recheckAfterMs` is when the windows next change. */
  | { readonly action: 'blocked'; readonly recheckAfterMs?: number; readonly reason: string };

/** The project's sync windows as they stand for this application's automated syncs (sync-windows.ts). */
export interface AutoSyncWindows {
  readonly canSync: boolean;
  /** When an assigned window next opens or closes (ms since the epoch). */
  readonly nextChangeAt?: number;
}

export interface AutoSyncInput {
  readonly app: Application;
  readonly sync: ResourceSyncStatus;
  readonly resources: readonly ResourceStatus[];
  /** Resolved revision per source. */
  readonly revisions: readonly string[];
  readonly desiredCount: number;
  /** `status.operationState` as it is in the cluster. */
  readonly operationState: unknown;
  readonly operationRunning: boolean;
  readonly now: number;
  readonly selfHealTimeoutMs: number;
  /** Absent: the project assigns no window to the application. */
  readonly syncWindows?: AutoSyncWindows;
}

interface LastOperation {
  readonly phase: string;
  readonly finishedAt: number | undefined;
  readonly revisions: readonly string[];
  readonly sources: readonly unknown[];
  readonly automated: boolean;
}

function lastOperation(state: unknown): LastOperation | undefined {
  if (!isPlainObject(state)) return undefined;
  const result = isPlainObject(state.syncResult) ? state.syncResult : {};
  const revisions = Array.isArray(result.revisions) ? result.revisions.filter((item): item is string => typeof item === 'string') : typeof result.revision === 'string' ? [result.revision] : [];
  const sources = Array.isArray(result.sources) ? result.sources : result.source === undefined ? [] : [result.source];
  const finished = typeof state.finishedAt === 'string' ? Date.parse(state.finishedAt) : Number.NaN;
  const operation = isPlainObject(state.operation) ? state.operation : {};
  const initiatedBy = isPlainObject(operation.initiatedBy) ? operation.initiatedBy : {};
  return {
    phase: typeof state.phase === 'string' ? state.phase : '',
    finishedAt: Number.isFinite(finished) ? finished : undefined,
    revisions,
    sources,
    automated: initiatedBy.automated === true,
  };
}

/** Sources as recorded in a sync result: compared without fields that default (an absent targetRevision is HEAD). */
function comparableSources(sources: readonly unknown[]): unknown[] {
  return sources.map((source) => {
    if (!isPlainObject(source)) return source;
    const { targetRevision, ...rest } = source as ApplicationSource & Record<string, unknown>;
    return { ...rest, targetRevision: targetRevision === undefined || targetRevision === '' ? 'HEAD' : targetRevision };
  });
}

function onlyPruning(resources: readonly ResourceStatus[]): boolean {
  const outOfSync = resources.filter((resource) => resource.status !== 'Synced');
  return outOfSync.length > 0 && outOfSync.every((resource) => resource.requiresPruning === true);
}

function gate(input: AutoSyncInput): AutoSyncDecision | undefined {
  const automated = input.app.spec.syncPolicy?.automated;
  if (automated === undefined || automated.enabled === false) return { action: 'none', reason: 'automated sync is off' };
  if (input.operationRunning) return { action: 'none', reason: 'an operation is in progress' };
  if (input.sync !== 'OutOfSync') return { action: 'none', reason: `sync status is ${input.sync}` };
  if (input.desiredCount === 0 && automated.allowEmpty !== true) return { action: 'none', reason: 'the desired state is empty and allowEmpty is off: not deleting everything' };
  if (automated.prune !== true && onlyPruning(input.resources)) return { action: 'none', reason: 'only resources to prune are out of sync, and automated prune is off' };
  return undefined;
}

/** The decision, held back while a sync window blocks automated syncs (Argo CD checks the windows first). */
export function autoSyncDecision(input: AutoSyncInput): AutoSyncDecision {
  const decision = decideIgnoringWindows(input);
  const windows = input.syncWindows;
  if (decision.action !== 'sync' || windows === undefined || windows.canSync) return decision;
  const recheck = windows.nextChangeAt === undefined ? {} : { recheckAfterMs: Math.max(1_000, windows.nextChangeAt - input.now) };
  return { action: 'blocked', ...recheck, reason: `${decision.reason}: sync prevented by sync window` };
}

function decideIgnoringWindows(input: AutoSyncInput): AutoSyncDecision {
  const stop = gate(input);
  if (stop !== undefined) return stop;
  const last = lastOperation(input.operationState);
  const sameTarget = last !== undefined && isDeepStrictEqual(last.revisions, input.revisions)
    && isDeepStrictEqual(comparableSources(last.sources), comparableSources(applicationSources(input.app)));
  if (last === undefined || !sameTarget) return { action: 'sync', selfHeal: false, reason: `new revision ${input.revisions.join(', ')}` };
  if (last.phase !== 'Succeeded') return { action: 'none', reason: `already attempted sync to ${input.revisions.join(', ')}: it ${last.phase === '' ? 'did not finish' : last.phase.toLowerCase()}; retries are syncPolicy.retry's` };
  if (input.app.spec.syncPolicy?.automated?.selfHeal !== true) return { action: 'none', reason: `already synced ${input.revisions.join(', ')}; selfHeal is off` };
  const since = input.now - (last.finishedAt ?? 0);
  if (since < input.selfHealTimeoutMs) return { action: 'wait', delayMs: input.selfHealTimeoutMs - since, reason: 'self-heal timeout not reached' };
  return { action: 'sync', selfHeal: true, reason: 'self-healing drift' };
}
