/**
 * GIVEN the controller on a real control plane and an application in three waves (three ConfigMaps, a Deployment
 * that takes a moment to become healthy, a last ConfigMap), WHEN a sync is requested and the Application is watched,
 * THEN while the operation runs its status names an intermediate wave (`wave 2/3: …`) and lists the resources
 * applied so far — fewer than all — and at the end the full result replaces the progress.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { crdManifests } from '../../../src/install/crds.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import { isPlainObject } from '../../../src/model/values.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';

const NS = 'argocd';
const APP = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'waves' } as const;

const configMap = (name: string, wave: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"\ndata:\n  value: "${name}"\n`;
const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: slow\n  annotations:\n    argocd.argoproj.io/sync-wave: "5"\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: slow}}\n  template:\n    metadata: {labels: {app: slow}}\n    spec:\n      containers: [{name: app, image: "nginx:1.27"}]\n`;

interface State {
  readonly phase: string;
  readonly message: string;
  readonly resources: readonly string[];
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

describe('a running sync publishes its progress per wave', { skip: controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let cacheDir: string;
  let running: RunningController;

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const crd of crdManifests()) await client.apply(crd);
    await waitEstablished(client, crdManifests());
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await client.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace: NS }, spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] } });
    repo = await createGitRepo({ files: { 'app/a.yaml': configMap('first-a', 0), 'app/b.yaml': configMap('first-b', 0), 'app/c.yaml': configMap('first-c', 0), 'app/slow.yaml': deployment, 'app/last.yaml': configMap('last', 9) } });
    cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-progress-cache-'));
    running = await runController({
      client, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 2, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
      webhookInsecure: false, offline: false, cacheDir, log: quiet,
    });
  });

  after(async () => {
    await running.stop();
    client.close?.();
    await plane.stop();
    await repo.remove();
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('GIVEN three waves WHEN the sync runs THEN the watch sees an intermediate wave with part of the resources, then the whole result', async () => {
    await client.apply({
      apiVersion: APP.apiVersion, kind: APP.kind, metadata: { name: APP.name, namespace: NS },
      spec: { project: 'default', source: { repoURL: repo.url, path: 'app', targetRevision: 'HEAD' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'waves' }, syncPolicy: { syncOptions: ['CreateNamespace=true'] } },
    });
    await eventually(async () => (isPlainObject((await client.get(APP))?.status) ? true : undefined), { what: 'the app to be compared', timeoutMs: 60_000, intervalMs: 200 });
    const seen: State[] = [];
    const abort = new AbortController();
    const watching = client.watch(APP.apiVersion, APP.kind, { namespace: NS, signal: abort.signal }, (event) => {
      if (event.object.metadata.name !== APP.name) return;
      const status = isPlainObject(event.object.status) ? event.object.status : {};
      const state = isPlainObject(status.operationState) ? status.operationState : {};
      const result = isPlainObject(state.syncResult) ? state.syncResult : {};
      const resources = Array.isArray(result.resources) ? result.resources.filter(isPlainObject).map((resource) => `${String(resource.kind)}/${String(resource.name)}`) : [];
      seen.push({ phase: typeof state.phase === 'string' ? state.phase : '', message: typeof state.message === 'string' ? state.message : '', resources });
    }).catch(() => undefined);
    try {
      await client.patch(APP, { operation: { sync: {}, initiatedBy: { username: 'test' } } });
      await eventually(() => Promise.resolve(seen.some((state) => state.phase === 'Succeeded') ? true : undefined), { what: 'the sync to succeed', timeoutMs: 90_000, intervalMs: 200 });
    } finally {
      abort.abort();
      await watching;
    }
    const runningStates = seen.filter((state) => state.phase === 'Running');
    const waveTwo = runningStates.find((state) => /^wave 2\/3: 1 of 1 resource applied/.test(state.message));
    assert.ok(waveTwo !== undefined, `an intermediate wave is named while running; saw: ${runningStates.map((state) => state.message).join(' | ')}`);
    assert.ok(runningStates.some((state) => /^wave 1\/3: \d of 3 resources applied/.test(state.message)), 'the first wave is named with its size');
    // While wave 2 runs, the first wave's three ConfigMaps are in the result and the last wave's is not.
    const partial = runningStates.find((state) => state.resources.length > 0 && state.resources.length < 5);
    assert.ok(partial !== undefined, `partial syncResult.resources while running; saw: ${JSON.stringify(runningStates.map((state) => state.resources))}`);
    assert.ok(!partial.resources.includes('ConfigMap/last'));
    assert.ok(runningStates.some((state) => state.resources.includes('Deployment/slow') && !state.resources.includes('ConfigMap/last')), 'wave 2 is recorded before wave 3 runs');
    const final = seen.at(-1);
    assert.ok(final !== undefined);
    assert.equal(final.phase, 'Succeeded');
    assert.deepEqual([...final.resources].sort(), ['ConfigMap/first-a', 'ConfigMap/first-b', 'ConfigMap/first-c', 'ConfigMap/last', 'Deployment/slow']);
    assert.doesNotMatch(final.message, /^wave/, 'the final message is the outcome, not a progress line');
  });
});
