/**
 * Whether an AppProject's sync windows let an application sync now — Argo CD's rules, as a pure decision on an
 * injected clock:
 *
 * - a window is assigned to an application when one of its `applications`, `clusters` (server URL or name) or
 *   `namespaces` globs matches it; with `andOperator`, every list that is set must match;
 * - a window is active when a scheduled start falls within the last `duration` (in the window's time zone);
 * - an active deny window blocks, unless the sync is manual and every active deny window has `manualSync`;
 * - otherwise an active allow window allows;
 * - otherwise, when allow windows are assigned but none is active, syncs are blocked unless manual and every one of
 *   them has `manualSync`;
 * - with no window assigned, or only inactive deny windows, syncs are allowed;
 * - `syncOverrun`: an operation that started while syncing was allowed may go on into an active deny window (when
 *   every active deny window has it) or past the end of its allow window (when every inactive allow window has it).
 *
 * A window that cannot be parsed and is assigned to the application blocks it, manual syncs included, as in Argo CD.
 */
import type { AppProject, ApplicationDestination } from '../model/application.js';
import { matchesProjectGlob } from '../model/project-rules.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';
import { compileSyncWindows } from '../model/sync-windows.js';
import type { CompiledSyncWindow, SyncWindow } from '../model/sync-windows.js';

/** Argo CD's wording: the log line of an automated sync that a window prevents, and a waiting operation's message. */
export const AUTO_SYNC_BLOCKED = 'Sync prevented by sync window';
export const OPERATION_BLOCKED = 'Sync operation blocked by sync window';
/** What Argo CD's API answers to a sync request a window blocks. */
export const SYNC_REQUEST_BLOCKED = 'cannot sync: blocked by sync window';

export interface SyncWindowQuery {
  /** A sync a user asked for (not an automated one). */
  readonly manual: boolean;
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** When the operation being decided on started, for `syncOverrun`. */
  readonly operationStartedAt?: number;
}

export interface SyncWindowVerdict {
  readonly canSync: boolean;
  /** The windows assigned to the application. */
  readonly assigned: readonly CompiledSyncWindow[];
  /** The assigned windows active now. */
  readonly active: readonly CompiledSyncWindow[];
  /** Problems of the windows assigned to the application (`AppProject/<name> spec.syncWindows[i].<field>: … — fix`). */
  readonly problems: readonly string[];
  /** When an assigned window next opens or closes (undefined when none does within reach): the time to decide again. */
  readonly nextChangeAt?: number;
}

/** What windows are matched against: the application's name and its destination as written. */
export interface SyncWindowTarget {
  readonly metadata: { readonly name: string };
  readonly spec: { readonly destination: ApplicationDestination };
}

type Target = SyncWindowTarget;

/** The name and destination of an Application object as stored (not validated): what windows are matched against. */
export function syncWindowTargetOf(object: KubeObject): SyncWindowTarget {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const destination = isPlainObject(spec.destination) ? spec.destination : {};
  const field = (key: string): Record<string, string> => (typeof destination[key] === 'string' ? { [key]: destination[key] } : {});
  return { metadata: { name: object.metadata.name ?? '' }, spec: { destination: { ...field('server'), ...field('name'), ...field('namespace') } } };
}

function anyMatch(patterns: readonly string[], value: string | undefined): boolean {
  return value !== undefined && value !== '' && patterns.some((pattern) => matchesProjectGlob(pattern, value));
}

/** Argo CD's SyncWindows.Matches: applications first, then clusters, then namespaces; OR unless andOperator. */
export function isAssigned(window: SyncWindow, app: Target): boolean {
  const and = window.andOperator === true;
  const destination = app.spec.destination;
  const checks: { readonly set: boolean; readonly matched: () => boolean }[] = [
    { set: (window.applications ?? []).length > 0, matched: () => (window.applications ?? []).some((pattern) => matchesProjectGlob(pattern, app.metadata.name)) },
    { set: (window.clusters ?? []).length > 0, matched: () => anyMatch(window.clusters ?? [], destination.name) || anyMatch(window.clusters ?? [], destination.server) },
    { set: (window.namespaces ?? []).length > 0, matched: () => (window.namespaces ?? []).some((pattern) => matchesProjectGlob(pattern, destination.namespace ?? '')) },
  ];
  const set = checks.filter((check) => check.set);
  if (set.length === 0) return false;
  return and ? set.every((check) => check.matched()) : set.some((check) => check.matched());
}

/** The first scheduled start after `after`, or undefined when the schedule has none. */
function nextStart(window: CompiledSyncWindow, after: number): number | undefined {
  return window.cron.nextRun(new Date(after))?.getTime();
}

/** Active: a scheduled start lies strictly between `now - duration` and `now` (Argo CD's comparison). */
export function isActive(window: CompiledSyncWindow, now: number): boolean {
  const start = nextStart(window, now - window.durationMs);
  return start !== undefined && start < now;
}

// A window whose starts overlap (every minute, open for an hour) never closes; give up after this many starts.
const MAX_EXTENSIONS = 1_000;

/** When the window next changes state after `now`: an active one closes, an inactive one opens. */
function nextChange(window: CompiledSyncWindow, now: number): number | undefined {
  let start = nextStart(window, now - window.durationMs);
  if (start === undefined) return undefined;
  // Inactive: it opens at its next start, and is active only strictly after it.
  if (start >= now) return start + 1_000;
  for (let i = 0; i < MAX_EXTENSIONS; i++) {
    const end = start + window.durationMs;
    const following = nextStart(window, start);
    if (following === undefined || following >= end) return end;
    start = following;
  }
  return undefined;
}

function decide(assigned: readonly CompiledSyncWindow[], manual: boolean, now: number): { readonly canSync: boolean; readonly overrun: 'deny' | 'allow' | undefined } {
  const active = assigned.filter((window) => isActive(window, now));
  const activeDenies = active.filter((window) => window.kind === 'deny');
  if (activeDenies.length > 0) {
    if (manual && activeDenies.every((window) => window.window.manualSync === true)) return { canSync: true, overrun: undefined };
    return { canSync: false, overrun: activeDenies.every((window) => window.window.syncOverrun === true) ? 'deny' : undefined };
  }
  if (active.some((window) => window.kind === 'allow')) return { canSync: true, overrun: undefined };
  const inactiveAllows = assigned.filter((window) => window.kind === 'allow');
  if (inactiveAllows.length === 0) return { canSync: true, overrun: undefined };
  if (manual && inactiveAllows.every((window) => window.window.manualSync === true)) return { canSync: true, overrun: undefined };
  return { canSync: false, overrun: inactiveAllows.every((window) => window.window.syncOverrun === true) ? 'allow' : undefined };
}

/** Argo CD's CanSync over the windows assigned to the application. */
export function canSyncWith(assigned: readonly CompiledSyncWindow[], query: SyncWindowQuery): boolean {
  const now = decide(assigned, query.manual, query.now);
  if (now.canSync) return true;
  // syncOverrun: the operation may continue when syncing was allowed at the moment it started.
  const started = query.operationStartedAt;
  if (now.overrun === undefined || started === undefined || started <= 0) return false;
  return decide(assigned, query.manual, started).canSync;
}

/** The project's sync windows applied to one application at `query.now`. */
export function syncWindowVerdict(project: AppProject, app: Target, query: SyncWindowQuery): SyncWindowVerdict {
  const compiled = compileSyncWindows(project.metadata.name, project.spec.syncWindows);
  const assigned = compiled.windows.filter((window) => isAssigned(window.window, app));
  const problems = compiled.problems.filter((problem) => isAssigned(problem.window, app));
  const active = assigned.filter((window) => isActive(window, query.now));
  const blockedByProblem = problems.some((problem) => problem.blocking);
  const changes = assigned.map((window) => nextChange(window, query.now)).filter((at): at is number => at !== undefined && at > query.now);
  return {
    canSync: !blockedByProblem && canSyncWith(assigned, query),
    assigned,
    active,
    problems: problems.map((problem) => problem.message),
    ...(changes.length === 0 ? {} : { nextChangeAt: Math.min(...changes) }),
  };
}

/** One line per window for logs and `app get`: `deny 0 22 * * * 1h (Europe/Berlin) active`. */
export function describeWindow(window: CompiledSyncWindow, now: number): string {
  const zone = window.timeZone === 'UTC' ? '' : ` (${window.timeZone})`;
  const manual = window.window.manualSync === true ? ', manual sync allowed' : '';
  const description = window.window.description === undefined || window.window.description === '' ? '' : ` — ${window.window.description}`;
  return `${window.kind} "${window.window.schedule ?? ''}" for ${window.window.duration ?? ''}${zone}${isActive(window, now) ? ' (active)' : ''}${manual}${description}`;
}

/**
 * What `argocd app get` shows as SyncWindow: `Sync Allowed`, `Sync Denied` or `Manual Allowed` (a manual sync may
 * run although automated ones may not), with the assigned windows. A window that cannot be parsed shows as denied.
 */
export function syncWindowSummary(project: AppProject, app: Target, now: number): { readonly status: string; readonly windows: readonly string[]; readonly problems: readonly string[] } {
  const manual = syncWindowVerdict(project, app, { manual: true, now });
  const windows = manual.assigned.map((window) => describeWindow(window, now));
  if (manual.problems.length > 0 && !manual.canSync) return { status: 'Sync Denied', windows, problems: manual.problems };
  const held = manual.active.some((window) => window.kind === 'deny')
    || (!manual.active.some((window) => window.kind === 'allow') && manual.assigned.some((window) => window.kind === 'allow'));
  const status = !held ? 'Sync Allowed' : manual.canSync ? 'Manual Allowed' : 'Sync Denied';
  return { status, windows, problems: manual.problems };
}
