/**
 * GIVEN a real control plane (tier 2: controllers, scheduler, a kwok node) with Launchpad's CRDs, a real git
 * repository and the controller running beside it, WHEN Applications are created, drift appears, commits land,
 * operations are written with kubectl-style patches and Applications are deleted, THEN the controller keeps the
 * cluster equal to Git on its own and reports it in `status` as Argo CD does.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import { createLogger } from '../../../src/controller/log.js';
import { startGitHttpServer } from '../../../src/testing/git-http-server.js';
import { crdManifests } from '../../../src/install/crds.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';

const NS = 'argocd';
const CONFIG = (name: string, data: Record<string, string>): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${Object.entries(data).map(([key, value]) => `  ${key}: "${value}"`).join('\n')}\n`;
const DEPLOYMENT = (name: string, image: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: app, image: "${image}"}]\n`;

type Status = Record<string, unknown> & { sync?: { status?: string; revision?: string }; health?: { status?: string }; operationState?: { phase?: string; message?: string }; resources?: { kind: string; name: string; status: string }[]; conditions?: { type: string; message: string }[]; history?: { id: number; revision: string }[]; summary?: { images?: string[] } };

function application(name: string, repo: GitFixture, path: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: NS, ...(Array.isArray(extra.finalizers) ? { finalizers: extra.finalizers } : {}) },
    spec: {
      project: 'default',
      source: { repoURL: repo.url, path, targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
      syncPolicy: { syncOptions: ['CreateNamespace=true'], ...(extra.automated === undefined ? {} : { automated: extra.automated }) },
    },
  };
}

/** Waits until `check` stops throwing (its last assertion is the error); the bound only stops a hang. */
async function until(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    await check();
    return true;
  }, { what: 'the controller to converge', timeoutMs, intervalMs: 200 });
}

describe('the controller on a real control plane', { skip: controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let running: RunningController;
  let cacheDir: string;

  const app = async (name: string): Promise<KubeObject & { status?: Status; operation?: unknown }> =>
    (await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name })) as KubeObject & { status?: Status };
  const status = async (name: string): Promise<Status> => (await app(name)).status ?? {};
  const configMap = async (namespace: string, name: string): Promise<Record<string, string> | undefined> =>
    (await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name }))?.data as Record<string, string> | undefined;

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const crd of crdManifests()) await client.apply(crd);
    await waitEstablished(client, crdManifests());
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-controller-cache-'));
    repo = await createGitRepo({
      files: {
        'web/config.yaml': CONFIG('web-config', { greeting: 'hello' }),
        'web/deployment.yaml': DEPLOYMENT('web', 'nginx:1.27'),
        'manual/config.yaml': CONFIG('manual-config', { a: '1' }),
        'doomed/config.yaml': CONFIG('doomed-config', { a: '1' }),
        'broken/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata: [\n',
      },
    });
    running = await runController({
      client, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 4, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
      webhookInsecure: false, offline: false, cacheDir, log: createLogger({ level: 'warn', json: true }),
    });
  });

  after(async () => {
    await running.stop();
    client.close?.();
    await plane.stop();
    await repo.remove();
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('GIVEN an automated Application THEN it syncs by itself and reports Synced/Healthy, resources, images and history', async () => {
    await client.apply(application('web', repo, 'web', { automated: { prune: true, selfHeal: true } }));
    const sha = await repo.revParse();
    await until(async () => {
      const current = await status('web');
      assert.equal(current.sync?.status, 'Synced', JSON.stringify(current.conditions));
      assert.equal(current.health?.status, 'Healthy');
      assert.equal(current.sync.revision, sha);
      assert.equal(current.operationState?.phase, 'Succeeded');
    }, 90_000);
    const current = await status('web');
    assert.deepEqual(current.resources?.map((resource) => `${resource.kind}/${resource.name}:${resource.status}`), ['ConfigMap/web-config:Synced', 'Deployment/web:Synced']);
    assert.deepEqual(current.summary?.images, ['nginx:1.27']);
    assert.equal(current.operationState?.phase, 'Succeeded');
    assert.deepEqual(current.history?.map((entry) => entry.revision), [sha]);
    assert.deepEqual(await configMap('web', 'web-config'), { greeting: 'hello' });
  });

  test('GIVEN drift on a self-healing app THEN it is healed within seconds (a watch, not a poll)', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'web' }, data: { greeting: 'tampered' } }, { fieldManager: 'kubectl-edit' });
    await until(async () => {
      assert.deepEqual(await configMap('web', 'web-config'), { greeting: 'hello' });
    }, 20_000);
  });

  test('GIVEN an object Argo CD deployed for the app and Git no longer holds (tracked, in no inventory) THEN it is pruned', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'left-by-argo', namespace: 'web', annotations: { 'argocd.argoproj.io/tracking-id': 'web:/ConfigMap:web/left-by-argo' } }, data: { old: 'yes' } }, { fieldManager: 'argocd-controller' });
    await until(async () => {
      assert.equal(await configMap('web', 'left-by-argo'), undefined);
    }, 30_000);
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-ours', namespace: 'web', annotations: { 'argocd.argoproj.io/tracking-id': 'other-app:/ConfigMap:web/not-ours' } }, data: { keep: 'yes' } }, { fieldManager: 'argocd-controller' });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.deepEqual(await configMap('web', 'not-ours'), { keep: 'yes' }, 'an object another application tracks is never pruned');
  });

  test('GIVEN a new commit announced by a signed GitHub webhook THEN the app syncs to it; a bad signature refreshes nothing', async () => {
    const secret = 'webhook-secret-value';
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: NS }, stringData: { 'webhook.github.secret': secret } });
    const sha = await repo.commit({ 'web/config.yaml': CONFIG('web-config', { greeting: 'hello again' }) }, 'greeting');
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, repository: { clone_url: repo.url, default_branch: 'main' } });
    const send = (signature: string): Promise<Response> => fetch(`${running.server.url}/api/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature }, body });
    const bad = await send(`sha256=${'0'.repeat(64)}`);
    assert.equal(bad.status, 401);
    const good = await send(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    assert.equal(good.status, 200);
    assert.deepEqual(await good.json(), { refreshed: ['web'] });
    await until(async () => {
      assert.deepEqual(await configMap('web', 'web-config'), { greeting: 'hello again' });
      assert.equal((await status('web')).sync?.revision, sha);
    }, 30_000);
  });

  test('GIVEN a manual Application THEN it is OutOfSync until an operation is written; the operation syncs and is removed', async () => {
    await client.apply(application('manual', repo, 'manual'));
    await until(async () => {
      assert.equal((await status('manual')).sync?.status, 'OutOfSync');
    }, 30_000);
    assert.equal(await configMap('manual', 'manual-config'), undefined);
    await client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'manual' }, { operation: { sync: { prune: true }, initiatedBy: { username: 'tester' } } });
    await until(async () => {
      const current = await app('manual');
      assert.equal(current.status?.operationState?.phase, 'Succeeded');
      assert.equal(current.operation, undefined);
      assert.equal(current.status.sync?.status, 'Synced');
    }, 60_000);
    assert.deepEqual(await configMap('manual', 'manual-config'), { a: '1' });
  });

  test('GIVEN a render that fails THEN a ComparisonError on that app alone, nothing pruned, the others unaffected', async () => {
    await client.apply(application('broken', repo, 'broken', { automated: { prune: true } }));
    await until(async () => {
      const current = await status('broken');
      assert.equal(current.sync?.status, 'Unknown');
      assert.match(current.conditions?.find((condition) => condition.type === 'ComparisonError')?.message ?? '', /rendering failed: .*not valid YAML/);
    }, 30_000);
    assert.equal((await status('web')).sync?.status, 'Synced');
  });

  test('GIVEN an app in a project that does not allow its repository THEN InvalidSpecError, nothing deployed', async () => {
    await client.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'strict', namespace: NS }, spec: { sourceRepos: ['https://git.example.com/*'], destinations: [{ server: '*', namespace: '*' }] } });
    const strict = application('strict-app', repo, 'manual', { automated: { prune: true } });
    await client.apply({ ...strict, spec: { ...(strict.spec as object), project: 'strict' } });
    await until(async () => {
      const current = await status('strict-app');
      assert.match(current.conditions?.find((condition) => condition.type === 'InvalidSpecError')?.message ?? '', /AppProject "strict" .*repository/);
    }, 30_000);
    assert.equal(await client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'strict-app' }), undefined);
  });

  test('GIVEN an app with the resources finalizer is deleted THEN its resources are deleted first, then the Application', async () => {
    await client.apply(application('doomed', repo, 'doomed', { automated: { prune: true }, finalizers: ['resources-finalizer.argocd.argoproj.io'] }));
    await until(async () => {
      assert.deepEqual(await configMap('doomed', 'doomed-config'), { a: '1' });
      assert.equal((await status('doomed')).sync?.status, 'Synced');
    }, 60_000);
    await client.delete({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'doomed' });
    await until(async () => {
      assert.equal(await configMap('doomed', 'doomed-config'), undefined);
      assert.equal(await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'doomed' }), undefined);
    }, 60_000);
  });

  test('GIVEN a repository that demands basic auth and a repository Secret THEN the app syncs; the password is in no status or event', async () => {
    const served = await mkdtemp(join(tmpdir(), 'launchpad-served-'));
    const password = 'pa55-w0rd-never-shown';
    await createGitRepo({ dir: join(served, 'private'), files: { 'app/config.yaml': CONFIG('private-config', { secret: 'no' }) } });
    const server = await startGitHttpServer({ root: served, credentials: { username: 'deployer', password } });
    try {
      await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'private-repo', namespace: NS, labels: { 'argocd.argoproj.io/secret-type': 'repository' } }, stringData: { url: `${server.base}/private`, username: 'deployer', password } });
      const privateApp = application('private', repo, 'app', { automated: { prune: true } });
      await client.apply({ ...privateApp, spec: { ...(privateApp.spec as object), source: { repoURL: `${server.base}/private`, path: 'app', targetRevision: 'HEAD' } } });
      await until(async () => {
        assert.deepEqual(await configMap('private', 'private-config'), { secret: 'no' });
        assert.equal((await status('private')).sync?.status, 'Synced');
      }, 60_000);
      assert.ok(server.attempts.some((attempt) => attempt.accepted && attempt.username === 'deployer'));
      const events = await client.list('v1', 'Event', { namespace: NS });
      assert.doesNotMatch(JSON.stringify([await app('private'), events]), new RegExp(password));
    } finally {
      await server.close();
      await rm(served, { recursive: true, force: true });
    }
  });

  test('metrics report each application with its sync and health status', async () => {
    const text = await (await fetch(`${running.server.url}/metrics`)).text();
    assert.match(text, /launchpad_app_info\{name="web",namespace="argocd",project="default",sync_status="Synced",health_status="Healthy",dest_server="https:\/\/kubernetes.default.svc"\} 1/);
    assert.match(text, /launchpad_app_sync_total\{name="web",namespace="argocd",project="default",phase="Succeeded"\} \d+/);
    assert.equal((await fetch(`${running.server.url}/readyz`)).status, 200);
  });
});
