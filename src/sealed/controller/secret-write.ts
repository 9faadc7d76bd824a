/**
 * What the unsealer writes into the target Secret, as Bitnami's controller decides it (pure):
 * - no Secret yet → the unsealed Secret, owned by the SealedSecret (unless skip-set-owner-references);
 * - a Secret the SealedSecret controls → replaced: data, labels, annotations, owner references and type;
 * - a Secret annotated `sealedsecrets.bitnami.com/managed: "true"` → taken over the same way;
 * - a Secret annotated `sealedsecrets.bitnami.com/patch: "true"` → the SealedSecret's values, labels and
 *   annotations merged in, everything else kept (owner references only change when it is `managed` too);
 * - any other Secret → refused: the SealedSecret never overwrites a Secret it does not own.
 */
import type { KubeObject } from '../../model/resource.js';
import type { Secret } from '../types.js';
import { MANAGED_ANNOTATION, PATCH_ANNOTATION } from './names.js';

export type SecretPlan =
  | { readonly action: 'create'; readonly secret: KubeObject }
  | { readonly action: 'update'; readonly secret: KubeObject }
  | { readonly action: 'unchanged' }
  | { readonly action: 'refuse'; readonly message: string };

interface OwnerReference {
  readonly uid?: unknown;
  readonly controller?: unknown;
}

const annotated = (secret: KubeObject, annotation: string): boolean => secret.metadata.annotations?.[annotation] === 'true';

/** metav1.IsControlledBy: the controller owner reference carries the SealedSecret's uid. */
export function isControlledBy(secret: KubeObject, ownerUid: string | undefined): boolean {
  const references = (secret.metadata.ownerReferences ?? []) as readonly OwnerReference[];
  return ownerUid !== undefined && ownerUid !== '' && references.some((reference) => reference.controller === true && reference.uid === ownerUid);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sorted(record[key])]));
}

/** An empty map and a missing one are the same to the API server. */
const orEmpty = <T>(value: T | undefined): T | Record<string, never> => value ?? {};

/** The live Secret's data and metadata after the write: merged into (`patch`) or replaced. */
function written(unsealed: Secret, live: KubeObject): { readonly data: Record<string, string>; readonly metadata: Record<string, unknown> } {
  const meta = unsealed.metadata ?? {};
  const metadata: Record<string, unknown> = { ...live.metadata };
  if (annotated(live, PATCH_ANNOTATION)) {
    metadata['labels'] = { ...live.metadata.labels, ...meta.labels };
    metadata['annotations'] = { ...live.metadata.annotations, ...meta.annotations };
    if (annotated(live, MANAGED_ANNOTATION)) metadata['ownerReferences'] = meta.ownerReferences;
    return { data: { ...(live['data'] as Record<string, string> | undefined), ...unsealed.data }, metadata };
  }
  metadata['labels'] = meta.labels;
  metadata['annotations'] = meta.annotations;
  metadata['ownerReferences'] = meta.ownerReferences;
  return { data: { ...unsealed.data }, metadata };
}

function differs(live: KubeObject, updated: KubeObject): boolean {
  const before = live.metadata;
  const after = updated.metadata;
  return (
    !same(orEmpty(live['data']), orEmpty(updated['data'])) ||
    !same(orEmpty(before.labels), orEmpty(after.labels)) ||
    !same(orEmpty(before.annotations), orEmpty(after.annotations)) ||
    !same(before['ownerReferences'] ?? [], after['ownerReferences'] ?? []) ||
    (live['type'] ?? 'Opaque') !== updated['type'] ||
    live['immutable'] !== updated['immutable']
  );
}

export function planSecretWrite(unsealed: Secret, live: KubeObject | undefined, sealedUid: string | undefined): SecretPlan {
  if (live === undefined) return { action: 'create', secret: unsealed as unknown as KubeObject };
  const subject = `Secret/${live.metadata.namespace ?? ''}/${live.metadata.name ?? ''}`;
  if (!isControlledBy(live, sealedUid) && !annotated(live, MANAGED_ANNOTATION) && !annotated(live, PATCH_ANNOTATION)) {
    return {
      action: 'refuse',
      message: `${subject} already exists and is not managed by this SealedSecret — annotate it ${MANAGED_ANNOTATION}: "true" to let the SealedSecret take it over (or ${PATCH_ANNOTATION}: "true" to merge into it), or delete it`,
    };
  }
  const { data, metadata } = written(unsealed, live);
  const updated: KubeObject = {
    ...live,
    metadata: metadata,
    data,
    type: unsealed.type ?? 'Opaque',
    ...(unsealed.immutable === undefined ? {} : { immutable: unsealed.immutable }),
  };
  return differs(live, updated) ? { action: 'update', secret: updated } : { action: 'unchanged' };
}
