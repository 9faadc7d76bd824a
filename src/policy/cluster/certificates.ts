/**
 * The admission webhook's TLS: a CA the add-on makes once and a serving certificate it signs for the names the API
 * server dials (the webhook Service's DNS names, or the listen address out of the cluster). Both live in Secrets in the
 * controller's namespace so that a restart keeps the CA the webhook configurations carry in `caBundle`; the serving
 * certificate is re-issued when it nears expiry or lacks a name. Keys are EC P-256 (fast to make and to handshake);
 * certificates are built with @peculiar/x509 over Node's WebCrypto and checked back with Node's X509Certificate.
 */
import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;
import { isIP } from 'node:net';
import { LaunchpadError, describeError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The CA outlives many serving certificates: only its replacement makes the API server re-read `caBundle`. */
const CA_VALIDITY_MS = 10 * 365 * DAY_MS;
const SERVING_VALIDITY_MS = 365 * DAY_MS;
/** A serving certificate this close to expiry is replaced at start. */
const RENEW_BEFORE_MS = 30 * DAY_MS;

export const CA_SECRET_NAME = 'launchpad-policy-webhook-ca';
export const SERVING_SECRET_NAME = 'launchpad-policy-webhook-tls';

export interface KeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface WebhookTls {
  /** The CA certificate, PEM: what `caBundle` carries (base64). */
  readonly caPem: string;
  /** The serving certificate and its key, PEM, for the HTTPS server. */
  readonly serving: KeyPair;
}

type X509Library = typeof import('@peculiar/x509'); // eslint-disable-line @typescript-eslint/consistent-type-imports -- loaded on use below

async function x509(): Promise<X509Library> {
  // The library needs the reflect-metadata polyfill; loaded on use as in src/sealed/keys.ts.
  await import('reflect-metadata');
  return import('@peculiar/x509');
}

function serialNumber(): string {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // a positive INTEGER
  return serial.toString('hex');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** A self-signed CA that may only sign certificates (no server use of its own). */
export async function createWebhookCa(commonName: string, now = new Date()): Promise<KeyPair> {
  const lib = await x509();
  const keys = await newKeys();
  const certificate = await lib.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [commonName] }],
    notBefore: now,
    notAfter: new Date(now.getTime() + CA_VALIDITY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new lib.BasicConstraintsExtension(true, 0, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign, true),
      await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: `${certificate.toString('pem')}\n`, keyPem: await privateKeyPem(keys) };
}

async function importCaKey(ca: KeyPair): Promise<CryptoKey> {
  const der = createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, false, ['sign']);
}

/** A serving certificate for `names` (DNS names and IP addresses), signed by `ca`. */
export async function issueServingCertificate(ca: KeyPair, names: readonly string[], now = new Date()): Promise<KeyPair> {
  const lib = await x509();
  const keys = await newKeys();
  const issuer = new lib.X509Certificate(ca.certPem);
  const [commonName = 'launchpad-policy-webhook'] = names.filter((name) => isIP(name) === 0);
  const certificate = await lib.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: [{ CN: [commonName] }],
    issuer: issuer.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + SERVING_VALIDITY_MS),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: await importCaKey(ca),
    extensions: [
      new lib.BasicConstraintsExtension(false, undefined, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature | lib.KeyUsageFlags.keyEncipherment, true),
      new lib.ExtendedKeyUsageExtension([lib.ExtendedKeyUsage.serverAuth]),
      new lib.SubjectAlternativeNameExtension(names.map((name) => ({ type: isIP(name) === 0 ? 'dns' as const : 'ip' as const, value: name }))),
      await lib.AuthorityKeyIdentifierExtension.create(issuer),
    ],
  });
  return { certPem: `${certificate.toString('pem')}\n`, keyPem: await privateKeyPem(keys) };
}

/** Whether `serving` was signed by `ca`, names every one of `names` and stays valid for the renewal margin. */
export function servingCertificateFits(serving: KeyPair, caPem: string, names: readonly string[], now = new Date()): boolean {
  try {
    const certificate = new X509Certificate(serving.certPem);
    const ca = new X509Certificate(caPem);
    if (!certificate.verify(ca.publicKey)) return false;
    if (new Date(certificate.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return false;
    if (!certificate.checkPrivateKey(createPrivateKey(serving.keyPem))) return false;
    return names.every((name) => (isIP(name) === 0 ? certificate.checkHost(name, { subject: 'never' }) : certificate.checkIP(name)) !== undefined);
  } catch {
    return false;
  }
}

function caUsable(ca: KeyPair, now: Date): boolean {
  try {
    const certificate = new X509Certificate(ca.certPem);
    return certificate.ca && new Date(certificate.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS && certificate.checkPrivateKey(createPrivateKey(ca.keyPem));
  } catch {
    return false;
  }
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function tlsSecret(name: string, namespace: string, pair: KeyPair, extra: Readonly<Record<string, string>> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'launchpad', 'app.kubernetes.io/component': 'policies' } },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(pair.certPem), 'tls.key': b64(pair.keyPem), ...Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, b64(value)])) },
  };
}

function pairOf(secret: KubeObject | undefined): KeyPair | undefined {
  const data = secret?.data as Record<string, unknown> | undefined;
  const cert = data?.['tls.crt'];
  const key = data?.['tls.key'];
  if (typeof cert !== 'string' || typeof key !== 'string') return undefined;
  return { certPem: Buffer.from(cert, 'base64').toString('utf8'), keyPem: Buffer.from(key, 'base64').toString('utf8') };
}

export interface WebhookTlsOptions {
  readonly client: KubeClient;
  /** The controller's namespace, where both Secrets live. */
  readonly namespace: string;
  /** Every name the API server may dial: DNS names and IP addresses. */
  readonly names: readonly string[];
  readonly now?: Date;
}

/**
 * The CA and serving certificate from their Secrets, made (or re-issued) and stored when missing, unusable or not
 * covering `names`. A new CA always comes with a new serving certificate. Errors name the Secret and never a key.
 */
export async function ensureWebhookTls(options: WebhookTlsOptions): Promise<WebhookTls> {
  const { client, namespace, names } = options;
  const now = options.now ?? new Date();
  const ref = (name: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  try {
    let ca = pairOf(await client.get(ref(CA_SECRET_NAME)));
    let caChanged = false;
    if (ca === undefined || !caUsable(ca, now)) {
      ca = await createWebhookCa(`launchpad-policy-webhook-ca.${namespace}`, now);
      await client.apply(tlsSecret(CA_SECRET_NAME, namespace, ca), { fieldManager: 'launchpad-policies' });
      caChanged = true;
    }
    let serving = pairOf(await client.get(ref(SERVING_SECRET_NAME)));
    if (caChanged || serving === undefined || !servingCertificateFits(serving, ca.certPem, names, now)) {
      serving = await issueServingCertificate(ca, names, now);
      await client.apply(tlsSecret(SERVING_SECRET_NAME, namespace, serving, { 'ca.crt': ca.certPem }), { fieldManager: 'launchpad-policies' });
    }
    return { caPem: ca.certPem, serving };
  } catch (error) {
    throw new LaunchpadError(`Secret/${namespace}/${SERVING_SECRET_NAME}: cannot prepare the policy webhook's certificate: ${describeError(error)}`, {
      cause: error,
      errorClass: 'retryable',
      fix: `the controller needs get/create/patch on Secrets in ${namespace}`,
    });
  }
}
