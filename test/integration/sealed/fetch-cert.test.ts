/**
 * `--fetch-cert` and sealing without --cert: the certificate comes from the controller through the API server's
 * service proxy, as kubeseal gets it (Service lookup for its first port name, then
 * `/api/v1/namespaces/<ns>/services/http:<name>:<port>/proxy/v1/cert.pem`). A real kube-apiserver refuses to proxy
 * to loopback addresses, and test servers bind 127.0.0.1 only, so a small HTTP server plays the API server here; it
 * records the paths asked for, which is what this test is about.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { generateSealingKeyPair } from '../../../src/sealed/keys.js';
import type { SealingKeyPair } from '../../../src/sealed/keys.js';
import { unsealSealedSecret } from '../../../src/sealed/unseal.js';
import type { SealedSecret } from '../../../src/sealed/types.js';
import { launchpadSeal } from './tools.js';

describe('certificate from the controller through the service proxy', () => {
  let dir = '';
  let server: Server;
  let pair: SealingKeyPair;
  const paths: string[] = [];

  before(async () => {
    pair = await generateSealingKeyPair({ keySize: 2048 });
    server = createServer((request, response) => {
      paths.push(request.url ?? '');
      if (request.headers.authorization !== 'Bearer test-token') {
        response.writeHead(401).end();
      } else if (request.url === '/api/v1/namespaces/sealing/services/sealer') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Service', spec: { ports: [{ name: 'http', port: 8080 }] } }));
      } else if (request.url === '/api/v1/namespaces/sealing/services/http:sealer:http/proxy/v1/cert.pem') {
        response.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pair.certificatePem);
      } else {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', reason: 'NotFound', code: 404 }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    dir = await mkdtemp(join(tmpdir(), 'launchpad-fetch-cert-'));
    const { port } = server.address() as AddressInfo;
    await writeFile(join(dir, 'kubeconfig'), stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
      clusters: [{ name: 'test', cluster: { server: `http://127.0.0.1:${port}` } }],
      users: [{ name: 'test', user: { token: 'test-token' } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'test', namespace: 'shop' } }],
    }));
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    await rm(dir, { recursive: true, force: true });
  });

  const flags = (): string[] => ['--kubeconfig', join(dir, 'kubeconfig'), '--controller-namespace', 'sealing', '--controller-name', 'sealer'];

  test('--fetch-cert prints the controller certificate', async () => {
    const result = await launchpadSeal(['--fetch-cert', ...flags()]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, pair.certificatePem);
    assert.ok(paths.includes('/api/v1/namespaces/sealing/services/http:sealer:http/proxy/v1/cert.pem'));
  });

  test('sealing without --cert uses it, and the context namespace fills a missing one', async () => {
    const secret = stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2' } });
    const result = await launchpadSeal(flags(), secret);
    assert.equal(result.code, 0, result.stderr);
    const sealed = JSON.parse(result.stdout) as SealedSecret;
    assert.equal(sealed.metadata?.namespace, 'shop');
    assert.equal(Buffer.from(unsealSealedSecret(sealed, [pair.privateKey]).data?.['password'] ?? '', 'base64').toString(), 'hunter2');
  });

  test('a missing controller Service is a clear error with the fix', async () => {
    const result = await launchpadSeal(['--fetch-cert', '--kubeconfig', join(dir, 'kubeconfig')], '');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Service\/kube-system\/sealed-secrets-controller.*not found.*--controller-namespace/);
  });
});
