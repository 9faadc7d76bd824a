/**
 * How Sprig turns its arguments into Go types: typed parameters (`string`, `int`) are checked as Go's template
 * engine checks them before the call; `interface{}` parameters go through Sprig's own conversions (strval, cast's
 * ToInt64 / ToFloat64).
 */
import { GoFunctionError } from '../errors.js';
import { formatGoValue, goTypeName, isPlainMap } from '../values.js';

function argumentError(expected: string, value: unknown): GoFunctionError {
  if (value === undefined || value === null) return new GoFunctionError(`invalid value; expected ${expected}`, { isArgumentError: true });
  return new GoFunctionError(`wrong type for value; expected ${expected}; got ${goTypeName(value)}`, { isArgumentError: true });
}

/** A `string` parameter. */
export function str(value: unknown): string {
  if (typeof value !== 'string') throw argumentError('string', value);
  return value;
}

/** An `int` parameter: integer-valued numbers only, as Go does not convert float64 to int. */
export function int(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'number' || !Number.isInteger(value)) throw argumentError('int', value);
  return value;
}

export function bool(value: unknown): boolean {
  if (typeof value !== 'boolean') throw argumentError('bool', value);
  return value;
}

/** A `map[string]interface{}` parameter. */
export function dictArg(value: unknown): Record<string, unknown> {
  if (!isPlainMap(value)) throw argumentError('map[string]interface {}', value);
  return value;
}

/** Sprig's strval: strings as they are, anything else as fmt's %v (nil is `<nil>`). */
export function strval(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return formatGoValue(value);
}

/** cast.ToInt64 as Sprig uses it: numbers truncated, strings parsed (base prefixes allowed), anything else 0. */
export function toInt64(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parseGoInteger(value.trim());
  return 0;
}

function parseGoInteger(text: string): number {
  const match = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[1-9][0-9_]*|0)$/.exec(text);
  if (!match) return 0;
  const [, sign = '', digits = '0'] = match;
  const clean = digits.replaceAll('_', '').toLowerCase();
  let magnitude: number;
  if (clean.startsWith('0x')) magnitude = Number.parseInt(clean.slice(2), 16);
  else if (clean.startsWith('0b')) magnitude = Number.parseInt(clean.slice(2), 2);
  else if (clean.startsWith('0o')) magnitude = Number.parseInt(clean.slice(2), 8);
  else if (clean.length > 1 && clean.startsWith('0')) magnitude = Number.parseInt(clean.slice(1), 8);
  else magnitude = Number.parseInt(clean, 10);
  return sign === '-' ? -magnitude : magnitude;
}

/** cast.ToFloat64: numbers as they are, numeric strings parsed, anything else 0. */
export function toFloat64(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const parsed = Number(value.trim());
    return value.trim() === '' || Number.isNaN(parsed) ? 0 : parsed;
  }
  return 0;
}

/** Sprig's strslice: a list's non-nil elements as strings; nil is empty; a scalar is a one-element list. */
export function strslice(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined).map(strval);
  return [strval(value)];
}

/** A list parameter (`interface{}` that must be a slice), or Sprig's "Cannot … on type X" error. */
export function listArg(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new GoFunctionError(`Cannot ${what} on type ${goTypeName(value)}`);
}

/** Sprig's empty: nil, false, 0, "", and empty lists and maps. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value === '';
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'bigint') return value === 0n;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainMap(value)) return Object.keys(value).length === 0;
  return false;
}

/** reflect.DeepEqual over JSON-shaped values. */
export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((item, i) => deepEqual(item, right[i]));
  if (isPlainMap(left) && isPlainMap(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key]));
  }
  return false;
}
