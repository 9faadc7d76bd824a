/** Sprig's dict functions (dict.go) and defaults (defaults.go). `set`/`unset`/`merge` change the dict, as in Go. */
import type { GoTemplateFunction } from '../types.js';
import { isPlainMap } from '../values.js';
import { compareBytes } from './strings.js';
import { bool, deepEqual, dictArg, isEmpty, str, strval } from './convert.js';

function dict(...pairs: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < pairs.length; i += 2) out[strval(pairs[i])] = i + 1 < pairs.length ? pairs[i + 1] : '';
  return out;
}

function keys(...dicts: unknown[]): string[] {
  // Go's map order is random; sorted is one of its orders and the only stable one.
  return dicts.flatMap((d) => Object.keys(dictArg(d))).sort(compareBytes);
}

function values(d: unknown): unknown[] {
  const map = dictArg(d);
  return Object.keys(map).sort(compareBytes).map((key) => map[key]);
}

function pick(d: unknown, ...names: unknown[]): Record<string, unknown> {
  const map = dictArg(d);
  const wanted = names.map(str);
  return Object.fromEntries(Object.entries(map).filter(([key]) => wanted.includes(key)));
}

function omit(d: unknown, ...names: unknown[]): Record<string, unknown> {
  const map = dictArg(d);
  const unwanted = names.map(str);
  return Object.fromEntries(Object.entries(map).filter(([key]) => !unwanted.includes(key)));
}

function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (isPlainMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)])) as T;
  return value;
}

/** mergo.Merge into dst: keys dst lacks (or holds an empty value for) come from src; nested maps merge deeply. */
function mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>, overwrite: boolean): void {
  for (const [key, value] of Object.entries(src)) {
    const current = dst[key];
    if (isPlainMap(current) && isPlainMap(value)) mergeInto(current, value, overwrite);
    else if (!Object.hasOwn(dst, key) || isEmpty(current) || (overwrite && !isEmpty(value))) dst[key] = deepCopy(value);
  }
}

function merge(overwrite: boolean) {
  return (dst: unknown, ...srcs: unknown[]): Record<string, unknown> => {
    const target = dictArg(dst);
    for (const src of srcs) mergeInto(target, dictArg(src), overwrite);
    return target;
  };
}

function dig(...args: unknown[]): unknown {
  const map = dictArg(args[args.length - 1]);
  const fallback = args[args.length - 2];
  const path = args.slice(0, -2).map(str);
  let current: unknown = map;
  for (const key of path) {
    if (!isPlainMap(current) || !Object.hasOwn(current, key)) return fallback;
    current = current[key];
  }
  return current;
}

export const DICT_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = {
  dict,
  get: (d: unknown, key: unknown) => {
    const map = dictArg(d);
    const k = str(key);
    return Object.hasOwn(map, k) ? map[k] : '';
  },
  set: (d: unknown, key: unknown, value: unknown) => {
    const map = dictArg(d);
    map[str(key)] = value;
    return map;
  },
  unset: (d: unknown, key: unknown) => {
    const map = dictArg(d);
    const k = str(key);
    if (Object.hasOwn(map, k)) Reflect.deleteProperty(map, k);
    return map;
  },
  hasKey: (d: unknown, key: unknown) => Object.hasOwn(dictArg(d), str(key)),
  pluck: (name: unknown, ...dicts: unknown[]) => {
    const key = str(name);
    return dicts.map(dictArg).filter((map) => Object.hasOwn(map, key)).map((map) => map[key]);
  },
  keys,
  values,
  pick,
  omit,
  merge: merge(false),
  mustMerge: merge(false),
  mergeOverwrite: merge(true),
  mustMergeOverwrite: merge(true),
  deepCopy: (value: unknown) => deepCopy(value),
  mustDeepCopy: (value: unknown) => deepCopy(value),
  dig,
  // defaults.go
  default: (fallback: unknown, ...given: unknown[]) => (given.length === 0 || isEmpty(given[0]) ? fallback : given[0]),
  empty: (value: unknown) => isEmpty(value),
  coalesce: (...values: unknown[]) => values.find((value) => !isEmpty(value)) ?? null,
  all: (...values: unknown[]) => values.every((value) => !isEmpty(value)),
  any: (...values: unknown[]) => values.some((value) => !isEmpty(value)),
  ternary: (whenTrue: unknown, whenFalse: unknown, condition: unknown) => (bool(condition) ? whenTrue : whenFalse),
  deepEqual: (left: unknown, right: unknown) => deepEqual(left, right),
};
