/**
 * The sealing certificate: the public half of a controller key, as PEM. Like kubeseal, only the first certificate
 * counts, its key must be RSA, and an expired certificate is refused (sealing to it would make values that a renewed
 * controller may no longer hold the key for).
 */
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { LaunchpadError } from '../errors.js';

export interface SealingCertificate {
  readonly publicKey: KeyObject;
  readonly notAfter: Date;
  readonly subject: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** `source` names where the PEM came from (a file or URL) for messages. */
export function parseSealingCertificate(pem: string, source: string, now: Date = new Date()): SealingCertificate {
  const block = PEM_CERTIFICATE.exec(pem)?.[0];
  if (block === undefined) {
    throw new LaunchpadError(`${source}: no PEM certificate found`, { fix: 'pass the controller certificate (`launchpad seal --fetch-cert > cert.pem`)' });
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(block);
  } catch (error) {
    throw new LaunchpadError(`${source}: the certificate cannot be parsed (${(error as Error).message})`);
  }
  const publicKey = certificate.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa') {
    throw new LaunchpadError(`${source}: the certificate holds a ${publicKey.asymmetricKeyType ?? 'non-RSA'} key; sealed secrets need an RSA key`, {
      fix: 'use the certificate of the sealed-secrets controller',
    });
  }
  const notAfter = new Date(certificate.validTo);
  if (now.getTime() > notAfter.getTime()) {
    throw new LaunchpadError(`${source}: the certificate expired on ${notAfter.toISOString().slice(0, 10)}`, {
      fix: 'fetch the current certificate from the controller (--fetch-cert) or renew the sealing key',
    });
  }
  return { publicKey, notAfter, subject: certificate.subject };
}
