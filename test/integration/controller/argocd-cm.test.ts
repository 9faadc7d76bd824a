/**
 * GIVEN the controller running against a real API server and an `argocd-cm` in its namespace, WHEN the team's
 * settings exclude a kind, ignore a field other tools own, and later change, THEN the Application's status follows
 * them as Argo CD's would: excluded kinds invisible (with ExcludedResourceWarning), ignored drift Synced, and an edit
 * of argocd-cm taken without a restart.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
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

type Status = { sync?: { status?: string }; resources?: { kind: string; name: string; status: string }[]; conditions?: { type: string; message: string }[] };

function argocdCm(data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: NS }, data };
}

describe('the controller honours argocd-cm', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let running: RunningController;
  let cacheDir: string;

  const status = async (): Promise<Status> => (await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'tuned' }))?.status ?? {};
  const until = (what: string, check: (current: Status) => void, timeoutMs = 40_000): Promise<unknown> =>
    eventually(async () => {
      check(await status());
      return true;
    }, { what, timeoutMs, intervalMs: 250 });

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const crd of crdManifests()) await client.apply(crd);
    await waitEstablished(client, crdManifests());
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await client.apply(argocdCm({
      'resource.exclusions': '- apiGroups: [""]\n  kinds: [ServiceAccount]\n',
      'resource.customizations.ignoreDifferences.all': 'jqPathExpressions:\n- .data."tuned-by-operator"\n',
    }));
    cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-argocd-cm-'));
    repo = await createGitRepo({
      files: {
        'tuned/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tuned\ndata:\n  color: blue\n  tuned-by-operator: "1"\n',
        'tuned/robot.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n',
      },
    });
    running = await runController({
      client, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 2, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
      webhookInsecure: false, offline: false, cacheDir, log: createLogger({ level: 'warn', json: true }),
    });
    await client.apply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'tuned', namespace: NS },
      spec: { project: 'default', source: { repoURL: repo.url, path: 'tuned', targetRevision: 'HEAD' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'tuned' }, syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] } },
    });
  });

  after(async () => {
    await running.stop();
    client.close?.();
    await plane.stop();
    await repo.remove();
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('GIVEN an excluded kind in Git THEN it is neither applied nor listed, and the app says so (ExcludedResourceWarning)', async () => {
    await until('the app to be synced', (current) => {
      assert.equal(current.sync?.status, 'Synced', JSON.stringify(current));
      assert.deepEqual(current.resources?.map((resource) => `${resource.kind}/${resource.name}`), ['ConfigMap/tuned']);
      assert.match(current.conditions?.find((condition) => condition.type === 'ExcludedResourceWarning')?.message ?? '', /Resource \/ServiceAccount robot is excluded in the settings/);
    });
    assert.equal(await client.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'tuned', name: 'robot' }), undefined);
  });

  test('GIVEN drift in a field argocd-cm ignores for all kinds THEN the app stays Synced; drift elsewhere does not', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tuned', namespace: 'tuned' }, data: { 'tuned-by-operator': '7' } }, { fieldManager: 'operator', force: true });
    // Long enough for the watch to deliver the change and the controller to compare again.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal((await status()).sync?.status, 'Synced');
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tuned', namespace: 'tuned' }, data: { color: 'red' } }, { fieldManager: 'operator', force: true });
    await until('drift outside the ignored field to show', (current) => { assert.equal(current.sync?.status, 'OutOfSync'); });
  });

  test('GIVEN argocd-cm edited (exclusion lifted, ignore rule widened) THEN the controller takes it without a restart', async () => {
    await client.apply(argocdCm({ 'resource.customizations.ignoreDifferences.all': 'jqPathExpressions:\n- .data."tuned-by-operator"\n- .data.color\n' }));
    await until('the new settings to be taken', (current) => {
      assert.deepEqual(current.resources?.map((resource) => `${resource.kind}/${resource.name}`), ['ConfigMap/tuned', 'ServiceAccount/robot']);
      assert.equal((current.conditions ?? []).some((condition) => condition.type === 'ExcludedResourceWarning'), false, JSON.stringify(current.conditions));
      assert.equal(current.resources.find((resource) => resource.kind === 'ConfigMap')?.status, 'Synced', 'color drift now ignored');
    });
  });
});
