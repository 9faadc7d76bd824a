/**
 * Secret values never reach a diff. `Secret` `data`/`stringData` and `SealedSecret` `spec.encryptedData` values are
 * replaced by markers *pairwise* — a value equal at both sides is `<hidden>` at both, a value that differs is
 * `<hidden>` at base and `<hidden, changed>` at head — so the diff still shows which keys were added, removed or
 * changed, and nothing else. Which fields hold secrets, and the markers, are the live diff's (src/diff/secrets.ts),
 * so both diffs look alike. This is the one place rendered objects are redacted for display. Pure.
 */
import { HIDDEN, HIDDEN_CHANGED, LAST_APPLIED_ANNOTATION, secretValuePaths } from '../diff/index.js';
import type { KubeObject } from '../model/resource.js';
import type { SecretKeyChanges } from './types.js';

const REDACTED = HIDDEN;
const REDACTED_BASE = HIDDEN;
const REDACTED_HEAD = HIDDEN_CHANGED;
const LAST_APPLIED = LAST_APPLIED_ANNOTATION;

export interface RedactedPair {
  readonly base: KubeObject | undefined;
  readonly head: KubeObject | undefined;
  /** Set when either object is a Secret or SealedSecret. */
  readonly keys?: SecretKeyChanges;
}

type Path = readonly string[];

/** The fields holding secret values for a kind, as paths from the object root. */
function secretFields(object: KubeObject | undefined): readonly Path[] {
  return object === undefined ? [] : secretValuePaths(object).map((path) => path.map(String));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function getPath(object: unknown, path: Path): unknown {
  let current = object;
  for (const part of path) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** A copy of `object` with `value` at `path` (parents copied, never mutated). */
function setPath(object: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const [first, ...rest] = path;
  if (first === undefined) return object;
  const child = object[first];
  return { ...object, [first]: rest.length === 0 ? value : setPath(isRecord(child) ? child : {}, rest, value) };
}

/** A secret map as its string values; a value that is not a map becomes one opaque entry. */
function entries(value: unknown): Map<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) return new Map([['', JSON.stringify(value)]]);
  return new Map(Object.entries(value).map(([key, item]) => [key, typeof item === 'string' ? item : JSON.stringify(item)]));
}

interface FieldResult {
  readonly base: Record<string, string> | string | undefined;
  readonly head: Record<string, string> | string | undefined;
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

function redactField(baseValue: unknown, headValue: unknown): FieldResult {
  const before = entries(baseValue);
  const after = entries(headValue);
  const result: FieldResult = { base: undefined, head: undefined, added: [], removed: [], changed: [] };
  const base: Record<string, string> = {};
  const head: Record<string, string> = {};
  for (const [key, value] of before ?? []) {
    const other = after?.get(key);
    if (other === undefined) {
      result.removed.push(key);
      base[key] = REDACTED;
    } else if (other === value) {
      base[key] = REDACTED;
    } else {
      result.changed.push(key);
      base[key] = REDACTED_BASE;
    }
  }
  for (const [key, value] of after ?? []) {
    const other = before?.get(key);
    if (other === undefined) result.added.push(key);
    head[key] = other === undefined || other === value ? REDACTED : REDACTED_HEAD;
  }
  const shape = (map: Map<string, string> | undefined, redacted: Record<string, string>): FieldResult['base'] =>
    map === undefined ? undefined : map.has('') && map.size === 1 ? (redacted[''] ?? REDACTED) : redacted;
  return { ...result, base: shape(before, base), head: shape(after, head) };
}

function withoutLastApplied(object: KubeObject): KubeObject {
  const annotations = object.metadata.annotations;
  if (annotations?.[LAST_APPLIED] === undefined) return object;
  return { ...object, metadata: { ...object.metadata, annotations: { ...annotations, [LAST_APPLIED]: REDACTED } } };
}

/**
 * Redacts the secret values of one resource as it is at base and at head (either may be absent). Objects that are
 * not Secrets or SealedSecrets are returned as they are.
 */
export function redactSecretPair(baseObject: KubeObject | undefined, headObject: KubeObject | undefined): RedactedPair {
  const fields = [...new Set([...secretFields(baseObject), ...secretFields(headObject)].map((path) => path.join('.')))].map((text) => text.split('.'));
  if (fields.length === 0) return { base: baseObject, head: headObject };
  let base = baseObject === undefined ? undefined : (withoutLastApplied(baseObject) as Record<string, unknown>);
  let head = headObject === undefined ? undefined : (withoutLastApplied(headObject) as Record<string, unknown>);
  const keys = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
  for (const path of fields) {
    const result = redactField(getPath(base, path), getPath(head, path));
    if (base !== undefined && result.base !== undefined) base = setPath(base, path, result.base);
    if (head !== undefined && result.head !== undefined) head = setPath(head, path, result.head);
    keys.added.push(...result.added);
    keys.removed.push(...result.removed);
    keys.changed.push(...result.changed);
  }
  const sorted = (list: string[]): string[] => [...new Set(list)].sort();
  return {
    base: base as KubeObject | undefined,
    head: head as KubeObject | undefined,
    keys: { added: sorted(keys.added), removed: sorted(keys.removed), changed: sorted(keys.changed) },
  };
}
