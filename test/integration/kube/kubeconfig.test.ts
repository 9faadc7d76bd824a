/**
 * Where the kubeconfig comes from and which context is used: --kubeconfig, else KUBECONFIG (merged as kubectl does),
 * else the in-cluster service account, else ~/.kube/config. Real files in a temp folder; no cluster needed.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { KubeconfigError } from '../../../src/errors.js';
import { loadKubeconfig } from '../../../src/kube/index.js';
import type { LoadKubeconfigOptions } from '../../../src/kube/index.js';

const SECRET = 'kubeconfig-test-secret-token-5b7e';

interface Entry {
  readonly context: string;
  readonly cluster?: string;
  readonly server?: string;
  readonly user?: string;
  readonly namespace?: string;
}

/** A kubeconfig with one cluster, user and context per entry; every user has the same secret token. */
const kubeconfig = (entries: readonly Entry[], current?: string): string =>
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((entry) => ({ name: entry.cluster ?? entry.context, cluster: { server: entry.server ?? `https://${entry.context}.example:6443` } })),
    users: entries.map((entry) => ({ name: entry.user ?? entry.context, user: { token: SECRET } })),
    contexts: entries.map((entry) => ({
      name: entry.context,
      context: { cluster: entry.cluster ?? entry.context, user: entry.user ?? entry.context, ...(entry.namespace === undefined ? {} : { namespace: entry.namespace }) },
    })),
    ...(current === undefined ? {} : { 'current-context': current }),
  });

describe('loadKubeconfig', () => {
  let dir: string;
  let home: string;
  let noHome: string;
  const file = (name: string): string => join(dir, name);
  /** Options that see nothing of this machine: no KUBECONFIG, no service account, an empty home. */
  const isolated = (options: LoadKubeconfigOptions = {}): LoadKubeconfigOptions => ({ env: {}, homeDir: noHome, serviceAccountDir: join(dir, 'no-sa'), ...options });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'launchpad-kubeconfig-'));
    home = join(dir, 'home');
    noHome = join(dir, 'empty-home');
    await mkdir(join(home, '.kube'), { recursive: true });
    await mkdir(noHome);
    await writeFile(join(home, '.kube', 'config'), kubeconfig([{ context: 'home' }], 'home'));
    await writeFile(file('a.yaml'), kubeconfig([{ context: 'shared', server: 'https://from-a:6443' }, { context: 'only-a', namespace: 'shop' }], 'only-a'));
    await writeFile(file('b.yaml'), kubeconfig([{ context: 'shared', server: 'https://from-b:6443' }, { context: 'only-b' }], 'only-b'));
    await writeFile(file('no-current.yaml'), kubeconfig([{ context: 'one' }, { context: 'two' }]));
    await writeFile(file('dangling.yaml'), kubeconfig([{ context: 'orphan', cluster: 'missing-cluster' }], 'orphan').replace(/name: missing-cluster\n/, 'name: other\n'));
    await mkdir(join(dir, 'certs'));
    await writeFile(
      file('relative.yaml'),
      stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://c:6443', 'certificate-authority': 'certs/ca.crt' } }],
        users: [{ name: 'u', user: { 'client-certificate': 'certs/client.crt', 'client-key': 'certs/client.key' } }],
        contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'ctx',
      }),
    );
    const sa = join(dir, 'sa');
    await mkdir(sa);
    await writeFile(join(sa, 'token'), SECRET);
    await writeFile(join(sa, 'ca.crt'), 'not used by loading');
    await writeFile(join(sa, 'namespace'), 'launchpad-system');
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('--kubeconfig wins over KUBECONFIG, the service account and home', () => {
    const loaded = loadKubeconfig({ kubeconfig: file('b.yaml'), env: { KUBECONFIG: file('a.yaml'), KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: home, serviceAccountDir: join(dir, 'sa') });
    assert.deepEqual([loaded.source, loaded.context, loaded.server], [file('b.yaml'), 'only-b', 'https://only-b.example:6443']);
  });

  test('KUBECONFIG is merged as kubectl does: the first file to name a context or set current-context wins; missing files are skipped', () => {
    const list = [file('missing.yaml'), file('a.yaml'), file('b.yaml')].join(delimiter);
    const loaded = loadKubeconfig(isolated({ env: { KUBECONFIG: list } }));
    assert.equal(loaded.context, 'only-a');
    assert.equal(loaded.namespace, 'shop');
    assert.equal(loadKubeconfig(isolated({ env: { KUBECONFIG: list }, context: 'shared' })).server, 'https://from-a:6443');
    assert.equal(loadKubeconfig(isolated({ env: { KUBECONFIG: list }, context: 'only-b' })).server, 'https://only-b.example:6443');
    assert.equal(loadKubeconfig(isolated({ env: { KUBECONFIG: list }, context: 'only-b' })).namespace, 'default');
  });

  test('in a pod, the service account is used before ~/.kube/config', () => {
    const loaded = loadKubeconfig({ env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: home, serviceAccountDir: join(dir, 'sa') });
    assert.deepEqual([loaded.server, loaded.namespace, loaded.context], ['https://10.96.0.1:443', 'launchpad-system', 'in-cluster']);
    assert.match(loaded.source, /in-cluster service account/);
    const ipv6 = loadKubeconfig({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, homeDir: home, serviceAccountDir: join(dir, 'sa') });
    assert.equal(ipv6.server, 'https://[fd00::1]:443');
  });

  test('otherwise ~/.kube/config', () => {
    const loaded = loadKubeconfig(isolated({ homeDir: home }));
    assert.deepEqual([loaded.source, loaded.context], [join(home, '.kube', 'config'), 'home']);
  });

  test('relative certificate and key paths are relative to the kubeconfig\'s folder', () => {
    const loaded = loadKubeconfig(isolated({ kubeconfig: file('relative.yaml') }));
    assert.equal(loaded.config.getCurrentCluster()?.caFile, join(dir, 'certs', 'ca.crt'));
    assert.equal(loaded.config.getCurrentUser()?.keyFile, join(dir, 'certs', 'client.key'));
  });

  const failures: { readonly name: string; readonly options: () => LoadKubeconfigOptions; readonly message: RegExp }[] = [
    { name: 'no kubeconfig anywhere', options: () => isolated(), message: /^no kubeconfig found: .*does not exist — pass --kubeconfig FILE or set KUBECONFIG$/ },
    { name: 'a --kubeconfig that does not exist', options: () => isolated({ kubeconfig: file('nope.yaml') }), message: /^kubeconfig .*nope\.yaml does not exist — check the --kubeconfig path$/ },
    { name: 'a KUBECONFIG whose files are all missing', options: () => isolated({ env: { KUBECONFIG: file('nope.yaml') } }), message: /^KUBECONFIG \(.*nope\.yaml\): none of its files exist — / },
    { name: 'an unknown --context', options: () => isolated({ kubeconfig: file('a.yaml'), context: 'prod' }), message: /^context "prod" is not defined in .*a\.yaml — use one of them \(contexts: shared, only-a\)$/ },
    { name: 'no current-context and no --context', options: () => isolated({ kubeconfig: file('no-current.yaml') }), message: /no-current\.yaml has no current-context — pass --context NAME \(contexts: one, two\)$/ },
    { name: 'a context whose cluster is not defined', options: () => isolated({ kubeconfig: file('dangling.yaml') }), message: /^context "orphan" in .*dangling\.yaml refers to cluster "missing-cluster", which is not defined/ },
  ];
  for (const failure of failures) {
    test(`${failure.name}: a KubeconfigError naming the file or context and the fix, without credentials`, () => {
      const error = (() => {
        try {
          loadKubeconfig(failure.options());
        } catch (caught) {
          return caught;
        }
        return assert.fail('loading succeeded');
      })();
      assert.ok(error instanceof KubeconfigError, String(error));
      assert.match(error.message, failure.message);
      assert.ok(!error.message.includes(SECRET));
    });
  }
});
