/** Sprig's type inspection (reflect.go), semver comparison (semver.go) and `fail`. */
import semver from 'semver';
import { GoFunctionError } from '../errors.js';
import type { GoTemplateFunction } from '../types.js';
import { goTypeName } from '../values.js';
import { str } from './convert.js';

function kindOf(value: unknown): string {
  if (value === undefined || value === null) return 'invalid';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (Array.isArray(value)) return 'slice';
  if (value instanceof Date) return 'struct';
  if (typeof value === 'function') return 'func';
  return 'map';
}

/**
 * Masterminds/semver constraints on node-semver: commas mean AND, `||` OR; a leading `v` is allowed. Like
 * Masterminds, a constraint without a pre-release never matches a pre-release version.
 */
function semverCompare(constraint: unknown, version: unknown): boolean {
  const range = str(constraint).split('||').map((part) => part.split(',').map((p) => p.trim()).join(' ')).join(' || ');
  const parsed = semver.coerce(str(version)) && semver.valid(str(version).replace(/^v/, ''), { loose: true });
  if (!parsed) throw new GoFunctionError('Invalid Semantic Version');
  let valid: string | null;
  try {
    valid = semver.validRange(range, { loose: true });
  } catch {
    valid = null;
  }
  if (valid === null) throw new GoFunctionError(`improper constraint: ${str(constraint)}`);
  return semver.satisfies(parsed, valid, { loose: true });
}

export const REFLECTION_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = {
  typeOf: (value: unknown) => goTypeName(value),
  typeIs: (target: unknown, value: unknown) => str(target) === goTypeName(value),
  typeIsLike: (target: unknown, value: unknown) => str(target) === goTypeName(value) || str(target) === `*${goTypeName(value)}`,
  kindOf,
  kindIs: (target: unknown, value: unknown) => str(target) === kindOf(value),
  semverCompare,
  fail: (message: unknown) => {
    throw new GoFunctionError(str(message));
  },
};
