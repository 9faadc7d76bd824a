/**
 * Secret → SealedSecret, as kubeseal does it (pkg/kubeseal Seal + v1alpha1.NewSealedSecret): every value is sealed on
 * its own under the scope's label, the Secret's metadata (minus last-applied-configuration copies, owner references
 * and server-set fields), type and immutable flag become `spec.template`, and the scope is written as annotations on
 * both. Nothing here logs or returns a plaintext value.
 */
import type { KeyObject } from 'node:crypto';
import { decodeBase64Strict } from './base64.js';
import { SealedSecretError, subjectOf } from './errors.js';
import { hybridEncrypt } from './hybrid.js';
import { goObjectMeta, sortedMap } from './object-meta.js';
import { encryptionLabel, scopeOf, withScopeAnnotations } from './scope.js';
import type { SealingScope } from './scope.js';
import type { ObjectMeta, SealedSecret, Secret } from './types.js';
import { SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND } from './types.js';

export interface SealOptions {
  /** `--scope`; like kubeseal, `strict` (the default) keeps whatever scope the Secret's annotations select. */
  readonly scope?: SealingScope;
  /** `--name`: overrides the Secret's name. */
  readonly name?: string;
  /** `--namespace`: fills a missing namespace; a Secret naming another namespace is refused. */
  readonly namespace?: string;
  /** The kubeconfig context's namespace, used when neither the Secret nor --namespace names one. */
  readonly defaultNamespace?: string;
  readonly allowEmptyData?: boolean;
}

/** Annotations that hold a full copy of the applied object, values included: never copied into a SealedSecret. */
export const LAST_APPLIED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'kubecfg.ksonnet.io/last-applied-configuration'];
const SERVER_FIELDS = ['selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'ownerReferences'];

/** The plaintext values of a Secret: `data` (base64) first, then `stringData`, which wins, as the API server merges them. */
function plaintextValues(secret: Secret, subject: string): Map<string, Buffer> {
  const values = new Map<string, Buffer>();
  for (const [key, encoded] of Object.entries(secret.data ?? {})) {
    const bytes = typeof encoded === 'string' ? decodeBase64Strict(encoded) : undefined;
    if (bytes === undefined) throw new SealedSecretError(subject, 'data holds a value that is not valid base64', { key, fix: 'put plain text under stringData, or base64-encode it (`base64 -w0`)' });
    values.set(key, bytes);
  }
  for (const [key, text] of Object.entries(secret.stringData ?? {})) {
    if (typeof text !== 'string') throw new SealedSecretError(subject, 'stringData values must be strings', { key });
    values.set(key, Buffer.from(text, 'utf8'));
  }
  return values;
}

/** The Secret's metadata after --name, --scope and --namespace, checked: what the values are sealed for. */
function targetMetadata(secret: Secret, options: SealOptions, subject: string): ObjectMeta & { name: string } {
  const metadata: ObjectMeta = { ...secret.metadata };
  if (options.name) metadata.name = options.name;
  if (!metadata.name) throw new SealedSecretError(subject, 'the Secret has no metadata.name', { fix: 'name it, or pass --name' });
  if (options.scope !== undefined && options.scope !== 'strict') metadata.annotations = withScopeAnnotations(metadata.annotations, options.scope);
  const scope = scopeOf(metadata.annotations);
  if (scope !== 'cluster-wide') {
    if (options.namespace && metadata.namespace && metadata.namespace !== options.namespace) {
      throw new SealedSecretError(subject, `the Secret is in namespace "${metadata.namespace}" but --namespace says "${options.namespace}"`, { fix: 'drop one of them' });
    }
    metadata.namespace ||= options.namespace || options.defaultNamespace;
    if (!metadata.namespace) throw new SealedSecretError(subject, `the Secret has no namespace and is sealed with scope ${scope}`, { fix: 'set metadata.namespace or pass --namespace' });
  }
  return { ...metadata, name: metadata.name };
}

/** spec.template.metadata: the Secret's, without server-set fields and the annotations that copy the plaintext. */
function templateMetadata(metadata: ObjectMeta): ObjectMeta {
  const template = Object.fromEntries(Object.entries(metadata).filter(([field]) => !SERVER_FIELDS.includes(field))) as ObjectMeta;
  if (template.annotations) {
    template.annotations = Object.fromEntries(Object.entries(template.annotations).filter(([key]) => !LAST_APPLIED_ANNOTATIONS.includes(key)));
  }
  return goObjectMeta(template);
}

export function sealSecret(secret: Secret, publicKey: KeyObject, options: SealOptions = {}): SealedSecret {
  const subject = subjectOf('Secret', { name: options.name || secret.metadata?.name, namespace: secret.metadata?.namespace ?? options.namespace });
  if (secret.kind !== undefined && secret.kind !== 'Secret') throw new SealedSecretError(subject.replace(/^Secret/, secret.kind), 'only Secrets can be sealed');
  const values = plaintextValues(secret, subject);
  if (values.size === 0 && options.allowEmptyData !== true) {
    throw new SealedSecretError(subject, 'the Secret has no data', { fix: 'add data or stringData, or pass --allow-empty-data to seal it empty' });
  }
  const metadata = targetMetadata(secret, options, subject);
  const scope = scopeOf(metadata.annotations);
  const label = encryptionLabel(metadata.namespace ?? '', metadata.name, scope);
  const encryptedData: Record<string, string> = {};
  for (const [key, value] of [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) encryptedData[key] = hybridEncrypt(publicKey, value, label).toString('base64');

  return {
    kind: SEALED_SECRET_KIND,
    apiVersion: SEALED_SECRET_API_VERSION,
    metadata: goObjectMeta({ name: metadata.name, namespace: metadata.namespace, annotations: withScopeAnnotations(undefined, scope) }),
    spec: {
      template: {
        metadata: templateMetadata(metadata),
        ...(secret.type ? { type: secret.type } : {}),
        ...(secret.immutable === undefined ? {} : { immutable: secret.immutable }),
      },
      encryptedData,
    },
  };
}

/** `--raw`: one value sealed for a name/namespace/scope, as base64 (what goes under encryptedData by hand). */
export function sealRawValue(value: Uint8Array, publicKey: KeyObject, target: { readonly namespace: string; readonly name: string; readonly scope: SealingScope }): string {
  return hybridEncrypt(publicKey, value, encryptionLabel(target.namespace, target.name, target.scope)).toString('base64');
}

/**
 * `--merge-into`: the values (and template labels/annotations/data) of `update` written over `original`, keeping
 * every other value of `original`. Both must be for the same object; the caller sealed `update` with original's name
 * and namespace.
 */
export function mergeSealedSecrets(original: SealedSecret, update: SealedSecret): SealedSecret {
  const template = original.spec?.template ?? {};
  const updateTemplate = update.spec?.template ?? {};
  const merged = (a?: Record<string, string>, b?: Record<string, string>): Record<string, string> | undefined =>
    a === undefined && b === undefined ? undefined : { ...a, ...b };
  const metadata = { ...template.metadata };
  const labels = merged(template.metadata?.labels, updateTemplate.metadata?.labels);
  const annotations = merged(template.metadata?.annotations, updateTemplate.metadata?.annotations);
  if (labels) metadata.labels = labels;
  if (annotations) metadata.annotations = annotations;
  const data = merged(template.data, updateTemplate.data);
  return {
    ...original,
    spec: {
      ...original.spec,
      template: { ...template, metadata, ...(data ? { data } : {}) },
      encryptedData: sortedMap({ ...original.spec?.encryptedData, ...update.spec?.encryptedData }),
    },
  };
}
