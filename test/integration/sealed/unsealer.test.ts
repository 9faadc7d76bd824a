/**
 * GIVEN a real API server with the SealedSecret CRD, a sealing key already stored as Bitnami stores it and the
 * unsealer add-on running against it (its /v1 endpoints on a real listener on 127.0.0.1), WHEN SealedSecrets sealed
 * by the real kubeseal and by Launchpad are applied, changed, tampered with, moved to another namespace or pointed at
 * Secrets that exist already, THEN the Secrets, conditions and events are what Bitnami's controller would produce, and
 * keys are generated, renewed and kept as it does.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { parse, stringify } from 'yaml';
import { createLogger } from '../../../src/controller/log.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { createKubeClient } from '../../../src/kube/index.js';
import { installDemoSealingKey } from '../../../src/local/up.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { SealedSecretsAddon } from '../../../src/sealed/controller/addon.js';
import { sealedSecretCrd } from '../../../src/sealed/controller/crd.js';
import { SEALING_KEY_LABEL, generateSealingKeyPair, sealingKeySecret } from '../../../src/sealed/keys.js';
import type { SealingKeyPair } from '../../../src/sealed/keys.js';
import { parseSealingCertificate } from '../../../src/sealed/certificate.js';
import { sealSecret } from '../../../src/sealed/seal.js';
import { unsealSealedSecret } from '../../../src/sealed/unseal.js';
import type { SealedSecret } from '../../../src/sealed/types.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';
import { findSealedSecretsTool, launchpadSeal, run } from './tools.js';

const KEYS_NS = 'sealing';
const NS = 'shop';
const kubeseal = findSealedSecretsTool('kubeseal');

type Condition = { type: string; status: string; message?: string };
type Sealed = SealedSecret & { status?: { conditions?: Condition[]; observedGeneration?: number } };

const secretOf = (name: string, values: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS, ...extra }, type: 'Opaque', stringData: values,
});

const decoded = (secret: KubeObject | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries((secret?.data ?? {}) as Record<string, string>).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));

describe('the sealed-secrets unsealer on a real API server', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let existing: SealingKeyPair;
  let addon: SealedSecretsAddon;
  let app: FastifyInstance;
  let url = '';
  let dir = '';
  const stop = new AbortController();

  const seal = (name: string, values: Record<string, string>, options: { readonly namespace?: string; readonly pair?: SealingKeyPair; readonly labels?: Record<string, string> } = {}): SealedSecret =>
    sealSecret(secretOf(name, values, options.labels === undefined ? {} : { labels: options.labels }), (options.pair ?? existing).privateKey, options.namespace === undefined ? {} : { namespace: options.namespace });
  const applySealed = async (sealed: SealedSecret): Promise<void> => {
    await client.apply(sealed as unknown as KubeObject, { fieldManager: 'test' });
  };
  const getSecret = (name: string, namespace = NS): Promise<KubeObject | undefined> => client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  const getSealed = async (name: string, namespace = NS): Promise<Sealed> =>
    (await client.get({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', namespace, name })) as unknown as Sealed;
  const synced = async (name: string, namespace = NS): Promise<Condition | undefined> => (await getSealed(name, namespace)).status?.conditions?.find((condition) => condition.type === 'Synced');
  const until = async (what: string, check: () => Promise<void>): Promise<void> => {
    await eventually(async () => {
      await check();
      return true;
    }, { what, timeoutMs: 30_000, intervalMs: 200 });
  };
  const keySecrets = async (namespace = KEYS_NS): Promise<KubeObject[]> => client.list('v1', 'Secret', { namespace, labelSelector: `${SEALING_KEY_LABEL}=active` });
  const events = async (name: string): Promise<string[]> =>
    (await client.list('v1', 'Event', { namespace: NS }))
      .filter((event) => (event.involvedObject as { name?: string }).name === name)
      .map((event) => `${String(event.reason)}: ${String(event.message)}`);

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    await client.apply(sealedSecretCrd());
    await waitEstablished(client, [sealedSecretCrd()]);
    for (const name of [KEYS_NS, NS, 'other', 'fresh']) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    // A key Bitnami's controller made earlier (2048 bits keeps the test fast; the format is the same).
    existing = await generateSealingKeyPair({ keySize: 2048 });
    await client.create(sealingKeySecret(existing, KEYS_NS) as unknown as KubeObject);
    dir = await mkdtemp(join(tmpdir(), 'launchpad-unsealer-'));
    addon = new SealedSecretsAddon({ namespace: KEYS_NS, keySize: 2048, keyRenewPeriodMs: 0, processors: 2 });
    app = Fastify();
    await app.register((scope, _options, done) => {
      addon.routes(scope);
      done();
    });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    await addon.start({ client, namespace: 'argocd', log: createLogger({ level: 'error', json: true }), signal: stop.signal, registry: new Registry() });
  });

  after(async () => {
    stop.abort();
    await addon.stop();
    await app.close();
    client.close?.();
    await plane.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('GIVEN a key Secret in the namespace THEN it is picked up and no key is generated; /v1/cert.pem serves it', async () => {
    assert.equal(addon.registry.size(), 1);
    assert.equal((await keySecrets()).length, 1);
    const response = await fetch(`${url}/v1/cert.pem`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/x-pem-file');
    assert.equal(await response.text(), existing.certificatePem);
  });

  test('GIVEN a SealedSecret sealed by the real kubeseal THEN its Secret appears, owned by it, and Synced=True', { skip: kubeseal === undefined ? 'kubeseal not installed (scripts/install-kubeseal.sh)' : false }, async () => {
    await writeFile(join(dir, 'cert.pem'), existing.certificatePem);
    const input = stringify({ ...secretOf('db', { password: 'hunter2' }), metadata: { name: 'db', namespace: NS, labels: { app: 'web' } } });
    const sealed = await run(kubeseal ?? 'kubeseal', ['--cert', join(dir, 'cert.pem'), '--format', 'json'], input);
    assert.equal(sealed.code, 0, sealed.stderr);
    await applySealed(JSON.parse(sealed.stdout) as SealedSecret);
    const owner = await getSealed('db');
    await until('the Secret db', async () => {
      const secret = await getSecret('db');
      assert.deepEqual(decoded(secret), { password: 'hunter2' });
      assert.deepEqual(secret?.metadata.labels, { app: 'web' });
      assert.deepEqual(secret.metadata.ownerReferences, [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 'db', uid: owner.metadata?.uid, controller: true }]);
      const condition = await synced('db');
      assert.equal(condition?.status, 'True');
      assert.equal((await getSealed('db')).status?.observedGeneration, owner.metadata?.['generation']);
    });
    assert.ok((await events('db')).includes('Unsealed: SealedSecret unsealed successfully'));
  });

  test('GIVEN the SealedSecret is changed THEN the Secret follows; deleted THEN it is written again', async () => {
    await applySealed(seal('api', { token: 'one' }));
    await until('the first value', async () => { assert.deepEqual(decoded(await getSecret('api')), { token: 'one' }); });
    await applySealed(seal('api', { token: 'two', extra: 'x' }));
    await until('the new values', async () => { assert.deepEqual(decoded(await getSecret('api')), { token: 'two', extra: 'x' }); });
    await client.delete({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'api' });
    await until('the Secret again', async () => { assert.deepEqual(decoded(await getSecret('api')), { token: 'two', extra: 'x' }); });
  });

  test('GIVEN existing Secrets annotated managed or patch THEN one is taken over, the other merged into', async () => {
    await client.create(secretOf('legacy', { old: 'value' }, { annotations: { 'sealedsecrets.bitnami.com/managed': 'true' } }));
    await client.create(secretOf('merged', { keep: 'me' }, { labels: { team: 'a' }, annotations: { 'sealedsecrets.bitnami.com/patch': 'true' } }));
    await applySealed(seal('legacy', { password: 'new' }));
    await applySealed(seal('merged', { password: 'added' }, { labels: { app: 'web' } }));
    const legacyUid = (await getSealed('legacy')).metadata?.uid;
    await until('the take-over and the merge', async () => {
      const legacy = await getSecret('legacy');
      assert.deepEqual(decoded(legacy), { password: 'new' });
      assert.equal((legacy?.metadata.ownerReferences as { uid: string }[] | undefined)?.[0]?.uid, legacyUid);
      const merged = await getSecret('merged');
      assert.deepEqual(decoded(merged), { keep: 'me', password: 'added' });
      assert.deepEqual(merged?.metadata.labels, { team: 'a', app: 'web' });
      assert.equal(merged.metadata.ownerReferences, undefined, 'patch without managed keeps the owners');
    });
  });

  test('GIVEN a Secret it does not own THEN it is left alone: Synced=False naming it, and a Warning event', async () => {
    await client.create(secretOf('foreign', { mine: 'not yours' }));
    await applySealed(seal('foreign', { password: 'x' }));
    await until('the refusal', async () => {
      const condition = await synced('foreign');
      assert.equal(condition?.status, 'False');
      assert.match(condition.message ?? '', /Secret\/shop\/foreign already exists and is not managed by this SealedSecret .*sealedsecrets\.bitnami\.com\/managed/);
      assert.ok((await events('foreign')).some((event) => event.startsWith('ErrUpdateFailed: ')));
    });
    assert.deepEqual(decoded(await getSecret('foreign')), { mine: 'not yours' });
  });

  test('GIVEN a tampered blob or a SealedSecret moved to another namespace THEN Synced=False names the key, no Secret is written, and the unsealer goes on', async () => {
    const tampered = seal('tampered', { a: 'fine', b: 'broken' });
    const blob = Buffer.from(tampered.spec?.encryptedData?.['b'] ?? '', 'base64');
    blob[blob.length - 20] = (blob[blob.length - 20] ?? 0) ^ 0xff;
    await applySealed({ ...tampered, spec: { ...tampered.spec, encryptedData: { ...tampered.spec?.encryptedData, b: blob.toString('base64') } } });
    const moved = seal('moved', { password: 'x' });
    await applySealed({ ...moved, metadata: { ...moved.metadata, namespace: 'other' } });
    await until('both refusals', async () => {
      const condition = await synced('tampered');
      assert.equal(condition?.status, 'False');
      assert.match(condition.message ?? '', /SealedSecret\/shop\/tampered: cannot unseal: key "b": the value was tampered with/);
      assert.doesNotMatch(condition.message ?? '', /key "a"/);
      const other = await synced('moved', 'other');
      assert.equal(other?.status, 'False');
      assert.match(other.message ?? '', /SealedSecret\/other\/moved: cannot unseal: key "password": no private key could decrypt it/);
      assert.ok((await events('tampered')).some((event) => event.startsWith('ErrUnsealFailed: Failed to unseal: ')));
    });
    assert.equal(await getSecret('tampered'), undefined, 'never a partial Secret');
    assert.equal(await getSecret('moved', 'other'), undefined);
    await applySealed(seal('after', { ok: 'yes' }));
    await until('the next SealedSecret', async () => { assert.deepEqual(decoded(await getSecret('after')), { ok: 'yes' }); });
  });

  test('/v1/verify answers 200 or 409 and is rate-limited; /v1/rotate re-encrypts to the newest key', async () => {
    const verify = (body: unknown, client = 'a'): Promise<Response> =>
      fetch(`${url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': client }, body: JSON.stringify(body) });
    assert.equal((await verify(seal('v', { k: 'v' }), 'one')).status, 200);
    const foreign = await generateSealingKeyPair({ keySize: 2048 });
    assert.equal((await verify(seal('v', { k: 'v' }, { pair: foreign }), 'two')).status, 409);
    const statuses = await Promise.all(Array.from({ length: 8 }, () => verify(seal('v', { k: 'v' }), 'burst').then((response) => response.status)));
    assert.ok(statuses.includes(429), statuses.join(','));
    assert.ok(statuses.filter((status) => status === 200).length <= 3, statuses.join(','));
    const rotated = await fetch(`${url}/v1/rotate`, { method: 'POST', body: stringify(seal('r', { k: 'rotated' })) });
    assert.equal(rotated.status, 200);
    const reencrypted = (await rotated.json()) as SealedSecret;
    const latest = addon.registry.latest();
    assert.ok(latest !== undefined);
    assert.equal(Buffer.from(unsealSealedSecret(reencrypted, [latest.privateKey]).data?.['k'] ?? '', 'base64').toString(), 'rotated');
    assert.equal((await fetch(`${url}/v1/rotate`, { method: 'POST', body: stringify(seal('r', { k: 'v' }, { pair: foreign })) })).status, 409);
  });

  test('GIVEN a renewal THEN a new key Secret is written, the old one is kept, and both keys open values', async () => {
    const name = await addon.renewKey();
    const keys = await keySecrets();
    assert.equal(keys.length, 2);
    assert.ok(keys.some((secret) => secret.metadata.name === name && /^sealed-secrets-key[a-z0-9]{5}$/.test(name) && secret.type === 'kubernetes.io/tls'));
    const pem = await (await fetch(`${url}/v1/cert.pem`)).text();
    assert.notEqual(pem, existing.certificatePem, 'the newest key seals now');
    const newest = parseSealingCertificate(pem, 'cert.pem');
    await applySealed(sealSecret(secretOf('renewed', { v: 'new key' }), newest.publicKey));
    await applySealed(seal('old-key', { v: 'old key' }));
    await until('both Secrets', async () => {
      assert.deepEqual(decoded(await getSecret('renewed')), { v: 'new key' });
      assert.deepEqual(decoded(await getSecret('old-key')), { v: 'old key' });
    });
  });

  test('launchpad seal --cert takes the certificate from the unsealer\'s /v1/cert.pem, and --fetch-cert goes through the service proxy path', async () => {
    const result = await launchpadSeal(['--cert', `${url}/v1/cert.pem`, '-o', 'yaml'], stringify(secretOf('via-http', { password: 'p' })));
    assert.equal(result.code, 0, result.stderr);
    await writeFile(join(dir, 'via-http.yaml'), result.stdout);
    // A real API server refuses to proxy to loopback addresses; this stand-in answers the Service lookup and
    // forwards the service-proxy path to the unsealer, as the API server does in a cluster.
    const proxy: Server = createServer((request, response) => {
      if (request.url === '/api/v1/namespaces/sealing/services/sealed-secrets-controller') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Service', spec: { ports: [{ name: 'http', port: 8080 }] } }));
        return;
      }
      const prefix = '/api/v1/namespaces/sealing/services/http:sealed-secrets-controller:http/proxy';
      if (!(request.url ?? '').startsWith(prefix)) {
        response.writeHead(404).end();
        return;
      }
      void fetch(`${url}${(request.url ?? '').slice(prefix.length)}`).then(async (answer) => {
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      await writeFile(kubeconfig, stringify({
        apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
        clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } }],
        users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      }));
      const fetched = await launchpadSeal(['--fetch-cert', '--controller-namespace', KEYS_NS, '--kubeconfig', kubeconfig]);
      assert.equal(fetched.code, 0, fetched.stderr);
      assert.equal(fetched.stdout, addon.registry.latest()?.certificatePem);
    } finally {
      await new Promise<void>((resolve) => { proxy.close(() => { resolve(); }); });
    }
  });

  test('GIVEN the example\'s demo key installed as `launchpad up` does THEN it is picked up while running and every upc-dev example Secret appears', async () => {
    const folder = new URL('../../../../examples/platform/launchpad/', import.meta.url).pathname;
    assert.equal(await installDemoSealingKey(client, join(folder, '_app-of-apps-upc-dev.yaml'), KEYS_NS), true);
    const examples = (await readdir(join(folder, 'secrets/upc-dev'))).map((file) => parse(readFileSync(join(folder, 'secrets/upc-dev', file), 'utf8')) as SealedSecret);
    assert.ok(examples.length >= 10);
    for (const namespace of new Set(examples.map((sealed) => sealed.metadata?.namespace ?? ''))) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    for (const sealed of examples) await applySealed(sealed);
    await until('every example Secret', async () => {
      for (const sealed of examples) {
        const secret = await getSecret(sealed.metadata?.name ?? '', sealed.metadata?.namespace);
        assert.deepEqual(Object.keys(decoded(secret)).sort(), Object.keys(sealed.spec?.encryptedData ?? {}).sort(), `${sealed.metadata?.namespace ?? ''}/${sealed.metadata?.name ?? ''}`);
        assert.equal(secret?.type, sealed.spec?.template?.type ?? 'Opaque');
      }
    });
  });

  test('GIVEN no key in its namespace THEN the unsealer makes one at start, as Bitnami stores it', async () => {
    const fresh = new SealedSecretsAddon({ namespace: 'fresh', keySize: 2048, keyRenewPeriodMs: 0 });
    const stopFresh = new AbortController();
    await fresh.start({ client, namespace: 'argocd', log: createLogger({ level: 'error', json: true }), signal: stopFresh.signal, registry: new Registry() });
    stopFresh.abort();
    await fresh.stop();
    const [key, ...more] = await keySecrets('fresh');
    assert.equal(more.length, 0);
    assert.equal(key?.type, 'kubernetes.io/tls');
    assert.deepEqual(key.metadata.labels, { [SEALING_KEY_LABEL]: 'active' });
    const data = key.data as Record<string, string>;
    assert.match(Buffer.from(data['tls.key'] ?? '', 'base64').toString(), /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(Buffer.from(data['tls.crt'] ?? '', 'base64').toString(), fresh.registry.latest()?.certificatePem);
  });
});
