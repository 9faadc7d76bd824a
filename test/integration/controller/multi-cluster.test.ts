/**
 * GIVEN two real control planes — "hub" (the controller's cluster, with Launchpad's CRDs) and "spoke" (a destination)
 * — in one kubeconfig, WHEN `launchpad cluster add spoke` gives the controller a ServiceAccount token for the spoke and
 * Applications name it by `destination.name` or `destination.server`, THEN their resources land in the spoke and
 * only there, the apps report Synced/Healthy, an unknown, broken or removed cluster is an InvalidSpecError naming the
 * known clusters, rotated credentials are picked up, and no token is ever shown: not in status, events, logs or
 * the CLI's output.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import { clusterSecretName } from '../../../src/controller/cluster-add.js';
import { kubeConfigOf, readClusterSecret } from '../../../src/controller/clusters.js';
import { createLogger } from '../../../src/controller/log.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { crdManifests } from '../../../src/install/crds.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';
import type { CliRun } from './multi-cluster-helpers.js';
import { clusterWatches, logSink, runClusterCli, writeMergedKubeconfig } from './multi-cluster-helpers.js';

const NS = 'argocd';
const CONFIG = (name: string, greeting: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  greeting: "${greeting}"\n`;
const DEPLOYMENT = (name: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: app, image: "nginx:1.27"}]\n`;
const BAD_TOKEN = 'rotated-but-wrong-token-5f1e2d';

type Condition = { type: string; message: string };
type Status = { sync?: { status?: string }; health?: { status?: string }; conditions?: Condition[]; resources?: { kind: string; name: string; namespace?: string; status: string }[] };

/**
 * The project of the apps: Argo CD's default project plus `name: "*"`, so destinations by name are allowed whatever
 * they resolve to. (With the implicit default project an unknown cluster is named too: the destination is resolved
 * before the project is asked.)
 */
const FLEET_PROJECT: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'fleet', namespace: NS },
  spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }, { name: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
};

function application(name: string, destination: Record<string, string>, source: { readonly repo: GitFixture; readonly path: string; readonly project?: string }): KubeObject {
  const { repo, path, project = 'fleet' } = source;
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: NS },
    spec: {
      project, source: { repoURL: repo.url, path, targetRevision: 'HEAD' }, destination: { ...destination, namespace: name },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}

async function until(what: string, check: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    await check();
    return true;
  }, { what, timeoutMs, intervalMs: 250 });
}

const decode = (value: unknown): string => (typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : '');

describe('the controller deploying to a second cluster added with "launchpad cluster add"', { skip: controlPlaneSkipReason(2) }, () => {
  let hub: ControlPlane | undefined;
  let spoke: ControlPlane | undefined;
  let hubClient: KubeClient;
  let spokeClient: KubeClient;
  let repo: GitFixture | undefined;
  let running: RunningController | undefined;
  let workDir: string;
  let kubeconfig: string;
  let spokeServer: string;
  let spokeCa: string;
  const logs = logSink();
  const cliRuns: CliRun[] = [];
  /** Every token the spoke's ServiceAccount had, and the wrong one written on purpose: none may ever be shown. */
  const tokens = new Set<string>([BAD_TOKEN]);

  const cli = async (...args: string[]): Promise<CliRun> => {
    const run = await runClusterCli(args);
    cliRuns.push(run);
    return run;
  };
  const add = (...extra: string[]): Promise<CliRun> => cli('add', 'spoke', '--kubeconfig', kubeconfig, '--controller-context', 'hub', '--yes', ...extra);
  const status = async (name: string): Promise<Status> =>
    (await hubClient.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name }))?.status ?? {};
  const condition = async (name: string, type: string): Promise<string> => (await status(name)).conditions?.find((entry) => entry.type === type)?.message ?? '';
  const clusterSecret = async (): Promise<KubeObject | undefined> => hubClient.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: clusterSecretName(spokeServer) });
  const spokeToken = async (): Promise<string> => {
    const secret = await spokeClient.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: 'launchpad-manager-long-lived-token' });
    const token = decode((secret?.data as Record<string, unknown> | undefined)?.token);
    if (token !== '') tokens.add(token);
    return token;
  };
  const configMap = async (client: KubeClient, namespace: string, name: string): Promise<KubeObject | undefined> => client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
  /** Cluster-wide ConfigMap watches on the spoke: kube-controller-manager's, plus one per live cache of the controller. */
  const configMapWatches = async (): Promise<number> => {
    assert.ok(spoke !== undefined);
    return clusterWatches(spoke, 'configmaps');
  };
  let watchesWithOneCache = 0;
  const expectWatches = (expected: () => number, what: string): Promise<void> => until(what, async () => {
    assert.equal(await configMapWatches(), expected());
  }, 20_000);
  const syncedAndHealthy = (name: string) => async (): Promise<void> => {
    const current = await status(name);
    assert.equal(current.sync?.status, 'Synced', JSON.stringify(current.conditions));
    assert.equal(current.health?.status, 'Healthy');
  };

  before(async () => {
    [hub, spoke] = await Promise.all([startControlPlane({ tier: 2 }), startControlPlane({ tier: 2 })]);
    spokeServer = spoke.server;
    spokeCa = spoke.caCertPem;
    workDir = await mkdtemp(join(tmpdir(), 'launchpad-multi-cluster-'));
    kubeconfig = join(workDir, 'kubeconfig');
    await writeMergedKubeconfig(kubeconfig, [{ name: 'hub', kubeconfigPath: hub.kubeconfigPath }, { name: 'spoke', kubeconfigPath: spoke.kubeconfigPath }]);
    hubClient = await createKubeClient({ kubeconfig, context: 'hub' });
    spokeClient = await createKubeClient({ kubeconfig, context: 'spoke' });
    for (const crd of crdManifests()) await hubClient.apply(crd);
    await waitEstablished(hubClient, crdManifests());
    await hubClient.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await hubClient.apply(FLEET_PROJECT);
    repo = await createGitRepo({ files: { 'guestbook/config.yaml': CONFIG('guestbook-config', 'hello'), 'guestbook/deployment.yaml': DEPLOYMENT('guestbook'), 'by-server/config.yaml': CONFIG('by-server-config', 'hi') } });
    running = await runController({
      client: hubClient, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 4, appResyncMs: 5_000, selfHealTimeoutMs: 1_000,
      webhookInsecure: false, offline: false, cacheDir: join(workDir, 'cache'), log: createLogger({ level: 'debug', json: true, out: logs.stream }),
    });
  });

  after(async () => {
    await running?.stop();
    hubClient.close?.();
    spokeClient.close?.();
    await Promise.all([hub?.stop(), spoke?.stop()]);
    await repo?.remove();
    await rm(workDir, { recursive: true, force: true });
  });

  test('GIVEN cluster add THEN the spoke has a ServiceAccount with full access and a token; the hub has the Argo CD cluster Secret', async () => {
    const run = await add();
    assert.equal(run.error, undefined, String(run.error));
    const secretName = clusterSecretName(spokeServer);
    for (const line of ['created ServiceAccount/kube-system/launchpad-manager in context "spoke"', 'created ClusterRole/launchpad-manager-role in context "spoke"',
      'created ClusterRoleBinding/launchpad-manager-role-binding in context "spoke"', 'created Secret/kube-system/launchpad-manager-long-lived-token in context "spoke"',
      'token issued by the token controller', `created Secret/${NS}/${secretName} in context "hub"`, `cluster "spoke" added`]) {
      assert.ok(run.stdout.includes(line), `missing "${line}" in:\n${run.stdout}`);
    }
    const role = await spokeClient.get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'launchpad-manager-role' });
    assert.deepEqual(role?.rules, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['get'] }]);
    const binding = await spokeClient.get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'launchpad-manager-role-binding' });
    assert.deepEqual(binding?.subjects, [{ kind: 'ServiceAccount', name: 'launchpad-manager', namespace: 'kube-system' }]);
    assert.equal(await hubClient.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'kube-system', name: 'launchpad-manager' }), undefined);
    const token = await spokeToken();
    assert.notEqual(token, '');
    const secret = await clusterSecret();
    assert.ok(secret !== undefined);
    assert.equal(secret.metadata.labels?.['argocd.argoproj.io/secret-type'], 'cluster');
    const data = secret.data as Record<string, string>;
    assert.equal(decode(data.name), 'spoke');
    assert.equal(decode(data.server), spokeServer);
    assert.deepEqual(JSON.parse(decode(data.config)), { bearerToken: token, tlsClientConfig: { insecure: false, caData: Buffer.from(spokeCa).toString('base64') } });
    // The stored credentials work, with the RBAC that was granted.
    const parsed = readClusterSecret(secret);
    assert.notEqual(typeof parsed, 'string');
    const asController = await createKubeClient({ inMemory: { config: kubeConfigOf(parsed as Exclude<typeof parsed, string>), source: 'the cluster Secret' } });
    assert.ok((await asController.list('v1', 'ConfigMap', { namespace: 'kube-system' })).length >= 0);
    assert.match(await asController.serverVersion(), /^v1\./);
    asController.close?.();
  });

  test('GIVEN cluster add again THEN nothing changes and the token is kept', async () => {
    const before = await spokeToken();
    const run = await add();
    assert.equal(run.error, undefined, String(run.error));
    assert.doesNotMatch(run.stdout, /^(created|configured) /m);
    assert.match(run.stdout, /^unchanged Secret\/argocd\/cluster-127\.0\.0\.1-\d+ in context "hub"$/m);
    assert.equal(await spokeToken(), before);
  });

  test('GIVEN cluster list THEN in-cluster and the spoke, by name and server', async () => {
    const run = await cli('list', '--kubeconfig', kubeconfig, '--context', 'hub');
    assert.equal(run.error, undefined, String(run.error));
    assert.deepEqual(run.stdout.trim().split('\n').map((line) => line.split(/\s+/)), [['NAME', 'SERVER'], ['in-cluster', 'https://kubernetes.default.svc'], ['spoke', spokeServer]]);
  });

  test('GIVEN Applications to destination.name "spoke" and to the spoke\'s server THEN they sync into the spoke only and are Synced/Healthy', async () => {
    assert.ok(repo !== undefined);
    await hubClient.apply(application('guestbook', { name: 'spoke' }, { repo, path: 'guestbook' }));
    await hubClient.apply(application('by-server', { server: `${spokeServer}/` }, { repo, path: 'by-server' }));
    await until('guestbook Synced/Healthy', syncedAndHealthy('guestbook'), 120_000);
    await until('by-server Synced/Healthy', syncedAndHealthy('by-server'));
    assert.deepEqual((await status('guestbook')).resources?.map((entry) => `${entry.kind}/${entry.namespace ?? ''}/${entry.name}:${entry.status}`), ['ConfigMap/guestbook/guestbook-config:Synced', 'Deployment/guestbook/guestbook:Synced']);
    assert.deepEqual((await configMap(spokeClient, 'guestbook', 'guestbook-config'))?.data, { greeting: 'hello' });
    assert.deepEqual((await configMap(spokeClient, 'by-server', 'by-server-config'))?.data, { greeting: 'hi' });
    assert.ok((await spokeClient.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'guestbook', name: 'guestbook' })) !== undefined);
    for (const namespace of ['guestbook', 'by-server']) assert.equal(await hubClient.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }), undefined, `namespace ${namespace} in the hub`);
  });

  test('GIVEN an Application to a cluster nobody added THEN InvalidSpecError naming the known clusters, nothing deployed', async () => {
    assert.ok(repo !== undefined);
    await hubClient.apply(application('lost', { name: 'nowhere' }, { repo, path: 'by-server' }));
    await until('lost InvalidSpecError', async () => {
      assert.match(await condition('lost', 'InvalidSpecError'), new RegExp(`cluster named "nowhere" is not known to Launchpad \\(known: in-cluster, spoke \\(${spokeServer.replaceAll('.', '\\.')}\\)\\)`));
    }, 30_000);
    assert.equal(await hubClient.get({ apiVersion: 'v1', kind: 'Namespace', name: 'lost' }), undefined);
    assert.equal(await spokeClient.get({ apiVersion: 'v1', kind: 'Namespace', name: 'lost' }), undefined);
  });

  test('GIVEN the implicit default project and an unknown destination.name THEN InvalidSpecError naming the known clusters', async () => {
    assert.ok(repo !== undefined);
    await hubClient.apply(application('lost-default', { name: 'nowhere' }, { repo, path: 'by-server', project: 'default' }));
    await until('lost-default InvalidSpecError', async () => {
      assert.match(await condition('lost-default', 'InvalidSpecError'), /cluster named "nowhere" is not known to Launchpad \(known: in-cluster, spoke/);
    }, 10_000);
  });

  test('GIVEN wrong credentials written into the cluster Secret THEN the app reports the error; cluster add repairs it', async () => {
    watchesWithOneCache = await configMapWatches();
    assert.ok(watchesWithOneCache >= 1);
    const secret = await clusterSecret();
    const config = JSON.parse(decode((secret?.data as Record<string, string>).config)) as Record<string, unknown>;
    await hubClient.patch({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: clusterSecretName(spokeServer) }, { data: { config: Buffer.from(JSON.stringify({ ...config, bearerToken: BAD_TOKEN })).toString('base64') } });
    await until('guestbook reports the refused credentials', async () => {
      const current = await status('guestbook');
      const message = current.conditions?.find((entry) => entry.type === 'InvalidSpecError')?.message ?? JSON.stringify(current.conditions);
      assert.match(message, new RegExp(`^cluster "spoke" \\(${spokeServer.replaceAll('.', '\\.')}\\) of cluster Secret cluster-127\\.0\\.0\\.1-\\d+ cannot be used: .*Unauthorized`));
      assert.equal(current.sync?.status, 'Unknown');
    });
    const run = await add();
    assert.equal(run.error, undefined, String(run.error));
    assert.match(run.stdout, /^configured Secret\/argocd\/cluster-/m);
    await until('guestbook Synced/Healthy again', syncedAndHealthy('guestbook'));
    // The live cache of the replaced credentials stopped watching: one cache per cluster, not one per Secret version.
    await expectWatches(() => watchesWithOneCache, 'one live cache watching the spoke');
  });

  test('GIVEN the token is rotated (token Secret deleted, cluster add again) THEN the controller uses the new token and heals drift with it', async () => {
    const old = await spokeToken();
    await spokeClient.delete({ apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: 'launchpad-manager-long-lived-token' });
    const run = await add();
    assert.equal(run.error, undefined, String(run.error));
    const fresh = await spokeToken();
    assert.notEqual(fresh, old);
    assert.equal((JSON.parse(decode(((await clusterSecret())?.data as Record<string, string>).config)) as { bearerToken: string }).bearerToken, fresh);
    const deleted = await configMap(spokeClient, 'guestbook', 'guestbook-config');
    await spokeClient.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'guestbook', name: 'guestbook-config' }, { propagationPolicy: 'Background' });
    await until('the deleted ConfigMap is restored in the spoke', async () => {
      const restored = await configMap(spokeClient, 'guestbook', 'guestbook-config');
      assert.notEqual(restored?.metadata.uid, deleted?.metadata.uid);
      assert.deepEqual(restored?.data, { greeting: 'hello' });
    });
    await until('guestbook Synced/Healthy', syncedAndHealthy('guestbook'));
    await expectWatches(() => watchesWithOneCache, 'one live cache watching the spoke after the rotation');
  });

  test('GIVEN cluster rm THEN the apps report InvalidSpecError naming the known clusters, the spoke keeps its objects, the controller keeps running', async () => {
    const run = await cli('rm', 'spoke', '--kubeconfig', kubeconfig, '--context', 'hub', '--yes');
    assert.equal(run.error, undefined, String(run.error));
    assert.match(run.stdout, new RegExp(`^removed cluster "spoke" \\(${spokeServer.replaceAll('.', '\\.')}\\): deleted Secret/argocd/cluster-127\\.0\\.0\\.1-\\d+$`, 'm'));
    assert.equal(await clusterSecret(), undefined);
    await until('both apps report the missing cluster', async () => {
      assert.match(await condition('guestbook', 'InvalidSpecError'), /cluster named "spoke" is not known to Launchpad \(known: in-cluster\)/);
      assert.match(await condition('by-server', 'InvalidSpecError'), /cluster https:\/\/127\.0\.0\.1:\d+ is not known to Launchpad \(known: in-cluster\)/);
    }, 30_000);
    assert.deepEqual((await configMap(spokeClient, 'guestbook', 'guestbook-config'))?.data, { greeting: 'hello' });
    await expectWatches(() => watchesWithOneCache - 1, 'the removed cluster no longer watched');
    assert.equal((await fetch(`${running?.server.url ?? ''}/readyz`)).status, 200);
    const again = await add();
    assert.equal(again.error, undefined, String(again.error));
    await until('guestbook Synced/Healthy after the cluster is added again', syncedAndHealthy('guestbook'));
    await until('by-server Synced/Healthy after the cluster is added again', syncedAndHealthy('by-server'));
    await expectWatches(() => watchesWithOneCache, 'one live cache watching the spoke again');
  });

  test('no token ever appears in Application status, Events, controller logs or the CLI\'s output', async () => {
    assert.ok(tokens.size >= 3, 'the tokens were collected');
    const apps = JSON.stringify(await hubClient.list('argoproj.io/v1alpha1', 'Application', { namespace: NS }));
    const events = await hubClient.list('v1', 'Event', { namespace: NS });
    assert.ok(events.length > 0, 'the controller recorded events');
    const places = { 'Application status': apps, Events: JSON.stringify(events), 'controller logs': logs.text(), 'CLI output': cliRuns.map((run) => `${run.stdout}${run.stderr}${String(run.error)}`).join('') };
    for (const [where, text] of Object.entries(places)) {
      for (const token of tokens) assert.ok(!text.includes(token), `a token appears in ${where}`);
    }
  });
});

describe('"launchpad cluster add" on a cluster without a token controller, with access to some namespaces only', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane | undefined;
  let client: KubeClient;
  const add = (...extra: string[]): Promise<CliRun> => {
    assert.ok(plane !== undefined);
    return runClusterCli(['add', 'launchpad-test', '--kubeconfig', plane.kubeconfigPath, '--name', 'legacy', '--token-timeout', '1s', '--yes', ...extra]);
  };
  /** The cluster Secret's config, and a client acting with its credentials. */
  const stored = async (): Promise<{ data: Record<string, string>; token: string; asController: KubeClient }> => {
    assert.ok(plane !== undefined);
    const secret = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: clusterSecretName(plane.server) });
    assert.ok(secret !== undefined);
    const parsed = readClusterSecret(secret);
    assert.ok(typeof parsed !== 'string');
    const asController = await createKubeClient({ inMemory: { config: kubeConfigOf(parsed), source: 'the cluster Secret' } });
    return { data: secret.data as Record<string, string>, token: parsed.config.bearerToken ?? '', asController };
  };

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const name of [NS, 'shop']) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  });

  after(async () => {
    client.close?.();
    await plane?.stop();
  });

  test('GIVEN no token controller THEN a TokenRequest token valid for about a year is stored, and it works', async () => {
    const run = await add();
    assert.equal(run.error, undefined, String(run.error));
    const until = /token issued by the TokenRequest API, valid until (\S+) /.exec(run.stdout)?.[1] ?? '';
    assert.ok(Date.parse(until) > Date.now() + 300 * 24 * 3600 * 1000, `expiry ${until} in:\n${run.stdout}`);
    const { token, asController } = await stored();
    assert.notEqual(token, '');
    assert.ok(!`${run.stdout}${run.stderr}`.includes(token), 'the token is not printed');
    assert.ok(Array.isArray(await asController.list('v1', 'ConfigMap', { namespace: 'default' })));
    asController.close?.();
  });

  test('GIVEN --namespaced shop THEN a Role and RoleBinding in shop only, the cluster-wide access is removed, the Secret says so', async () => {
    const run = await add('--namespaced', 'shop');
    assert.equal(run.error, undefined, String(run.error));
    for (const line of ['created Role/shop/launchpad-manager-role', 'created RoleBinding/shop/launchpad-manager-role-binding', 'deleted ClusterRoleBinding/launchpad-manager-role-binding', 'deleted ClusterRole/launchpad-manager-role']) {
      assert.ok(run.stdout.includes(line), `missing "${line}" in:\n${run.stdout}`);
    }
    assert.equal(await client.get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'launchpad-manager-role-binding' }), undefined);
    const { data, token, asController } = await stored();
    assert.equal(decode(data.namespaces), 'shop');
    assert.equal(decode(data.clusterResources), 'false');
    assert.ok(!`${run.stdout}${run.stderr}`.includes(token), 'the token is not printed');
    assert.ok(Array.isArray(await asController.list('v1', 'ConfigMap', { namespace: 'shop' })));
    await assert.rejects(asController.list('v1', 'ConfigMap', { namespace: 'default' }), /[Ff]orbidden/);
    asController.close?.();
  });

  test('GIVEN no --yes and no terminal, or conflicting flags THEN nothing is done', async () => {
    assert.ok(plane !== undefined);
    const unconfirmed = await runClusterCli(['add', 'launchpad-test', '--kubeconfig', plane.kubeconfigPath, '--name', 'other']);
    assert.match(String(unconfirmed.error), /not confirmed .*pass --yes/);
    const conflicting = await add('--cluster-admin', '--namespaced', 'shop');
    assert.match(String(conflicting.error), /cannot be used with option '--namespaced/);
    const list = await runClusterCli(['list', '--kubeconfig', plane.kubeconfigPath]);
    assert.deepEqual(list.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0]), ['NAME', 'in-cluster', 'legacy']);
  });

  test('GIVEN cluster rm with the server URL THEN its Secret is deleted; in-cluster and unknown clusters are refused', async () => {
    assert.ok(plane !== undefined);
    const inCluster = await runClusterCli(['rm', 'in-cluster', '--kubeconfig', plane.kubeconfigPath, '--yes']);
    assert.match(String(inCluster.error), /the controller's own cluster/);
    const removed = await runClusterCli(['rm', `${plane.server}/`, '--kubeconfig', plane.kubeconfigPath, '--yes']);
    assert.equal(removed.error, undefined, String(removed.error));
    assert.match(removed.stdout, /^removed cluster "legacy" \(https:\/\/127\.0\.0\.1:\d+\): deleted Secret\/argocd\/cluster-127\.0\.0\.1-\d+$/m);
    const again = await runClusterCli(['rm', 'legacy', '--kubeconfig', plane.kubeconfigPath, '--yes']);
    assert.match(String(again.error), /no cluster named or at "legacy" in namespace argocd \(known: in-cluster\)/);
  });
});
