/**
 * GIVEN the bundled example platform, WHEN a user runs `launchpad tree` and `launchpad render` as a process, THEN the
 * output, the exit codes and the files are what the README promises — offline, with both clusters' differences.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findBinary } from '../../../src/process/binaries.js';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const bin = join(repoRoot, 'bin/launchpad.js');
const platform = join(repoRoot, 'examples/platform');
const root = (cluster: string) => join(platform, `launchpad/_app-of-apps-${cluster}.yaml`);
let cacheHome: string;

before(async () => {
  cacheHome = await mkdtemp(join(tmpdir(), 'launchpad-cli-cache-'));
});

after(async () => {
  await rm(cacheHome, { recursive: true, force: true });
});

function launchpad(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize') },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

interface JsonApp {
  readonly name: string;
  readonly status: string;
  readonly resources: readonly { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> }[];
}

test('tree lists every application of the seed with its wave; upstream charts are skipped offline, exit 0', () => {
  const { code, stdout, stderr } = launchpad('tree', root('upc-dev'), '--offline');
  assert.equal(code, 0, stderr);
  const names = stdout.trim().split('\n').slice(1).map((line) => line.trim().split(/\s+/).slice(0, 2).join(' '));
  for (const expected of ['namespaces -1', 'kyverno 0', 'cert-manager 0', 'traefik 1', 'cluster-resources 1', 'enterprise-apps 2', 'mcp10x 2', 'musicman 2', 'dot-ai-stack 2', 'argo-mcp 3']) {
    assert.ok(names.includes(expected), `${expected} missing from:\n${stdout}`);
  }
  assert.match(stdout, /traefik .* skipped +skipped \(offline\): https:\/\/traefik\.github\.io\/charts/);
  assert.match(stdout, /musicman .* git\.forteapps\.net\/Forte\/forte-helm@[0-9a-f]{7} forteapp \+ \$values=github\.com\/fortedigital\/helm-prod-values@[0-9a-f]{7} +\d+ +ok/);
});

test('render shows the clusters\' differences: upc-prod gets its own hosts and values', () => {
  const dev = JSON.parse(launchpad('render', root('upc-dev'), '--offline', '-o', 'json').stdout) as { applications: JsonApp[] };
  const prod = JSON.parse(launchpad('render', root('upc-prod'), '--offline', '-o', 'json').stdout) as { applications: JsonApp[] };
  const hostOf = (apps: JsonApp[]) => {
    const mcp = apps.find((app) => app.name === 'mcp10x');
    assert.equal(mcp?.status, 'ok');
    const route = mcp.resources.find((object) => object.kind === 'IngressRoute' && object.metadata.name === 'mcp10x');
    return JSON.stringify(route?.spec);
  };
  assert.match(hostOf(prod.applications), /Host\(`mcp10x\.forteapps\.net`\)/);
  assert.match(hostOf(dev.applications), /Host\(`mcp10x\.dev\.forteapps\.net`\)/);
  assert.deepEqual(dev.applications.map((app) => app.name).filter((name) => name !== 'app-of-apps-upc-dev'), prod.applications.map((app) => app.name).filter((name) => name !== 'app-of-apps-upc-prod'));
});

test('render output is deterministic, and --out writes <app>/<Kind>_<namespace>_<name>.yaml', async () => {
  const first = launchpad('render', root('upc-dev'), '--offline');
  const second = launchpad('render', root('upc-dev'), '--offline');
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, second.stdout);
  assert.match(first.stdout, /^---\n# Application: app-of-apps-upc-dev\napiVersion: argoproj\.io\/v1alpha1\n/);
  const out = join(cacheHome, 'out');
  assert.equal(launchpad('render', root('upc-dev'), '--offline', '--out', out).code, 0);
  const files = await readdir(join(out, 'musicman'));
  assert.ok(files.includes('Deployment_musicman_musicman.yaml'), files.join(', '));
  assert.ok((await readdir(join(out, 'namespaces'))).some((file) => /^Namespace__[a-z-]+\.yaml$/.test(file)));
  assert.match(await readFile(join(out, 'musicman', 'Deployment_musicman_musicman.yaml'), 'utf8'), /tracking-id: musicman:apps\/Deployment:musicman\/musicman/);
});

test('a failing application exits 1 and the others are still printed; bad input exits 2 with file:line:col', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'launchpad-cli-bad-'));
  try {
    const good = (name: string, path: string) => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: x}\n  source: {repoURL: https://git.forteapps.net/Forte/launchpad, path: ${path}}\n`;
    await writeFile(join(dir, 'two.yaml'), `${good('ok-app', 'cluster-resources/namespaces')}---\n${good('bad-app', 'no/such/path')}`);
    const partial = launchpad('render', join(dir, 'two.yaml'), '--offline', '--config', join(platform, 'launchpad.yaml'));
    assert.equal(partial.code, 1, partial.stderr);
    assert.match(partial.stdout, /# Application: ok-app/);
    assert.match(partial.stderr, /error: bad-app: path "no\/such\/path" does not exist/);

    await writeFile(join(dir, 'broken.yaml'), 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: x\n   bad: indent\n');
    const broken = launchpad('tree', join(dir, 'broken.yaml'), '--offline');
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.yaml:\d+:\d+/);
    assert.equal(launchpad('render').code, 2, 'a missing argument is a usage error');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
