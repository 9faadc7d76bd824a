/**
 * Field sets in the structured-merge-diff notation of `metadata.managedFields[].fieldsV1`:
 *   `f:<name>`   a field of a map             `k:{"name":"web"}`  the list item whose key fields have these values
 *   `v:<json>`   the list item equal to this   `i:<n>`             the list item at this index
 *   `.`          the map or item itself (it exists because of this manager)
 * A member with no children (`"f:replicas": {}`) owns the whole value under it. Pure; no I/O.
 */
import type { KubeObject } from '../model/resource.js';
import { DiffError, deepEqual, isRecord } from './values.js';
import type { JsonRecord } from './values.js';

export type FieldElement =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'key'; readonly keys: Readonly<JsonRecord> }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'index'; readonly index: number };

export interface FieldSet {
  /** `.` was present: the map or list item itself is a member. */
  readonly self: boolean;
  /** Children by their fieldsV1 key (`f:spec`, `k:{"name":"web"}`, …). None: the whole value is a member. */
  readonly children: ReadonlyMap<string, FieldSetChild>;
}

export interface FieldSetChild {
  readonly element: FieldElement;
  readonly set: FieldSet;
}

function parseJsonElement(raw: string, what: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new DiffError(`${what}: "${raw}" is not JSON`, { cause: error });
  }
}

function parseElement(key: string, what: string): FieldElement {
  const body = key.slice(2);
  if (key.startsWith('f:')) return { kind: 'field', name: body };
  if (key.startsWith('k:')) {
    const keys = parseJsonElement(body, what);
    if (!isRecord(keys)) throw new DiffError(`${what}: list key "${key}" is not a JSON object`);
    return { kind: 'key', keys };
  }
  if (key.startsWith('v:')) return { kind: 'value', value: parseJsonElement(body, what) };
  if (key.startsWith('i:') && /^[0-9]+$/.test(body)) return { kind: 'index', index: Number(body) };
  throw new DiffError(`${what}: unknown path element "${key}"`, { fix: 'fieldsV1 keys start with f:, k:, v:, i: or are "."' });
}

/** Parses one `fieldsV1` object. `what` names it in errors, e.g. `Deployment/shop/web managedFields[0]`. */
export function parseFieldsV1(fieldsV1: unknown, what = 'fieldsV1'): FieldSet {
  if (!isRecord(fieldsV1)) throw new DiffError(`${what}: fieldsV1 is not an object`);
  const children = new Map<string, FieldSetChild>();
  let self = false;
  for (const [key, value] of Object.entries(fieldsV1)) {
    if (key === '.') {
      self = true;
      continue;
    }
    children.set(key, { element: parseElement(key, what), set: parseFieldsV1(value, what) });
  }
  return { self, children };
}

const isWhole = (set: FieldSet): boolean => set.children.size === 0;

/** Every member of either set. A member that owns a whole value absorbs the other side's finer members. */
export function unionFieldSets(a: FieldSet, b: FieldSet): FieldSet {
  if (isWhole(a) || isWhole(b)) return { self: a.self || b.self, children: new Map() };
  const children = new Map(a.children);
  for (const [key, child] of b.children) {
    const mine = children.get(key);
    children.set(key, mine === undefined ? child : { element: child.element, set: unionFieldSets(mine.set, child.set) });
  }
  return { self: a.self || b.self, children };
}

export interface ManagedFieldsFilter {
  readonly manager: string;
  /** Only entries with this operation (`Apply` or `Update`); any when absent. */
  readonly operation?: string;
}

/** The union of the field sets of an object's managedFields entries by this manager; undefined when it has none. */
export function managedFieldSet(object: KubeObject, filter: ManagedFieldsFilter): FieldSet | undefined {
  const entries = object.metadata.managedFields;
  if (!Array.isArray(entries)) return undefined;
  let result: FieldSet | undefined;
  entries.forEach((entry: unknown, index) => {
    if (!isRecord(entry) || entry.manager !== filter.manager) return;
    if (filter.operation !== undefined && entry.operation !== filter.operation) return;
    const set = parseFieldsV1(entry.fieldsV1 ?? {}, `${object.kind}/${String(object.metadata.name)} managedFields[${index}]`);
    result = result === undefined ? set : unionFieldSets(result, set);
  });
  return result;
}

/** Whether a list item is the one a list element names. */
export function itemMatches(element: FieldElement, item: unknown, index: number): boolean {
  switch (element.kind) {
    case 'key':
      return isRecord(item) && Object.entries(element.keys).every(([name, value]) => deepEqual(item[name], value));
    case 'value':
      return deepEqual(item, element.value);
    case 'index':
      return element.index === index;
    case 'field':
      return false;
  }
}

function childForItem(set: FieldSet, item: unknown, index: number): FieldSetChild | undefined {
  for (const child of set.children.values()) if (itemMatches(child.element, item, index)) return child;
  return undefined;
}

/** The part of `value` that the set's members cover: maps keep covered fields, lists keep covered items. */
export function projectOntoFieldSet(value: unknown, set: FieldSet): unknown {
  if (isWhole(set)) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item: unknown, index) => {
      const child = childForItem(set, item, index);
      if (child !== undefined) out.push(projectOntoFieldSet(item, child.set));
    });
    return out;
  }
  if (!isRecord(value)) return value;
  const out: JsonRecord = {};
  for (const child of set.children.values()) {
    if (child.element.kind !== 'field' || !Object.hasOwn(value, child.element.name)) continue;
    out[child.element.name] = projectOntoFieldSet(value[child.element.name], child.set);
  }
  return out;
}

/** `value` without the set's members; undefined when nothing is left of a member that was itself in the set. */
export function removeFieldSet(value: unknown, set: FieldSet): unknown {
  if (isWhole(set)) return undefined;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item: unknown, index) => {
      const child = childForItem(set, item, index);
      const kept = child === undefined ? item : removeFieldSet(item, child.set);
      if (kept !== undefined) out.push(kept);
    });
    return out;
  }
  if (!isRecord(value)) return value;
  const out: JsonRecord = { ...value };
  for (const child of set.children.values()) {
    if (child.element.kind !== 'field' || !Object.hasOwn(value, child.element.name)) continue;
    const kept = removeFieldSet(value[child.element.name], child.set);
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the key comes from the field set
    if (kept === undefined) delete out[child.element.name];
    else out[child.element.name] = kept;
  }
  return set.self && Object.keys(out).length === 0 ? undefined : out;
}

/** The field set that covers every field of a plain value, lists atomic: what a manifest alone says it sets. */
export function fieldSetOfValue(value: unknown): FieldSet {
  if (!isRecord(value) || Object.keys(value).length === 0) return { self: true, children: new Map() };
  const children = new Map<string, FieldSetChild>();
  for (const [name, child] of Object.entries(value)) {
    children.set(`f:${name}`, { element: { kind: 'field', name }, set: fieldSetOfValue(child) });
  }
  return { self: true, children };
}

/** The set with the child `from` merged into the child `to` (for Secrets: `stringData` fields are `data` fields). */
export function mergeFieldInto(set: FieldSet, from: string, to: string): FieldSet {
  const source = set.children.get(`f:${from}`);
  if (source === undefined) return set;
  const children = new Map(set.children);
  children.delete(`f:${from}`);
  const target = children.get(`f:${to}`);
  children.set(`f:${to}`, { element: { kind: 'field', name: to }, set: target === undefined ? source.set : unionFieldSets(target.set, source.set) });
  return { self: set.self, children };
}
