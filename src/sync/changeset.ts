/**
 * Every sync returns a ChangeSet: one entry per resource with what happened, a message and how long it took. CLI
 * output, the Application's status, notifications and the inventory are all built from it.
 */
import type { ResourceKey } from '../model/resource.js';
import { formatResourceKey } from '../model/resource.js';

export type ChangeAction = 'created' | 'configured' | 'unchanged' | 'pruned' | 'failed' | 'skipped' | 'hook-succeeded' | 'hook-failed';

export interface ChangeEntry {
  readonly key: ResourceKey;
  readonly action: ChangeAction;
  readonly message: string;
  readonly durationMs: number;
  readonly wave?: number;
  readonly phase?: string;
}

export type SyncOutcome = 'Succeeded' | 'Failed' | 'Refused';

export interface ChangeSet {
  readonly app: string;
  readonly outcome: SyncOutcome;
  /** Why the sync failed or was refused; "" when it succeeded. */
  readonly message: string;
  readonly entries: readonly ChangeEntry[];
  readonly dryRun: boolean;
  readonly attempts: number;
  readonly durationMs: number;
}

export function formatEntry(entry: ChangeEntry): string {
  const message = entry.message === '' ? '' : ` — ${entry.message}`;
  return `${formatResourceKey(entry.key)} ${entry.action}${message}`;
}

export function countActions(changeSet: ChangeSet): Readonly<Partial<Record<ChangeAction, number>>> {
  const counts: Partial<Record<ChangeAction, number>> = {};
  for (const entry of changeSet.entries) counts[entry.action] = (counts[entry.action] ?? 0) + 1;
  return counts;
}
