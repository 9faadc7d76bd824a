/**
 * Go's duration syntax (`time.ParseDuration`), which Argo CD uses for retry backoff: "5s", "3m", "1h2m", "1.5h",
 * "300ms", "-1m". A unit is required except for "0". And its `String()`, which Kyverno's and Sprig's duration
 * functions print.
 */
const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds, or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  if (body === '0') return 0;
  if (body === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < body.length) {
    const match = PART.exec(body);
    if (match === null) return undefined;
    const [, amount = '', unit = ''] = match;
    total += Number(amount) * (UNIT_MS[unit] ?? Number.NaN);
  }
  return Number.isNaN(total) ? undefined : sign * total;
}

/** Go's time.Duration.String(): `1h0m0s`, `1m30s`, `1.5s`, `500ms`, `0s`, from milliseconds. */
export function formatGoDuration(milliseconds: number): string {
  if (milliseconds === 0) return '0s';
  const sign = milliseconds < 0 ? '-' : '';
  let nanos = BigInt(Math.round(Math.abs(milliseconds) * 1e6));
  if (nanos < 1_000_000_000n) return `${sign}${smallUnit(nanos)}`;
  const hours = nanos / 3_600_000_000_000n;
  nanos -= hours * 3_600_000_000_000n;
  const minutes = nanos / 60_000_000_000n;
  nanos -= minutes * 60_000_000_000n;
  const seconds = fraction(nanos, 1_000_000_000n);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function smallUnit(nanos: bigint): string {
  if (nanos < 1_000n) return `${nanos}ns`;
  if (nanos < 1_000_000n) return `${fraction(nanos, 1_000n)}µs`;
  return `${fraction(nanos, 1_000_000n)}ms`;
}

function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
