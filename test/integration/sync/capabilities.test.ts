/**
 * GIVEN a real control plane serving a custom resource (Gadget) and an Application whose chart prints what helm
 * believes about the cluster, WHEN `launchpad sync` or the controller deploys it, THEN helm rendered for that
 * cluster — its discovered version and API versions (the CRD included) — not for launchpad.yaml's `clusters:` entry
 * and not for the offline default, which is what `launchpad render` (no cluster) uses.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import { createLogger } from '../../../src/controller/log.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { crdManifests } from '../../../src/install/crds.js';
import { serverVersionOf } from '../../../src/kube/capabilities.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { findBinary } from '../../../src/process/binaries.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';

const bin = new URL('../../../../bin/launchpad.js', import.meta.url).pathname;
const NS = 'argocd';

const GADGET_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
};

const PROBE_CHART = {
  'probe/Chart.yaml': 'apiVersion: v2\nname: probe\nversion: 0.1.0\nkubeVersion: ">=1.25.0-0"\n',
  'probe/templates/cm.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: capabilities',
    'data:',
    '  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}',
    '  gadgets: {{ .Capabilities.APIVersions.Has "example.com/v1/Gadget" | quote }}',
    '',
  ].join('\n'),
};

function application(name: string, repoURL: string, automated: boolean): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: NS },
    spec: {
      project: 'default', source: { repoURL, path: 'probe', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
      syncPolicy: { syncOptions: ['CreateNamespace=true'], ...(automated ? { automated: { prune: true } } : {}) },
    },
  };
}

describe('rendering for the cluster a sync deploys to', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let work: string;
  let clusterVersion: string;

  const launchpad = (...args: string[]): Promise<{ code: number; out: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: { ...process.env, XDG_CACHE_HOME: join(work, 'cache-home'), LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize') },
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', (code) => { resolve({ code: code ?? -1, out }); });
    });
  const deployed = async (namespace: string): Promise<Record<string, string> | undefined> =>
    (await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'capabilities' }))?.data as Record<string, string> | undefined;

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const crd of [...crdManifests(), GADGET_CRD]) await client.apply(crd);
    await waitEstablished(client, [...crdManifests(), GADGET_CRD]);
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    clusterVersion = serverVersionOf(await client.serverVersion());
    repo = await createGitRepo({ files: PROBE_CHART });
    work = await mkdtemp(join(tmpdir(), 'launchpad-capabilities-'));
    // launchpad.yaml describes the cluster differently: discovery must win over it when there is a cluster.
    await writeFile(join(work, 'launchpad.yaml'), 'clusters:\n  - server: https://kubernetes.default.svc\n    kubeVersion: "1.28"\n');
    const { stringify } = await import('yaml');
    await writeFile(join(work, 'probe.yaml'), stringify(application('probe', repo.url, false)));
  });

  after(async () => {
    client.close?.();
    await plane.stop();
    await repo.remove();
    await rm(work, { recursive: true, force: true });
  });

  test('launchpad sync renders for the cluster\'s discovered version and API versions', async () => {
    assert.match(clusterVersion, /^v1\.35\.\d+$/);
    const offline = await launchpad('render', join(work, 'probe.yaml'), '-o', 'yaml');
    assert.equal(offline.code, 0, offline.out);
    assert.match(offline.out, /kubeVersion: v1\.28\b/, 'without a cluster, launchpad.yaml\'s clusters: entry is used');
    assert.match(offline.out, /gadgets: "false"/);

    const synced = await launchpad('sync', join(work, 'probe.yaml'), '--kubeconfig', plane.kubeconfigPath);
    assert.equal(synced.code, 0, synced.out);
    assert.deepEqual(await deployed('probe'), { kubeVersion: clusterVersion, gadgets: 'true' });
  });

  test('the controller renders for the destination cluster it discovers', async () => {
    const cacheDir = join(work, 'controller-cache');
    const running: RunningController = await runController({
      client, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 2, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
      webhookInsecure: false, offline: false, cacheDir, log: createLogger({ level: 'error', json: true }),
    });
    try {
      await client.apply(application('probe-controller', repo.url, true));
      await eventually(async () => (await deployed('probe-controller')) !== undefined, { what: 'the controller to sync probe-controller', timeoutMs: 60_000, intervalMs: 200 });
      assert.deepEqual(await deployed('probe-controller'), { kubeVersion: clusterVersion, gadgets: 'true' });
    } finally {
      await running.stop();
    }
  });
});
