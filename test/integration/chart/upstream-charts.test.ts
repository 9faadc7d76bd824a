/**
 * GIVEN the upstream charts of the example platform (the Helm repository folder at <repository>/../shared/charts),
 * WHEN they are served over HTTP on 127.0.0.1 (a launchpad.yaml `replaceWith` mirror) THEN an infra Application
 * renders exactly as its golden files, fetched through the real `helm pull`; WHEN launchpad.upstream.yaml maps them
 * THEN `launchpad sync` installs sealed-secrets from them into a real control plane and it ends Synced and Healthy.
 * Every test says why it skips when the folder is missing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import { findBinary } from '../../../src/process/binaries.js';
import { controlPlaneSkipReason, startControlPlane } from '../../../src/testing/index.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { PLATFORM_DIR, REPO_ROOT } from './helpers.js';
import { UPSTREAM_CHARTS_DIR, UPSTREAM_CONFIG, upstreamChartsMissing } from './upstream-charts.js';

const bin = join(REPO_ROOT, 'bin/launchpad.js');
const INFRA = join(PLATFORM_DIR, 'launchpad/infra/base');
const GOLDEN = join(REPO_ROOT, 'test/fixtures/golden/upc-dev');
const missing = upstreamChartsMissing();

/** Runs the real CLI with its own cache; stdout and stderr together. */
function launchpad(cacheHome: string, args: readonly string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, XDG_CACHE_HOME: cacheHome, LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize') },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (code) => { resolve({ code: code ?? -1, out }); });
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

/** A read-only static server for the folder (its index.yaml has relative URLs, which helm resolves against ours). */
async function serveFolder(folder: string, requests: string[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const name = decodeURIComponent(path.slice(1));
    if (name.includes('/') || name.startsWith('.')) {
      response.writeHead(404).end();
      return;
    }
    readFile(join(folder, name)).then(
      (body) => response.writeHead(200).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the upstream charts served over HTTP on 127.0.0.1', { skip: missing }, () => {
  let work: string;
  let server: Server;
  let url: string;
  const requests: string[] = [];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'launchpad-upstream-http-'));
    ({ server, url } = await serveFolder(UPSTREAM_CHARTS_DIR, requests));
    // The example's own repositories as folders; two chart repositories replaced by the served folder.
    await writeFile(join(work, 'launchpad.yaml'), [
      'repositories:',
      `  - url: https://git.forteapps.net/Forte/launchpad`,
      `    path: ${join(PLATFORM_DIR, 'launchpad')}`,
      `  - url: https://bitnami-labs.github.io/sealed-secrets`,
      `    replaceWith: ${url}`,
      `  - url: https://kyverno.github.io/kyverno/`,
      `    replaceWith: ${url}`,
      '',
    ].join('\n'));
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(work, { recursive: true, force: true });
  });

  test('sealed-secrets and kyverno (subcharts, crds/, hooks) render exactly as their golden files', async () => {
    const out = join(work, 'out');
    const result = await launchpad(join(work, 'cache'), ['render', join(INFRA, 'sealed-secrets.yaml'), join(INFRA, 'kyverno.yaml'), '--config', join(work, 'launchpad.yaml'), '--out', out]);
    assert.equal(result.code, 0, result.out);
    for (const app of ['sealed-secrets', 'kyverno']) {
      const expected = await listFiles(join(GOLDEN, app));
      assert.ok(expected.length > 5, `golden files of ${app}`);
      assert.deepEqual(await listFiles(join(out, app)), expected, `${app}: the set of rendered resources`);
      for (const file of expected) assert.equal(await readFile(join(out, app, file), 'utf8'), await readFile(join(GOLDEN, app, file), 'utf8'), `${app}/${file}`);
    }
    // Fetched from the server, not found in some other cache.
    assert.ok(requests.includes('/index.yaml'), requests.join(', '));
    assert.ok(requests.includes('/sealed-secrets-2.17.3.tgz') && requests.includes('/kyverno-3.5.1.tgz'), requests.join(', '));
  });
});

describe('launchpad sync of an infra application from the upstream charts', { skip: missing ?? controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let cacheHome: string;

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    cacheHome = await mkdtemp(join(tmpdir(), 'launchpad-upstream-sync-'));
  });

  after(async () => {
    await plane.stop();
    await rm(cacheHome, { recursive: true, force: true });
  });

  test('sealed-secrets installs its CRD and controller and ends Synced and Healthy', async () => {
    const app = join(INFRA, 'sealed-secrets.yaml');
    const config = ['--config', UPSTREAM_CONFIG, '--offline', '--kubeconfig', plane.kubeconfigPath];
    const sync = await launchpad(cacheHome, ['sync', app, ...config]);
    assert.equal(sync.code, 0, sync.out);
    assert.match(sync.out, /CustomResourceDefinition\/sealedsecrets\.bitnami\.com created/);
    assert.match(sync.out, /Deployment\/kube-system\/sealed-secrets-controller created/);
    assert.match(sync.out, /sealed-secrets: sync Succeeded/);
    const crd = await client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'sealedsecrets.bitnami.com' });
    assert.ok(crd !== undefined, 'the SealedSecret CRD is installed');
    const again = await launchpad(cacheHome, ['sync', app, ...config]);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /sealed-secrets: sync Succeeded in [\d.]+s — \d+ unchanged$/m);
    const status = await launchpad(cacheHome, ['status', app, ...config, '-o', 'json']);
    assert.equal(status.code, 0, status.out);
    const report = JSON.parse(status.out.slice(status.out.indexOf('{'))) as { applications: { app: string; sync: string; health: { status: string; message?: string } }[] };
    const [summary] = report.applications;
    assert.equal(summary?.app, 'sealed-secrets');
    assert.equal(summary.sync, 'Synced', status.out);
    assert.equal(summary.health.status, 'Healthy', summary.health.message);
  });
});
