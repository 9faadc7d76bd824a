import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSourceResolver, fingerprintPath } from '../../../src/source/index.js';
import type { GitCheckout } from '../../../src/source/types.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { recordProcesses, tempDir } from './helpers.js';

const ONLINE = { offline: false };

describe('fingerprintPath', () => {
  let repo: GitFixture;
  let cache: Awaited<ReturnType<typeof tempDir>>;
  let first: GitCheckout;
  let second: GitCheckout;

  before(async () => {
    cache = await tempDir('cache-fingerprint');
    const files: Record<string, string> = { 'apps/base/web.yaml': 'web\n', 'apps/base/db.yaml': 'db\n', 'infra/values.yaml': 'v: 1\n' };
    for (let index = 0; index < 300; index++) files[`many/dir${index % 30}/file${index}.yaml`] = `n: ${index}\n`;
    repo = await createGitRepo({ files });
    const resolver = createSourceResolver({ cacheDir: cache.path });
    first = await resolver.resolveGit(repo.url, 'HEAD', ONLINE);
    await repo.commit({ 'infra/values.yaml': 'v: 2\n' }, 'change infra');
    second = await createSourceResolver({ cacheDir: cache.path }).resolveGit(repo.url, 'HEAD', ONLINE);
  });
  after(async () => {
    await repo.remove();
    await cache.remove();
  });

  test('GIVEN two commits THEN an unchanged folder keeps its fingerprint and a changed one does not', async () => {
    assert.equal(await fingerprintPath(first, 'apps/base'), await fingerprintPath(second, 'apps/base'));
    assert.notEqual(await fingerprintPath(first, 'infra'), await fingerprintPath(second, 'infra'));
    assert.notEqual(await fingerprintPath(first, ''), await fingerprintPath(second, '.'));
    assert.match(await fingerprintPath(first, 'apps/base'), /^[0-9a-f]{40}$/);
  });

  test('GIVEN path spellings THEN ./a/, a and a/ are the same path; a missing or escaping path is "missing"', async () => {
    const expected = await fingerprintPath(first, 'apps/base');
    for (const spelling of ['./apps/base/', 'apps//base', 'apps/./base']) assert.equal(await fingerprintPath(first, spelling), expected, spelling);
    assert.equal(await fingerprintPath(first, 'apps/nope'), 'missing');
    assert.equal(await fingerprintPath(first, '../outside'), 'missing');
    assert.match(await fingerprintPath(first, 'apps/base/web.yaml'), /^[0-9a-f]{40}$/);
  });

  test('GIVEN a working tree THEN the fingerprint follows uncommitted edits and ignores .git', async () => {
    const tree: GitCheckout = { repoURL: repo.url, requestedRevision: 'HEAD', sha: await repo.revParse(), dir: repo.dir, workingTree: true };
    const original = await fingerprintPath(tree, 'apps');
    assert.match(original, /^sha256:[0-9a-f]{64}$/);
    await repo.git('commit', '--allow-empty', '-m', 'only .git changes');
    assert.equal(await fingerprintPath(tree, 'apps'), original);
    await repo.write({ 'apps/base/web.yaml': 'edited\n' });
    assert.notEqual(await fingerprintPath(tree, 'apps'), original);
    await repo.write({ 'apps/base/web.yaml': 'web\n' });
    assert.equal(await fingerprintPath(tree, 'apps'), original);
    assert.equal(await fingerprintPath(tree, 'nope'), 'missing');
  });

  test('GIVEN a snapshot THEN thousands of fingerprints cost one listing of the commit (no timed assertion: see ADR 0001)', async (context) => {
    await repo.commit({ 'many/dir0/file0.yaml': 'changed\n' }, 'a commit nobody fingerprinted yet');
    const third = await createSourceResolver({ cacheDir: cache.path }).resolveGit(repo.url, 'HEAD', ONLINE);
    const log = recordProcesses();
    try {
      const started = performance.now();
      for (let round = 0; round < 10; round++) {
        await Promise.all(Array.from({ length: 300 }, (_, index) => fingerprintPath(third, `many/dir${index % 30}/file${index}.yaml`)));
      }
      const elapsed = performance.now() - started;
      assert.deepEqual(log.calls.map((argv) => argv.find((arg) => arg === 'ls-tree' || arg === 'rev-parse')).sort(), ['ls-tree', 'rev-parse']);
      context.diagnostic(`3000 snapshot fingerprints: ${elapsed.toFixed(0)} ms`);
    } finally {
      log.restore();
    }
  });
});
