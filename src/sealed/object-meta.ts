/**
 * ObjectMeta as Go's Kubernetes types serialise it: fields in the struct's order, unknown fields dropped, empty maps
 * and lists left out, and `creationTimestamp: null` always present (a zero metav1.Time). kubeseal writes objects this
 * way, so Launchpad's output diffs cleanly against files kubeseal wrote.
 */
import type { ObjectMeta } from './types.js';

const FIELD_ORDER = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
] as const;

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

export function goObjectMeta(meta: ObjectMeta | undefined): ObjectMeta {
  const result: Record<string, unknown> = {};
  for (const field of FIELD_ORDER) {
    const value = meta?.[field];
    if (field === 'creationTimestamp') result[field] = isEmpty(value) ? null : value;
    else if (!isEmpty(value)) result[field] = value;
  }
  // Go writes map keys sorted.
  if (meta?.labels && !isEmpty(meta.labels)) result['labels'] = sortedMap(meta.labels);
  if (meta?.annotations && !isEmpty(meta.annotations)) result['annotations'] = sortedMap(meta.annotations);
  return result;
}

/** A copy of a string map with its keys sorted, as Go's encoding/json writes maps. */
export function sortedMap(map: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of Object.keys(map ?? {}).sort()) result[key] = map?.[key] ?? '';
  return result;
}
