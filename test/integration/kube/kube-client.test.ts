/**
 * The real KubeClient against a real API server (tier 1: etcd + kube-apiserver): the shared contract, then what only
 * the real client has — kubeconfig credentials, connection failures, watch streams that the server ends.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { stringify } from 'yaml';
import { KubeError, KubeconfigError, LaunchpadError } from '../../../src/errors.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient, WatchEvent } from '../../../src/kube/index.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';
import { runKubeClientContract } from './kube-client-contract.js';

const skip = controlPlaneSkipReason(1);

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The secret parts of a PEM: its base64 lines, and the whole PEM as a kubeconfig embeds it. */
const secretsOfPem = (pem: string): string[] => [base64(pem), ...pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'))];

/** Fails when any secret appears in the error's message or anywhere in its printed form (causes included). */
function assertNoSecrets(error: unknown, secrets: readonly string[]): void {
  const printed = `${error instanceof Error ? error.message : ''}\n${inspect(error, { depth: 10 })}`;
  for (const secret of secrets) assert.ok(!printed.includes(secret), `the error shows credential material: ${printed}`);
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(
    () => assert.fail('expected a failure'),
    (error: unknown) => error,
  );
}

interface KubeconfigParts {
  readonly server: string;
  readonly caPem: string;
  readonly user: Record<string, string>;
}

const kubeconfigText = (parts: KubeconfigParts): string =>
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test-cluster', cluster: { server: parts.server, 'certificate-authority-data': base64(parts.caPem) } }],
    users: [{ name: 'test-user', user: parts.user }],
    contexts: [{ name: 'test-context', context: { cluster: 'test-cluster', user: 'test-user', namespace: 'default' } }],
    'current-context': 'test-context',
  });

describe('KubeClient over a real API server', { skip }, () => {
  let plane: ControlPlane;
  let dir: string;

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    dir = await mkdtemp(join(tmpdir(), 'launchpad-kube-client-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await plane.stop();
  });

  runKubeClientContract('createKubeClient', async () => ({
    client: await createKubeClient({ kubeconfig: plane.kubeconfigPath }),
    capabilities: { customResourceDefinitions: true, admissionWebhooks: true },
  }));

  describe('only the real client', () => {
    let client: KubeClient;

    before(async () => {
      client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    });

    after(() => client.close?.());

    test('a watch outlives the server ending its streams: every change is seen once, in order', async () => {
      // The server ends each stream after a second, so the watch below resumes several times.
      const shortStreams = await createKubeClient({ kubeconfig: plane.kubeconfigPath, watchTimeoutSeconds: 1 });
      await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'real-watch-resume' } });
      const events: WatchEvent[] = [];
      const controller = new AbortController();
      const watching = shortStreams.watch('v1', 'ConfigMap', { namespace: 'real-watch-resume', signal: controller.signal }, (event) => events.push(event));
      const cm = (step: string): Parameters<KubeClient['apply']>[0] => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r', namespace: 'real-watch-resume' }, data: { step } });
      const saw = (count: number) => () => Promise.resolve(events.length >= count);

      await client.apply(cm('1'));
      await eventually(saw(1), { what: 'the first event' });
      await sleep(2_500); // let streams end and the watch resume (not an assertion)
      await client.apply(cm('2'));
      await eventually(saw(2), { what: 'the second event' });
      await sleep(2_500);
      await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'real-watch-resume', name: 'r' }, { propagationPolicy: 'Background' });
      await eventually(saw(3), { what: 'the third event' });
      await sleep(1_500);
      controller.abort();
      await watching;
      shortStreams.close?.();

      assert.deepEqual(
        events.map((event) => `${event.type} ${JSON.stringify((event.object as { data?: unknown }).data)}`),
        ['ADDED {"step":"1"}', 'MODIFIED {"step":"2"}', 'DELETED {"step":"2"}'],
      );
    });

    test('a namespaced object without a namespace goes to the context\'s namespace; a cluster-scoped one ignores a namespace', async () => {
      const applied = await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'no-namespace' }, data: {} });
      assert.equal(applied.metadata.namespace, 'default');
      const cluster = await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'real-scoped', namespace: 'ignored' } });
      assert.equal(cluster.metadata.namespace, undefined);
    });

    test('apply without a name says to use create', async () => {
      const failure = await failureOf(client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'x-', namespace: 'default' } }));
      assert.ok(failure instanceof KubeError);
      assert.match(failure.message, /^ConfigMap\/default\/x-: apply failed: metadata\.name is empty — .*create/);
    });
  });

  describe('errors never show credentials', () => {
    test('a rejected bearer token: 401, names user and context, not the token', async () => {
      const token = 'launchpad-secret-token-3f9c2a7b1e8d4c6a';
      const path = join(dir, 'token.kubeconfig');
      await writeFile(path, kubeconfigText({ server: plane.server, caPem: plane.caCertPem, user: { token } }));
      const failure = await failureOf((await createKubeClient({ kubeconfig: path })).get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'x' }));
      assert.ok(failure instanceof KubeError, String(failure));
      assert.equal(failure.status, 401);
      assert.equal(failure.retryable, false);
      assert.match(failure.message, /^ConfigMap\/default\/x: get failed: .*Unauthorized — .*user "test-user" \(context "test-context"\)/);
      assertNoSecrets(failure, [token]);
    });

    test('a client key that does not match the certificate: a terminal TLS error without the key', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const keyPem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
      const path = join(dir, 'wrong-key.kubeconfig');
      await writeFile(path, kubeconfigText({ server: plane.server, caPem: plane.caCertPem, user: { 'client-certificate-data': base64(plane.tls.cert), 'client-key-data': base64(keyPem) } }));
      const failure = await failureOf((await createKubeClient({ kubeconfig: path })).serverVersion());
      assert.ok(failure instanceof KubeError, String(failure));
      assert.equal(failure.retryable, false);
      assert.match(failure.message, /^API server https:\/\/127\.0\.0\.1:\d+: version failed: /);
      assertNoSecrets(failure, secretsOfPem(keyPem));
    });

    test('an API server that is not there: a retryable error naming the server, without the client key', async () => {
      const port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const address = probe.address();
          probe.close(() => {
            resolve(typeof address === 'object' && address !== null ? address.port : 0);
          });
        });
      });
      const server = `https://127.0.0.1:${port}`;
      const path = join(dir, 'nowhere.kubeconfig');
      await writeFile(path, kubeconfigText({ server, caPem: plane.caCertPem, user: { 'client-certificate-data': base64(plane.tls.cert), 'client-key-data': base64(plane.tls.key) } }));
      const failure = await failureOf((await createKubeClient({ kubeconfig: path })).apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } }));
      assert.ok(failure instanceof KubeError, String(failure));
      assert.equal(failure.retryable, true);
      assert.equal(failure.status, undefined);
      assert.ok(failure.message.includes(`cannot reach the API server ${server}`), failure.message);
      assertNoSecrets(failure, secretsOfPem(plane.tls.key));
    });

    test('a kubeconfig with a YAML error: names the file and line, quotes none of it', async () => {
      const token = 'launchpad-secret-token-yaml-7d1e0c';
      const path = join(dir, 'broken.kubeconfig');
      await writeFile(path, `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: ${token}\n   bad-indent: [\n`);
      const failure = await failureOf(createKubeClient({ kubeconfig: path }));
      assert.ok(failure instanceof KubeconfigError, String(failure));
      assert.ok(failure instanceof LaunchpadError);
      assert.match(failure.message, new RegExp(`^kubeconfig ${path.replace(/[.]/g, '\\.')} is not a valid kubeconfig: YAML error at line \\d+`));
      assertNoSecrets(failure, [token]);
    });
  });
});
