/**
 * One leaf of a validate pattern against one value, with Kyverno's rules (pkg/engine/pattern): `a|b` (or), `a & b`
 * (and), operators `>`, `>=`, `<`, `<=`, `!`, ranges `1-10` and `1!-10`, Go durations and Kubernetes quantities
 * compared by magnitude, and wildcards `*`/`?` for everything compared as text. A `nil` pattern accepts "empty"
 * values; a map pattern only asks that the value is a map.
 */
import { compareNumbers, isRecord, parseDuration, parseQuantity } from './scalars.js';
import { wildcardMatch } from './wildcard.js';

type Operator = '' | '>=' | '<=' | '>' | '<' | '!' | '-' | '!-';

const RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;
const NOT_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;

export function operatorOf(pattern: string): Operator {
  if (pattern.length < 2) return '';
  for (const op of ['>=', '<=', '>', '<', '!'] as const) if (pattern.startsWith(op)) return op;
  if (NOT_RANGE.test(pattern)) return '!-';
  if (RANGE.test(pattern)) return '-';
  return '';
}

/** Whether `value` satisfies the pattern leaf `pattern` (a scalar, null or a map). */
export function matchValue(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === 'boolean') return value === pattern;
  if (typeof pattern === 'number') return matchNumber(value, pattern);
  if (pattern === null || pattern === undefined) return matchNil(value);
  if (typeof pattern === 'string') return matchStringPatterns(value, pattern);
  if (isRecord(pattern)) return isRecord(value);
  return false;
}

function matchNumber(value: unknown, pattern: number): boolean {
  if (typeof value === 'number') return value === pattern;
  if (typeof value === 'string') {
    const parsed = Number.isInteger(pattern) ? parseGoInt(value) : parseGoFloat(value);
    return parsed !== undefined && parsed === pattern;
  }
  return false;
}

function parseGoInt(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

function parseGoFloat(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed !== text) return undefined;
  const parsed = Number(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function matchNil(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string') return value === '';
  if (typeof value === 'boolean') return !value;
  return false;
}

function matchStringPatterns(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern.split('|').some((alternative) => alternative.trim().split('&').every((part) => matchStringPattern(value, part.trim())));
}

function matchStringPattern(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === '-') {
    const [, left = '', right = ''] = RANGE.exec(pattern) ?? [];
    return matchStringPattern(value, `>= ${left}`) && matchStringPattern(value, `<= ${right}`);
  }
  if (op === '!-') {
    const [, left = '', right = ''] = NOT_RANGE.exec(pattern) ?? [];
    return matchStringPattern(value, `< ${left}`) || matchStringPattern(value, `> ${right}`);
  }
  return compareLeaf(value, pattern.slice(op.length).trim(), op);
}

function compareLeaf(value: unknown, pattern: string, op: Operator): boolean {
  const duration = compareDurations(value, pattern);
  if (duration !== undefined) return applyOperator(duration, op);
  const quantity = compareQuantities(value, pattern);
  if (quantity !== undefined) return applyOperator(quantity, op);
  if (op !== '' && op !== '!') return false;
  const text = textOf(value);
  if (text === undefined) return false;
  const matched = wildcardMatch(pattern, text);
  return op === '!' ? !matched : matched;
}

function applyOperator(comparison: number, op: Operator): boolean {
  switch (op) {
    case '':
      return comparison === 0;
    case '!':
      return comparison !== 0;
    case '>':
      return comparison > 0;
    case '<':
      return comparison < 0;
    case '>=':
      return comparison >= 0;
    case '<=':
      return comparison <= 0;
    default:
      return false;
  }
}

/** Go's convertNumberToString: null reads as "0", floats with six decimals. */
function numberText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '0';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return undefined;
}

function compareDurations(value: unknown, pattern: string): number | undefined {
  const expected = parseDuration(pattern);
  const text = numberText(value);
  const actual = text === undefined ? undefined : parseDuration(text);
  return expected === undefined || actual === undefined ? undefined : compareNumbers(actual, expected);
}

function compareQuantities(value: unknown, pattern: string): number | undefined {
  const expected = parseQuantity(pattern);
  const text = numberText(value);
  const actual = text === undefined ? undefined : parseQuantity(text);
  return expected === undefined || actual === undefined ? undefined : compareNumbers(actual, expected);
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
