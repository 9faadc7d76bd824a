/**
 * The `RespectIgnoreDifferences=true` sync option: before applying, the fields that ignoreDifferences selects take
 * their live values, so an apply does not revert what the rules say to leave alone (an HPA's replicas, an injected
 * sidecar, a rotated caBundle). Like Argo CD, a field the rules select that the live object lacks is dropped from the
 * object to apply; a new object (no live one) is applied as rendered.
 */
import type { IgnoreDifference } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { itemMatches } from './field-set.js';
import type { FieldElement, FieldSet } from './field-set.js';
import type { IgnoreOptions } from './ignore.js';
import { matchingIgnoreRules, selectedPaths, trustedManagersFieldSet } from './ignore.js';
import { childAt, copy, deepestLastFirst, getAt, isRecord, removeAt, setAt } from './values.js';
import type { PathStep, ValuePath } from './values.js';

/** Where a list item of the live object sits in the object to apply: by `name` when items have one, else by index. */
function matchingIndex(target: readonly unknown[], liveItem: unknown, liveIndex: number): number | undefined {
  if (isRecord(liveItem) && typeof liveItem.name === 'string') {
    const index = target.findIndex((item) => isRecord(item) && item.name === liveItem.name);
    return index === -1 ? undefined : index;
  }
  return liveIndex < target.length ? liveIndex : undefined;
}

/** A path of the live object translated into the object to apply; undefined when a list item there is missing. */
function translatePath(path: ValuePath, live: unknown, target: unknown): PathStep[] | undefined {
  const out: PathStep[] = [];
  let from = live;
  let into = target;
  for (const step of path) {
    let next: PathStep = step;
    if (Array.isArray(from) && Array.isArray(into)) {
      const index = matchingIndex(into, childAt(from, step), Number(step));
      if (index === undefined) return out.length === path.length - 1 ? [...out, into.length] : undefined;
      next = index;
    }
    out.push(next);
    from = childAt(from, step);
    into = childAt(into, next);
  }
  return out;
}

function emptyLike(value: unknown): unknown {
  return Array.isArray(value) ? [] : {};
}

const isContainer = (value: unknown): boolean => isRecord(value) || Array.isArray(value);

function copyField(live: unknown, target: unknown, name: string, set: FieldSet): void {
  if (!isRecord(live) || !isRecord(target) || !Object.hasOwn(live, name)) return;
  const value = live[name];
  if (set.children.size === 0) {
    target[name] = copy(value);
    return;
  }
  if (!isContainer(target[name])) target[name] = emptyLike(value);
  copyFieldSet(value, target[name], set);
}

function copyItem(live: unknown, target: unknown, element: FieldElement, set: FieldSet): void {
  if (!Array.isArray(live) || !Array.isArray(target)) return;
  const liveItem: unknown = live.find((item, index) => itemMatches(element, item, index));
  if (liveItem === undefined) return;
  const found = target.findIndex((item, index) => itemMatches(element, item, index));
  const index = found === -1 ? target.length : found;
  if (set.children.size === 0) {
    target[index] = copy(liveItem);
    return;
  }
  if (found === -1) target[index] = emptyLike(liveItem);
  copyFieldSet(liveItem, target[index], set);
}

/** Copies the members of `set` from `live` into `target` (in place). */
function copyFieldSet(live: unknown, target: unknown, set: FieldSet): void {
  for (const child of set.children.values()) {
    if (child.element.kind === 'field') copyField(live, target, child.element.name, child.set);
    else copyItem(live, target, child.element, child.set);
  }
}

/**
 * The object to apply with every field that the matching rules select set to its live value (or removed when the
 * live object has none): `jsonPointers`, `jqPathExpressions` and the fields of `managedFieldsManagers`.
 */
export async function respectIgnoreDifferences(desired: KubeObject, live: KubeObject | undefined, rules: readonly IgnoreDifference[], options: IgnoreOptions = {}): Promise<KubeObject> {
  const matching = matchingIgnoreRules(rules, desired);
  if (live === undefined || matching.length === 0) return desired;
  const out = copy(desired);
  for (const path of deepestLastFirst(await selectedPaths(matching, desired, options))) removeAt(out, path);
  for (const path of await selectedPaths(matching, live, options)) {
    const target = translatePath(path, live, out);
    if (target !== undefined) setAt(out, target, copy(getAt(live, path)));
  }
  const trusted = trustedManagersFieldSet(matching, live);
  if (trusted !== undefined) copyFieldSet(live, out, trusted);
  return out;
}
