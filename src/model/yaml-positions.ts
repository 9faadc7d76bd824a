/**
 * Maps a field path to an offset in a parsed YAML document, so validation errors can point at the line a user
 * must edit. A field that is absent maps to its nearest existing ancestor (a missing `spec.destination` points at
 * `spec:`), which is where the user has to add it.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { FieldPath } from './field-path.js';

interface Step {
  readonly node: YamlNode | null;
  /** Start of the key that led here, when the step went through a mapping. */
  readonly keyOffset: number | undefined;
}

function startOf(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}

function keyMatches(key: unknown, segment: string | number): boolean {
  const value: unknown = isScalar(key) ? key.value : key;
  // Keys are compared as text: `1: x` is reached by the segment 1 or "1", as it is after toJS().
  return (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && String(value) === String(segment);
}

function deref(doc: Document, node: YamlNode | null): YamlNode | null {
  return isAlias(node) ? (node.resolve(doc) ?? null) : node;
}

function childOf(doc: Document, node: YamlNode | null, segment: string | number): Step | undefined {
  const target = deref(doc, node);
  if (isMap(target)) {
    // The last matching pair wins, as it does when the document is turned into a value.
    const pair = target.items.findLast((item) => keyMatches(item.key, segment));
    if (pair === undefined) return undefined;
    return { node: (pair.value ?? null) as YamlNode | null, keyOffset: startOf(pair.key) };
  }
  if (isSeq(target) && typeof segment === 'number') {
    const item = target.items[segment];
    return item === undefined ? undefined : { node: item as YamlNode | null, keyOffset: undefined };
  }
  return undefined;
}

/** A field of a mapping is pointed at by its key (where editors and people look); a list entry by its start. */
function offsetOfStep(step: Step, fallback: number): number {
  return step.keyOffset ?? startOf(step.node) ?? fallback;
}

export function offsetOfField(doc: Document.Parsed, path: FieldPath): number {
  const root = doc.contents as YamlNode | null;
  let offset = startOf(root) ?? doc.range[0];
  let current: Step = { node: root, keyOffset: undefined };
  for (const segment of path) {
    const next = childOf(doc, current.node, segment);
    if (next === undefined) break;
    current = next;
    offset = offsetOfStep(current, offset);
  }
  return offset;
}
