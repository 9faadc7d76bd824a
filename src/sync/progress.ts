/**
 * Where a running sync is, for a live view (the controller writes it to the Application's operationState): the
 * position of the current wave among all the waves this run applies, how many of its resources are applied, and
 * the entries recorded so far in this attempt. Emitted when a wave starts, as its resources are applied, and when
 * it ends (`boundary`), so a consumer may throttle everything but the boundaries.
 */
import type { ChangeEntry } from './changeset.js';

export interface SyncProgress {
  /** PreSync, Sync, PostSync or SyncFail. */
  readonly phase: string;
  /** The wave's sync-wave number. */
  readonly wave: number;
  /** 1-based position of the wave among the run's waves, and how many there are. */
  readonly position: number;
  readonly waves: number;
  readonly applied: number;
  readonly total: number;
  /** A wave just started or ended. */
  readonly boundary: boolean;
  /** The attempt's ChangeSet entries so far (every wave, not only this one). */
  readonly entries: readonly ChangeEntry[];
}

/** `wave 2/5: 7 of 12 resources applied` (hook phases named: `PreSync wave 1/5: …`). */
export function describeProgress(progress: Pick<SyncProgress, 'phase' | 'position' | 'waves' | 'applied' | 'total'>): string {
  const phase = progress.phase === 'Sync' ? '' : `${progress.phase} `;
  return `${phase}wave ${progress.position}/${progress.waves}: ${progress.applied} of ${progress.total} resource${progress.total === 1 ? '' : 's'} applied`;
}
