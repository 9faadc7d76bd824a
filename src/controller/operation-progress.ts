/**
 * Publishes a running sync's progress on the Application, as Argo CD does: `operationState.message` says where the
 * run is (`wave 2/5: 7 of 12 resources applied`) and `operationState.syncResult.resources` grows as resources are
 * applied. Writes are throttled — at most one per interval per application — except at wave boundaries, which are
 * always written, so a sync of hundreds of resources does not flood the API server. Writes run one after another, and
 * `close()` waits for the last, so none can land after the operation's final state.
 */
import type { ChangeEntry } from '../sync/changeset.js';
import type { SyncProgress } from '../sync/progress.js';
import { describeProgress } from '../sync/progress.js';

export interface ProgressSnapshot {
  readonly message: string;
  readonly entries: readonly ChangeEntry[];
}

export interface OperationProgressOptions {
  /** Writes one snapshot (the caller turns it into an operationState patch). */
  readonly write: (snapshot: ProgressSnapshot) => Promise<void>;
  /** Minimum time between two throttled writes. @default 500 */
  readonly intervalMs?: number;
}

export class OperationProgress {
  private message = '';
  private entries: readonly ChangeEntry[] = [];
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** Set when there is something not written yet. */
  private dirty = false;

  constructor(private readonly options: OperationProgressOptions) {}

  /** A progress event of the sync engine. */
  progress(progress: SyncProgress): void {
    this.entries = progress.entries;
    this.message = describeProgress(progress);
    this.changed(progress.boundary);
  }

  /** The wave is applied and its health awaited: say what it waits for. */
  waiting(pending: readonly { readonly resource: string }[]): void {
    if (pending.length === 0) return;
    const base = this.message.replace(/; waiting for .*$/, '');
    const first = pending[0]?.resource ?? '';
    this.message = `${base}; waiting for ${pending.length === 1 ? first : `${pending.length} resources (${first}, …)`} to become healthy`;
    this.changed(false);
  }

  /** Any other message of the engine (a retry's backoff, why nothing is pruned). */
  say(message: string): void {
    this.message = message;
    this.changed(false);
  }

  /** Stops writing and waits for a write under way. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  private changed(now: boolean): void {
    if (this.closed) return;
    this.dirty = true;
    const interval = this.options.intervalMs ?? 500;
    const wait = this.lastWrite + interval - Date.now();
    if (now || wait <= 0) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => { this.timer = undefined; this.flush(); }, wait);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    this.lastWrite = Date.now();
    const snapshot: ProgressSnapshot = { message: this.message, entries: [...this.entries] };
    // A failed progress write is not a failed sync: the next one (or the final state) carries the same information.
    this.chain = this.chain.then(() => (this.closed ? undefined : this.options.write(snapshot))).catch(() => undefined);
  }
}
