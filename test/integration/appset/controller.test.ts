/**
 * GIVEN a real control plane with Launchpad's CRDs (ApplicationSet included), a real git repository and
 * `launchpad controller` running with the ApplicationSet add-on WHEN sets are created and edited THEN their
 * Applications are created, updated and deleted as `applicationsSync` allows, owned by the set, reported in its
 * status; a generator that fails deletes nothing and says why; RollingSync syncs step by step.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApplicationSetAddon } from '../../../src/appset/controller/addon.js';
import { applicationSetCrd } from '../../../src/appset/crd.js';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import { createLogger } from '../../../src/controller/log.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { crdManifests } from '../../../src/install/crds.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';

const NS = 'argocd';
const CONFIG = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

type Condition = { type: string; status: string; reason: string; message: string };
type SetStatus = { conditions?: Condition[]; resources?: { name: string }[]; applicationStatus?: { application: string; status: string; step: string }[] };

async function until(check: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    await check();
    return true;
  }, { what: 'the ApplicationSet controller to converge', timeoutMs, intervalMs: 200 });
}

describe('the ApplicationSet controller on a real control plane', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let running: RunningController;
  let cacheDir: string;
  const writes: { name: string; created: number; updated: number; deleted: number }[] = [];
  const written = (set: string, from: number): { created: number; updated: number; deleted: number } => writes.slice(from).filter((entry) => entry.name === set)
    .reduce((sum, entry) => ({ created: sum.created + entry.created, updated: sum.updated + entry.updated, deleted: sum.deleted + entry.deleted }), { created: 0, updated: 0, deleted: 0 });

  const appSet = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name, namespace: NS }, spec });
  const template = (name: string, path: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    metadata: { name, ...extra },
    spec: { project: 'default', source: { repoURL: repo.url, path, targetRevision: 'HEAD' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'default' } },
  });
  const apps = async (): Promise<KubeObject[]> => (await client.list('argoproj.io/v1alpha1', 'Application', { namespace: NS })).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const appNames = async (set: string): Promise<string[]> => (await apps()).filter((app) => JSON.stringify(app.metadata.ownerReferences ?? []).includes(`"name":"${set}"`)).map((app) => app.metadata.name ?? '');
  const setStatus = async (name: string): Promise<SetStatus> => {
    const found = await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', namespace: NS, name });
    const empty: SetStatus = {};
    return (found?.status as SetStatus | undefined) ?? empty;
  };
  const condition = (status: SetStatus, type: string): Condition | undefined => status.conditions?.find((entry) => entry.type === type);

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    const crds = [...crdManifests(), applicationSetCrd()];
    for (const crd of crds) await client.apply(crd);
    await waitEstablished(client, crds);
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-appset-it-'));
    repo = await createGitRepo({ files: { 'apps/a/cm.yaml': CONFIG('a'), 'apps/b/cm.yaml': CONFIG('b'), 'apps/c/cm.yaml': CONFIG('c'), 'roll/dev/cm.yaml': CONFIG('roll-dev'), 'roll/prod/cm.yaml': CONFIG('roll-prod') } });
    running = await runController({
      client, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 4, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
      webhookInsecure: false, offline: false, cacheDir, log: createLogger({ level: 'warn', json: true }),
      addons: [new ApplicationSetAddon({ cacheDir, onReconciled: (name, result) => { writes.push({ name, ...result }); } })],
    });
  });

  after(async () => {
    await running.stop();
    client.close?.();
    await plane.stop();
    await repo.remove();
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('GIVEN a list set THEN its Applications exist, owned by it, and its status says so; a changed element updates one, a removed one is deleted', async () => {
    const elements = [{ name: 'a', path: 'apps/a' }, { name: 'b', path: 'apps/b' }, { name: 'c', path: 'apps/c' }];
    await client.apply(appSet('guestbook', { generators: [{ list: { elements } }], template: template('gb-{{name}}', '{{path}}') }));
    await until(async () => {
      assert.deepEqual(await appNames('guestbook'), ['gb-a', 'gb-b', 'gb-c']);
      const status = await setStatus('guestbook');
      assert.equal(condition(status, 'ResourcesUpToDate')?.status, 'True');
      assert.deepEqual(status.resources?.map((resource) => resource.name), ['gb-a', 'gb-b', 'gb-c']);
    });
    const mark = writes.length;
    await client.apply(appSet('guestbook', { generators: [{ list: { elements: [elements[0], { name: 'b', path: 'apps/c' }] } }], template: template('gb-{{name}}', '{{path}}') }));
    await until(async () => {
      assert.deepEqual(await appNames('guestbook'), ['gb-a', 'gb-b']);
      const b = (await apps()).find((app) => app.metadata.name === 'gb-b');
      assert.equal(((b?.spec as Record<string, Record<string, unknown>>).source)?.path, 'apps/c');
    });
    // Every reconcile since the edit (the Application controller's status writes trigger some) wrote just these two.
    assert.deepEqual(written('guestbook', mark), { created: 0, updated: 1, deleted: 1 }, 'unchanged Applications are not written');
  });

  test('GIVEN create-only and create-update policies THEN changes and removals are held back as the policy says', async () => {
    const elements = [{ name: 'x', path: 'apps/a' }, { name: 'y', path: 'apps/b' }];
    await client.apply(appSet('only', { syncPolicy: { applicationsSync: 'create-only' }, generators: [{ list: { elements } }], template: template('only-{{name}}', '{{path}}') }));
    await client.apply(appSet('upd', { syncPolicy: { applicationsSync: 'create-update' }, generators: [{ list: { elements } }], template: template('upd-{{name}}', '{{path}}') }));
    await until(async () => {
      assert.deepEqual(await appNames('only'), ['only-x', 'only-y']);
      assert.deepEqual(await appNames('upd'), ['upd-x', 'upd-y']);
    });
    const changed = [{ name: 'x', path: 'apps/c' }];
    await client.apply(appSet('only', { syncPolicy: { applicationsSync: 'create-only' }, generators: [{ list: { elements: changed } }], template: template('only-{{name}}', '{{path}}') }));
    await client.apply(appSet('upd', { syncPolicy: { applicationsSync: 'create-update' }, generators: [{ list: { elements: changed } }], template: template('upd-{{name}}', '{{path}}') }));
    await until(async () => {
      const all = await apps();
      const path = (name: string): unknown => ((all.find((app) => app.metadata.name === name)?.spec as Record<string, Record<string, unknown>>).source)?.path;
      assert.equal(path('upd-x'), 'apps/c');
      assert.equal(path('only-x'), 'apps/a');
      assert.equal(condition(await setStatus('only'), 'ResourcesUpToDate')?.status, 'True');
    });
    assert.deepEqual(await appNames('only'), ['only-x', 'only-y'], 'create-only deletes nothing');
    assert.deepEqual(await appNames('upd'), ['upd-x', 'upd-y'], 'create-update deletes nothing');
  });

  test('GIVEN a git set whose repository becomes unreachable THEN nothing is deleted and ErrorOccurred says why', async () => {
    const spec = (repoURL: string): Record<string, unknown> => ({
      generators: [{ git: { repoURL, revision: 'HEAD', directories: [{ path: 'apps/*' }] } }],
      template: template('git-{{path.basename}}', '{{path}}'),
    });
    await client.apply(appSet('folders', spec(repo.url)));
    await until(async () => { assert.deepEqual(await appNames('folders'), ['git-a', 'git-b', 'git-c']); });
    await client.apply(appSet('folders', spec('http://127.0.0.1:9/gone.git')));
    await until(async () => {
      const status = await setStatus('folders');
      assert.equal(condition(status, 'ErrorOccurred')?.status, 'True');
      assert.equal(condition(status, 'ErrorOccurred')?.reason, 'ApplicationParamsGenerationError');
      assert.match(condition(status, 'ErrorOccurred')?.message ?? '', /127\.0\.0\.1:9/);
      assert.equal(condition(status, 'ParametersGenerated')?.status, 'False');
    });
    assert.deepEqual(await appNames('folders'), ['git-a', 'git-b', 'git-c'], 'a failing generator deletes nothing');
  });

  test('GIVEN RollingSync with two steps THEN the second step syncs only after the first is Healthy', async () => {
    const elements = [{ env: 'dev' }, { env: 'prod' }];
    const rolling = template('roll-{{env}}', 'roll/{{env}}', { labels: { env: '{{env}}' } });
    (rolling.spec as Record<string, unknown>).syncPolicy = { automated: { prune: true } };
    await client.apply(appSet('rollout', {
      generators: [{ list: { elements } }], template: rolling,
      strategy: { type: 'RollingSync', rollingSync: { steps: [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }] } },
    }));
    await until(async () => {
      const status = await setStatus('rollout');
      assert.deepEqual(status.applicationStatus?.map((entry) => `${entry.application}:${entry.step}:${entry.status}`), ['roll-dev:1:Healthy', 'roll-prod:2:Healthy']);
      assert.equal(condition(status, 'RolloutProgressing')?.status, 'False');
    }, 120_000);
    const state = (app: KubeObject | undefined): Record<string, string> => ((app?.status as Record<string, unknown> | undefined)?.operationState ?? {}) as Record<string, string>;
    const all = await apps();
    const dev = state(all.find((app) => app.metadata.name === 'roll-dev'));
    const prod = state(all.find((app) => app.metadata.name === 'roll-prod'));
    assert.equal(dev.phase, 'Succeeded');
    assert.equal(prod.phase, 'Succeeded');
    assert.ok(Date.parse(prod.startedAt ?? '') >= Date.parse(dev.finishedAt ?? ''), `prod started ${prod.startedAt ?? ''} before dev finished ${dev.finishedAt ?? ''}`);
    const spec = all.find((app) => app.metadata.name === 'roll-prod')?.spec as { syncPolicy?: { automated?: { enabled?: boolean } } };
    assert.equal(spec.syncPolicy?.automated?.enabled, false, 'the set, not automated sync, decides when');
  });
});
