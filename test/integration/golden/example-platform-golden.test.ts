/**
 * Golden renders of the bundled example platform: every resource both clusters get, offline, as files under
 * test/fixtures/golden/<cluster>/<app>/<Kind>_<namespace>_<name>.yaml. Any renderer, chart or example change that
 * alters the platform's output shows up in review as a diff of these files.
 * To accept a reviewed change: LAUNCHPAD_UPDATE_GOLDEN=1 npm test (then read the diff before committing).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../../src/cli/main.js';
import { findBinary } from '../../../src/process/binaries.js';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const goldenRoot = join(repoRoot, 'test/fixtures/golden');
const update = process.env.LAUNCHPAD_UPDATE_GOLDEN === '1';
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

for (const cluster of ['upc-dev', 'upc-prod']) {
  test(`${cluster} renders exactly as the reviewed golden files`, async () => {
    const out = update ? join(goldenRoot, cluster) : join(cacheHome, cluster);
    if (update) await rm(out, { recursive: true, force: true });
    const root = join(repoRoot, `examples/platform/launchpad/_app-of-apps-${cluster}.yaml`);
    process.env.XDG_CACHE_HOME = join(cacheHome, 'xdg');
    const originalWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = () => true; // the offline skips are expected; keep the test output readable
    let code: number;
    try {
      code = await main(['render', root, '--offline', '--out', out]);
    } finally {
      process.stderr.write = originalWrite;
      if (previousCache === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = previousCache;
    }
    assert.equal(code, 0);
    const expectedFiles = await listFiles(join(goldenRoot, cluster));
    assert.ok(expectedFiles.length > 50, `golden files missing for ${cluster}: run LAUNCHPAD_UPDATE_GOLDEN=1 npm test`);
    assert.deepEqual(await listFiles(out), expectedFiles, 'the set of rendered resources changed');
    for (const file of expectedFiles) {
      assert.equal(await readFile(join(out, file), 'utf8'), await readFile(join(goldenRoot, cluster, file), 'utf8'), `${cluster}/${file} changed`);
    }
  });
}
