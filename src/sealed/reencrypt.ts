/**
 * Re-encryption (kubeseal --re-encrypt, the controller's /v1/rotate): every value opened with the old keys and sealed
 * again to the newest public key under the same label, everything else of the SealedSecret kept as it is. Runs
 * offline when the private keys are at hand; the plaintext only lives in memory between the two steps.
 */
import type { KeyObject } from 'node:crypto';
import { SealedSecretError, subjectOf } from './errors.js';
import { hybridEncrypt } from './hybrid.js';
import { encryptionLabel, scopeOf } from './scope.js';
import type { SealedSecret } from './types.js';
import { SEALED_SECRET_KIND } from './types.js';
import { UnsealError, openValues } from './unseal.js';

export function reEncryptSealedSecret(sealed: SealedSecret, privateKeys: readonly KeyObject[], publicKey: KeyObject): SealedSecret {
  const metadata = sealed.metadata ?? {};
  const subject = subjectOf(SEALED_SECRET_KIND, metadata);
  if (sealed.spec?.data !== undefined && sealed.spec.data !== null) throw new SealedSecretError(subject, 'uses the deprecated spec.data format, which Launchpad does not open');
  const failures = new Map<string, string>();
  const values = openValues(sealed, privateKeys, failures);
  const label = encryptionLabel(metadata.namespace ?? '', metadata.name ?? '', scopeOf(metadata.annotations));
  if (failures.size > 0) throw new UnsealError(subject, failures);
  const encryptedData = Object.fromEntries([...values].map(([key, value]) => [key, hybridEncrypt(publicKey, value, label).toString('base64')]));
  return { ...sealed, spec: { ...sealed.spec, encryptedData } };
}
