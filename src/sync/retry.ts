/**
 * Retry with backoff from `spec.syncPolicy.retry`, as Argo CD computes it: the n-th retry waits
 * duration × factor^(n-1), capped at maxDuration; limit -1 means no limit. Defaults: 5s, factor 2, 3m.
 */
import type { SyncPolicy } from '../model/application.js';
import { parseGoDuration } from '../model/duration.js';

export interface RetryPlan {
  /** Retries after the first attempt; Infinity for "-1". 0 when the Application has no retry policy. */
  readonly limit: number;
  delayMs(retry: number): number;
}

export function retryPlan(policy: SyncPolicy | undefined): RetryPlan {
  const retry = policy?.retry;
  if (retry === undefined) return { limit: 0, delayMs: () => 0 };
  const base = parseGoDuration(retry.backoff?.duration ?? '5s') ?? 5_000;
  const factor = retry.backoff?.factor ?? 2;
  const max = parseGoDuration(retry.backoff?.maxDuration ?? '3m') ?? 180_000;
  const limit = retry.limit === undefined ? 0 : retry.limit < 0 ? Number.POSITIVE_INFINITY : retry.limit;
  return { limit, delayMs: (n) => Math.min(max, base * factor ** Math.max(0, n - 1)) };
}
