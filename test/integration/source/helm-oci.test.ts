import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OfflineSkipError, SourceError } from '../../../src/errors.js';
import { findBinary } from '../../../src/process/binaries.js';
import { runProcess } from '../../../src/process/run.js';
import { createSourceResolver } from '../../../src/source/index.js';
import { packageChart } from './helm-repo-server.js';
import { recordProcesses, tempDir } from './helpers.js';
import { findRegistryBinary, startOciRegistry } from './oci-registry.js';
import type { OciRegistry } from './oci-registry.js';

const ONLINE = { offline: false };
const OFFLINE = { offline: true };
const registryBinary = findRegistryBinary();
// CI installs the registry (scripts/install-registry.sh); a developer without it sees the tests skipped, not failed.
const skip = registryBinary === undefined && process.env.CI !== 'true' ? 'no OCI registry: run scripts/install-registry.sh' : false;

describe('charts from an OCI registry', { skip }, () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let cache: Awaited<ReturnType<typeof tempDir>>;
  let registry: OciRegistry;
  let repoURL: string;
  const previous = { cache: process.env.HELM_CACHE_HOME, config: process.env.HELM_CONFIG_HOME };

  before(async () => {
    work = await tempDir('oci');
    cache = await tempDir('cache-oci');
    process.env.HELM_CACHE_HOME = join(work.path, 'helm-cache');
    process.env.HELM_CONFIG_HOME = join(work.path, 'helm-config');
    registry = await startOciRegistry(registryBinary ?? 'registry', join(work.path, 'registry'));
    repoURL = `oci://${registry.host}/charts`;
    const packages = join(work.path, 'packages');
    for (const version of ['1.0.0', '1.2.0', '1.3.0-rc.1', '2.0.0']) await packageChart(work.path, packages, { name: 'web', version });
    for (const file of await readdir(packages)) await runProcess(findBinary('helm'), ['push', join(packages, file), repoURL, '--plain-http']);
  });
  after(async () => {
    await registry.close();
    restoreEnv('HELM_CACHE_HOME', previous.cache);
    restoreEnv('HELM_CONFIG_HOME', previous.config);
    await work.remove();
    await cache.remove();
  });

  test('GIVEN an exact version THEN helm pulls oci://…/<chart> at it and the chart is cached', async () => {
    const checkout = await createSourceResolver({ cacheDir: cache.path, ociPlainHttp: true }).resolveChart(repoURL, 'web', '1.2.0', ONLINE);
    assert.equal(checkout.version, '1.2.0');
    assert.match(await readFile(join(checkout.dir, 'Chart.yaml'), 'utf8'), /version: 1\.2\.0/);
  });

  const RANGES: ReadonlyArray<readonly [string, string]> = [
    ['^1.0.0', '1.2.0'],
    ['>=1.0 <3', '2.0.0'],
    ['*', '2.0.0'],
  ];
  for (const [range, expected] of RANGES) {
    test(`GIVEN the range "${range}" THEN Helm resolves it against the registry's tags to ${expected} and the version is recorded`, async () => {
      const checkout = await createSourceResolver({ cacheDir: cache.path, ociPlainHttp: true }).resolveChart(repoURL, 'web', range, ONLINE);
      assert.equal(checkout.version, expected);
      assert.equal(checkout.requestedVersion, range);
      assert.ok(checkout.dir.endsWith(join('web', expected)), checkout.dir);
    });
  }

  test('GIVEN a cached exact version THEN no helm process runs', async () => {
    const log = recordProcesses();
    try {
      assert.equal((await createSourceResolver({ cacheDir: cache.path, ociPlainHttp: true }).resolveChart(repoURL, 'web', '1.2.0', ONLINE)).version, '1.2.0');
      assert.equal(log.calls.length, 0);
    } finally {
      log.restore();
    }
  });

  test('GIVEN offline THEN a cached match is used and anything else is skipped', async () => {
    const offline = createSourceResolver({ cacheDir: cache.path, ociPlainHttp: true });
    assert.equal((await offline.resolveChart(repoURL, 'web', '~1.2', OFFLINE)).version, '1.2.0');
    await assert.rejects(offline.resolveChart(repoURL, 'web', '1.0.0', OFFLINE), OfflineSkipError);
  });

  test('GIVEN a version the registry lacks THEN the error is terminal and names chart, version and registry', async () => {
    await assert.rejects(createSourceResolver({ cacheDir: cache.path, ociPlainHttp: true }).resolveChart(repoURL, 'web', '9.9.9', ONLINE), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.match(error.message, new RegExp(`could not pull chart "web" version "9\\.9\\.9" from oci://${registry.host.replace(/\./g, '\\.')}/charts`));
      assert.equal(error.retryable, false);
      return true;
    });
  });
});

function restoreEnv(name: 'HELM_CACHE_HOME' | 'HELM_CONFIG_HOME', value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}
