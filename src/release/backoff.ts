/**
 * How long to wait before the next push attempt: exponential from `baseMs`, capped, with full jitter so that
 * pipelines that lost the same race do not all come back at the same moment. Pure apart from the random source.
 */

export interface BackoffOptions {
  /** @default 100 */
  readonly baseMs?: number;
  /** @default 5000 */
  readonly maxMs?: number;
  /** @default Math.random */
  readonly random?: () => number;
}

/** Delay before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 100;
  const ceiling = Math.min(options.maxMs ?? 5000, base * 2 ** Math.max(0, attempt - 1));
  // Full jitter, but never less than a tenth of the base: a retry that fires at once only loses again.
  return Math.max(base / 10, Math.round((options.random ?? Math.random)() * ceiling));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
