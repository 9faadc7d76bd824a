/**
 * GIVEN the controller running as its own process against a real control plane (tier 2, persistent state), WHEN it
 * is killed with SIGKILL in the middle of a three-wave sync with generateName hooks, when the whole control plane
 * (API server included) restarts, and when the git repository disappears, THEN the applications converge afterwards:
 * nothing duplicated, nothing orphaned, nothing pruned on a failed render, and recovery when the repository returns.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { crdManifests } from '../../../src/install/crds.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { findBinary } from '../../../src/process/binaries.js';
import { HOOK_NAME_LABEL, HOOK_OF_LABEL, labelValue } from '../../../src/sync/hook-instances.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';

const NS = 'argocd';
const bin = join(new URL('../../../../', import.meta.url).pathname, 'bin/launchpad.js');

const hookJob = (generateName: string, phase: string): string => `apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: ${generateName}\n  annotations:\n    argocd.argoproj.io/hook: ${phase}\nspec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: job, image: "busybox:1.36"}]\n`;
const configMap = (name: string, wave: number, data: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"\ndata:\n  value: "${data}"\n`;
const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    argocd.argoproj.io/sync-wave: "1"\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n`;

const FILES = {
  'waves/pre.yaml': hookJob('migrate-', 'PreSync'),
  'waves/a.yaml': configMap('first', 0, 'one'),
  'waves/web.yaml': deployment,
  'waves/c.yaml': configMap('last', 2, 'three'),
  'waves/post.yaml': hookJob('notify-', 'PostSync'),
  'plain/config.yaml': configMap('plain', 0, 'v1'),
};

async function until(what: string, check: () => Promise<void>, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    await check();
    return true;
  }, { what, timeoutMs, intervalMs: 100 });
}

describe('the controller survives crashes, restarts and a missing repository', { skip: controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let stateDir: string;
  let cacheHome: string;
  let client: KubeClient;
  let repo: GitFixture;
  /** Every controller process this file started: all are killed, by PID, whatever a test's outcome. */
  const children: ChildProcess[] = [];

  const startController = (): ChildProcess => {
    const child = spawn(process.execPath, [bin, 'controller', '--kubeconfig', plane.kubeconfigPath, '--namespace', NS, '--no-leader-elect', '--listen', '127.0.0.1:0', '--app-resync', '5s', '--self-heal-timeout', '1s', '--log-format', 'json', '--log-level', 'warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, XDG_CACHE_HOME: cacheHome, LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize') },
    });
    children.push(child);
    return child;
  };

  const kill = async (child: ChildProcess): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };

  const application = (name: string, path: string): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: NS },
    spec: { project: 'default', source: { repoURL: repo.url, path, targetRevision: 'HEAD' }, destination: { server: 'https://kubernetes.default.svc', namespace: name }, syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] } },
  });

  const status = async (name: string): Promise<Record<string, { status?: string; phase?: string; message?: string } | undefined>> =>
    ((await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name }))?.status ?? {}) as Record<string, { status?: string; phase?: string }>;

  const hookJobs = async (app: string, hook: string): Promise<KubeObject[]> =>
    client.list('batch/v1', 'Job', { namespace: app, labelSelector: `${HOOK_OF_LABEL}=${labelValue(app)},${HOOK_NAME_LABEL}=${labelValue(hook)}` });

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'launchpad-robust-state-'));
    cacheHome = await mkdtemp(join(tmpdir(), 'launchpad-robust-cache-'));
    plane = await startControlPlane({ tier: 2, stateDir });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const crd of crdManifests()) await client.apply(crd);
    await waitEstablished(client, crdManifests());
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    repo = await createGitRepo({ files: FILES });
  });

  const killAll = async (): Promise<void> => {
    await Promise.all(children.map(kill));
  };

  after(async () => {
    await killAll();
    client.close?.();
    await plane.stop();
    await repo.remove().catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
    await rm(cacheHome, { recursive: true, force: true });
  });

  const points: readonly { readonly name: string; readonly reached: (app: string) => Promise<boolean> }[] = [
    { name: 'the PreSync hook was created', reached: async (app) => (await hookJobs(app, 'migrate-')).length > 0 },
    { name: 'wave 1 (the Deployment) was written', reached: async (app) => (await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: app, name: 'web' })) !== undefined },
    { name: 'the PostSync hook was created', reached: async (app) => (await hookJobs(app, 'notify-')).length > 0 },
  ];

  for (const [index, point] of points.entries()) {
    test(`GIVEN SIGKILL when ${point.name} THEN after a restart the sync completes, each hook exists once, nothing is left over`, async () => {
      const app = `waves-${index + 1}`;
      try {
        await killInterrupted(app, point);
      } finally {
        await killAll();
      }
    });
  }

  /** Starts a controller, kills it with SIGKILL at the point, starts another and checks the outcome. */
  async function killInterrupted(app: string, point: (typeof points)[number]): Promise<void> {
      const first = startController();
      await client.apply(application(app, 'waves'));
      await until(point.name, async () => {
        assert.ok(await point.reached(app));
      }, 120_000);
      await kill(first);
      startController();
      await until(`${app} Synced after the restart`, async () => {
        const current = await status(app);
        assert.equal(current.operationState?.phase, 'Succeeded', current.operationState?.message);
        assert.equal(current.sync?.status, 'Synced');
      }, 180_000);
      const describeJobs = (jobs: readonly KubeObject[]): string => jobs.map((job) => `${job.metadata.name ?? ''} (created ${typeof job.metadata.creationTimestamp === 'string' ? job.metadata.creationTimestamp : '?'}, deleting ${typeof job.metadata.deletionTimestamp === 'string' ? job.metadata.deletionTimestamp : 'no'})`).join(', ');
      const pre = (await hookJobs(app, 'migrate-')).filter((job) => job.metadata.deletionTimestamp === undefined);
      const post = (await hookJobs(app, 'notify-')).filter((job) => job.metadata.deletionTimestamp === undefined);
      const all = await client.list('batch/v1', 'Job', { namespace: app });
      assert.equal(pre.length, 1, `one PreSync hook instance: ${describeJobs(pre)}; all Jobs: ${describeJobs(all)} ${JSON.stringify(all.map((job) => job.metadata.labels))}; result: ${JSON.stringify((await status(app)).operationState)}`);
      assert.equal(post.length, 1, `one PostSync hook instance: ${describeJobs(post)}`);
      for (const name of ['first', 'last']) assert.ok(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: app, name }));
      const managed = (await client.list('v1', 'ConfigMap', { namespace: app })).filter((object) => object.metadata.annotations?.['argocd.argoproj.io/tracking-id']?.startsWith(`${app}:`) === true);
      assert.deepEqual(managed.map((object) => object.metadata.name).sort(), ['first', 'last']);
  }

  test('GIVEN the whole control plane (API server included) restarts THEN the controller reconnects and heals drift again', async () => {
    // This controller lives on through the next test too (the repository test).
    startController();
    await client.apply(application('plain', 'plain'));
    await until('plain Synced', async () => {
      assert.equal((await status('plain')).sync?.status, 'Synced');
    }, 120_000);
    client.close?.();
    await plane.stop();
    plane = await startControlPlane({ tier: 2, stateDir });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'plain' }, data: { value: 'tampered' } }, { fieldManager: 'kubectl-edit' });
    await until('drift healed after the restart', async () => {
      const live = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'plain', name: 'plain' });
      assert.deepEqual(live?.data, { value: 'v1' });
    }, 180_000);
  });

  test('GIVEN the repository disappears THEN ComparisonError, the last state kept and nothing pruned; it recovers when the repository returns', async () => {
    const away = `${repo.dir}.away`;
    await rename(repo.dir, away);
    try {
      await until('ComparisonError', async () => {
        const conditions = (await status('plain')).conditions as unknown as { type: string; message: string }[] | undefined;
        assert.ok(conditions?.some((condition) => condition.type === 'ComparisonError'), JSON.stringify(conditions));
      }, 60_000);
      assert.ok(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'plain', name: 'plain' }), 'nothing pruned');
    } finally {
      await rename(away, repo.dir);
    }
    await repo.commit({ 'plain/config.yaml': configMap('plain', 0, 'v2') }, 'v2');
    await until('recovered at the new commit', async () => {
      const live = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'plain', name: 'plain' });
      assert.deepEqual(live?.data, { value: 'v2' });
      assert.equal((await status('plain')).sync?.status, 'Synced');
    }, 120_000);
  });
});
