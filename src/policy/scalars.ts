/**
 * The scalar comparisons Kyverno's patterns and operators rely on: Kubernetes quantities (`500m`, `1Gi`), Go
 * durations (`1h30m`) and the way Go prints values when a number or bool is compared as text.
 */
import { parseGoDuration } from '../model/duration.js';

const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POWERS: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** A quantity as an exact rational numerator over 10^18 (enough for every suffix), or undefined. */
export function parseQuantity(text: string): bigint | undefined {
  const match = QUANTITY.exec(text.trim());
  if (match === null) return undefined;
  const [, sign = '', number = '', suffix = ''] = match;
  const [whole = '', fraction = ''] = number.split('.');
  let exponent10 = 0;
  let binaryPower = 0;
  if (suffix in BINARY_POWERS) binaryPower = BINARY_POWERS[suffix] ?? 0;
  else if (/^[eE]/.test(suffix)) exponent10 = Number.parseInt(suffix.slice(1), 10);
  else exponent10 = DECIMAL_EXPONENTS[suffix] ?? 0;
  const shift = 18 + exponent10 - fraction.length;
  if (shift < 0 || shift > 60) return undefined;
  let value = BigInt(`${whole}${fraction}` || '0') * 10n ** BigInt(shift) * 1024n ** BigInt(binaryPower);
  if (sign === '-') value = -value;
  return value;
}

/** Milliseconds of a Go duration string, or undefined. */
export function parseDuration(text: string): number | undefined {
  return parseGoDuration(text.trim());
}

/** -1, 0 or 1. */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's fmt.Sprint of a JSON value, as Kyverno turns keys into strings for In/AnyIn. */
export function goSprint(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goSprint).join(' ')}]`;
  return `map[${Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}:${goSprint(v)}`).join(' ')}]`;
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => key in right && jsonEqual(left[key], right[key]));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
