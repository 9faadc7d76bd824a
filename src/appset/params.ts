/**
 * Generator parameters as Argo CD's ApplicationSet controller handles them: one plain object per Application to
 * generate. In fasttemplate mode every value is a string under a dotted key (`path.basename`, `values.env`); with
 * `goTemplate: true` values keep their structure (`.path.basename`, `.metadata.labels`). This module holds the
 * few value rules Argo CD's Go code gets from its libraries: `fmt.Sprintf("%v")`, flatten's dot style, mergo.
 */
import { isPlainObject } from '../model/values.js';

/** One set of parameters: what one Application is rendered from. */
export type Params = Record<string, unknown>;

/** A value as Go's `fmt.Sprintf("%v", v)` prints JSON-decoded data (maps as `map[a:1]`, lists as `[a b]`). */
export function goString(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goString).join(' ')}]`;
  if (isPlainObject(value)) return `map[${Object.keys(value).sort().map((key) => `${key}:${goString(value[key])}`).join(' ')}]`;
  // Nothing else comes from parsed YAML or JSON; a bigint prints its digits, anything stranger its type.
  return typeof value === 'bigint' ? value.toString() : Object.prototype.toString.call(value);
}

/**
 * Nested maps and lists as one level of dotted keys (`a.b`, `list.0`), leaves printed with %v — how Argo CD
 * flattens a Git file's content (fasttemplate mode) and every parameter set before a generator's `selector` reads it.
 * Empty maps and lists produce no key, as in the flatten library.
 */
export function flattenParams(value: Readonly<Record<string, unknown>>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (current: unknown, key: string): void => {
    if (isPlainObject(current)) {
      for (const [child, inner] of Object.entries(current)) visit(inner, key === '' ? child : `${key}.${child}`);
    } else if (Array.isArray(current)) {
      current.forEach((inner, index) => { visit(inner, `${key}.${index}`); });
    } else {
      out[key] = goString(current);
    }
  };
  for (const [key, inner] of Object.entries(value)) visit(inner, prefix === '' ? key : `${prefix}.${key}`);
  return out;
}

/** Go's notion of an empty value, which mergo never copies over a set one: "", 0, false, nil, empty list or map. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/**
 * `mergo.Merge(dst, src, mergo.WithOverride)` on parameter maps: nested maps merge key by key, any other non-empty
 * value of `src` replaces `dst`'s, and an empty `src` value never erases a set one. Returns a new object.
 */
export function mergeOverride(dst: Readonly<Params>, src: Readonly<Params>): Params {
  const out: Params = { ...dst };
  for (const [key, value] of Object.entries(src)) {
    const current = out[key];
    if (isPlainObject(current) && isPlainObject(value)) out[key] = mergeOverride(current, value);
    else if (!isEmptyValue(value) || !(key in out)) out[key] = value;
  }
  return out;
}

/**
 * `mergo.Merge(dst, src)` without override on a generator's template and the set's template: whatever the generator
 * sets wins, the set's template fills what it leaves empty; objects merge field by field, lists are taken whole.
 */
export function mergeFillEmpty(dst: unknown, src: unknown): unknown {
  if (isPlainObject(dst) && isPlainObject(src)) {
    const out: Record<string, unknown> = { ...dst };
    for (const [key, value] of Object.entries(src)) out[key] = mergeFillEmpty(out[key], value);
    return out;
  }
  return isEmptyValue(dst) ? src : dst;
}

/** A deep copy of JSON data (parameters and templates are never shared between generated Applications). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}
