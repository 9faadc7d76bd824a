/**
 * GIVEN Applications in a real git repository and a real control plane, WHEN a user runs `launchpad sync`, THEN the
 * cluster matches the render, --dry-run writes nothing, secrets never reach the output, and --cascade syncs an
 * app-of-apps wave by wave with each child's health gating the next.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import { findBinary } from '../../../src/process/binaries.js';
import { createGitRepo, controlPlaneSkipReason, startControlPlane } from '../../../src/testing/index.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';

const bin = new URL('../../../../bin/launchpad.js', import.meta.url).pathname;

/** A minimal Application CRD (Argo CD's own is far larger); enough to store Applications and their status. */
const APPLICATION_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'applications.argoproj.io' },
  spec: { group: 'argoproj.io', scope: 'Namespaced', names: { plural: 'applications', singular: 'application', kind: 'Application' },
    versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
};

function application(name: string, repoURL: string, where: { path: string; namespace: string; wave?: number }): string {
  const { path, namespace, wave = 0 } = where;
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\n  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${namespace}\n  source:\n    repoURL: ${repoURL}\n    path: ${path}\n  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n`;
}

describe('launchpad sync (the command)', { skip: controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let cacheHome: string;

  const launchpad = (...args: string[]): Promise<{ code: number; out: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args, '--kubeconfig', plane.kubeconfigPath], {
        env: { ...process.env, XDG_CACHE_HOME: cacheHome, LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize') },
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', (code) => { resolve({ code: code ?? -1, out }); });
    });

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
    await client.apply(APPLICATION_CRD);
    repo = await createGitRepo();
    cacheHome = join(repo.dir, '.cache-home');
    await repo.commit({
      'shop/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n',
      'shop/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: credentials\nstringData:\n  password: s3cret-value-never-shown\n',
      'first/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n',
      'second/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n',
      'shop.yaml': application('shop', repo.url, { path: 'shop', namespace: 'shop' }),
      'apps/first.yaml': application('first', repo.url, { path: 'first', namespace: 'first', wave: 1 }),
      'apps/second.yaml': application('second', repo.url, { path: 'second', namespace: 'second', wave: 2 }),
      'root.yaml': application('root', repo.url, { path: 'apps', namespace: 'argocd' }),
    });
  });

  after(async () => {
    await plane.stop();
    await repo.remove();
  });

  test('sync creates what the render holds; secrets never appear; a re-sync is all unchanged', async () => {
    const first = await launchpad('sync', join(repo.dir, 'shop.yaml'));
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /ConfigMap\/shop\/settings created/);
    assert.match(first.out, /shop: sync Succeeded in [\d.]+s — 2 created/);
    assert.doesNotMatch(first.out, /s3cret-value-never-shown|czNjcmV0/);
    const again = await launchpad('sync', join(repo.dir, 'shop.yaml'));
    assert.match(again.out, /shop: sync Succeeded in [\d.]+s — 2 unchanged/);
  });

  test('--dry-run shows the change and writes nothing', async () => {
    await repo.commit({ 'shop/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: green\n' });
    const dry = await launchpad('sync', join(repo.dir, 'shop.yaml'), '--dry-run');
    assert.equal(dry.code, 0, dry.out);
    assert.match(dry.out, /ConfigMap\/shop\/settings configured — dry run: not written/);
    const live = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'settings' });
    assert.equal((live?.data as Record<string, string> | undefined)?.color, 'blue');
  });

  test('status and diff --live show drift per resource, secrets redacted; a sync heals it', async () => {
    await launchpad('sync', join(repo.dir, 'shop.yaml'));
    const clean = await launchpad('status', join(repo.dir, 'shop.yaml'));
    assert.equal(clean.code, 0, clean.out);
    assert.match(clean.out, /shop: Synced, Healthy/);
    assert.match(clean.out, /ConfigMap\/shop\/settings +Synced +Healthy/);
    // Someone edits the live objects by hand.
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { color: 'red' } }, { fieldManager: 'kubectl-edit' });
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'credentials', namespace: 'shop' }, stringData: { password: 'tampered-value-never-shown' } }, { fieldManager: 'kubectl-edit' });
    const drifted = await launchpad('status', join(repo.dir, 'shop.yaml'));
    assert.equal(drifted.code, 1, drifted.out);
    assert.match(drifted.out, /ConfigMap\/shop\/settings +OutOfSync/);
    const diff = await launchpad('diff', '--live', join(repo.dir, 'shop.yaml'));
    assert.equal(diff.code, 1, diff.out);
    assert.match(diff.out, /- {2}color: red\n\+ {2}color: green/);
    assert.match(diff.out, /Secret\/shop\/credentials \(out-of-sync\)/);
    assert.doesNotMatch(diff.out, /tampered-value-never-shown|s3cret-value-never-shown|dGFtcGVyZWQ|czNjcmV0/);
    await launchpad('sync', join(repo.dir, 'shop.yaml'));
    const healed = await launchpad('diff', '--live', join(repo.dir, 'shop.yaml'));
    assert.equal(healed.code, 0, healed.out);
  });

  test('--cascade syncs child applications wave by wave and records their health on the Application', async () => {
    const result = await launchpad('sync', join(repo.dir, 'root.yaml'), '--cascade');
    assert.equal(result.code, 0, result.out);
    const [first = -1, second = -1, root = -1] = ['first: sync Succeeded', 'second: syncing', 'root: sync Succeeded'].map((marker) => result.out.indexOf(marker));
    assert.ok(first >= 0 && first < second && second < root, `the wave-1 child finished before the wave-2 child started:\n${result.out}`);
    const child = await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'second' });
    assert.equal((child?.status as { health?: { status?: string } } | undefined)?.health?.status, 'Healthy');
    assert.ok(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'second', name: 'second' }));
  });
});
