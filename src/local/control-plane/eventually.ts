/**
 * Waits for something a cluster does on its own time (a Deployment becoming Available, a namespace going away).
 * Tests assert the outcome, never how long it took; the timeout only stops a test that would otherwise hang.
 */
export interface EventuallyOptions {
  /** What is awaited, for the error: "Deployment/demo/web Available". */
  readonly what: string;
  /** @default 120_000 */
  readonly timeoutMs?: number;
  /** @default 250 */
  readonly intervalMs?: number;
}

/**
 * Calls `check` until it returns a value other than `undefined`/`false` and returns that value. Errors thrown by
 * `check` count as "not yet"; the last one is reported if time runs out.
 */
export async function eventually<T>(check: () => Promise<T | undefined | false>, options: EventuallyOptions): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? `; last error: ${last.message}` : '';
      throw new Error(`gave up waiting for ${options.what} after ${options.timeoutMs ?? 120_000} ms${detail}`, { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
