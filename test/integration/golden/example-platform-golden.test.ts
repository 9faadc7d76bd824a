/**
 * Golden renders of the bundled example platform: every resource both clusters get, offline, as files under
 * test/fixtures/golden/<cluster>/<app>/<Kind>_<namespace>_<name>.yaml. Any renderer, chart or example change that
 * alters the platform's output shows up in review as a diff of these files.
 *
 * The files include the infra applications rendered from the upstream charts (examples/platform/launchpad.upstream.yaml,
 * which maps their chart repositories to <repository>/../shared/charts). Where that folder is missing, the infra
 * applications are skipped (offline) and only the rest is compared; the upstream test says why it skips.
 * To accept a reviewed change: LAUNCHPAD_UPDATE_GOLDEN=1 node scripts/run-tests.mjs test/integration/golden
 * (it needs the upstream charts), then read the diff before committing.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { main } from '../../../src/cli/main.js';
import { findBinary } from '../../../src/process/binaries.js';
import { UPSTREAM_CONFIG, upstreamChartRepositories, upstreamChartsMissing } from '../chart/upstream-charts.js';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const goldenRoot = join(repoRoot, 'test/fixtures/golden');
const update = process.env.LAUNCHPAD_UPDATE_GOLDEN === '1';
const missing = upstreamChartsMissing();
let cacheHome: string;
let previousCache: string | undefined;

before(async () => {
  cacheHome = await mkdtemp(join(tmpdir(), 'launchpad-golden-'));
  previousCache = process.env.XDG_CACHE_HOME;
  // Locate the pinned tools before the cache home moves (they live under the real cache).
  findBinary('helm');
  findBinary('kustomize');
});

after(async () => {
  await rm(cacheHome, { recursive: true, force: true });
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

/** `launchpad render <root> --offline --out <out>` with a fresh cache; returns the exit code and what it printed. */
async function render(cluster: string, out: string, config: readonly string[]): Promise<{ code: number; stderr: string }> {
  const root = join(repoRoot, `examples/platform/launchpad/_app-of-apps-${cluster}.yaml`);
  process.env.XDG_CACHE_HOME = join(cacheHome, `xdg-${cluster}-${config.length}`);
  const originalWrite = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = (chunk: string | Uint8Array) => {
    stderr += String(chunk); // the offline skips are expected; keep the test output readable
    return true;
  };
  try {
    const code = await main(['render', root, '--offline', '--out', out, ...config]);
    return { code, stderr };
  } finally {
    process.stderr.write = originalWrite;
    if (previousCache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previousCache;
  }
}

interface GoldenSource {
  readonly repoURL: string;
  readonly chart?: string;
}

interface GoldenApplication {
  readonly metadata: { readonly name: string };
  readonly spec: { readonly source?: GoldenSource; readonly sources?: readonly GoldenSource[] };
}

/** The golden Applications of a cluster whose chart comes from an upstream chart repository (infra apps). */
async function upstreamApps(cluster: string): Promise<Set<string>> {
  const repositories = upstreamChartRepositories();
  const folder = join(goldenRoot, cluster, `app-of-apps-${cluster}`);
  const apps = new Set<string>();
  for (const file of await listFiles(folder)) {
    const app = parse(await readFile(join(folder, file), 'utf8')) as GoldenApplication;
    const sources = app.spec.sources ?? (app.spec.source === undefined ? [] : [app.spec.source]);
    const fromUpstream = sources.some((source) => {
      if (source.chart === undefined || !repositories.has(source.repoURL)) return false;
      const only = repositories.get(source.repoURL);
      return only === undefined || only.includes(source.chart);
    });
    if (fromUpstream) apps.add(app.metadata.name);
  }
  return apps;
}

async function assertSameFiles(cluster: string, out: string, expectedFiles: readonly string[]): Promise<void> {
  assert.deepEqual(await listFiles(out), expectedFiles, 'the set of rendered resources changed');
  for (const file of expectedFiles) {
    assert.equal(await readFile(join(out, file), 'utf8'), await readFile(join(goldenRoot, cluster, file), 'utf8'), `${cluster}/${file} changed`);
  }
}

for (const cluster of ['upc-dev', 'upc-prod']) {
  test(`${cluster}: every application with its upstream chart renders exactly as the reviewed golden files`, { skip: missing }, async () => {
    const out = update ? join(goldenRoot, cluster) : join(cacheHome, `${cluster}-upstream`);
    if (update) await rm(out, { recursive: true, force: true });
    const { code, stderr } = await render(cluster, out, ['--config', UPSTREAM_CONFIG]);
    assert.equal(code, 0, stderr);
    // gitea's "actions" chart is not in the upstream folder: the one application still skipped (offline).
    assert.deepEqual(stderr.match(/^skipped: [\w-]+/gm), ['skipped: gitea-actions'], stderr);
    const expectedFiles = await listFiles(join(goldenRoot, cluster));
    for (const app of await upstreamApps(cluster)) {
      assert.ok(expectedFiles.some((file) => file.startsWith(`${app}/`)), `${cluster}: infra application ${app} rendered nothing`);
    }
    await assertSameFiles(cluster, out, expectedFiles);
  });

  test(`${cluster}: with the default launchpad.yaml, everything but the upstream charts renders as the golden files`, { skip: update ? 'updating the golden files' : false }, async () => {
    const out = join(cacheHome, `${cluster}-default`);
    const { code, stderr } = await render(cluster, out, []);
    assert.equal(code, 0, stderr);
    const skipped = await upstreamApps(cluster);
    assert.ok(skipped.size >= 12, `${cluster}: ${skipped.size} infra applications use upstream charts`);
    for (const app of skipped) assert.match(stderr, new RegExp(`^skipped: ${app}: skipped \\(offline\\)`, 'm'), `${app} is skipped offline`);
    const expectedFiles = await listFiles(join(goldenRoot, cluster));
    assert.ok(expectedFiles.length > 50, `golden files missing for ${cluster}: run LAUNCHPAD_UPDATE_GOLDEN=1`);
    await assertSameFiles(cluster, out, expectedFiles.filter((file) => !skipped.has(file.split('/')[0] ?? '')));
  });
}
