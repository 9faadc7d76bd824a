/**
 * Re-encryption (kubeseal --re-encrypt, the controller's /v1/rotate): every value opened with the old keys and sealed
 * again to the newest public key under the same label, everything else of the SealedSecret kept as it is. Runs
 * offline when the private keys are at hand; the plaintext only lives in memory between the two steps.
 */
import type { KeyObject } from 'node:crypto';
import { decodeBase64Strict } from './base64.js';
import { SealedSecretError, subjectOf } from './errors.js';
import { DecryptError, hybridDecrypt, hybridEncrypt } from './hybrid.js';
import { encryptionLabel, scopeOf } from './scope.js';
import type { SealedSecret } from './types.js';
import { SEALED_SECRET_KIND } from './types.js';
import { UnsealError } from './unseal.js';

export function reEncryptSealedSecret(sealed: SealedSecret, privateKeys: readonly KeyObject[], publicKey: KeyObject): SealedSecret {
  const metadata = sealed.metadata ?? {};
  const subject = subjectOf(SEALED_SECRET_KIND, metadata);
  if (sealed.spec?.data !== undefined && sealed.spec.data !== null) throw new SealedSecretError(subject, 'uses the deprecated spec.data format, which Launchpad does not open');
  const label = encryptionLabel(metadata.namespace ?? '', metadata.name ?? '', scopeOf(metadata.annotations));
  const failures = new Map<string, string>();
  const encryptedData: Record<string, string> = {};
  for (const [key, encoded] of Object.entries(sealed.spec?.encryptedData ?? {})) {
    const blob = typeof encoded === 'string' ? decodeBase64Strict(encoded) : undefined;
    if (blob === undefined) {
      failures.set(key, 'the sealed value is not valid base64 (truncated or edited?)');
      continue;
    }
    try {
      encryptedData[key] = hybridEncrypt(publicKey, hybridDecrypt(privateKeys, blob, label), label).toString('base64');
    } catch (error) {
      if (!(error instanceof DecryptError)) throw error;
      failures.set(key, error.message);
    }
  }
  if (failures.size > 0) throw new UnsealError(subject, failures);
  return { ...sealed, spec: { ...sealed.spec, encryptedData } };
}
