/**
 * `status.history`: one entry per successful sync, newest last, capped by `spec.revisionHistoryLimit` (default 10),
 * in Argo CD's shape — what `launchpad app rollback <app> <id>` (and Argo CD's own rollback) reads.
 */
import type { Application } from '../model/application.js';
import { applicationSources } from '../model/application.js';
import { isPlainObject } from '../model/values.js';

export const DEFAULT_HISTORY_LIMIT = 10;

export interface HistoryInput {
  readonly app: Application;
  readonly revisions: readonly string[];
  readonly startedAt: string;
  readonly initiatedBy: { readonly username?: string; readonly automated?: boolean };
}

export function historyWith(previous: unknown, input: HistoryInput): Record<string, unknown>[] {
  const entries = Array.isArray(previous) ? previous.filter(isPlainObject) : [];
  const lastId = entries.reduce((max, entry) => (typeof entry.id === 'number' && entry.id > max ? entry.id : max), -1);
  const sources = applicationSources(input.app);
  const multi = input.app.spec.sources !== undefined;
  const entry = {
    id: lastId + 1,
    ...(multi ? { revisions: input.revisions, sources } : { revision: input.revisions[0] ?? '', source: sources[0] ?? {} }),
    deployStartedAt: input.startedAt,
    deployedAt: new Date().toISOString(),
    initiatedBy: input.initiatedBy,
  };
  const limit = input.app.spec.revisionHistoryLimit ?? DEFAULT_HISTORY_LIMIT;
  return [...entries, entry].slice(-Math.max(1, limit));
}

/** The history entry with `id`, for a rollback. */
export function historyEntry(history: unknown, id: number): Record<string, unknown> | undefined {
  return Array.isArray(history) ? history.filter(isPlainObject).find((entry) => entry.id === id) : undefined;
}
