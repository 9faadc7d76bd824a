/**
 * `resource.customizations.knownTypeFields.<group_kind>`: fields of a custom resource that hold a Kubernetes type
 * (a Rollout's `spec.template.spec` is a `core/v1/PodSpec`), normalized as Kubernetes would write that type so the
 * same value written two ways does not show as drift. Argo CD re-marshals through the Go type; Launchpad applies the
 * part of that which changes values users write: quantities in canonical form (`1000m` → `1`), durations in Go form
 * (`60s` → `1m0s`), nulls dropped. Types other than `core/v1/*`, `core/Quantity` and `meta/v1/Duration` are
 * reported and ignored, as Argo CD does.
 */
import type { ArgoCdSettings, KnownTypeField } from '../model/argocd-cm.js';
import type { KubeObject } from '../model/resource.js';
import { groupOf } from '../model/resource.js';
import { canonicalDuration, canonicalQuantity } from './quantity.js';

type Normalizer = (value: unknown) => unknown;

/** Map fields of core/v1 types whose values are all quantities (ResourceList). */
const QUANTITY_MAPS = new Set(['limits', 'requests', 'overhead', 'capacity', 'allocatable', 'hard', 'used', 'default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio']);
/** Fields of core/v1 types that are one quantity. */
const QUANTITY_FIELDS = new Set(['sizeLimit']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quantityMap(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, canonicalQuantity(item) ?? item]));
}

/** A core/v1 value as its Go type would marshal it (for the parts that matter to a diff). */
function coreValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(coreValue);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null) continue;
    if (QUANTITY_MAPS.has(key)) out[key] = quantityMap(coreValue(item));
    else if (QUANTITY_FIELDS.has(key)) out[key] = canonicalQuantity(item) ?? item;
    else out[key] = coreValue(item);
  }
  return out;
}

/** The normalizer for a knownTypeFields type, or undefined when Launchpad (and Argo CD) do not know the type. */
export function normalizerForType(type: string): Normalizer | undefined {
  if (type === 'core/Quantity') return (value) => canonicalQuantity(value) ?? value;
  if (type === 'meta/v1/Duration') return (value) => canonicalDuration(value) ?? value;
  if (type === 'core/v1/ResourceList') return (value) => quantityMap(value);
  if (/^core\/v1\/[A-Z][A-Za-z0-9]*$/.test(type)) return coreValue;
  return undefined;
}

/** Argo CD configures this one unless argocd-cm says otherwise for Rollouts. */
const DEFAULT_KNOWN_TYPES: ReadonlyMap<string, readonly KnownTypeField[]> = new Map([['argoproj.io/Rollout', [{ field: 'spec.template.spec', type: 'core/v1/PodSpec' }]]]);

/** The known-type fields of a group/kind: from argocd-cm (`group/Kind`, or `Kind` for the core group). */
export function knownTypeFieldsOf(settings: ArgoCdSettings, group: string, kind: string): readonly KnownTypeField[] {
  const key = group === '' ? kind : `${group}/${kind}`;
  const configured = settings.overrides.get(key)?.knownTypeFields ?? (group === '' ? settings.overrides.get(`/${kind}`)?.knownTypeFields : undefined);
  return configured ?? DEFAULT_KNOWN_TYPES.get(key) ?? [];
}

/** Applies `normalize` at `path`, through every item of any list met on the way. Returns the new value. */
function normalizeAt(value: unknown, path: readonly string[], normalize: Normalizer): unknown {
  if (Array.isArray(value)) return (value as unknown[]).map((item) => (isRecord(item) ? normalizeAt(item, path, normalize) : item));
  if (path.length === 0) return normalize(value);
  if (!isRecord(value)) return value;
  const [head, ...rest] = path;
  if (head === undefined || !(head in value)) return value;
  return { ...value, [head]: normalizeAt(value[head], rest, normalize) };
}

/** The object with its known-type fields normalized (a new object; the input is not changed). */
export function normalizeKnownTypes(object: KubeObject, settings: ArgoCdSettings): KubeObject {
  const fields = knownTypeFieldsOf(settings, groupOf(object.apiVersion), object.kind);
  let result: unknown = object;
  for (const field of fields) {
    const normalize = normalizerForType(field.type);
    if (normalize !== undefined) result = normalizeAt(result, field.field.split('.'), normalize);
  }
  return result as KubeObject;
}

/** Problems with knownTypeFields types, for the settings' warnings. */
export function unsupportedKnownTypes(settings: ArgoCdSettings): string[] {
  const problems: string[] = [];
  for (const [key, override] of settings.overrides) {
    for (const field of override.knownTypeFields ?? []) {
      if (normalizerForType(field.type) === undefined) problems.push(`argocd-cm knownTypeFields of ${key}: type "${field.type}" is not supported (core/v1/<Type>, core/Quantity, meta/v1/Duration); field ${field.field} is compared as written`);
    }
  }
  return problems;
}
