/**
 * Secret values are never shown: not in diffs, not in-sync, not in errors, not base64-encoded. Only the keys are
 * shown, with whether each was added, removed or changed. Pure.
 */
import { groupOf } from '../model/resource.js';
import type { KubeObject } from '../model/resource.js';
import { LAST_APPLIED_ANNOTATION } from './normalize.js';
import { copy, deepEqual, getAt, isRecord, setAt } from './values.js';
import type { JsonRecord, ValuePath } from './values.js';

/** Shown instead of every secret value. */
export const HIDDEN = '<hidden>';
/** Shown on the desired side instead of a secret value that differs from the live one. */
export const HIDDEN_CHANGED = '<hidden, changed>';

/** Where an object keeps values that must never be shown: Secret `data`/`stringData`, SealedSecret `spec.encryptedData`. */
export function secretValuePaths(object: Pick<KubeObject, 'apiVersion' | 'kind'>): readonly ValuePath[] {
  const group = groupOf(object.apiVersion);
  if (group === '' && object.kind === 'Secret') return [['data'], ['stringData']];
  if (group === 'bitnami.com' && object.kind === 'SealedSecret') return [['spec', 'encryptedData']];
  return [];
}

/** True for a core Secret (the only kind whose `stringData` the API server folds into `data`). */
export function isSecret(object: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  return groupOf(object.apiVersion) === '' && object.kind === 'Secret';
}

/**
 * A Secret with `stringData` folded into `data` as base64, as the API server stores it (a `stringData` key wins
 * over the same `data` key). Other objects are returned as they are.
 */
export function canonicalizeSecret(object: KubeObject): KubeObject {
  if (!isSecret(object) || !isRecord(object.stringData)) return object;
  const { stringData, ...rest } = object as KubeObject & { readonly stringData: JsonRecord };
  const data: JsonRecord = isRecord(rest.data) ? { ...rest.data } : {};
  for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  return { ...rest, data };
}

function hideValues(map: unknown): unknown {
  if (!isRecord(map)) return HIDDEN;
  return Object.fromEntries(Object.keys(map).map((key) => [key, HIDDEN]));
}

/**
 * A copy safe to show anywhere (CLI, notifications, UI, logs): every Secret `data`/`stringData` value and
 * SealedSecret `spec.encryptedData` value becomes "<hidden>", as does such an object's
 * `kubectl.kubernetes.io/last-applied-configuration` annotation. Other objects come back as a plain copy.
 */
export function redactForDisplay(object: KubeObject): KubeObject {
  const paths = secretValuePaths(object);
  const out = copy(object);
  if (paths.length === 0) return out;
  for (const path of paths) {
    const map = getAt(out, path);
    if (map !== undefined) setAt(out, path, hideValues(map));
  }
  const annotations = getAt(out, ['metadata', 'annotations']);
  if (isRecord(annotations) && Object.hasOwn(annotations, LAST_APPLIED_ANNOTATION)) annotations[LAST_APPLIED_ANNOTATION] = HIDDEN;
  return out;
}

function changedKeys(desired: unknown, live: unknown): string[] {
  if (!isRecord(desired) || !isRecord(live)) return deepEqual(desired, live) || desired === undefined || live === undefined ? [] : [''];
  return Object.keys(desired).filter((key) => Object.hasOwn(live, key) && !deepEqual(desired[key], live[key]));
}

/**
 * Both sides redacted for a diff. A key present on both sides with different values shows "<hidden>" on the live
 * side and "<hidden, changed>" on the desired side, so the diff says which keys changed and nothing else.
 */
export function redactPair(desired: KubeObject | undefined, live: KubeObject | undefined): { desired: KubeObject | undefined; live: KubeObject | undefined } {
  const shown = { desired: desired === undefined ? undefined : redactForDisplay(desired), live: live === undefined ? undefined : redactForDisplay(live) };
  const sample = desired ?? live;
  if (sample === undefined || shown.desired === undefined) return shown;
  for (const path of secretValuePaths(sample)) {
    for (const key of changedKeys(getAt(desired, path), getAt(live, path))) {
      setAt(shown.desired, key === '' ? path : [...path, key], HIDDEN_CHANGED);
    }
  }
  return shown;
}
