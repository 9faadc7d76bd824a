/**
 * The Sealed Secrets format without any external tool: the hybrid layout decoded by hand, the scope labels, the
 * refusals (tampered, truncated, wrong scope, wrong key, bad base64) naming object and key without plaintext,
 * templates, key Secrets and certificates. Interop with the real kubeseal is in test/integration/sealed.
 */
import assert from 'node:assert/strict';
import { constants, createDecipheriv, generateKeyPairSync, privateDecrypt, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { before, describe, test } from 'node:test';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { stringify } from 'yaml';
import { hybridEncrypt } from '../../../src/sealed/hybrid.js';
import { generateSealingKeyPair, privateKeysFromText, sealingKeySecret } from '../../../src/sealed/keys.js';
import { parseSealingCertificate } from '../../../src/sealed/certificate.js';
import { encryptionLabel } from '../../../src/sealed/scope.js';
import { sealSecret } from '../../../src/sealed/seal.js';
import { unsealSealedSecret, UnsealError } from '../../../src/sealed/unseal.js';
import { renderTemplate, TemplateUnsupportedError } from '../../../src/sealed/template.js';
import { readDocuments } from '../../../src/sealed/documents.js';
import type { SealedSecret, Secret } from '../../../src/sealed/types.js';

const rsa = (): { publicKey: KeyObject; privateKey: KeyObject } => generateKeyPairSync('rsa', { modulusLength: 2048 });
const secret = (extra: Partial<Secret> = {}): Secret => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password: 'hunter2' }, ...extra,
});
const values = (s: Secret): Record<string, string> => Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
const renamed = (s: SealedSecret, metadata: Partial<NonNullable<SealedSecret['metadata']>>): SealedSecret => ({ ...s, metadata: { ...s.metadata, ...metadata } });

describe('hybrid encryption layout', () => {
  test('uint16 RSA length || RSA-OAEP-SHA256(label) session key || AES-256-GCM with a zero nonce, tag last', () => {
    const { publicKey, privateKey } = rsa();
    const label = encryptionLabel('shop', 'db', 'strict');
    assert.equal(label.toString(), 'shop/db');
    const blob = hybridEncrypt(publicKey, Buffer.from('hello'), label);
    const rsaLength = blob.readUInt16BE(0);
    assert.equal(rsaLength, 256);
    assert.equal(blob.length, 2 + 256 + 5 + 16);
    const sessionKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, blob.subarray(2, 258));
    assert.equal(sessionKey.length, 32);
    const decipher = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    assert.equal(Buffer.concat([decipher.update(blob.subarray(258, blob.length - 16)), decipher.final()]).toString(), 'hello');
  });

  test('labels per scope', () => {
    assert.equal(encryptionLabel('shop', 'db', 'namespace-wide').toString(), 'shop');
    assert.equal(encryptionLabel('shop', 'db', 'cluster-wide').length, 0);
  });
});

describe('seal and unseal', () => {
  const { publicKey, privateKey } = rsa();
  const other = rsa();

  test('round trip keeps metadata, type and immutable; strips last-applied and owner references', () => {
    const sealed = sealSecret(secret({
      type: 'kubernetes.io/basic-auth', immutable: true,
      metadata: { name: 'db', namespace: 'shop', labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'hunter2', note: 'x' }, ownerReferences: [{ name: 'o' }], uid: 'u', resourceVersion: '7' },
      data: { username: Buffer.from('app').toString('base64') },
    }), publicKey);
    assert.doesNotMatch(JSON.stringify(sealed), /hunter2|last-applied|resourceVersion|"uid"/);
    assert.deepEqual(sealed.spec?.template?.metadata, { name: 'db', namespace: 'shop', creationTimestamp: null, labels: { app: 'web' }, annotations: { note: 'x' } });
    const opened = unsealSealedSecret(sealed, [other.privateKey, privateKey]);
    assert.deepEqual(values(opened), { password: 'hunter2', username: 'app' });
    assert.equal(opened.type, 'kubernetes.io/basic-auth');
    assert.equal(opened.immutable, true);
    assert.equal((opened.metadata?.ownerReferences?.[0] as { kind: string }).kind, 'SealedSecret');
  });

  test('strict: another name or namespace does not open, naming object and key, without plaintext', () => {
    const sealed = sealSecret(secret(), publicKey);
    for (const moved of [renamed(sealed, { name: 'other' }), renamed(sealed, { namespace: 'elsewhere' })]) {
      assert.throws(() => unsealSealedSecret(moved, [privateKey]), (error: Error) => {
        assert.ok(error instanceof UnsealError);
        assert.match(error.message, /^SealedSecret\/(shop\/other|elsewhere\/db): cannot unseal: key "password": no private key could decrypt it/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      });
    }
  });

  test('namespace-wide opens under another name, not in another namespace; cluster-wide opens anywhere', () => {
    const nsWide = sealSecret(secret(), publicKey, { scope: 'namespace-wide' });
    assert.equal(nsWide.metadata?.annotations?.['sealedsecrets.bitnami.com/namespace-wide'], 'true');
    assert.equal(values(unsealSealedSecret(renamed(nsWide, { name: 'other' }), [privateKey]))['password'], 'hunter2');
    assert.throws(() => unsealSealedSecret(renamed(nsWide, { namespace: 'elsewhere' }), [privateKey]), /key "password"/);
    const clusterWide = sealSecret(secret(), publicKey, { scope: 'cluster-wide' });
    assert.equal(values(unsealSealedSecret(renamed(clusterWide, { name: 'x', namespace: 'y' }), [privateKey]))['password'], 'hunter2');
    // Removing the scope annotation changes the label: it no longer opens.
    assert.throws(() => unsealSealedSecret(renamed(clusterWide, { annotations: {} }), [privateKey]), /scope strict/);
  });

  test('tampered, truncated and non-base64 values are refused, all keys reported, no partial Secret', () => {
    const sealed = sealSecret(secret({ stringData: { a: 'one', b: 'two', c: 'three', d: 'four' } }), publicKey);
    const data = { ...sealed.spec?.encryptedData };
    const tampered = Buffer.from(data['a'] ?? '', 'base64');
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1; // the GCM tag
    data['a'] = tampered.toString('base64');
    data['b'] = Buffer.from(data['b'] ?? '', 'base64').subarray(0, 100).toString('base64');
    data['c'] = 'not base64!';
    const broken: SealedSecret = { ...sealed, spec: { ...sealed.spec, encryptedData: data } };
    assert.throws(() => unsealSealedSecret(broken, [privateKey]), (error: Error) => {
      assert.match(error.message, /key "a": the value was tampered with/);
      assert.match(error.message, /key "b": the value is too short/);
      assert.match(error.message, /key "c": the sealed value is not valid base64/);
      assert.doesNotMatch(error.message, /key "d"|four/);
      return true;
    });
  });

  test('input refusals name the Secret and the fix', () => {
    assert.throws(() => sealSecret(secret({ stringData: {} }), publicKey), /Secret\/shop\/db: the Secret has no data.*--allow-empty-data/);
    assert.equal(Object.keys(sealSecret(secret({ stringData: {} }), publicKey, { allowEmptyData: true }).spec?.encryptedData ?? {}).length, 0);
    assert.throws(() => sealSecret(secret({ metadata: { name: 'db' } }), publicKey), /Secret\/db: the Secret has no namespace/);
    assert.throws(() => sealSecret(secret(), publicKey, { namespace: 'other' }), /namespace "shop" but --namespace says "other"/);
    assert.throws(() => sealSecret(secret({ data: { password: 'hunter2!' } }), publicKey), (error: Error) => /key "password".*not valid base64/.test(error.message) && !error.message.includes('hunter2'));
    assert.ok(sealSecret(secret({ metadata: { name: 'db' } }), publicKey, { scope: 'cluster-wide' }));
  });

  test('the deprecated spec.data format is refused clearly', () => {
    assert.throws(() => unsealSealedSecret({ metadata: { name: 'db', namespace: 'shop' }, spec: { data: 'AAAA' } }, [privateKey]), /deprecated spec.data/);
  });
});

describe('templates', () => {
  test('the supported subset renders as Go text/template does', () => {
    const v = { user: 'app', 'tls.crt': 'C' };
    assert.equal(renderTemplate('u={{ .user }}', v), 'u=app');
    assert.equal(renderTemplate('a {{- index . "tls.crt" -}} b', v), 'aCb');
    assert.equal(renderTemplate('[{{ .missing }}][{{ index . "missing" }}]{{/* note */}}', v), '[<no value>][]');
  });
  test('anything else is refused by name', () => {
    assert.throws(() => renderTemplate('{{ .user | upper }}', {}), TemplateUnsupportedError);
    assert.throws(() => renderTemplate('{{ if .user }}x{{ end }}', {}), /\{\{ if … \}\} is not supported/);
    assert.throws(() => renderTemplate('{{ .user', {}), /unclosed/);
  });
});

describe('keys and certificates', () => {
  let pair: Awaited<ReturnType<typeof generateSealingKeyPair>>;
  before(async () => {
    pair = await generateSealingKeyPair();
  });

  test('a generated key is stored as the controller stores it', () => {
    const stored = sealingKeySecret(pair, 'kube-system');
    assert.equal(stored.type, 'kubernetes.io/tls');
    assert.equal(stored.metadata?.generateName, 'sealed-secrets-key');
    assert.match(JSON.stringify(stored.metadata), /"labels":\{"sealedsecrets.bitnami.com\/sealed-secrets-key":"active"\}/);
    assert.match(Buffer.from(stored.data?.['tls.key'] ?? '', 'base64').toString(), /^-----BEGIN RSA PRIVATE KEY-----/);
    const certificate = new X509Certificate(pair.certificatePem);
    assert.equal(certificate.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
    // As Go writes Bitnami's: empty subject = issuer, CA basic constraints and encipher-only key usage, both critical.
    const parsed = new x509.X509Certificate(pair.certificatePem);
    assert.equal(parsed.subject, '');
    assert.equal(parsed.getExtension(x509.BasicConstraintsExtension)?.ca, true);
    assert.equal(parsed.getExtension(x509.KeyUsagesExtension)?.usages, x509.KeyUsageFlags.encipherOnly);
    const years = (Date.parse(certificate.validTo) - Date.parse(certificate.validFrom)) / (365 * 86_400_000);
    assert.ok(Math.abs(years - 10) < 0.01, `valid for ${years} years`);
  });

  test('keys are read from PEM, a key Secret and a List of them', () => {
    const stored = sealingKeySecret(pair, 'kube-system', { name: 'k1' });
    assert.equal(privateKeysFromText(pair.privateKeyPem, 'k.pem').length, 1);
    assert.equal(privateKeysFromText(stringify(stored), 'k.yaml').length, 1);
    assert.equal(privateKeysFromText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [stored, stored] }), 'k.json').length, 2);
    assert.throws(() => privateKeysFromText(stringify({ kind: 'Secret', metadata: { name: 'x' }, data: {} }), 'k.yaml'), /k\.yaml: Secret\/x has no tls\.key/);
    const sealed = sealSecret(secret(), parseSealingCertificate(pair.certificatePem, 'cert.pem').publicKey);
    assert.equal(values(unsealSealedSecret(sealed, privateKeysFromText(stringify(stored), 'k.yaml')))['password'], 'hunter2');
  });

  test('expired certificates are refused', async () => {
    const old = await generateSealingKeyPair({ keySize: 2048, notBefore: new Date('2020-01-01T00:00:00Z'), validForMs: 86_400_000 });
    assert.throws(() => parseSealingCertificate(old.certificatePem, 'old.pem'), /old\.pem: the certificate expired on 2020-01-02/);
    assert.throws(() => parseSealingCertificate('nothing here', 'x.pem'), /x\.pem: no PEM certificate found/);
  });
});

describe('reading Secrets', () => {
  test('YAML streams and concatenated JSON objects, with lines for errors', () => {
    assert.equal(readDocuments('a: 1\n---\nb: 2\n', 'f.yaml').length, 2);
    assert.deepEqual(readDocuments('{"a":"}{"}\n{"b":2}', 'f.json').map((d) => d.line), [1, 2]);
    assert.throws(() => readDocuments('a: 1\n---\nb: [\n', 'f.yaml'), /f\.yaml:\d+/);
    assert.throws(() => readDocuments('{"stringData": {"password": "hunter2" "x": 1}}', 'f.json'), (error: Error) => /^f\.json:1: invalid JSON/.test(error.message) && !error.message.includes('hunter2'));
    assert.throws(() => readDocuments('stringData:\n  password: hunter2\n  bad: [\n', 'f.yaml'), (error: Error) => !error.message.includes('hunter2'));
  });
});
