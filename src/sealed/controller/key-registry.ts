/**
 * The sealing keys the unsealer holds, as Bitnami's KeyRegistry: every key ever found or made is kept (a value
 * sealed to an old key must still open), keyed by the fingerprint of its public key so one key found twice (the
 * watch and a restart) counts once. The most recent key — by its certificate's notBefore, or the moment it was made
 * here — is the one `/v1/cert.pem` hands out and `/v1/rotate` seals to.
 */
import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { LaunchpadError } from '../../errors.js';
import { parsePrivateKeyPem } from '../keys.js';
import type { Secret } from '../types.js';

export interface SealingKey {
  /** The Secret that holds it (`sealed-secrets-keyabc12`). */
  readonly secretName: string;
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
  /** Which key is the newest: the certificate's notBefore for keys found, the generation time for keys made here. */
  readonly orderingTime: Date;
  readonly fingerprint: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/;

function fingerprintOf(privateKey: KeyObject): string {
  return createHash('sha256').update(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })).digest('hex');
}

const decoded = (secret: Secret, key: string): string => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');

function certificateOf(pem: string, where: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new LaunchpadError(`${where}: tls.crt is not a PEM certificate`);
  }
}

/** The key in a key Secret (tls.key, tls.crt); the error names the Secret, never its content. */
export function sealingKeyOfSecret(secret: Secret, orderingTime?: Date): SealingKey {
  const name = secret.metadata?.name ?? '<no name>';
  const where = `Secret/${secret.metadata?.namespace ?? ''}/${name}`;
  const keyPem = decoded(secret, 'tls.key');
  const certPem = PEM_CERTIFICATE.exec(decoded(secret, 'tls.crt'))?.[0];
  if (keyPem === '' || certPem === undefined) throw new LaunchpadError(`${where}: a sealing key Secret needs tls.key and tls.crt`, { fix: 'restore the key Secret from its backup, or remove its sealing-key label' });
  const privateKey = parsePrivateKeyPem(keyPem, where);
  const certificate = certificateOf(certPem, where);
  if (!certificate.checkPrivateKey(privateKey)) throw new LaunchpadError(`${where}: tls.crt does not belong to tls.key`);
  return {
    secretName: name,
    privateKey,
    certificatePem: certPem.endsWith('\n') ? certPem : `${certPem}\n`,
    orderingTime: orderingTime ?? new Date(certificate.validFrom),
    fingerprint: fingerprintOf(privateKey),
  };
}

export class KeyRegistry {
  private readonly keys = new Map<string, SealingKey>();
  private newest: SealingKey | undefined;
  private privateKeyList: KeyObject[] = [];

  /** Adds a key; false when it was known already. */
  register(key: SealingKey): boolean {
    if (this.keys.has(key.fingerprint)) return false;
    this.keys.set(key.fingerprint, key);
    // Newest first: a value sealed recently is most likely sealed to the newest key, so it opens at the first try.
    this.privateKeyList = [...this.keys.values()].sort((a, b) => b.orderingTime.getTime() - a.orderingTime.getTime()).map((entry) => entry.privateKey);
    if (this.newest === undefined || this.newest.orderingTime.getTime() < key.orderingTime.getTime()) this.newest = key;
    return true;
  }

  /** Every private key, newest first (each is tried on unseal). */
  privateKeys(): readonly KeyObject[] {
    return this.privateKeyList;
  }

  latest(): SealingKey | undefined {
    return this.newest;
  }

  size(): number {
    return this.keys.size;
  }

  secretNames(): string[] {
    return [...this.keys.values()].map((key) => key.secretName);
  }
}
