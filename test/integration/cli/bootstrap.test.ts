/**
 * GIVEN a real cluster (tier 2) without Launchpad and a root Application in a real git repository, WHEN
 * `launchpad bootstrap <root> --run-controller` runs as a process, THEN Launchpad is installed, the root and its
 * children converge, the summary lists each application Synced and Healthy, and the exit code is 0; a tree that
 * cannot converge exits 1 and says why.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import { findBinary } from '../../../src/process/binaries.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, startControlPlane } from '../../../src/testing/index.js';

const bin = join(new URL('../../../../', import.meta.url).pathname, 'bin/launchpad.js');

const app = (name: string, repoURL: string, path: string, namespace: string): string =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  source: {repoURL: "${repoURL}", path: ${path}, targetRevision: HEAD}\n  destination: {server: "https://kubernetes.default.svc", namespace: ${namespace}}\n  syncPolicy:\n    automated: {prune: true, selfHeal: true}\n    syncOptions: [CreateNamespace=true]\n`;

function run(args: readonly string[], cacheHome: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, XDG_CACHE_HOME: cacheHome, LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize') } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('launchpad bootstrap', { skip: controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let cacheHome: string;

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    cacheHome = await mkdtemp(join(tmpdir(), 'launchpad-bootstrap-cache-'));
    repo = await createGitRepo({ files: {
      'web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: "1"\n',
      'api/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  b: "2"\n',
      'broken/config.yaml': 'not: [valid\n',
    } });
    await repo.commit({
      'apps/web.yaml': app('web', repo.url, 'web', 'web'),
      'apps/api.yaml': app('api', repo.url, 'api', 'api'),
      'root.yaml': app('root', repo.url, 'apps', 'argocd'),
      'broken-root.yaml': app('broken-root', repo.url, 'broken', 'broken'),
    }, 'applications');
  });

  after(async () => {
    client.close?.();
    await plane.stop();
    await repo.remove();
    await rm(cacheHome, { recursive: true, force: true });
  });

  test('GIVEN a root and its children THEN installed, converged, each Synced and Healthy in the summary, exit 0', async () => {
    const result = await run(['bootstrap', join(repo.dir, 'root.yaml'), '--kubeconfig', plane.kubeconfigPath, '--run-controller', '--timeout', '5m'], cacheHome);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^Converged after \d+ s: 3 applications, 3 Synced and Healthy\.$/m);
    for (const name of ['root', 'web', 'api']) assert.match(result.stdout, new RegExp(`^${name} +Synced +Healthy +Succeeded`, 'm'));
    assert.deepEqual((await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'api', name: 'api' }))?.data, { b: '2' });
  });

  test('GIVEN a root whose source does not render THEN the summary names the error and the exit code is 1', async () => {
    const result = await run(['bootstrap', join(repo.dir, 'broken-root.yaml'), '--kubeconfig', plane.kubeconfigPath, '--run-controller', '--timeout', '2m'], cacheHome);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^broken-root +Unknown +Unknown +- +rendering failed: .*not valid YAML/m);
  });
});
