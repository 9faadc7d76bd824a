/** What the API server adds to every object and a comparison must never see. Pure. */
import type { KubeObject } from '../model/resource.js';
import { copy, isRecord } from './values.js';
import type { JsonRecord } from './values.js';

/** kubectl's client-side apply record; a copy of the whole object (Secret values included). */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Metadata fields the API server owns; ignored in every comparison. */
export const SERVER_METADATA_FIELDS: readonly string[] = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'];

/** Top-level fields ignored in every comparison. */
export const SERVER_TOP_LEVEL_FIELDS: readonly string[] = ['status'];

/**
 * A copy of the object without server noise: `status`, `metadata.managedFields`, `resourceVersion`, `uid`,
 * `generation`, `creationTimestamp`, `selfLink` and the `kubectl.kubernetes.io/last-applied-configuration`
 * annotation (an `annotations` map left empty by that is dropped too).
 */
export function normalizeForCompare(object: KubeObject): KubeObject {
  const out = copy(object) as JsonRecord & KubeObject;
  for (const field of SERVER_TOP_LEVEL_FIELDS) Reflect.deleteProperty(out, field);
  const metadata = out.metadata as JsonRecord;
  for (const field of SERVER_METADATA_FIELDS) Reflect.deleteProperty(metadata, field);
  const annotations = metadata.annotations;
  if (isRecord(annotations)) {
    Reflect.deleteProperty(annotations, LAST_APPLIED_ANNOTATION);
    if (Object.keys(annotations).length === 0) Reflect.deleteProperty(metadata, 'annotations');
  }
  return out;
}
