/**
 * GIVEN a real control plane, a real git repository and the controller, and two identical automated Applications in
 * two AppProjects, WHEN a deny sync window (`* * * * *` for 1h: open now) is added to one project and commits land,
 * THEN that project's application is held back — automated syncs, and manual operations unless the window has
 * manualSync — while the other one syncs, exactly as Argo CD's sync windows do; removing the window lets it sync.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { ApiAddon } from '../../../src/api/addon.js';
import { createToken } from '../../../src/api/auth/tokens.js';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import { createLogger } from '../../../src/controller/log.js';
import { crdManifests } from '../../../src/install/crds.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';

const NS = 'argocd';
const CONFIG = (name: string, version: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  version: "${version}"\n`;
const FREEZE = { kind: 'deny', schedule: '* * * * *', duration: '1h', applications: ['*'], description: 'release freeze' };

type Status = { sync?: { status?: string; revision?: string }; operationState?: { phase?: string; message?: string; syncResult?: { revision?: string } }; conditions?: { type: string; message: string }[] };

function project(name: string, syncWindows?: readonly Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name, namespace: NS },
    spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }], ...(syncWindows === undefined ? {} : { syncWindows }) },
  };
}

function application(name: string, projectName: string, repo: GitFixture): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: NS },
    spec: {
      project: projectName, source: { repoURL: repo.url, path: name, targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}

const LAUNCHPAD = fileURLToPath(new URL('../../../../bin/launchpad.js', import.meta.url));

/** Runs the real CLI; resolves with its stdout whatever the exit code. */
function launchpad(args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [LAUNCHPAD, ...args], { encoding: 'utf8', timeout: 60_000 }, (_error, stdout) => { resolve(stdout); });
  });
}

async function until(check: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    await check();
    return true;
  }, { what: 'the controller to converge', timeoutMs, intervalMs: 250 });
}

describe('sync windows on a real control plane', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let running: RunningController;
  let cacheDir: string;
  let token: string;

  const appRef = (name: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name });
  const status = async (name: string): Promise<Status> => ((await client.get(appRef(name)))?.status ?? {});
  const version = async (name: string): Promise<string | undefined> => ((await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: name, name }))?.data as Record<string, string> | undefined)?.version;
  const refresh = async (...names: string[]): Promise<void> => {
    for (const name of names) await client.patch(appRef(name), { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } });
  };

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const crd of crdManifests()) await client.apply(crd);
    await waitEstablished(client, crdManifests());
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-sync-windows-'));
    repo = await createGitRepo({ files: { 'frozen/cm.yaml': CONFIG('frozen', '1'), 'open/cm.yaml': CONFIG('open', '1') } });
    await client.apply(project('frozen'));
    await client.apply(project('open'));
    running = await runController({
      client, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 2, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
      webhookInsecure: false, offline: false, cacheDir, log: createLogger({ level: 'warn', json: true }), addons: [new ApiAddon({ cacheDir })],
    });
    token = (await createToken(client, NS, { account: 'admin', description: 'sync-windows test', createdBy: 'test' })).token;
    await client.apply(application('frozen', 'frozen', repo));
    await client.apply(application('open', 'open', repo));
    await until(async () => {
      assert.equal(await version('frozen'), '1');
      assert.equal(await version('open'), '1');
    });
  });

  after(async () => {
    await running.stop();
    client.close?.();
    await plane.stop();
    await repo.remove();
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('GIVEN an active deny window on one project WHEN a commit lands THEN only the other project\'s app syncs', async () => {
    await client.apply(project('frozen', [FREEZE]));
    const sha = await repo.commit({ 'frozen/cm.yaml': CONFIG('frozen', '2'), 'open/cm.yaml': CONFIG('open', '2') }, 'version 2');
    await refresh('frozen', 'open');
    await until(async () => {
      assert.equal(await version('open'), '2');
      const frozen = await status('frozen');
      assert.equal(frozen.sync?.revision, sha, 'the frozen app was compared at the new commit');
      assert.equal(frozen.sync.status, 'OutOfSync');
    });
    // A few more reconciles (the refresh, status writes, the other app's sync) must not sync it either.
    await refresh('frozen');
    await sleep(3_000);
    assert.equal(await version('frozen'), '1', 'the deny window held the automated sync back');
    assert.equal((await status('frozen')).sync?.status, 'OutOfSync');
    // `launchpad app get` says why, as `argocd app get` does; the other app shows no window.
    const get = (name: string): Promise<string> => launchpad(['app', 'get', name, '-n', NS, '--kubeconfig', plane.kubeconfigPath]);
    assert.match(await get('frozen'), /Sync Window:\s+Sync Denied\nAssigned Windows:\s+deny "\* \* \* \* \*" for 1h \(active\) — release freeze\n/);
    assert.doesNotMatch(await get('open'), /Sync Window/);
  });

  test('GIVEN the deny window without manualSync WHEN a sync is requested through the API THEN it is refused as Argo CD\'s API refuses it', async () => {
    const response = await fetch(`${running.server.url}/api/v1/applications/frozen/sync`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    const body = await response.text();
    assert.equal(response.status, 403, body);
    assert.match(body, /cannot sync: blocked by sync window/);
    assert.equal((await client.get(appRef('frozen')))?.operation, undefined, 'no operation was written');
  });

  test('GIVEN the deny window without manualSync WHEN a user requests a sync THEN it waits with Argo CD\'s message; manualSync: true lets it run', async () => {
    await client.patch(appRef('frozen'), { operation: { sync: { prune: true }, initiatedBy: { username: 'release-manager' } } });
    await until(async () => {
      const state = (await status('frozen')).operationState;
      assert.equal(state?.phase, 'Running');
      assert.equal(state.message, 'Sync operation blocked by sync window');
    });
    await sleep(2_000);
    assert.equal(await version('frozen'), '1', 'the waiting operation changed nothing');
    await client.apply(project('frozen', [{ ...FREEZE, manualSync: true }]));
    await until(async () => {
      assert.equal((await status('frozen')).operationState?.phase, 'Succeeded');
      assert.equal(await version('frozen'), '2');
    });
  });

  test('GIVEN the window with manualSync WHEN another commit lands THEN automated syncs are still held; removing the window lets it sync', async () => {
    const sha = await repo.commit({ 'frozen/cm.yaml': CONFIG('frozen', '3') }, 'version 3');
    await refresh('frozen');
    await until(async () => {
      const frozen = await status('frozen');
      assert.equal(frozen.sync?.revision, sha);
      assert.equal(frozen.sync.status, 'OutOfSync');
    });
    await sleep(2_000);
    assert.equal(await version('frozen'), '2', 'manualSync does not open the window to automated syncs');
    await client.apply(project('frozen'));
    await until(async () => {
      assert.equal(await version('frozen'), '3');
      assert.equal((await status('frozen')).sync?.status, 'Synced');
    });
  });

  test('GIVEN a window whose schedule cannot be parsed THEN the app reports which field to fix and is not synced', async () => {
    await client.apply(project('frozen', [{ ...FREEZE, schedule: '0 25 * * *' }]));
    await repo.commit({ 'frozen/cm.yaml': CONFIG('frozen', '4') }, 'version 4');
    await refresh('frozen');
    await until(async () => {
      const condition = (await status('frozen')).conditions?.find((entry) => entry.type === 'InvalidSpecError');
      assert.match(condition?.message ?? '', /^AppProject\/frozen spec\.syncWindows\[0\]\.schedule: cannot parse schedule "0 25 \* \* \*"/);
    });
    await sleep(2_000);
    assert.equal(await version('frozen'), '3', 'a window that cannot be read blocks syncs, as in Argo CD');
  });
});
