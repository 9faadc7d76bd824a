/**
 * Runs jobs one at a time, and folds a burst of requests for the same job into one run: `request()` while a run is
 * going schedules exactly one more. Used where a change storm (a namespace full of objects, a policy edit) must lead
 * to one rebuild, not hundreds, and two rebuilds must never write at once.
 */
export class CoalescingRunner {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly job: () => Promise<void>, private readonly onError: (error: unknown) => void, private readonly delayMs = 50) {}

  /** Runs the job soon (after `delayMs`, so a burst is folded), or once more after the current run. */
  request(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start();
    }, this.delayMs);
  }

  /** Resolves when no run is going (for tests and stop). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(): void {
    this.again = false;
    this.running = this.job().catch(this.onError).finally(() => {
      this.running = undefined;
      if (this.again) this.request();
    });
  }
}
