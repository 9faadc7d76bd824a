/**
 * AppProject `spec.syncWindows`, read and compiled: each window's cron schedule, Go duration and time zone checked
 * once, so the decision (src/controller/sync-windows.ts) works on values that cannot fail. Argo CD parses schedules
 * with robfig/cron's five-field parser (minute hour day-of-month month day-of-week, no seconds, no `@daily`
 * descriptors) and durations with Go's `time.ParseDuration`; Launchpad refuses what those refuse. A problem names
 * `AppProject/<name> spec.syncWindows[i].<field>` and the fix. As in Argo CD, a window that cannot be parsed blocks
 * every sync of the applications it is assigned to (it might be a freeze); an unknown time zone is read as UTC, as
 * Argo CD does, and reported so the shift is not silent.
 */
import { Cron } from 'croner';
import { parseGoDuration } from './duration.js';
import { readBoolean, readObject, readString, readStringList } from './readers.js';
import type { Reader } from './readers.js';

/** One entry of `spec.syncWindows`, as written (Argo CD's SyncWindow). */
export interface SyncWindow {
  /** `allow` or `deny`. */
  readonly kind?: string;
  /** When the window opens: a five-field cron schedule, in `timeZone`. */
  readonly schedule?: string;
  /** How long it stays open: a Go duration such as `1h30m`. */
  readonly duration?: string;
  /** Application name globs the window applies to. */
  readonly applications?: readonly string[];
  /** Destination namespace globs. */
  readonly namespaces?: readonly string[];
  /** Destination cluster globs, matched against the server URL and the cluster name. */
  readonly clusters?: readonly string[];
  /** Manual syncs are allowed even when this window blocks them. @default false */
  readonly manualSync?: boolean;
  /** IANA time zone of the schedule. @default UTC */
  readonly timeZone?: string;
  /** Applications, namespaces and clusters must all match (when set), instead of any one. @default false */
  readonly andOperator?: boolean;
  readonly description?: string;
  /** A sync already running may continue past the window's edge (deny: into it; allow: after it). @default false */
  readonly syncOverrun?: boolean;
}

export const readSyncWindow: Reader<SyncWindow> = readObject<SyncWindow>({
  kind: readString,
  schedule: readString,
  duration: readString,
  applications: readStringList,
  namespaces: readStringList,
  clusters: readStringList,
  manualSync: readBoolean,
  timeZone: readString,
  andOperator: readBoolean,
  description: readString,
  syncOverrun: readBoolean,
});

/** A window whose schedule, duration and time zone are known to be valid. */
export interface CompiledSyncWindow {
  /** Position in `spec.syncWindows`, for messages. */
  readonly index: number;
  readonly window: SyncWindow;
  readonly kind: 'allow' | 'deny';
  readonly cron: Cron;
  readonly durationMs: number;
  readonly timeZone: string;
}

/** Why one window cannot be used; `blocking` problems stop every sync of the applications the window is assigned to. */
export interface SyncWindowProblem {
  readonly index: number;
  readonly window: SyncWindow;
  /** The field at fault: `kind`, `schedule`, `duration` or `timeZone`. */
  readonly field: string;
  /** What is wrong and the fix, without the place. */
  readonly detail: string;
  /** `AppProject/<name> spec.syncWindows[i].<field>: <detail>`. */
  readonly message: string;
  readonly blocking: boolean;
}

export interface CompiledSyncWindows {
  readonly windows: readonly CompiledSyncWindow[];
  readonly problems: readonly SyncWindowProblem[];
}

const SCHEDULE_FIX = 'use five cron fields "minute hour day-of-month month day-of-week", e.g. "0 22 * * *" for 22:00 every day';
// Month and weekday names robfig/cron accepts; any other letter (croner's L, W, #, +) is an extension it refuses.
const CRON_NAMES = /\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT)\b/giu;

function scheduleProblem(schedule: string | undefined): string | undefined {
  if (schedule === undefined || schedule.trim() === '') return `schedule is missing — ${SCHEDULE_FIX}`;
  if (schedule.trim().startsWith('@')) return `cannot parse schedule "${schedule}": descriptors such as @daily are not accepted by Argo CD — ${SCHEDULE_FIX}`;
  const fields = schedule.trim().split(/\s+/u);
  if (fields.length !== 5) return `cannot parse schedule "${schedule}": expected exactly 5 fields, found ${fields.length} — ${SCHEDULE_FIX}`;
  const unsupported = fields.find((field) => !/^[0-9*,/?-]+$/u.test(field.replace(CRON_NAMES, '0')));
  if (unsupported !== undefined) return `cannot parse schedule "${schedule}": "${unsupported}" is not a cron field Argo CD accepts (numbers, names, *, ",", "-", "/" only) — ${SCHEDULE_FIX}`;
  try {
    new Cron(schedule, { mode: '5-part', paused: true });
  } catch (error) {
    return `cannot parse schedule "${schedule}": ${error instanceof Error ? error.message : String(error)} — ${SCHEDULE_FIX}`;
  }
  return undefined;
}

function durationProblem(duration: string | undefined): string | undefined {
  const fix = 'use a Go duration such as "1h", "30m" or "1h30m"';
  if (duration === undefined || duration.trim() === '') return `duration is missing — ${fix}`;
  const ms = parseGoDuration(duration);
  if (ms === undefined) return `cannot parse duration "${duration}" — ${fix}`;
  return undefined;
}

/** Whether Node knows `zone` (Go's LoadLocation knows the same IANA names, plus "" and "UTC"). */
function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function at(project: string, index: number, field: string): string {
  return `AppProject/${project} spec.syncWindows[${index}].${field}`;
}

function compileOne(project: string, window: SyncWindow, index: number): { readonly compiled?: CompiledSyncWindow; readonly problems: SyncWindowProblem[] } {
  const problems: SyncWindowProblem[] = [];
  const report = (field: string, detail: string, blocking: boolean): void => { problems.push({ index, window, field, detail, message: `${at(project, index, field)}: ${detail}`, blocking }); };
  const block = (field: string, detail: string): void => { report(field, detail, true); };
  if (window.kind !== 'allow' && window.kind !== 'deny') block('kind', `kind ${JSON.stringify(window.kind ?? '')} is neither allow nor deny — set kind: allow or kind: deny`);
  const schedule = scheduleProblem(window.schedule);
  if (schedule !== undefined) block('schedule', schedule);
  const duration = durationProblem(window.duration);
  if (duration !== undefined) block('duration', duration);
  let timeZone = window.timeZone === undefined || window.timeZone === '' ? 'UTC' : window.timeZone;
  if (!isKnownTimeZone(timeZone)) {
    report('timeZone', `unknown time zone ${JSON.stringify(timeZone)}, so the schedule is read in UTC (as Argo CD does) — use an IANA name such as "Europe/Berlin" or "America/New_York"`, false);
    timeZone = 'UTC';
  }
  if (problems.some((problem) => problem.blocking)) return { problems };
  const kind = window.kind === 'deny' ? 'deny' : 'allow';
  const cron = new Cron(window.schedule ?? '', { mode: '5-part', paused: true, timezone: timeZone });
  return { compiled: { index, window, kind, cron, durationMs: parseGoDuration(window.duration ?? '') ?? 0, timeZone }, problems };
}

/** Compiles every window of a project; the ones that cannot be used are returned as problems instead. */
export function compileSyncWindows(project: string, windows: readonly SyncWindow[] | undefined): CompiledSyncWindows {
  const compiled: CompiledSyncWindow[] = [];
  const problems: SyncWindowProblem[] = [];
  (windows ?? []).forEach((window, index) => {
    // A window with only a time-zone problem is still used (in UTC); one with a blocking problem is not.
    const result = compileOne(project, window, index);
    if (result.compiled !== undefined) compiled.push(result.compiled);
    problems.push(...result.problems);
  });
  return { windows: compiled, problems };
}
