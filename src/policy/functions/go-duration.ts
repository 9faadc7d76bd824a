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
