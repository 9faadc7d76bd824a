/**
 * The condition operators of preconditions, deny and cleanup conditions, with Kyverno's semantics
 * (pkg/engine/variables/operator): Equals compares durations and quantities by magnitude and strings by wildcard;
 * the set operators (AnyIn, AllIn, AnyNotIn, AllNotIn, and the deprecated In/NotIn) accept a scalar or a list on
 * either side, wildcards in both directions and a `1-10` range; numeric operators also compare durations,
 * quantities and semantic versions; Duration* read plain numbers as seconds.
 */
import semver from 'semver';
import { compareNumbers, goSprint, isRecord, jsonEqual, parseDuration, parseQuantity } from './scalars.js';
import { matchValue, operatorOf } from './value-pattern.js';
import { wildcardMatch } from './wildcard.js';

export const OPERATORS = [
  'Equals', 'Equal', 'NotEquals', 'NotEqual', 'In', 'NotIn', 'AnyIn', 'AllIn', 'AnyNotIn', 'AllNotIn',
  'GreaterThan', 'GreaterThanOrEquals', 'LessThan', 'LessThanOrEquals',
  'DurationGreaterThan', 'DurationGreaterThanOrEquals', 'DurationLessThan', 'DurationLessThanOrEquals',
] as const;

/** The canonical operator for a name as written (Kyverno compares case-insensitively), or undefined. */
export function canonicalOperator(name: string): string | undefined {
  return OPERATORS.find((operator) => operator.toLowerCase() === name.toLowerCase());
}

export function evaluateOperator(operator: string, key: unknown, value: unknown): boolean {
  switch (canonicalOperator(operator)) {
    case 'Equals':
    case 'Equal':
      return equals(key, value);
    case 'NotEquals':
    case 'NotEqual':
      return !equals(key, value);
    case 'In':
      return inList(key, value) === true;
    case 'NotIn':
      return inList(key, value) === false;
    case 'AnyIn':
      return setOperator(key, value, 'any', false);
    case 'AllIn':
      return setOperator(key, value, 'all', false);
    case 'AnyNotIn':
      return setOperator(key, value, 'any', true);
    case 'AllNotIn':
      return setOperator(key, value, 'all', true);
    default:
      return compareOperator(operator, key, value);
  }
}

/** Both sides as durations when at least one is a duration text (a bare number then counts as seconds). */
function durations(key: unknown, value: unknown): [number, number] | undefined {
  const asText = (x: unknown): number | undefined => (typeof x === 'string' && x !== '0' ? parseDuration(x) : undefined);
  const k = asText(key);
  const v = asText(value);
  if (k === undefined && v === undefined) return undefined;
  const asSeconds = (x: unknown): number | undefined => (typeof x === 'number' ? x * 1000 : undefined);
  const left = k ?? asSeconds(key);
  const right = v ?? asSeconds(value);
  return left === undefined || right === undefined ? undefined : [left, right];
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return value === key;
  if (typeof key === 'number') return numberEquals(key, value);
  if (typeof key === 'string') return stringEquals(key, value);
  if (Array.isArray(key) || isRecord(key)) return jsonEqual(key, value);
  return false;
}

function numberEquals(key: number, value: unknown): boolean {
  if (typeof value === 'number') return key === value;
  if (typeof value === 'string') {
    const parsed = Number(value);
    return value.trim() !== '' && !Number.isNaN(parsed) && parsed === key;
  }
  return false;
}

function stringEquals(key: string, value: unknown): boolean {
  const pair = durations(key, value);
  if (pair !== undefined) return pair[0] === pair[1];
  const keyQuantity = parseQuantity(key);
  if (keyQuantity !== undefined && typeof value === 'string') {
    const valueQuantity = parseQuantity(value);
    return valueQuantity !== undefined && valueQuantity === keyQuantity;
  }
  return typeof value === 'string' && wildcardMatch(value, key);
}

/** Kyverno's deprecated In: undefined when the types do not fit (then neither In nor NotIn holds). */
function inList(key: unknown, value: unknown): boolean | undefined {
  const keys = Array.isArray(key) ? key.map(goSprint) : isScalar(key) ? [goSprint(key)] : undefined;
  if (keys === undefined) return undefined;
  let values: string[];
  if (Array.isArray(value)) {
    if (!Array.isArray(key)) return value.some((item) => wildcardMatch(goSprint(item), keys[0] ?? '') || wildcardMatch(keys[0] ?? '', goSprint(item)));
    if (!value.every((item) => typeof item === 'string')) return undefined;
    values = value;
  } else if (typeof value === 'string') {
    if (keys.length === 1 && wildcardMatch(value, keys[0] ?? '')) return true;
    const parsed = parseStringList(value);
    if (parsed === undefined) return undefined;
    values = parsed;
  } else return undefined;
  return keys.every((item) => values.includes(item));
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function parseStringList(text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? (parsed) : undefined;
  } catch {
    return undefined;
  }
}

function matchesEither(a: string, b: string): boolean {
  return wildcardMatch(a, b) || wildcardMatch(b, a);
}

/** AnyIn/AllIn/AnyNotIn/AllNotIn. */
function setOperator(key: unknown, value: unknown, quantifier: 'any' | 'all', negate: boolean): boolean {
  const keys = Array.isArray(key) ? key.map(goSprint) : isScalar(key) ? [goSprint(key)] : undefined;
  if (keys === undefined) return false;
  const values = valuesOf(value);
  if (values === undefined) return false;
  if (values.kind === 'range') {
    const inRange = keys.map((item) => matchValue(item, values.range));
    if (quantifier === 'any') return negate ? inRange.some((x) => !x) : inRange.some((x) => x);
    return negate ? inRange.every((x) => !x) : inRange.every((x) => x);
  }
  const found = keys.map((item) => values.list.some((candidate) => matchesEither(item, candidate)));
  if (quantifier === 'any') return negate ? found.some((x) => !x) : found.some((x) => x);
  return negate ? found.every((x) => !x) : found.every((x) => x);
}

function valuesOf(value: unknown): { kind: 'list'; list: string[] } | { kind: 'range'; range: string } | undefined {
  if (Array.isArray(value)) return { kind: 'list', list: value.map(goSprint) };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'list', list: [goSprint(value)] };
  if (typeof value !== 'string') return undefined;
  if (operatorOf(value) === '-') return { kind: 'range', range: value };
  if (value.trim().startsWith('[')) {
    const parsed = parseStringList(value);
    return parsed === undefined ? undefined : { kind: 'list', list: parsed };
  }
  return { kind: 'list', list: [value] };
}

function compareOperator(operator: string, key: unknown, value: unknown): boolean {
  const canonical = canonicalOperator(operator) ?? '';
  const isDuration = canonical.startsWith('Duration');
  const comparison = isDuration ? compareAsDurations(key, value) : compareValues(key, value);
  if (comparison === undefined) return false;
  const name = isDuration ? canonical.slice('Duration'.length) : canonical;
  switch (name) {
    case 'GreaterThan':
      return comparison > 0;
    case 'GreaterThanOrEquals':
      return comparison >= 0;
    case 'LessThan':
      return comparison < 0;
    case 'LessThanOrEquals':
      return comparison <= 0;
    default:
      return false;
  }
}

function compareAsDurations(key: unknown, value: unknown): number | undefined {
  const toMillis = (x: unknown): number | undefined => (typeof x === 'number' ? x * 1000 : typeof x === 'string' ? parseDuration(x) : undefined);
  const left = toMillis(key);
  const right = toMillis(value);
  return left === undefined || right === undefined ? undefined : compareNumbers(left, right);
}

function compareValues(key: unknown, value: unknown): number | undefined {
  const pair = durations(key, value);
  if (pair !== undefined) return compareNumbers(pair[0], pair[1]);
  if (typeof key === 'string' && typeof value === 'string') {
    const left = parseQuantity(key);
    const right = parseQuantity(value);
    if (left !== undefined && right !== undefined) return compareNumbers(left, right);
    const leftVersion = semver.parse(key);
    const rightVersion = semver.parse(value);
    if (leftVersion !== null && rightVersion !== null) return semver.compare(leftVersion, rightVersion);
  }
  const left = toNumber(key);
  const right = toNumber(value);
  return left === undefined || right === undefined ? undefined : compareNumbers(left, right);
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}
