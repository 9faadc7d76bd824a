/**
 * Sealing keys as Bitnami's controller stores them: a `kubernetes.io/tls` Secret in the controller namespace, named
 * `sealed-secrets-key<random>` (generateName), labelled `sealedsecrets.bitnami.com/sealed-secrets-key: active`, with
 * `tls.key` a PKCS#1 PEM RSA key (4096 bits) and `tls.crt` a self-signed certificate: random 128-bit serial, subject
 * and issuer CN = the controller's --my-cn (empty by default), valid for 10×365 days, key usage encipher-only, CA.
 * Old keys stay: every key is tried when opening a value (hybrid.ts), the newest seals.
 */
import { createPrivateKey, generateKeyPair, randomBytes, webcrypto } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { LaunchpadError } from '../errors.js';
import type { Secret } from './types.js';

export const SEALING_KEY_LABEL = 'sealedsecrets.bitnami.com/sealed-secrets-key';
export const DEFAULT_KEY_PREFIX = 'sealed-secrets-key';
export const DEFAULT_KEY_SIZE = 4096;
export const DEFAULT_KEY_VALIDITY_MS = 10 * 365 * 24 * 3600 * 1000;

export interface SealingKeyPair {
  /** PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), as the controller writes tls.key. */
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  readonly privateKey: KeyObject;
}

export interface GenerateKeyOptions {
  readonly keySize?: number;
  /** Subject and issuer common name; Bitnami's default is empty. */
  readonly commonName?: string;
  readonly notBefore?: Date;
  readonly validForMs?: number;
}

const generateRsa = promisify(generateKeyPair);

export async function generateSealingKeyPair(options: GenerateKeyOptions = {}): Promise<SealingKeyPair> {
  // Loaded on use: the certificate library (and the reflect-metadata polyfill it needs) is only for key generation,
  // not worth loading on every start of the CLI.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: options.keySize ?? DEFAULT_KEY_SIZE, publicExponent: 65537 });
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const signingKey = await webcrypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), algorithm, false, ['sign']);
  const verifyingKey = await webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), algorithm, true, ['verify']);
  const notBefore = options.notBefore ?? new Date();
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // a positive INTEGER, below 2^128 as Go's rand.Int(2^128)
  const commonName = options.commonName ?? '';
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: commonName === '' ? [] : [{ CN: [commonName] }],
    notBefore,
    notAfter: new Date(notBefore.getTime() + (options.validForMs ?? DEFAULT_KEY_VALIDITY_MS)),
    signingAlgorithm: algorithm,
    keys: { privateKey: signingKey, publicKey: verifyingKey },
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.encipherOnly, true),
      new x509.BasicConstraintsExtension(true, undefined, true),
      await x509.SubjectKeyIdentifierExtension.create(verifyingKey),
    ],
  });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    certificatePem: `${certificate.toString('pem')}\n`,
    privateKey,
  };
}

/** The Secret the controller would store for `pair` (with generateName, so the API server picks the suffix). */
export function sealingKeySecret(pair: Pick<SealingKeyPair, 'privateKeyPem' | 'certificatePem'>, namespace: string, options: { readonly name?: string } = {}): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      ...(options.name === undefined ? { generateName: DEFAULT_KEY_PREFIX } : { name: options.name }),
      namespace,
      labels: { [SEALING_KEY_LABEL]: 'active' },
    },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(pair.certificatePem).toString('base64'),
      'tls.key': Buffer.from(pair.privateKeyPem).toString('base64'),
    },
  };
}

/** Whether the controller would use this Secret as a sealing key. */
export function isSealingKeySecret(object: Secret): boolean {
  return object.kind === 'Secret' && object.metadata?.labels?.[SEALING_KEY_LABEL] === 'active';
}

/** Sealing keys ordered oldest first by creationTimestamp; the last one seals (Bitnami's "latest key"). */
export function sortSealingKeySecrets(secrets: readonly Secret[]): Secret[] {
  const created = (s: Secret): number => {
    const stamp = s.metadata?.['creationTimestamp'];
    return typeof stamp === 'string' ? Date.parse(stamp) || 0 : 0;
  };
  return [...secrets].sort((a, b) => created(a) - created(b));
}

/** The RSA private key of one PEM text (PKCS#1 or PKCS#8); `source` names where it came from for messages. */
export function parsePrivateKeyPem(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new LaunchpadError(`${source}: not a PEM private key`, { fix: 'pass the tls.key of the controller key Secret, or the Secret itself as YAML/JSON' });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new LaunchpadError(`${source}: the private key is ${key.asymmetricKeyType ?? 'not RSA'}; sealing keys are RSA`);
  return key;
}

/** The private key of one key Secret (tls.key). */
export function privateKeyOfSecret(secret: Secret, source: string): KeyObject {
  const where = `${source}: Secret/${secret.metadata?.namespace ? `${secret.metadata.namespace}/` : ''}${secret.metadata?.name ?? secret.metadata?.generateName ?? '<no name>'}`;
  const encoded = secret.data?.['tls.key'];
  if (encoded === undefined) throw new LaunchpadError(`${where} has no tls.key`, { fix: 'pass a sealing key Secret (type kubernetes.io/tls)' });
  return parsePrivateKeyPem(Buffer.from(encoded, 'base64').toString('utf8'), where);
}

/**
 * Every private key in a file's text, in the forms `kubeseal --recovery-private-key` accepts: a PEM key, or YAML/JSON
 * of key Secrets (several documents, or a v1 List such as `kubectl get secret -l ... -o yaml` prints).
 */
export function privateKeysFromText(text: string, source: string): KeyObject[] {
  if (text.includes('-----BEGIN') && text.includes('PRIVATE KEY-----')) return [parsePrivateKeyPem(text, source)];
  const keys: KeyObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new LaunchpadError(`${source}: neither a PEM private key nor valid YAML/JSON (${document.errors[0]?.message ?? ''})`);
    const value = document.toJS() as unknown;
    if (value === null || value === undefined) continue;
    const object = value as { kind?: unknown; items?: unknown };
    const secrets = object.kind === 'List' || object.kind === 'SecretList' ? (Array.isArray(object.items) ? (object.items as Secret[]) : []) : [value as Secret];
    for (const secret of secrets) keys.push(privateKeyOfSecret(secret, source));
  }
  if (keys.length === 0) throw new LaunchpadError(`${source}: no private key found`);
  return keys;
}
