/**
 * The work queue of the controller, keyed by application: a key is queued at most once however often it is added;
 * a key being processed is never processed twice at once (an add during processing queues it again afterwards);
 * failures back off per key, exponentially; delayed adds keep the earliest due time. `processors` keys are
 * handled in parallel. The queue knows nothing of applications — it orders work and keeps its promises.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface WorkQueueOptions {
  /** Keys handled in parallel. @default 10 */
  readonly processors?: number;
  /** First retry delay after a failure. @default 1_000 */
  readonly baseDelayMs?: number;
  /** Longest retry delay. @default 300_000 (Argo CD's 5 minutes) */
  readonly maxDelayMs?: number;
}

export type Handler = (key: string) => Promise<void>;

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  /** Added while processing: queue again when done. */
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { readonly due: number; readonly timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private wake: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: WorkQueueOptions = {}) {}

  /** Queues `key` now, or after `delayMs` (an earlier due time wins over a later one). */
  add(key: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      this.addLater(key, delayMs);
      return;
    }
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.ready.push(key);
    this.wake?.();
  }

  /** Queues `key` ahead of every key waiting (moved to the front when already waiting), now or after `delayMs`. */
  addFirst(key: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      this.addLater(key, delayMs, true);
      return;
    }
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) this.ready.splice(this.ready.indexOf(key), 1);
    this.queued.add(key);
    this.ready.unshift(key);
    this.wake?.();
  }

  /** Queues `key` after a delay that doubles with each consecutive failure. Returns the delay. */
  addAfterFailure(key: string): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const delay = Math.min(this.options.maxDelayMs ?? 300_000, (this.options.baseDelayMs ?? 1_000) * 2 ** (failures - 1));
    this.add(key, delay);
    return delay;
  }

  /** Clears the failure count of `key` (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Keys waiting (ready or delayed), for the queue-depth metric. */
  depth(): number {
    return this.queued.size + this.timers.size;
  }

  /** Runs `processors` loops until `signal` aborts; resolves when every key in hand is finished. */
  async run(handler: Handler, signal: AbortSignal): Promise<void> {
    const stop = (): void => {
      this.stopped = true;
      for (const { timer } of this.timers.values()) clearTimeout(timer);
      this.timers.clear();
      this.wake?.();
    };
    signal.addEventListener('abort', stop, { once: true });
    const loops = Array.from({ length: this.options.processors ?? 10 }, () => this.loop(handler));
    await Promise.all(loops);
    signal.removeEventListener('abort', stop);
  }

  private addLater(key: string, delayMs: number, first = false): void {
    const due = Date.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing !== undefined) {
      if (existing.due <= due) return;
      clearTimeout(existing.timer);
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (first) this.addFirst(key);
      else this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { due, timer });
  }

  private async next(): Promise<string | undefined> {
    while (!this.stopped) {
      const key = this.ready.shift();
      if (key !== undefined) {
        this.queued.delete(key);
        return key;
      }
      await new Promise<void>((resolve) => {
        const previous = this.wake;
        this.wake = () => {
          this.wake = undefined;
          previous?.();
          resolve();
        };
      });
    }
    return undefined;
  }

  private async loop(handler: Handler): Promise<void> {
    for (let key = await this.next(); key !== undefined; key = await this.next()) {
      this.processing.add(key);
      try {
        await handler(key);
      } catch {
        // The handler decides about retries (addAfterFailure); a throw must not end the loop.
      } finally {
        this.processing.delete(key);
        if (this.dirty.delete(key)) this.add(key);
      }
      // Let timers and I/O run between keys even when every handler completes synchronously.
      await sleep(0);
    }
  }
}
