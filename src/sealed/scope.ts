/**
 * Sealing scopes. The scope decides the RSA-OAEP label every value is encrypted under, so a value sealed for one
 * name/namespace cannot be opened as another: strict → "namespace/name", namespace-wide → "namespace",
 * cluster-wide → "" (Bitnami's EncryptionLabel). The scope travels as annotations; cluster-wide wins over
 * namespace-wide, and anything other than the exact string "true" means "not set".
 */
export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

export const SCOPES: readonly SealingScope[] = ['strict', 'namespace-wide', 'cluster-wide'];
export const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
export const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';
export const SKIP_OWNER_REFERENCES_ANNOTATION = 'sealedsecrets.bitnami.com/skip-set-owner-references';

export function scopeOf(annotations: Readonly<Record<string, string>> | undefined): SealingScope {
  if (annotations?.[CLUSTER_WIDE_ANNOTATION] === 'true') return 'cluster-wide';
  if (annotations?.[NAMESPACE_WIDE_ANNOTATION] === 'true') return 'namespace-wide';
  return 'strict';
}

export function encryptionLabel(namespace: string, name: string, scope: SealingScope): Buffer {
  if (scope === 'cluster-wide') return Buffer.alloc(0);
  if (scope === 'namespace-wide') return Buffer.from(namespace, 'utf8');
  return Buffer.from(`${namespace}/${name}`, 'utf8');
}

/** A copy of the annotations saying exactly `scope` (strict is the absence of both annotations). */
export function withScopeAnnotations(annotations: Readonly<Record<string, string>> | undefined, scope: SealingScope): Record<string, string> {
  const result = Object.fromEntries(Object.entries(annotations ?? {}).filter(([key]) => key !== NAMESPACE_WIDE_ANNOTATION && key !== CLUSTER_WIDE_ANNOTATION));
  if (scope === 'namespace-wide') result[NAMESPACE_WIDE_ANNOTATION] = 'true';
  if (scope === 'cluster-wide') result[CLUSTER_WIDE_ANNOTATION] = 'true';
  return result;
}
