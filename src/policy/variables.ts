/**
 * Variable substitution (`{{ expression }}`) with Kyverno's rules (pkg/engine/variables): a string that is exactly one
 * variable takes the variable's value and type; otherwise values are spliced in as text (JSON for non-strings);
 * substituted text is substituted again (nested variables) unless the variable was written `{{- … }}`; `\{{` escapes;
 * map keys are substituted too; for DELETE requests `request.object` reads `request.oldObject`; `{{@}}` is the value
 * at the same path in the object (patterns only).
 */
import { plainKey } from './anchors.js';
import { EvaluationError } from './errors.js';
import { searchExpression } from './jmespath.js';
import { isRecord } from './scalars.js';

const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;
const MAX_ROUNDS = 32;

export interface SubstitutionScope {
  /** The JSON document variables are evaluated against (request, element, context entries…). */
  readonly data: Record<string, unknown>;
  /** True for DELETE requests: `request.object` then reads `request.oldObject`. */
  readonly isDelete: boolean;
}

export function containsVariables(text: string): boolean {
  VARIABLE.lastIndex = 0;
  return VARIABLE.test(text);
}

/** Substitutes every string (and map key) in a JSON tree. `basePath` prefixes error paths. */
export function substituteTree(value: unknown, scope: SubstitutionScope, basePath = ''): unknown {
  return substituteAt(value, scope, basePath, []);
}

function substituteAt(value: unknown, scope: SubstitutionScope, path: string, objectPath: readonly string[]): unknown {
  if (typeof value === 'string') return substituteString(value, scope, path, objectPath);
  if (Array.isArray(value)) return value.map((item, index) => substituteAt(item, scope, `${path}[${index}]`, [...objectPath, String(index)]));
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const newKey = containsVariables(key) ? String(substituteString(key, scope, path, objectPath)) : key;
    result[newKey] = substituteAt(item, scope, path === '' ? key : `${path}.${key}`, [...objectPath, plainKey(key)]);
  }
  return result;
}

/** Substitutes one string; returns a non-string when the string is exactly one variable. */
export function substituteString(text: string, scope: SubstitutionScope, path = '', objectPath: readonly string[] = []): unknown {
  if (!text.includes('{{')) return text;
  let current = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    VARIABLE.lastIndex = 0;
    const found = [...current.matchAll(VARIABLE)];
    if (found.length === 0) break;
    let shallow = false;
    for (const match of found) {
      const token = match[2] ?? '';
      const { expression, isShallow } = parseToken(token);
      shallow ||= isShallow;
      const resolved = resolve(expression, scope, path, objectPath);
      if (current === token) return resolved;
      const replacement = typeof resolved === 'string' ? resolved : JSON.stringify(resolved ?? null);
      current = current.replace(token, isShallow ? replacement.replaceAll('{{', '\\{{') : replacement);
    }
    if (shallow) break;
  }
  return current.replaceAll('\\{{', '{{');
}

function parseToken(token: string): { expression: string; isShallow: boolean } {
  const inner = token.slice(2, -2).trim();
  if (inner.startsWith('-')) return { expression: inner.slice(1).trim(), isShallow: true };
  return { expression: inner, isShallow: false };
}

function resolve(expression: string, scope: SubstitutionScope, path: string, objectPath: readonly string[]): unknown {
  let query = expression;
  if (query === '@') query = atPath(scope, objectPath);
  if (scope.isDelete) query = query.replaceAll('request.object', 'request.oldObject');
  if (query === '') throw new EvaluationError(`empty variable {{ }}${path === '' ? '' : ` at ${path}`}`, path);
  try {
    return searchExpression(query, scope.data);
  } catch (error) {
    const where = path === '' ? '' : ` at ${path}`;
    throw new EvaluationError(`failed to resolve variable {{ ${expression} }}${where}: ${error instanceof Error ? error.message : String(error)}`, path);
  }
}

/** `{{@}}`: the object's value at the pattern's own path (`target` in mutate-existing, else `request.object`). */
function atPath(scope: SubstitutionScope, objectPath: readonly string[]): string {
  const prefix = scope.data.target === undefined ? 'request.object' : 'target';
  const start = objectPath.indexOf('foreach') >= 0 ? objectPath.lastIndexOf('foreach') + 1 : 0;
  const rest = objectPath.slice(start).map((part) => (/^\d+$/.test(part) ? `[${part}]` : `."${part.replaceAll('"', '\\"')}"`));
  return `${prefix}${rest.join('')}`;
}
