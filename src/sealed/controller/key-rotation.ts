/**
 * When to make a new sealing key, as Bitnami's controller decides: at start when there is none or the newest is
 * older than `--key-cutoff-time`; then every `--key-renew-period` (720h by default, 0 = never), the first renewal
 * coming when the newest key reaches that age (a restart does not reset the clock). Old keys are never removed.
 */
import { LaunchpadError } from '../../errors.js';
import { parseGoDuration } from '../../model/duration.js';

/** `--key-renew-period`: a Go duration, 0 turns renewal off. */
export function parseKeyRenewPeriod(text: string): number {
  const ms = parseGoDuration(text.trim());
  if (ms === undefined || ms < 0) throw new LaunchpadError(`--key-renew-period ${text}: not a duration`, { fix: 'use Go duration syntax such as 720h or 30m, or 0 to turn renewal off' });
  return ms;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Go's time.RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700".
const RFC1123Z = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/** `--key-cutoff-time`, in Bitnami's format (RFC 1123 with a numeric zone, `date -R`). */
export function parseKeyCutoffTime(text: string): Date {
  const match = RFC1123Z.exec(text.trim());
  const month = MONTHS.indexOf(match?.[2] ?? '');
  if (match === null || month === -1) {
    throw new LaunchpadError(`--key-cutoff-time ${JSON.stringify(text)}: not an RFC 1123 time with a numeric zone`, { fix: 'use the format of `date -R`, e.g. "Mon, 02 Jan 2026 15:04:05 +0000"' });
  }
  const [, day, , year, hour, minute, second, sign, zoneHours, zoneMinutes] = match;
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes));
  const utc = Date.UTC(Number(year), month, Number(day), Number(hour), Number(minute), Number(second)) - offsetMinutes * 60_000;
  return new Date(utc);
}

/** Whether a key must be made before unsealing starts. */
export function needsKeyAtStart(newest: Date | undefined, cutoff: Date | undefined): boolean {
  return newest === undefined || (cutoff !== undefined && newest.getTime() < cutoff.getTime());
}

/** How long until the newest key is `periodMs` old (0 when it already is). */
export function firstRenewalDelayMs(newest: Date, periodMs: number, now: Date = new Date()): number {
  return Math.max(0, periodMs - (now.getTime() - newest.getTime()));
}

/** Node's timers overflow past 2^31-1 ms (24.8 days), less than the 30-day default: long waits go in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function sleepFor(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const step = Math.min(ms, MAX_TIMER_MS);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      if (ms > step) void sleepFor(ms - step, signal).then(resolve);
      else resolve(true);
    }, step);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls `renew` after `initialDelayMs`, then every `periodMs`, until `signal` aborts. A failing renewal is reported
 * and tried again at the next period, as Bitnami's job does. Resolves when stopped.
 */
export async function runKeyRenewal(options: {
  readonly periodMs: number;
  readonly initialDelayMs: number;
  readonly signal: AbortSignal;
  readonly renew: () => Promise<unknown>;
  readonly onError: (error: unknown) => void;
}): Promise<void> {
  if (options.periodMs <= 0) return;
  let delay = options.initialDelayMs;
  while (await sleepFor(delay, options.signal)) {
    try {
      await options.renew();
    } catch (error) {
      options.onError(error);
    }
    delay = options.periodMs;
  }
}
