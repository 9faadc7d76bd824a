/**
 * expr's built-in functions that trigger conditions use (`len(app.status.conditions) > 0`,
 * `lower(app.status.health.status) == 'degraded'`, `now() - duration('5m')`). Closures (`all`, `filter`, `map`
 * with `{#…}`) cannot even be parsed, so they are a compile error, not a surprise.
 */
import { GoDuration, GoTime, describeValue, parseTime } from './time.js';
import { parseGoDuration } from '../../model/duration.js';

type Builtin = (...args: unknown[]) => unknown;

function text(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  throw new Error(`${name}() needs a string, got ${describeValue(value)}`);
}

function length(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  throw new Error(`len() needs a string, an array or a map, got ${describeValue(value)}`);
}

function list(value: unknown, name: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new Error(`${name}() needs an array, got ${describeValue(value)}`);
}

function map(value: unknown, name: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new Error(`${name}() needs a map, got ${describeValue(value)}`);
}

function duration(value: unknown): GoDuration {
  const ms = parseGoDuration(text(value, 'duration'));
  if (ms === undefined) throw new Error(`duration(): ${JSON.stringify(value)} is not a Go duration such as 5m or 1h30m`);
  return new GoDuration(ms * 1e6);
}

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  len: length,
  abs: (value) => Math.abs(Number(value)),
  int: (value) => Math.trunc(Number(value)),
  float: (value) => Number(value),
  string: (value) => (typeof value === 'string' ? value : value === undefined ? 'nil' : JSON.stringify(value)),
  lower: (value) => text(value, 'lower').toLowerCase(),
  upper: (value) => text(value, 'upper').toUpperCase(),
  trim: (value) => text(value, 'trim').trim(),
  trimPrefix: (value, prefix) => {
    const whole = text(value, 'trimPrefix');
    const cut = text(prefix, 'trimPrefix');
    return whole.startsWith(cut) ? whole.slice(cut.length) : whole;
  },
  trimSuffix: (value, suffix) => {
    const whole = text(value, 'trimSuffix');
    const cut = text(suffix, 'trimSuffix');
    return cut !== '' && whole.endsWith(cut) ? whole.slice(0, -cut.length) : whole;
  },
  hasPrefix: (value, prefix) => text(value, 'hasPrefix').startsWith(text(prefix, 'hasPrefix')),
  hasSuffix: (value, suffix) => text(value, 'hasSuffix').endsWith(text(suffix, 'hasSuffix')),
  split: (value, separator) => text(value, 'split').split(text(separator, 'split')),
  join: (value, separator) => list(value, 'join').map(String).join(separator === undefined ? '' : text(separator, 'join')),
  keys: (value) => Object.keys(map(value, 'keys')),
  values: (value) => Object.values(map(value, 'values')),
  first: (value) => list(value, 'first')[0],
  last: (value) => list(value, 'last').at(-1),
  toJSON: (value) => JSON.stringify(value, null, 2),
  now: () => new GoTime(Date.now()),
  date: (value) => parseTime(value),
  duration,
};
