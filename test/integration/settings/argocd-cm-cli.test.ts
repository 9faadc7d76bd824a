/**
 * GIVEN an Application in a real git repository, a real API server and an `argocd-cm` in the cluster (or a file),
 * WHEN a user runs `launchpad sync`, `diff --live` and `status`, THEN argocd-cm's exclusions, ignoreDifferences
 * customizations and tracking method are honoured as Argo CD honours them — observed through the API and the output.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { findBinary } from '../../../src/process/binaries.js';
import { createGitRepo, controlPlaneSkipReason, startControlPlane } from '../../../src/testing/index.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';

const bin = new URL('../../../../bin/launchpad.js', import.meta.url).pathname;
const LABEL = 'team.example.com/app';

const APPLICATION = (repoURL: string): string => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: shop\n  source:\n    repoURL: ${repoURL}\n    path: shop\n  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n`;

/** The argocd-cm a migrating team brings: a kind excluded, a field other tools own ignored, label tracking. */
const TEAM_SETTINGS: Record<string, string> = {
  'resource.exclusions': '- apiGroups: [""]\n  kinds: [ServiceAccount]\n',
  'resource.customizations.ignoreDifferences.ConfigMap': 'jsonPointers:\n- /data/owned-elsewhere\n',
  'application.resourceTrackingMethod': 'label',
  'application.instanceLabelKey': LABEL,
};

function argocdCm(data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd' }, data };
}

describe('argocd-cm settings in sync, diff --live and status', { skip: controlPlaneSkipReason(1) }, () => {
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
  const get = (kind: string, name: string): Promise<KubeObject | undefined> => client.get({ apiVersion: 'v1', kind, namespace: 'shop', name });

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
    repo = await createGitRepo();
    cacheHome = join(repo.dir, '.cache-home');
    await repo.commit({
      'shop/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n  owned-elsewhere: "1"\n',
      'shop/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: "1"\n',
      'shop/robot.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n',
      'shop.yaml': APPLICATION(repo.url),
    });
  });

  after(async () => {
    client.close?.();
    await plane.stop();
    await repo.remove();
  });

  test('GIVEN --argocd-cm <file> without exclusions THEN everything is applied with the instance label, not the annotation', async () => {
    const file = join(repo.dir, '.argocd-cm-offline.yaml');
    await writeFile(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  application.resourceTrackingMethod: label\n  application.instanceLabelKey: ${LABEL}\n`);
    const result = await launchpad('sync', join(repo.dir, 'shop.yaml'), '--argocd-cm', file);
    assert.equal(result.code, 0, result.out);
    const settings = await get('ConfigMap', 'settings');
    assert.equal(settings?.metadata.labels?.[LABEL], 'shop');
    assert.equal(settings.metadata.annotations?.['argocd.argoproj.io/tracking-id'], undefined, 'label tracking writes no tracking annotation');
    assert.ok(await get('ServiceAccount', 'robot'), 'not excluded by this file: created');
  });

  test('GIVEN the cluster\'s argocd-cm excludes ServiceAccounts THEN sync neither applies nor prunes them and says so', async () => {
    await client.apply(argocdCm(TEAM_SETTINGS));
    await repo.commit({ 'shop/extra.yaml': null, 'shop/robot.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n  annotations: {changed: "yes"}\n' }, 'robot changed, extra gone');
    const result = await launchpad('sync', join(repo.dir, 'shop.yaml'), '--prune');
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /ServiceAccount\/shop\/robot.*excluded in the settings/);
    assert.equal((await get('ServiceAccount', 'robot'))?.metadata.annotations?.changed, undefined, 'an excluded kind is never applied');
    // Tier 1 runs no garbage collector: a foreground deletion stays pending, but it was requested.
    const extra = await get('ConfigMap', 'extra');
    assert.ok(extra === undefined || extra.metadata.deletionTimestamp !== undefined, 'a labelled object that left Git is pruned (label tracking)');
    await repo.commit({ 'shop/robot.yaml': null }, 'robot gone');
    const pruned = await launchpad('sync', join(repo.dir, 'shop.yaml'), '--prune');
    assert.equal(pruned.code, 0, pruned.out);
    assert.match(pruned.out, /not pruning ServiceAccount\/shop\/robot: its kind is excluded in argocd-cm/);
    assert.ok(await get('ServiceAccount', 'robot'), 'an excluded kind is never pruned');
  });

  test('GIVEN drift only in a field argocd-cm ignores THEN diff --live and status report in sync; other drift still shows', async () => {
    await repo.commit({ 'shop/robot.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: robot\n' }, 'robot back');
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { 'owned-elsewhere': '2' } }, { fieldManager: 'other-tool', force: true });
    const diff = await launchpad('diff', '--live', join(repo.dir, 'shop.yaml'));
    assert.equal(diff.code, 0, diff.out);
    assert.match(diff.out, /ServiceAccount\/shop\/robot \(excluded: Resource \/ServiceAccount robot is excluded in the settings/);
    const status = await launchpad('status', join(repo.dir, 'shop.yaml'));
    assert.equal(status.code, 0, status.out);
    assert.match(status.out, /shop: Synced, Healthy/);
    assert.match(status.out, /ServiceAccount\/shop\/robot\s+Excluded/);
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { color: 'red' } }, { fieldManager: 'other-tool', force: true });
    const drifted = await launchpad('diff', '--live', join(repo.dir, 'shop.yaml'));
    assert.equal(drifted.code, 1, drifted.out);
    assert.match(drifted.out, /-\s+color: red\n\+\s+color: blue/);
    assert.doesNotMatch(drifted.out, /owned-elsewhere/);
  });

  test('GIVEN an argocd-cm key that is not valid YAML THEN sync refuses naming the key and line; status warns and goes on', async () => {
    await client.apply(argocdCm({ ...TEAM_SETTINGS, 'resource.exclusions': '- apiGroups: [""]\n  kinds: [ServiceAccount\n' }));
    const sync = await launchpad('sync', join(repo.dir, 'shop.yaml'));
    assert.equal(sync.code, 2, sync.out);
    assert.match(sync.out, /argocd-cm key "resource\.exclusions" line \d: not valid YAML/);
    assert.match(sync.out, /nothing was synced/);
    const status = await launchpad('status', join(repo.dir, 'shop.yaml'));
    assert.match(status.out, /warning: argocd-cm key "resource\.exclusions" line \d/);
    assert.doesNotMatch(status.out, /TypeError|at .*\.js:\d+/);
  });
});
