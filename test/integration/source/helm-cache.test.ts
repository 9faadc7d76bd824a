import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OfflineSkipError, SourceError } from '../../../src/errors.js';
import { createSourceResolver, fingerprintChart } from '../../../src/source/index.js';
import { packageChart, startHelmRepoServer } from './helm-repo-server.js';
import type { HelmRepoServer } from './helm-repo-server.js';
import { recordProcesses, tempDir } from './helpers.js';

const ONLINE = { offline: false };
const OFFLINE = { offline: true };
const WEB_VERSIONS = ['0.9.0', '1.0.0', '1.2.0', '1.10.0', '1.11.0-rc.1', '2.0.0'];

describe('charts from an https/http Helm repository', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let cache: Awaited<ReturnType<typeof tempDir>>;
  let server: HelmRepoServer;
  const previousHelmCache = process.env.HELM_CACHE_HOME;

  before(async () => {
    work = await tempDir('charts');
    cache = await tempDir('cache-charts');
    // Keep helm's own download cache out of the developer's home.
    process.env.HELM_CACHE_HOME = join(work.path, 'helm-cache');
    for (const version of WEB_VERSIONS) await packageChart(work.path, join(work.path, 'repo'), { name: 'web', version });
    await packageChart(work.path, join(work.path, 'repo'), { name: 'db', version: '3.1.0' });
    server = await startHelmRepoServer(join(work.path, 'repo'));
  });
  after(async () => {
    await server.close();
    if (previousHelmCache === undefined) delete process.env.HELM_CACHE_HOME;
    else process.env.HELM_CACHE_HOME = previousHelmCache;
    await work.remove();
    await cache.remove();
  });

  const PICKS: ReadonlyArray<readonly [string, string]> = [
    ['1.2.0', '1.2.0'],
    ['^1.0.0', '1.10.0'],
    ['1.x', '1.10.0'],
    ['>=1.0 <2', '1.10.0'],
    ['~1.2', '1.2.0'],
    ['*', '2.0.0'],
    ['>=1.11.0-rc.0 <2', '1.11.0-rc.1'],
  ];
  for (const [requested, expected] of PICKS) {
    test(`GIVEN versions ${WEB_VERSIONS.join(', ')} WHEN "${requested}" is requested THEN ${expected} is pulled and unpacked`, async () => {
      const checkout = await createSourceResolver({ cacheDir: cache.path }).resolveChart(server.url, 'web', requested, ONLINE);
      assert.equal(checkout.version, expected);
      assert.equal(checkout.requestedVersion, requested);
      assert.equal(checkout.chart, 'web');
      assert.equal(checkout.repoURL, server.url);
      assert.match(await readFile(join(checkout.dir, 'Chart.yaml'), 'utf8'), new RegExp(`version: ${expected.replace(/\./g, '\\.')}`));
      assert.match(checkout.dir, new RegExp(`charts/127\\.0\\.0\\.1-\\d+-[0-9a-f]{10}/web/${expected.replace(/\./g, '\\.')}$`));
    });
  }

  test('GIVEN a version that does not exist THEN the error lists the available versions, newest first', async () => {
    await assert.rejects(createSourceResolver({ cacheDir: cache.path }).resolveChart(server.url, 'web', '3.0.0', ONLINE), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.match(error.message, /no version of chart "web" in http:\/\/127\.0\.0\.1:\d+ matches "3\.0\.0"; available: 2\.0\.0, 1\.11\.0-rc\.1, 1\.10\.0, 1\.2\.0, 1\.0\.0, 0\.9\.0 — set targetRevision/);
      return true;
    });
  });

  test('GIVEN a chart the repository lacks THEN the error lists the charts there', async () => {
    await assert.rejects(createSourceResolver({ cacheDir: cache.path }).resolveChart(server.url, 'nope', '1.0.0', ONLINE), /chart "nope" not found in http:\/\/127\.0\.0\.1:\d+; charts there: db, web/);
  });

  test('GIVEN a cached exact version THEN a new resolver uses it without helm or the network', async () => {
    await createSourceResolver({ cacheDir: cache.path }).resolveChart(server.url, 'web', '1.0.0', ONLINE);
    const requests = server.requests.length;
    const log = recordProcesses();
    try {
      const checkout = await createSourceResolver({ cacheDir: cache.path }).resolveChart(server.url, 'web', '1.0.0', ONLINE);
      assert.equal(checkout.version, '1.0.0');
      assert.equal(log.calls.length, 0);
      assert.equal(await fingerprintChart(checkout), `chart:${server.url}/web@1.0.0`);
      assert.equal(server.requests.length, requests);
    } finally {
      log.restore();
    }
  });

  test('GIVEN a range online THEN the index is read once and a cached match is not pulled again', async () => {
    await createSourceResolver({ cacheDir: cache.path }).resolveChart(server.url, 'web', '^1.0.0', ONLINE);
    const requests = server.requests.length;
    const log = recordProcesses();
    try {
      const resolver = createSourceResolver({ cacheDir: cache.path });
      await Promise.all([resolver.resolveChart(server.url, 'web', '^1.0.0', ONLINE), resolver.resolveChart(server.url, 'web', '1.x', ONLINE)]);
      assert.equal(log.calls.length, 0, 'no helm pull');
      assert.deepEqual(server.requests.slice(requests), ['GET /index.yaml']);
    } finally {
      log.restore();
    }
  });

  test('GIVEN offline WHEN a cached version satisfies the range THEN it is used; WHEN none does THEN the app is skipped', async () => {
    const requests = server.requests.length;
    const offline = createSourceResolver({ cacheDir: cache.path });
    assert.equal((await offline.resolveChart(server.url, 'web', '<1.5', OFFLINE)).version, '1.2.0');
    await assert.rejects(offline.resolveChart(server.url, 'db', '3.1.0', OFFLINE), OfflineSkipError);
    await assert.rejects(offline.resolveChart(server.url, 'web', '^5', OFFLINE), OfflineSkipError);
    assert.equal(server.requests.length, requests, 'offline made no request');
  });

  test('GIVEN one resolver WHEN the same uncached chart is asked for twice at once THEN helm pulls it once', async () => {
    const fresh = await tempDir('cache-charts-once');
    const log = recordProcesses();
    try {
      const resolver = createSourceResolver({ cacheDir: fresh.path });
      const [left, right] = await Promise.all([resolver.resolveChart(server.url, 'db', '3.1.0', ONLINE), resolver.resolveChart(server.url, 'db', '^3', ONLINE)]);
      assert.equal(left.dir, right.dir);
      assert.equal(log.calls.filter((argv) => argv[1] === 'pull').length, 1);
    } finally {
      log.restore();
      await fresh.remove();
    }
  });

  test('GIVEN an unreachable chart repository THEN the error is retryable and names it', async () => {
    await assert.rejects(createSourceResolver({ cacheDir: cache.path }).resolveChart('http://u:pw-secret@127.0.0.1:9/charts', 'web', '^1', ONLINE), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.equal(error.retryable, true);
      assert.match(error.message, /could not fetch the chart index of http:\/\/\*\*\*@127\.0\.0\.1:9\/charts/);
      assert.doesNotMatch(error.message, /pw-secret/);
      return true;
    });
  });
});

describe('a Helm repository behind basic auth', () => {
  test('GIVEN credentials in the repoURL THEN the index and the pull use them and no message shows them', async () => {
    const work = await tempDir('charts-auth');
    const cache = await tempDir('cache-charts-auth');
    const previousHelmCache = process.env.HELM_CACHE_HOME;
    process.env.HELM_CACHE_HOME = join(work.path, 'helm-cache');
    await packageChart(work.path, join(work.path, 'repo'), { name: 'private', version: '1.0.0' });
    const server = await startHelmRepoServer(join(work.path, 'repo'), { username: 'robot', password: 'chart-secret' });
    try {
      const withAuth = server.url.replace('http://', 'http://robot:chart-secret@');
      const checkout = await createSourceResolver({ cacheDir: cache.path }).resolveChart(withAuth, 'private', '^1', ONLINE);
      assert.equal(checkout.version, '1.0.0');
      const wrong = server.url.replace('http://', 'http://robot:wrong-secret@');
      await assert.rejects(createSourceResolver({ cacheDir: cache.path }).resolveChart(wrong, 'private', '^1', ONLINE), (error: unknown) => {
        assert.ok(error instanceof SourceError);
        assert.match(error.message, /refused access \(HTTP 401\)/);
        assert.doesNotMatch(error.message, /wrong-secret/);
        return true;
      });
    } finally {
      await server.close();
      if (previousHelmCache === undefined) delete process.env.HELM_CACHE_HOME;
      else process.env.HELM_CACHE_HOME = previousHelmCache;
      await work.remove();
      await cache.remove();
    }
  });
});
