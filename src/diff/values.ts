/**
 * Plain-JSON helpers the diff works with: deep equality, deep copies, and paths into objects (as jq and JSON
 * pointers give them: field names and array indices).
 */
import { LaunchpadError } from '../errors.js';
import type { LaunchpadErrorOptions } from '../errors.js';

/** A problem with the diff's input or with an ignoreDifferences rule. Never carries a field value. */
export class DiffError extends LaunchpadError {
  constructor(message: string, options: LaunchpadErrorOptions = {}) {
    super(message, options);
  }
}

export type JsonRecord = Record<string, unknown>;

/** One step into a value: a field name, or an array index (a string of digits also indexes an array). */
export type PathStep = string | number;
export type ValuePath = readonly PathStep[];

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}

/** A deep copy of a JSON value. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

function arrayIndex(step: PathStep, length: number): number | undefined {
  const index = typeof step === 'number' ? step : /^(0|[1-9][0-9]*)$/.test(step) ? Number(step) : Number.NaN;
  return Number.isInteger(index) && index >= 0 && index < length ? index : undefined;
}

/** The child of a container at one step, undefined when absent. */
export function childAt(container: unknown, step: PathStep): unknown {
  if (Array.isArray(container)) {
    const index = arrayIndex(step, container.length);
    return index === undefined ? undefined : container[index];
  }
  return isRecord(container) && Object.hasOwn(container, String(step)) ? container[String(step)] : undefined;
}

export function getAt(value: unknown, path: ValuePath): unknown {
  let current = value;
  for (const step of path) {
    current = childAt(current, step);
    if (current === undefined) return undefined;
  }
  return current;
}

/** Removes the value at `path` in place; false when there was nothing there (as a JSON patch "remove" that fails). */
export function removeAt(root: unknown, path: ValuePath): boolean {
  const last = path.at(-1);
  if (last === undefined) return false;
  const parent = getAt(root, path.slice(0, -1));
  if (Array.isArray(parent)) {
    const index = arrayIndex(last, parent.length);
    if (index === undefined) return false;
    parent.splice(index, 1);
    return true;
  }
  if (!isRecord(parent) || !Object.hasOwn(parent, String(last))) return false;
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the key comes from a path
  delete parent[String(last)];
  return true;
}

/** Sets the value at `path` in place, creating missing maps on the way; false when the path runs through a scalar. */
export function setAt(root: unknown, path: ValuePath, value: unknown): boolean {
  const last = path.at(-1);
  if (last === undefined) return false;
  let current = root;
  for (const [position, step] of path.slice(0, -1).entries()) {
    let next = childAt(current, step);
    // Missing maps are created; a missing list is not (there is no item to put the value in).
    if (next === undefined && isRecord(current) && typeof path[position + 1] !== 'number') {
      next = {};
      current[String(step)] = next;
    }
    if (next === undefined) return false;
    current = next;
  }
  if (Array.isArray(current)) {
    const index = arrayIndex(last, current.length + 1);
    if (index === undefined) return false;
    current[index] = value;
    return true;
  }
  if (!isRecord(current)) return false;
  current[String(last)] = value;
  return true;
}

function compareSteps(a: PathStep, b: PathStep): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Orders paths so that removing them in this order never shifts an index still to be removed (jq's delpaths). */
export function deepestLastFirst(paths: readonly ValuePath[]): ValuePath[] {
  const compare = (a: ValuePath, b: ValuePath): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const order = compareSteps(a[i] ?? '', b[i] ?? '');
      if (order !== 0) return -order;
    }
    return b.length - a.length;
  };
  return [...paths].sort(compare);
}

function isEmptyContainer(value: unknown): boolean {
  return (isRecord(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0);
}

/** Removes empty maps and lists, recursively, as Argo CD does to both sides once an ignore rule matched. */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty).filter((item) => !(isRecord(item) && isEmptyContainer(item)));
  if (!isRecord(value)) return value;
  const out: JsonRecord = {};
  for (const [key, child] of Object.entries(value)) {
    const pruned = pruneEmpty(child);
    if (!isEmptyContainer(pruned)) out[key] = pruned;
  }
  return out;
}

/**
 * An RFC 6901 JSON pointer as path steps: `/spec/replicas` → ["spec", "replicas"], `~1` is "/" and `~0` is "~".
 * Throws a DiffError naming the pointer when it is not one.
 */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new DiffError(`ignoreDifferences: jsonPointer "${pointer}" does not start with "/"`, { fix: 'write it as in RFC 6901, e.g. /spec/replicas' });
  }
  return pointer.slice(1).split('/').map((token) => {
    if (/~[^01]|~$/.test(token)) {
      throw new DiffError(`ignoreDifferences: jsonPointer "${pointer}" has an invalid escape in "${token}"`, { fix: 'escape "~" as ~0 and "/" as ~1' });
    }
    return token.replace(/~1/g, '/').replace(/~0/g, '~');
  });
}
