/**
 * Launchpad's Sealed Secrets against the real kubeseal (pinned, built by scripts/install-kubeseal.sh): what one seals
 * the other opens, for the three scopes, --raw values and templates, with keys made by Launchpad and by openssl (the
 * same PKCS#1 RSA + self-signed certificate the controller stores), and Launchpad's output has kubeseal's shape.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { generateSealingKeyPair, sealingKeySecret } from '../../../src/sealed/keys.js';
import type { SealedSecret, Secret } from '../../../src/sealed/types.js';
import { findSealedSecretsTool, launchpadSeal, run } from './tools.js';
import type { Run } from './tools.js';

const kubeseal = findSealedSecretsTool('kubeseal');

function ok(result: Run): Run {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  return result;
}

const decoded = (secret: Secret): Record<string, string> =>
  Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

/** Blobs are random; everything else must match byte for byte. */
const withoutBlobs = (text: string): string => text.replace(/(": "|: )A[A-Za-z0-9+/=]{300,}/g, '$1<blob>');

const SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'db',
    namespace: 'shop',
    labels: { app: 'web' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"password":"hunter2-in-annotation"}}', team: 'payments' },
  },
  type: 'Opaque',
  data: { username: Buffer.from('app').toString('base64') },
  stringData: { password: 'hunter2', 'tls.crt': 'cert-bytes' },
};

describe('Sealed Secrets interop with kubeseal', { skip: kubeseal === undefined ? 'kubeseal not installed (run scripts/install-kubeseal.sh)' : false }, () => {
  let dir = '';
  const bin = kubeseal ?? 'kubeseal';
  const file = (name: string): string => join(dir, name);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'launchpad-sealed-'));
    // Keys made by Launchpad: the controller's key Secret and its certificate.
    const pair = await generateSealingKeyPair();
    await writeFile(file('lp-cert.pem'), pair.certificatePem);
    await writeFile(file('lp-key.yaml'), stringify(sealingKeySecret(pair, 'kube-system', { name: 'sealed-secrets-keyabcde' })));
    // Keys made elsewhere (openssl, as Bitnami's docs show for bring-your-own keys): PKCS#1 PEM + self-signed cert.
    execFileSync('openssl', ['req', '-x509', '-nodes', '-newkey', 'rsa:4096', '-keyout', file('os-key.pem'), '-out', file('os-cert.pem'), '-days', '30', '-subj', '/CN=sealed-secret/O=sealed-secret'], { stdio: 'ignore' });
    await writeFile(file('secret.yaml'), stringify(SECRET));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const scope of ['strict', 'namespace-wide', 'cluster-wide'] as const) {
    test(`kubeseal seals (${scope}, Launchpad key) → Launchpad unseals`, async () => {
      ok(await run(bin, ['--cert', file('lp-cert.pem'), '--scope', scope, '-f', file('secret.yaml'), '-w', file(`ks-${scope}.json`)]));
      const opened = ok(await launchpadSeal(['--recovery-unseal', '--recovery-private-key', file('lp-key.yaml'), '-f', file(`ks-${scope}.json`)]));
      const secret = JSON.parse(opened.stdout) as Secret;
      assert.deepEqual(decoded(secret), { password: 'hunter2', 'tls.crt': 'cert-bytes', username: 'app' });
      assert.equal(secret.metadata?.name, 'db');
      assert.match(JSON.stringify(secret.metadata), /"labels":\{"app":"web"\}/);
      // And byte for byte what kubeseal's own recovery prints.
      const theirs = ok(await run(bin, ['--recovery-unseal', '--recovery-private-key', file('lp-key.yaml'), '-f', file(`ks-${scope}.json`)]));
      assert.equal(opened.stdout, theirs.stdout);
    });

    test(`Launchpad seals (${scope}, openssl key) → kubeseal --recovery-unseal opens it`, async () => {
      ok(await launchpadSeal(['--cert', file('os-cert.pem'), '--scope', scope, '-f', file('secret.yaml'), '-w', file(`lp-${scope}.yaml`)]));
      const text = await readFile(file(`lp-${scope}.yaml`), 'utf8');
      assert.doesNotMatch(text, /hunter2|cert-bytes/, 'no plaintext in the sealed file');
      const opened = ok(await run(bin, ['--recovery-unseal', '--recovery-private-key', file('os-key.pem'), '-o', 'yaml', '-f', file(`lp-${scope}.yaml`)]));
      assert.deepEqual(decoded(parse(opened.stdout) as Secret), { password: 'hunter2', 'tls.crt': 'cert-bytes', username: 'app' });
      const ours = ok(await launchpadSeal(['--recovery-unseal', '--recovery-private-key', file('os-key.pem'), '-o', 'yaml', '-f', file(`lp-${scope}.yaml`)]));
      assert.equal(ours.stdout, opened.stdout);
    });

    test(`Launchpad's output has kubeseal's shape (${scope}, json and yaml)`, async () => {
      for (const format of ['json', 'yaml']) {
        const theirs = ok(await run(bin, ['--cert', file('lp-cert.pem'), '--scope', scope, '-o', format], stringify(SECRET)));
        const ours = ok(await launchpadSeal(['--cert', file('lp-cert.pem'), '--scope', scope, '-o', format], stringify(SECRET)));
        assert.equal(withoutBlobs(ours.stdout), withoutBlobs(theirs.stdout));
        assert.doesNotMatch(ours.stdout, /last-applied|hunter2/);
      }
    });
  }

  test('a SealedSecret sealed for one name does not open as another (strict scope), naming object and key', async () => {
    const sealed = JSON.parse(ok(await run(bin, ['--cert', file('lp-cert.pem')], stringify(SECRET))).stdout) as SealedSecret;
    sealed.metadata = { ...sealed.metadata, name: 'other' };
    await writeFile(file('moved.json'), JSON.stringify(sealed));
    const failed = await launchpadSeal(['--recovery-unseal', '--recovery-private-key', file('lp-key.yaml'), '-f', file('moved.json')]);
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /SealedSecret\/shop\/other/);
    assert.match(failed.stderr, /key "password"/);
    assert.doesNotMatch(failed.stderr + failed.stdout, /hunter2/);
    assert.equal(failed.stdout, '', 'no partial Secret');
  });

  test('--raw values: each side opens the other\'s', async () => {
    await writeFile(file('value.txt'), 's3cr3t-raw');
    const target = ['--raw', '--namespace', 'shop', '--name', 'db', '--from-file', file('value.txt')];
    const theirs = ok(await run(bin, ['--cert', file('lp-cert.pem'), ...target])).stdout;
    const ours = ok(await launchpadSeal(['--cert', file('os-cert.pem'), ...target])).stdout;
    const wrap = (blob: string): string => stringify({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'db', namespace: 'shop' }, spec: { encryptedData: { token: blob } } });
    await writeFile(file('raw-ks.yaml'), wrap(theirs));
    await writeFile(file('raw-lp.yaml'), wrap(ours));
    const a = ok(await launchpadSeal(['--recovery-unseal', '--recovery-private-key', file('lp-key.yaml'), '-f', file('raw-ks.yaml')]));
    assert.equal(decoded(JSON.parse(a.stdout) as Secret)['token'], 's3cr3t-raw');
    const b = ok(await run(bin, ['--recovery-unseal', '--recovery-private-key', file('os-key.pem'), '-f', file('raw-lp.yaml')]));
    assert.equal(decoded(JSON.parse(b.stdout) as Secret)['token'], 's3cr3t-raw');
  });

  test('templates: metadata, type, immutable and templated data open the same on both sides', async () => {
    const sealed = JSON.parse(ok(await run(bin, ['--cert', file('lp-cert.pem'), '--scope', 'namespace-wide'], stringify(SECRET))).stdout) as SealedSecret;
    sealed.spec = {
      ...sealed.spec,
      template: {
        ...sealed.spec?.template,
        type: 'kubernetes.io/basic-auth',
        immutable: true,
        data: { url: 'postgres://{{ .username }}:{{ .password }}@db:5432/app', cert: '{{- index . "tls.crt" -}}\n', missing: '[{{ .nope }}]' },
      },
    };
    await writeFile(file('templated.json'), JSON.stringify(sealed));
    const args = ['--recovery-unseal', '--recovery-private-key', file('lp-key.yaml'), '-f', file('templated.json')];
    const theirs = ok(await run(bin, args));
    const ours = ok(await launchpadSeal(args));
    assert.equal(ours.stdout, theirs.stdout);
    const secret = JSON.parse(ours.stdout) as Secret;
    assert.equal(decoded(secret)['url'], 'postgres://app:hunter2@db:5432/app');
    assert.equal(secret.type, 'kubernetes.io/basic-auth');
    assert.equal(secret.immutable, true);
  });

  test('templates Launchpad does not support are refused by name, without a partial Secret', async () => {
    const sealed = JSON.parse(ok(await run(bin, ['--cert', file('lp-cert.pem')], stringify(SECRET))).stdout) as SealedSecret;
    sealed.spec = { ...sealed.spec, template: { ...sealed.spec?.template, data: { shout: '{{ .password | upper }}' } } };
    await writeFile(file('sprig.json'), JSON.stringify(sealed));
    const failed = await launchpadSeal(['--recovery-unseal', '--recovery-private-key', file('lp-key.yaml'), '-f', file('sprig.json')]);
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /SealedSecret\/shop\/db.*key "shout".*not supported/);
    assert.equal(failed.stdout, '');
  });

  test('--merge-into adds a value kubeseal-style; both tools open the result', async () => {
    ok(await run(bin, ['--cert', file('lp-cert.pem'), '-o', 'yaml', '-w', file('merge.yaml')], stringify(SECRET)));
    const update = stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ignored' }, stringData: { apiKey: 'k-123', password: 'rotated' } });
    ok(await launchpadSeal(['--cert', file('lp-cert.pem'), '--merge-into', file('merge.yaml')], update));
    assert.match(await readFile(file('merge.yaml'), 'utf8'), /^---\napiVersion: bitnami.com\/v1alpha1/);
    const opened = ok(await run(bin, ['--recovery-unseal', '--recovery-private-key', file('lp-key.yaml'), '-f', file('merge.yaml')]));
    assert.deepEqual(decoded(JSON.parse(opened.stdout) as Secret), { apiKey: 'k-123', password: 'rotated', 'tls.crt': 'cert-bytes', username: 'app' });
  });

  test('--re-encrypt offline: opened with the old key, sealed to a new certificate; only the new key opens it', async () => {
    ok(await run(bin, ['--cert', file('os-cert.pem'), '-w', file('rotate.json')], stringify(SECRET)));
    ok(await launchpadSeal(['--re-encrypt', '--recovery-private-key', file('os-key.pem'), '--cert', file('lp-cert.pem'), '-f', file('rotate.json')]));
    const opened = ok(await run(bin, ['--recovery-unseal', '--recovery-private-key', file('lp-key.yaml'), '-f', file('rotate.json')]));
    assert.equal(decoded(JSON.parse(opened.stdout) as Secret)['password'], 'hunter2');
    const old = await run(bin, ['--recovery-unseal', '--recovery-private-key', file('os-key.pem'), '-f', file('rotate.json')]);
    assert.notEqual(old.code, 0);
  });

  test('--validate offline with the private keys: 0 when it opens, an error naming the key when not', async () => {
    ok(await run(bin, ['--cert', file('os-cert.pem'), '-w', file('validate.json')], stringify(SECRET)));
    ok(await launchpadSeal(['--validate', '--recovery-private-key', file('os-key.pem'), '-f', file('validate.json')]));
    const wrong = await launchpadSeal(['--validate', '--recovery-private-key', file('lp-key.yaml'), '-f', file('validate.json')]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /SealedSecret\/shop\/db.*key "password".*no private key could decrypt/);
  });

  test('both tools refuse an expired certificate', async () => {
    const pair = await generateSealingKeyPair({ keySize: 2048, notBefore: new Date(Date.now() - 3 * 86_400_000), validForMs: 86_400_000 });
    await writeFile(file('expired.pem'), pair.certificatePem);
    const theirs = await run(bin, ['--cert', file('expired.pem')], stringify(SECRET));
    const ours = await launchpadSeal(['--cert', file('expired.pem')], stringify(SECRET));
    assert.notEqual(theirs.code, 0);
    assert.equal(ours.code, 2);
    assert.match(ours.stderr, /expired\.pem: the certificate expired on \d{4}-\d\d-\d\d/);
  });
});
