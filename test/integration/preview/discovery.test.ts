/**
 * GIVEN no root file on the command line, WHEN `launchpad diff` runs in the config repository, THEN it finds the
 * roots itself: files named `_app-of-apps-*.yaml`, else the Applications no other Application produces.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runPreview } from '../../../src/preview/index.js';
import { createFixturePlatform, markBase } from './fixture-platform.js';
import { tempDir } from './helpers.js';

describe('root discovery', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let caches: Awaited<ReturnType<typeof tempDir>>;

  before(async () => {
    work = await tempDir('launchpad-preview-discovery-');
    caches = await tempDir('launchpad-preview-discovery-cache-');
  });
  after(async () => {
    await work.remove();
    await caches.remove();
  });

  test('GIVEN _app-of-apps-*.yaml files, one added at head THEN every one is a cluster and the new one is "added"', async () => {
    const platform = await createFixturePlatform(join(work.dir, 'named'));
    await markBase(platform);
    await platform.config.commit({ '_app-of-apps-staging.yaml': (await platform.config.git('show', 'HEAD:_app-of-apps-dev.yaml')).replace('root-dev', 'root-staging') + '\n' }, 'staging');
    const report = await runPreview({ cwd: platform.config.dir, configFile: platform.configFile, base: 'base', head: 'HEAD', offline: true, cacheDir: caches.dir });
    assert.deepEqual(report.clusters.map((cluster) => [cluster.name, cluster.root, cluster.status]), [['dev', '_app-of-apps-dev.yaml', 'unchanged'], ['prod', '_app-of-apps-prod.yaml', 'unchanged'], ['staging', '_app-of-apps-staging.yaml', 'added']]);
  });

  test('GIVEN no file named like a root THEN the Applications no other produces are the roots', async () => {
    const platform = await createFixturePlatform(join(work.dir, 'unnamed'), { rootName: (cluster) => `clusters/root-${cluster}.yaml` });
    await markBase(platform);
    const report = await runPreview({ cwd: platform.config.dir, configFile: platform.configFile, base: 'base', head: 'HEAD', offline: true, cacheDir: caches.dir });
    assert.deepEqual(report.clusters.map((cluster) => cluster.root), ['clusters/root-dev.yaml', 'clusters/root-prod.yaml']);
  });
});
