import assert from 'node:assert/strict';
import { chmod, readFile, readdir, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OfflineSkipError, SourceError } from '../../../src/errors.js';
import { createSourceResolver } from '../../../src/source/index.js';
import { cacheSlug } from '../../../src/source/url.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { startGitHttpServer } from '../../../src/testing/git-http-server.js';
import type { GitHttpServer } from '../../../src/testing/git-http-server.js';
import { recordProcesses, tempDir } from './helpers.js';

const ONLINE = { offline: false };
const OFFLINE = { offline: true };

describe('git sources through the cache', () => {
  let repo: GitFixture;
  let cache: Awaited<ReturnType<typeof tempDir>>;
  const sha: Record<string, string> = {};

  before(async () => {
    cache = await tempDir('cache');
    repo = await createGitRepo({ files: { 'apps/web.yaml': 'v: 1\n', 'README.md': 'one\n' } });
    sha.first = await repo.revParse();
    await repo.tag('v1.0.0');
    sha.second = await repo.commit({ 'apps/web.yaml': 'v: 2\n' }, 'second');
    await repo.tag('v1.1.0', { message: 'annotated release' });
    await repo.branch('dev');
    await repo.checkout('dev');
    sha.dev = await repo.commit({ 'apps/web.yaml': 'v: dev\n', 'apps/new.yaml': 'x\n' }, 'dev work');
    await repo.checkout('main');
    sha.third = await repo.commit({ 'README.md': 'three\n' }, 'third');
  });
  after(async () => {
    await repo.remove();
    await cache.remove();
  });

  const REVISIONS: ReadonlyArray<readonly [string, (s: Record<string, string>) => string, string]> = [
    ['HEAD', (s) => s.third ?? '', 'v: 2\n'],
    ['', (s) => s.third ?? '', 'v: 2\n'],
    ['main', (s) => s.third ?? '', 'v: 2\n'],
    ['dev', (s) => s.dev ?? '', 'v: dev\n'],
    ['v1.0.0', (s) => s.first ?? '', 'v: 1\n'],
    ['v1.1.0', (s) => s.second ?? '', 'v: 2\n'],
  ];
  for (const form of ['file URL', 'plain path'] as const) {
    for (const [revision, expected, content] of REVISIONS) {
      test(`GIVEN a repository as a ${form} WHEN "${revision}" is resolved THEN it names the right commit and its files`, async () => {
        const url = form === 'file URL' ? repo.url : repo.dir;
        const checkout = await createSourceResolver({ cacheDir: cache.path }).resolveGit(url, revision, ONLINE);
        assert.equal(checkout.sha, expected(sha));
        assert.equal(checkout.requestedRevision, revision);
        assert.equal(checkout.repoURL, url);
        assert.equal(checkout.workingTree, false);
        assert.equal(await readFile(join(checkout.dir, 'apps/web.yaml'), 'utf8'), content);
        assert.ok(!(await readdir(checkout.dir)).includes('.git'), 'a snapshot has no .git');
      });
    }
  }

  test('GIVEN a full or abbreviated SHA (any case) THEN it resolves to that commit', async () => {
    const resolver = createSourceResolver({ cacheDir: cache.path });
    const first = sha.first ?? '';
    for (const revision of [first, first.slice(0, 7), first.slice(0, 12).toUpperCase()]) {
      assert.equal((await resolver.resolveGit(repo.url, revision, ONLINE)).sha, first, revision);
    }
  });

  test('GIVEN a cached repository WHEN resolved by a new resolver THEN it is fetched, never cloned again, and snapshots are reused', async () => {
    const resolver = createSourceResolver({ cacheDir: cache.path });
    const first = await resolver.resolveGit(repo.url, 'main', ONLINE);
    const mirror = join(cache.path, 'git', cacheSlug(repo.url), 'mirror.git');
    const mirrorInode = (await stat(mirror)).ino;
    const snapshotInode = (await stat(first.dir)).ino;
    const log = recordProcesses();
    try {
      const again = await createSourceResolver({ cacheDir: cache.path }).resolveGit(repo.url, 'main', ONLINE);
      assert.equal(again.dir, first.dir);
      assert.equal(log.count('init'), 0, 'no new clone');
      assert.equal(log.count('fetch'), 1, 'a branch is fetched once');
      assert.equal(log.count('checkout-index'), 0, 'the snapshot is reused');
    } finally {
      log.restore();
    }
    assert.equal((await stat(mirror)).ino, mirrorInode);
    assert.equal((await stat(first.dir)).ino, snapshotInode);
  });

  test('GIVEN a commit SHA the mirror has THEN nothing is fetched', async () => {
    const log = recordProcesses();
    try {
      await createSourceResolver({ cacheDir: cache.path }).resolveGit(repo.url, sha.second ?? '', ONLINE);
      assert.equal(log.count('fetch'), 0);
    } finally {
      log.restore();
    }
  });

  test('GIVEN one resolver WHEN many revisions are resolved at once THEN the repository is fetched once', async () => {
    const fresh = await tempDir('cache-concurrent');
    const log = recordProcesses();
    try {
      const resolver = createSourceResolver({ cacheDir: fresh.path });
      const results = await Promise.all(['main', 'dev', 'v1.0.0', 'HEAD', 'main'].map((revision) => resolver.resolveGit(repo.url, revision, ONLINE)));
      assert.deepEqual(results.map((checkout) => checkout.sha), [sha.third, sha.dev, sha.first, sha.third, sha.third]);
      assert.equal(log.count('init'), 1, 'one clone');
      assert.equal(log.count('fetch'), 1, 'one fetch');
    } finally {
      log.restore();
      await fresh.remove();
    }
  });

  test('GIVEN two resolvers racing on an empty cache THEN both succeed with the same snapshot', async () => {
    const fresh = await tempDir('cache-race');
    try {
      const [left, right] = await Promise.all([
        createSourceResolver({ cacheDir: fresh.path }).resolveGit(repo.url, 'main', ONLINE),
        createSourceResolver({ cacheDir: fresh.path }).resolveGit(repo.url, 'main', ONLINE),
      ]);
      assert.equal(left.dir, right.dir);
      assert.equal(await readFile(join(left.dir, 'README.md'), 'utf8'), 'three\n');
      const leftovers = (await readdir(join(fresh.path, 'git', cacheSlug(repo.url), 'snapshots'))).filter((entry) => entry.startsWith('.tmp'));
      assert.deepEqual(leftovers, []);
    } finally {
      await fresh.remove();
    }
  });

  test('GIVEN a commit outside branches and tags (a pull request ref) THEN it resolves by ref and by full SHA', async () => {
    const side = await createGitRepo({ files: { 'a.yaml': 'main\n' } });
    try {
      await side.git('checkout', '--quiet', '--detach');
      const pr = await side.commit({ 'a.yaml': 'pull request\n' }, 'pr');
      await side.git('update-ref', 'refs/pull/7/head', pr);
      await side.git('checkout', '--quiet', 'main');
      const byRef = await createSourceResolver({ cacheDir: cache.path }).resolveGit(side.url, 'refs/pull/7/head', ONLINE);
      assert.equal(byRef.sha, pr);
      const fresh = await tempDir('cache-pr');
      try {
        const bySha = await createSourceResolver({ cacheDir: fresh.path }).resolveGit(side.url, pr, ONLINE);
        assert.equal(await readFile(join(bySha.dir, 'a.yaml'), 'utf8'), 'pull request\n');
      } finally {
        await fresh.remove();
      }
    } finally {
      await side.remove();
    }
  });

  test('GIVEN a revision that does not exist THEN the error names repo and revision and lists branches and tags', async () => {
    await assert.rejects(createSourceResolver({ cacheDir: cache.path }).resolveGit(repo.url, 'no-such-branch', ONLINE), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /revision "no-such-branch" not found in file:\/\/.*; branches: .*main.*; tags: .*v1\.1\.0/);
      assert.match(error.message, /dev/);
      return true;
    });
  });

  test('GIVEN symlinks and executables in a commit THEN the snapshot keeps them', async () => {
    const special = await createGitRepo({ files: { 'target.txt': 'hi\n', 'run.sh': '#!/bin/sh\n' } });
    try {
      await chmod(join(special.dir, 'run.sh'), 0o755);
      await symlink('target.txt', join(special.dir, 'link.txt'));
      await special.commit({}, 'special files');
      const checkout = await createSourceResolver({ cacheDir: cache.path }).resolveGit(special.dir, 'HEAD', ONLINE);
      assert.equal(await readFile(join(checkout.dir, 'link.txt'), 'utf8'), 'hi\n');
      assert.ok(((await stat(join(checkout.dir, 'run.sh'))).mode & 0o100) !== 0, 'executable bit kept');
    } finally {
      await special.remove();
    }
  });
});

describe('git sources over http (remote: --offline must not touch them)', () => {
  let served: Awaited<ReturnType<typeof tempDir>>;
  let cache: Awaited<ReturnType<typeof tempDir>>;
  let server: GitHttpServer;
  let repo: GitFixture;

  before(async () => {
    served = await tempDir('served');
    cache = await tempDir('cache-http');
    repo = await createGitRepo({ dir: join(served.path, 'config'), files: { 'app.yaml': 'v: 1\n' } });
    server = await startGitHttpServer({ root: served.path });
  });
  after(async () => {
    await server.close();
    await served.remove();
    await cache.remove();
  });

  test('GIVEN a moving branch THEN a new resolver sees a new commit online, and not offline', async () => {
    const url = `${server.base}/config`;
    const first = await createSourceResolver({ cacheDir: cache.path }).resolveGit(url, 'main', ONLINE);
    const newer = await repo.commit({ 'app.yaml': 'v: 2\n' }, 'move main');

    const requestsBefore = server.requests.length;
    const offline = await createSourceResolver({ cacheDir: cache.path }).resolveGit(url, 'main', OFFLINE);
    assert.equal(offline.sha, first.sha, 'offline keeps the cached commit');
    assert.equal(server.requests.length, requestsBefore, 'offline made no request');
    const offlineByOption = await createSourceResolver({ cacheDir: cache.path, offline: true }).resolveGit(url, 'main', ONLINE);
    assert.equal(offlineByOption.sha, first.sha, 'the resolver-wide offline option wins');

    const online = await createSourceResolver({ cacheDir: cache.path }).resolveGit(url, 'main', ONLINE);
    assert.equal(online.sha, newer);
    assert.equal(await readFile(join(online.dir, 'app.yaml'), 'utf8'), 'v: 2\n');
  });

  test('GIVEN an uncached remote repository WHEN offline THEN it is skipped, not failed', async () => {
    await assert.rejects(createSourceResolver({ cacheDir: cache.path }).resolveGit(`${server.base}/never-cached`, 'main', OFFLINE), OfflineSkipError);
  });

  test('GIVEN an unknown revision offline THEN the error says the cache was not refreshed', async () => {
    await assert.rejects(createSourceResolver({ cacheDir: cache.path }).resolveGit(`${server.base}/config`, 'later', OFFLINE), /not found .*offline: the cached copy was not refreshed.*run once without --offline/);
  });
});

describe('unreachable repositories and credentials', () => {
  let cache: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    cache = await tempDir('cache-errors');
  });
  after(async () => {
    await cache.remove();
  });

  for (const url of ['file:///nonexistent/launchpad-repo', 'http://127.0.0.1:9/org/repo.git', 'https://deploy:hunter2secret@127.0.0.1:9/org/repo.git']) {
    test(`GIVEN ${url.replace('hunter2secret', '…')} THEN the error is retryable, names the repository and hides credentials`, async () => {
      await assert.rejects(createSourceResolver({ cacheDir: cache.path }).resolveGit(url, 'main', ONLINE), (error: unknown) => {
        assert.ok(error instanceof SourceError, String(error));
        assert.equal(error.retryable, true);
        assert.match(error.message, /could not fetch .*127\.0\.0\.1:9\/org\/repo\.git|could not fetch file:\/\/\/nonexistent\/launchpad-repo/);
        assert.doesNotMatch(error.message, /hunter2secret/);
        assert.doesNotMatch(String(error.stack), /hunter2secret/);
        return true;
      });
    });
  }

  test('GIVEN wrong credentials THEN the error is terminal, says to configure credentials, and hides the password', async () => {
    const served = await tempDir('served-auth');
    const repo = await createGitRepo({ dir: join(served.path, 'private'), files: { 'a.yaml': 'a\n' } });
    const server = await startGitHttpServer({ root: served.path, credentials: { username: 'deploy', password: 'right-password' } });
    try {
      const base = server.base.replace('http://', 'http://deploy:wrong-password@');
      await assert.rejects(createSourceResolver({ cacheDir: cache.path }).resolveGit(`${base}/private`, 'main', ONLINE), (error: unknown) => {
        assert.ok(error instanceof SourceError, String(error));
        assert.equal(error.retryable, false);
        assert.match(error.message, /access denied.*configure credentials/);
        assert.doesNotMatch(error.message, /wrong-password/);
        return true;
      });
      const good = server.base.replace('http://', 'http://deploy:right-password@');
      const checkout = await createSourceResolver({ cacheDir: cache.path }).resolveGit(`${good}/private`, 'main', ONLINE);
      assert.equal(checkout.sha, await repo.revParse());
      const config = await readFile(join(checkout.gitDir ?? '', 'config'), 'utf8');
      assert.doesNotMatch(config, /right-password/, 'credentials are not stored in the cache');
    } finally {
      await server.close();
      await served.remove();
    }
  });
});
