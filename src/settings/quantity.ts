/**
 * Kubernetes' canonical text for a resource Quantity (`1000m` → `1`, `0.5` → `500m`, `1024Mi` → `1Gi`) and for a
 * metav1.Duration (`60s` → `1m0s`), so that a CRD field holding one compares equal however it was written — what
 * Argo CD gets by re-marshalling through the Go types. Values that do not parse are left as they are.
 */
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const NANO = 1_000_000_000n;

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

interface Parsed {
  /** The value × 10^9, rounded away from zero (Kubernetes keeps nano precision). */
  readonly nanos: bigint;
  readonly format: Format;
}

function scaled(digits: string, fraction: string, exponent10: number): bigint {
  // digits.fraction × 10^exponent10 × 10^9, rounded away from zero.
  const mantissa = BigInt(`${digits}${fraction}` || '0');
  const shift = exponent10 + 9 - fraction.length;
  if (shift >= 0) return mantissa * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return mantissa / divisor + (mantissa % divisor === 0n ? 0n : 1n);
}

function parseQuantity(text: string): Parsed | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?([a-zA-Z]*|[eE][+-]?\d+)$/.exec(text.trim());
  if (match === null) return undefined;
  const [, sign = '', digits = '', fraction = '', suffix = ''] = match;
  if (digits === '' && fraction === '') return undefined;
  let nanos: bigint;
  let format: Format;
  const binary = BINARY_SUFFIXES.indexOf(suffix);
  if (suffix !== '' && binary > 0) {
    format = 'BinarySI';
    const whole = scaled(digits, fraction, 0) * 1024n ** BigInt(binary);
    nanos = whole;
  } else if (/^[eE]/.test(suffix)) {
    format = 'DecimalExponent';
    nanos = scaled(digits, fraction, Number.parseInt(suffix.slice(1), 10));
  } else {
    const exponent = DECIMAL_SUFFIXES[suffix];
    if (exponent === undefined) return undefined;
    format = 'DecimalSI';
    nanos = scaled(digits, fraction, exponent);
  }
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

function decimalSuffix(exponent: number, format: Format): string {
  if (format === 'DecimalExponent') return exponent === 0 ? '' : `e${exponent}`;
  return Object.entries(DECIMAL_SUFFIXES).find(([, value]) => value === exponent)?.[0] ?? `e${exponent}`;
}

function binaryText(absolute: bigint): string {
  let number = absolute / NANO;
  let power = 0;
  while (power < BINARY_SUFFIXES.length - 1 && number % 1024n === 0n) {
    number /= 1024n;
    power += 1;
  }
  return `${number}${BINARY_SUFFIXES[power] ?? ''}`;
}

function decimalText(absolute: bigint, format: Format): string {
  let number = absolute;
  let exponent = -9;
  while (exponent < 18 && number % 1000n === 0n) {
    number /= 1000n;
    exponent += 3;
  }
  return `${number}${decimalSuffix(exponent, format)}`;
}

/** The canonical form of a quantity, or undefined when `value` is not one. */
export function canonicalQuantity(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const parsed = parseQuantity(String(value));
  if (parsed === undefined) return undefined;
  if (parsed.nanos === 0n) return '0';
  const absolute = parsed.nanos < 0n ? -parsed.nanos : parsed.nanos;
  const sign = parsed.nanos < 0n ? '-' : '';
  // Below 1Ki or with a fraction of a byte, a binary quantity is written in decimal form (as Kubernetes does).
  const binary = parsed.format === 'BinarySI' && absolute >= 1024n * NANO && absolute % NANO === 0n;
  return sign + (binary ? binaryText(absolute) : decimalText(absolute, parsed.format === 'BinarySI' ? 'DecimalSI' : parsed.format));
}

const DURATION_UNITS: Readonly<Record<string, bigint>> = { ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: NANO, m: 60n * NANO, h: 3600n * NANO };

/** A Go duration string in nanoseconds, or undefined. */
function parseGoDurationNanos(text: string): bigint | undefined {
  const match = /^([+-]?)((?:\d*\.?\d*(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(text.trim());
  if (match === null) return undefined;
  const [, sign = '', body = ''] = match;
  if (body === '0') return 0n;
  let total = 0n;
  for (const part of body.matchAll(/(\d*)\.?(\d*)(ns|us|µs|μs|ms|s|m|h)/g)) {
    const [, whole = '', fraction = '', unit = ''] = part;
    if (whole === '' && fraction === '') return undefined;
    const size = DURATION_UNITS[unit] ?? 0n;
    total += BigInt(whole || '0') * size + (fraction === '' ? 0n : (BigInt(fraction) * size) / 10n ** BigInt(fraction.length));
  }
  return sign === '-' ? -total : total;
}

function trimFraction(whole: bigint, remainder: bigint, digits: number): string {
  const fraction = remainder.toString().padStart(digits, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/** Go's time.Duration.String(): `1h2m3.5s`, `1m0s`, `500ms`, `0s`. Undefined when `value` is not a duration. */
export function canonicalDuration(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const nanos = parseGoDurationNanos(value);
  if (nanos === undefined) return undefined;
  if (nanos === 0n) return '0s';
  const sign = nanos < 0n ? '-' : '';
  const d = nanos < 0n ? -nanos : nanos;
  if (d < 1_000n) return `${sign}${d}ns`;
  if (d < 1_000_000n) return `${sign}${trimFraction(d / 1_000n, d % 1_000n, 3)}µs`;
  if (d < NANO) return `${sign}${trimFraction(d / 1_000_000n, d % 1_000_000n, 6)}ms`;
  const hours = d / (3600n * NANO);
  const minutes = (d / (60n * NANO)) % 60n;
  const seconds = trimFraction((d / NANO) % 60n, d % NANO, 9);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}
