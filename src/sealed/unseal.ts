/**
 * SealedSecret → Secret with the controller's private keys (Bitnami's SealedSecret.Unseal), a pure function the
 * unsealer in the controller and `launchpad seal --recovery-unseal` share. The scope comes from the SealedSecret's
 * own annotations and its own name and namespace, so a blob copied into another object, namespace or scope does not
 * open. Every failing key is reported in one error naming the object and the keys; no Secret is returned then, so a
 * partial Secret can never be written.
 */
import type { KeyObject } from 'node:crypto';
import { decodeBase64Strict } from './base64.js';
import { SealedSecretError, subjectOf } from './errors.js';
import { DecryptError, hybridDecrypt } from './hybrid.js';
import { goObjectMeta, sortedMap } from './object-meta.js';
import { encryptionLabel, scopeOf, SKIP_OWNER_REFERENCES_ANNOTATION } from './scope.js';
import { renderTemplate, TemplateUnsupportedError } from './template.js';
import type { SealedSecret, Secret } from './types.js';
import { SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND } from './types.js';

export class UnsealError extends SealedSecretError {
  constructor(
    subject: string,
    /** Key → why it could not be opened; never a value. */
    readonly failures: ReadonlyMap<string, string>,
  ) {
    const parts = [...failures].map(([key, reason]) => `key ${JSON.stringify(key)}: ${reason}`);
    super(subject, `cannot unseal: ${parts.join('; ')}`);
  }
}

/** Every `encryptedData` value opened with whichever key fits; what cannot be opened goes to `failures`, by key. */
export function openValues(sealed: SealedSecret, privateKeys: readonly KeyObject[], failures: Map<string, string>): Map<string, Buffer> {
  const metadata = sealed.metadata ?? {};
  const scope = scopeOf(metadata.annotations);
  const label = encryptionLabel(metadata.namespace ?? '', metadata.name ?? '', scope);
  const values = new Map<string, Buffer>();
  for (const [key, encoded] of Object.entries(sealed.spec?.encryptedData ?? {})) {
    const blob = typeof encoded === 'string' ? decodeBase64Strict(encoded) : undefined;
    if (blob === undefined) {
      failures.set(key, 'the sealed value is not valid base64 (truncated or edited?)');
      continue;
    }
    try {
      values.set(key, hybridDecrypt(privateKeys, blob, label));
    } catch (error) {
      if (!(error instanceof DecryptError)) throw error;
      failures.set(key, `${error.message} (opened with scope ${scope})`);
    }
  }
  return values;
}

/** spec.template.data rendered over the opened values, written over them. */
function renderTemplatedData(templateData: Readonly<Record<string, string>>, values: Map<string, Buffer>, failures: Map<string, string>): Map<string, Buffer> {
  const data = new Map(values);
  // Go renders over string(value): bytes in, bytes out. latin1 maps each byte to one char and back, exactly.
  const byteStrings = Object.fromEntries([...values].map(([key, value]) => [key, value.toString('latin1')]));
  for (const [key, text] of Object.entries(templateData)) {
    try {
      data.set(key, Buffer.from(renderTemplate(Buffer.from(text, 'utf8').toString('latin1'), byteStrings), 'latin1'));
    } catch (error) {
      if (!(error instanceof TemplateUnsupportedError)) throw error;
      failures.set(key, `spec.template.data: ${error.message}`);
    }
  }
  return data;
}

function secretOf(sealed: SealedSecret, data: ReadonlyMap<string, Buffer>): Secret {
  const metadata = sealed.metadata ?? {};
  const template = sealed.spec?.template ?? {};
  const secretMeta = { ...template.metadata, name: metadata.name, namespace: metadata.namespace };
  if (template.metadata?.annotations?.[SKIP_OWNER_REFERENCES_ANNOTATION] !== 'true') {
    secretMeta.ownerReferences = [{
      apiVersion: sealed.apiVersion ?? SEALED_SECRET_API_VERSION,
      kind: sealed.kind ?? SEALED_SECRET_KIND,
      name: metadata.name ?? '',
      uid: metadata.uid ?? '',
      controller: true,
    }];
  }
  const encoded = Object.fromEntries([...data].map(([key, value]) => [key, value.toString('base64')]));
  return {
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: goObjectMeta(secretMeta),
    ...(template.immutable === undefined ? {} : { immutable: template.immutable }),
    data: sortedMap(encoded),
    ...(template.type ? { type: template.type } : {}),
  };
}

export function unsealSealedSecret(sealed: SealedSecret, privateKeys: readonly KeyObject[]): Secret {
  const subject = subjectOf(SEALED_SECRET_KIND, sealed.metadata);
  if (typeof sealed.spec !== 'object') throw new SealedSecretError(subject, 'has no spec');
  if (sealed.spec.data !== undefined && sealed.spec.data !== null) {
    throw new SealedSecretError(subject, 'uses the deprecated spec.data single-blob format, which Launchpad does not open', { fix: 're-seal it with kubeseal or launchpad seal' });
  }
  const failures = new Map<string, string>();
  const values = openValues(sealed, privateKeys, failures);
  const data = failures.size === 0 ? renderTemplatedData(sealed.spec.template?.data ?? {}, values, failures) : values;
  if (failures.size > 0) throw new UnsealError(subject, failures);
  return secretOf(sealed, data);
}

/** Whether any private key opens every value: `--validate` offline, without printing anything. */
export function canUnseal(sealed: SealedSecret, privateKeys: readonly KeyObject[]): true {
  unsealSealedSecret(sealed, privateKeys);
  return true;
}
