/**
 * GIVEN the controller with the unsealer add-on, argocd-cm's `label` tracking and an automated, pruning Application
 * whose SealedSecret's template carries the app's instance label (as Helm charts write it) next to a plain Secret
 * (so the Secret kind is watched), WHEN the unsealer writes the Secret, THEN the app stays Synced and Healthy: the
 * Secret is the SealedSecret's child (owner reference), never drift and never pruned — as in Argo CD, whose cache
 * leaves objects with owners out of an app's managed objects.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import { createLogger } from '../../../src/controller/log.js';
import { crdManifests } from '../../../src/install/crds.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { SealedSecretsAddon } from '../../../src/sealed/controller/addon.js';
import { sealedSecretCrd } from '../../../src/sealed/controller/crd.js';
import { generateSealingKeyPair, sealingKeySecret } from '../../../src/sealed/keys.js';
import { sealSecret } from '../../../src/sealed/seal.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';

const NS = 'argocd';
type Status = { sync?: { status?: string }; health?: { status?: string }; resources?: { kind: string; name: string; status: string }[]; operationState?: { phase?: string } };

describe('a SealedSecret\'s Secret is not drift of the app that owns the SealedSecret', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let running: RunningController;
  let cacheDir: string;

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    const crds = [...crdManifests(), sealedSecretCrd()];
    for (const crd of crds) await client.apply(crd);
    await waitEstablished(client, crds);
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: NS }, data: { 'application.resourceTrackingMethod': 'label' } });
    const pair = await generateSealingKeyPair({ keySize: 2048 });
    await client.create(sealingKeySecret(pair, NS) as unknown as KubeObject);
    const plain = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2' } };
    const sealed = sealSecret(
      { ...plain, metadata: { name: 'db', namespace: 'vault', labels: { 'app.kubernetes.io/instance': 'vault' } } },
      pair.privateKey,
    );
    repo = await createGitRepo({
      files: {
        'vault/sealed.yaml': stringify(sealed),
        'vault/plain.yaml': stringify({ ...plain, metadata: { name: 'plain' }, stringData: { note: 'not secret' } }),
      },
    });
    cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-sealed-app-'));
    running = await runController({
      client, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 2, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
      webhookInsecure: false, offline: false, cacheDir, log: createLogger({ level: 'error', json: true }),
      addons: [new SealedSecretsAddon({ keyRenewPeriodMs: 0 })],
    });
    await client.apply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'vault', namespace: NS },
      spec: {
        project: 'default', source: { repoURL: repo.url, path: 'vault', targetRevision: 'HEAD' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'vault' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      },
    });
  });

  after(async () => {
    await running.stop();
    client.close?.();
    await plane.stop();
    await repo.remove();
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('GIVEN the unsealed Secret carries the app\'s instance label THEN the app is Synced and Healthy and the Secret stays', async () => {
    const status = async (): Promise<Status> => ((await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'vault' }))?.status ?? {});
    await eventually(async () => {
      const secret = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'vault', name: 'db' });
      assert.equal(secret?.metadata.labels?.['app.kubernetes.io/instance'], 'vault');
      const current = await status();
      assert.equal(current.sync?.status, 'Synced', JSON.stringify(current.resources));
      assert.equal(current.health?.status, 'Healthy', JSON.stringify(current));
      return true;
    }, { what: 'the app to settle with the unsealed Secret', timeoutMs: 60_000, intervalMs: 250 });
    // Two more refreshes and self-heal rounds: the Secret is still there and never listed as the app's.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await client.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'vault', namespace: NS, annotations: { 'argocd.argoproj.io/refresh': 'normal' } } }, { fieldManager: 'test-refresh' });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const current = await status();
    assert.equal(current.sync?.status, 'Synced');
    assert.deepEqual(current.resources?.map((resource) => `${resource.kind}/${resource.name}:${resource.status}`).sort(), ['SealedSecret/db:Synced', 'Secret/plain:Synced']);
    assert.ok(await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'vault', name: 'db' }), 'the unsealed Secret was not pruned');
  });
});
