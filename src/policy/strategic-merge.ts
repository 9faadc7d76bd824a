/**
 * `patchStrategicMerge` with Kyverno's anchors: a map whose conditional anchors `(key): pattern` do not hold is left
 * alone, a global anchor `<(key)` that does not hold skips the whole rule, `+(key)` adds only where the key is absent.
 * Lists of maps merge by their merge key (`name` for containers, env, volumes…; `mountPath`, `containerPort`, `port`
 * where Kubernetes uses those); a list element holding only anchors and fields patches every element it matches;
 * other lists are replaced. `null` deletes a key and `$patch: delete` removes a list element, as in Kubernetes.
 */
import { parseAnchor } from './anchors.js';
import { matchPattern } from './pattern.js';
import { isRecord, jsonEqual } from './scalars.js';

/** Thrown when a global anchor does not hold: the rule does not apply. */
export class GlobalAnchorSkip extends Error {
  constructor(readonly path: string) {
    super(`global anchor condition not met at ${path}`);
    this.name = 'GlobalAnchorSkip';
  }
}

const MERGE_KEYS: Readonly<Record<string, string>> = { volumeMounts: 'mountPath', volumeDevices: 'devicePath', hostAliases: 'ip' };

/** Removes anchors from a patch (for values that are added as they are). */
export function stripAnchors(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAnchors);
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const anchor = parseAnchor(key);
    if (anchor?.type === 'condition' || anchor?.type === 'global') continue;
    result[anchor?.key ?? key] = stripAnchors(item);
  }
  return result;
}

function conditionsHold(resource: Record<string, unknown>, patch: Record<string, unknown>, path: string): boolean {
  for (const [key, value] of Object.entries(patch)) {
    const anchor = parseAnchor(key);
    if (anchor?.type !== 'condition' && anchor?.type !== 'global') continue;
    const holds = Object.hasOwn(resource, anchor.key) && matchPattern(resource[anchor.key], value) === undefined;
    if (holds) continue;
    if (anchor.type === 'global') {
      if (!Object.hasOwn(resource, anchor.key)) continue;
      throw new GlobalAnchorSkip(`${path}/${anchor.key}`);
    }
    return false;
  }
  return true;
}

export function strategicMerge(resource: unknown, patch: unknown, path = '', field = ''): unknown {
  if (isRecord(patch)) return mergeMap(isRecord(resource) ? resource : undefined, patch, path);
  if (Array.isArray(patch)) return mergeList(Array.isArray(resource) ? resource : undefined, patch, path, field);
  return patch;
}

function mergeMap(resource: Record<string, unknown> | undefined, patch: Record<string, unknown>, path: string): unknown {
  if (patch.$patch === 'replace') return stripAnchors(Object.fromEntries(Object.entries(patch).filter(([key]) => key !== '$patch')));
  if (resource !== undefined && !conditionsHold(resource, patch, path)) return resource;
  if (resource === undefined && Object.keys(patch).some((key) => parseAnchor(key)?.type === 'condition')) return resource;
  const result: Record<string, unknown> = { ...(resource ?? {}) };
  for (const [key, value] of Object.entries(patch)) mergeKey(result, key, value, path);
  return result;
}

function mergeKey(result: Record<string, unknown>, key: string, value: unknown, path: string): void {
  const anchor = parseAnchor(key);
  // Anchored keys are conditions only (checked before); they are never written.
  if (anchor?.type === 'condition' || anchor?.type === 'global') return;
  if (anchor?.type === 'addIfNotPresent') {
    if (!Object.hasOwn(result, anchor.key)) result[anchor.key] = stripAnchors(value);
    return;
  }
  const name = anchor?.key ?? key;
  if (value === null) {
    Reflect.deleteProperty(result, name);
    return;
  }
  const merged = strategicMerge(result[name], value, `${path}/${name}`, name);
  if (merged !== undefined) result[name] = merged;
}

function mergeKeyFor(field: string, patch: readonly unknown[]): string | undefined {
  const maps = patch.filter(isRecord).map((item) => stripAnchors(item) as Record<string, unknown>);
  if (maps.length === 0 || maps.length !== patch.length) return undefined;
  const preferred = MERGE_KEYS[field];
  if (preferred !== undefined && maps.every((item) => preferred in item)) return preferred;
  if (field === 'ports') return maps.every((item) => 'containerPort' in item) ? 'containerPort' : maps.every((item) => 'port' in item) ? 'port' : undefined;
  return maps.every((item) => 'name' in item) ? 'name' : undefined;
}

function isAnchoredElement(item: unknown): boolean {
  if (!isRecord(item)) return false;
  return Object.entries(item).some(([key]) => parseAnchor(key)?.type === 'condition' || parseAnchor(key)?.type === 'global');
}

function mergeList(resource: unknown[] | undefined, patch: unknown[], path: string, field: string): unknown[] | undefined {
  const anchored = patch.filter(isAnchoredElement);
  if (anchored.length > 0) {
    // Elements with conditional anchors patch every existing element they match; they never add elements.
    let result = resource === undefined ? undefined : [...resource];
    for (const element of anchored) {
      result = result?.map((item, index) => strategicMerge(item, element, `${path}/${index}`, field));
    }
    const rest = patch.filter((item) => !isAnchoredElement(item));
    return rest.length === 0 ? result : mergeList(result, rest, path, field);
  }
  const key = mergeKeyFor(field, patch);
  if (key === undefined || resource === undefined) return resource === undefined && key !== undefined ? patch.filter((item) => !(isRecord(item) && item.$patch === 'delete')).map(stripAnchors) : (stripAnchors(patch) as unknown[]);
  const result = [...resource];
  for (const item of patch) {
    const element = item as Record<string, unknown>;
    const plain = stripAnchors(element) as Record<string, unknown>;
    const at = result.findIndex((existing) => isRecord(existing) && jsonEqual(existing[key], plain[key]));
    if (element.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
      continue;
    }
    if (at >= 0) result[at] = strategicMerge(result[at], element, `${path}/${at}`, field);
    else result.push(plain);
  }
  return result;
}
