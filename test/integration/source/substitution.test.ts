import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InputError, SourceError } from '../../../src/errors.js';
import { createSourceResolver, findConfig, fingerprintChart, loadConfig } from '../../../src/source/index.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { findBinary } from '../../../src/process/binaries.js';
import { runProcess } from '../../../src/process/run.js';
import { packageChart } from './helm-repo-server.js';
import { recordProcesses, tempDir } from './helpers.js';

const ONLINE = { offline: false };
const OFFLINE = { offline: true };
const CONFIG_REPO = 'https://git.forteapps.net/Forte/launchpad';
const VALUES_REPO = 'git@github.com:fortedigital/helm-prod-values.git';
const CHART_REPO = 'https://git.forteapps.net/Forte/forte-helm';

describe('launchpad.yaml discovery', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    root = await tempDir('discovery');
    await mkdir(join(root.path, 'checkout/launchpad/apps/base'), { recursive: true });
    await mkdir(join(root.path, 'elsewhere/deep'), { recursive: true });
    await writeFile(join(root.path, 'checkout/launchpad.yaml'), 'repositories: []\n');
    await writeFile(join(root.path, 'checkout/launchpad/_app-of-apps.yaml'), 'kind: Application\n');
    await writeFile(join(root.path, 'elsewhere/launchpad.yaml'), 'repositories: []\n');
  });
  after(async () => {
    await root.remove();
  });

  const CASES: ReadonlyArray<{ readonly name: string; readonly start: string | undefined; readonly cwd: string; readonly found: string | undefined }> = [
    { name: 'a config in a folder above the root Application', start: 'checkout/launchpad/_app-of-apps.yaml', cwd: 'elsewhere/deep', found: 'checkout/launchpad.yaml' },
    { name: 'a root Application with no config above it', start: '../outside.yaml', cwd: 'elsewhere/deep', found: 'elsewhere/launchpad.yaml' },
    { name: 'no root Application: the current directory or above', start: undefined, cwd: 'elsewhere/deep', found: 'elsewhere/launchpad.yaml' },
  ];
  for (const { name, start, cwd, found } of CASES) {
    test(`GIVEN ${name} THEN ${found ?? 'nothing'} is found`, async () => {
      const startFile = start === undefined ? undefined : join(root.path, start);
      assert.equal(await findConfig(startFile, join(root.path, cwd)), found === undefined ? undefined : join(root.path, found));
    });
  }

  test('GIVEN a path folder that does not exist WHEN loaded THEN the error points at the path and says how to fix it', async () => {
    const file = join(root.path, 'checkout/bad.yaml');
    await writeFile(file, `repositories:\n  - url: ${CONFIG_REPO}\n    path: missing-folder\n`);
    await assert.rejects(loadConfig(file), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, new RegExp(`bad\\.yaml:3:11: repositories\\[0\\]\\.path: folder .*missing-folder does not exist — clone ${CONFIG_REPO} there`));
      return true;
    });
  });

  test('GIVEN a config file that cannot be read THEN the error names it', async () => {
    await assert.rejects(loadConfig(join(root.path, 'nope.yaml')), /nope\.yaml: cannot be read: ENOENT — check the --config path/);
  });
});

describe('repository substitution', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let cache: Awaited<ReturnType<typeof tempDir>>;
  let configRepo: GitFixture;
  let valuesRepo: GitFixture;
  let mirror: GitFixture;
  let plainFolder: string;
  let valuesMain: string;

  before(async () => {
    root = await tempDir('substitution');
    cache = await tempDir('cache-substitution');
    configRepo = await createGitRepo({ dir: join(root.path, 'launchpad'), files: { 'apps/web.yaml': 'committed\n' } });
    valuesRepo = await createGitRepo({ dir: join(root.path, 'helm-prod-values'), files: { 'mcp10x/values.yaml': 'tag: 1.0.0\n' } });
    valuesMain = await valuesRepo.revParse();
    await valuesRepo.branch('release');
    mirror = await createGitRepo({ dir: join(root.path, 'mirror'), files: { 'forteapp/Chart.yaml': 'apiVersion: v2\nname: forteapp\nversion: 0.1.0\n' } });
    plainFolder = join(root.path, 'charts');
    await mkdir(join(plainFolder, 'forteapp'), { recursive: true });
    await writeFile(join(plainFolder, 'forteapp/Chart.yaml'), 'apiVersion: v2\nname: forteapp\nversion: 0.2.0-local\n');
    await writeFile(
      join(root.path, 'launchpad.yaml'),
      [
        'repositories:',
        `  - url: ${CONFIG_REPO}`,
        '    path: launchpad',
        `  - url: ${VALUES_REPO}`,
        '    path: helm-prod-values',
        '    revision: main',
        `  - url: ${CHART_REPO}.git`,
        '    replaceWith: ./mirror',
        '  - url: https://charts.example.com/stable',
        '    path: charts',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await root.remove();
    await cache.remove();
  });

  test('GIVEN a working-tree substitution THEN an uncommitted edit is visible and the HEAD commit is reported', async () => {
    const config = await loadConfig(join(root.path, 'launchpad.yaml'));
    await configRepo.write({ 'apps/web.yaml': 'uncommitted edit\n' });
    const checkout = await createSourceResolver({ config, cacheDir: cache.path }).resolveGit('https://git.forteapps.net/forte/launchpad.git/', 'HEAD', OFFLINE);
    assert.equal(checkout.workingTree, true);
    assert.equal(checkout.dir, configRepo.dir);
    assert.equal(checkout.sha, await configRepo.revParse());
    assert.equal(checkout.substitutedBy, configRepo.dir);
    assert.equal(checkout.repoURL, 'https://git.forteapps.net/forte/launchpad.git/');
    assert.equal(await readFile(join(checkout.dir, 'apps/web.yaml'), 'utf8'), 'uncommitted edit\n');
  });

  test('GIVEN a substituted folder that is not a git repository THEN it is used with an empty sha', async () => {
    const config = await loadConfig(join(root.path, 'launchpad.yaml'));
    const checkout = await createSourceResolver({ config, cacheDir: cache.path }).resolveGit('https://charts.example.com/stable', 'HEAD', OFFLINE);
    assert.equal(checkout.sha, '');
    assert.equal(checkout.workingTree, true);
  });

  test('GIVEN a pinned revision THEN that commit is rendered from a snapshot and uncommitted edits are not visible', async () => {
    const config = await loadConfig(join(root.path, 'launchpad.yaml'));
    await valuesRepo.write({ 'mcp10x/values.yaml': 'tag: edited\n' });
    await valuesRepo.checkout('release');
    const checkout = await createSourceResolver({ config, cacheDir: cache.path }).resolveGit(VALUES_REPO, 'HEAD', OFFLINE);
    assert.equal(checkout.workingTree, false);
    assert.equal(checkout.sha, valuesMain);
    assert.equal(checkout.requestedRevision, 'HEAD');
    assert.equal(checkout.pinnedRevision, 'main');
    assert.equal(checkout.repoURL, VALUES_REPO);
    assert.equal(await readFile(join(checkout.dir, 'mcp10x/values.yaml'), 'utf8'), 'tag: 1.0.0\n');
    await valuesRepo.checkout('main');
  });

  test('GIVEN ssh://git@host/org/repo in an Application THEN the git@host:org/repo entry applies', async () => {
    const config = await loadConfig(join(root.path, 'launchpad.yaml'));
    const checkout = await createSourceResolver({ config, cacheDir: cache.path }).resolveGit('ssh://git@github.com/fortedigital/helm-prod-values', 'main', OFFLINE);
    assert.equal(checkout.sha, valuesMain);
  });

  test('GIVEN replaceWith a local mirror THEN git sources and charts come from it, reported under the original URL', async () => {
    const config = await loadConfig(join(root.path, 'launchpad.yaml'));
    const resolver = createSourceResolver({ config, cacheDir: cache.path });
    const checkout = await resolver.resolveGit(CHART_REPO, 'HEAD', OFFLINE);
    assert.equal(checkout.sha, await mirror.revParse());
    assert.equal(checkout.substitutedBy, mirror.dir);
    assert.equal(checkout.repoURL, CHART_REPO);
  });

  test('GIVEN a chart repository mapped to a folder of charts THEN the chart folder and its own version are used', async () => {
    const config = await loadConfig(join(root.path, 'launchpad.yaml'));
    const log = recordProcesses();
    try {
      const chart = await createSourceResolver({ config, cacheDir: cache.path }).resolveChart('https://charts.example.com/stable/', 'forteapp', '^0.1.0', OFFLINE);
      assert.equal(chart.dir, join(plainFolder, 'forteapp'));
      assert.equal(chart.version, '0.2.0-local');
      assert.equal(chart.requestedVersion, '^0.1.0');
      assert.equal(chart.substitutedBy, plainFolder);
      assert.equal(chart.local, true);
      assert.equal(log.calls.length, 0, 'no process at all');
      const fingerprint = await fingerprintChart(chart);
      assert.match(fingerprint, /^sha256:/, 'a local chart is fingerprinted by its files, not its version');
      await writeFile(join(plainFolder, 'forteapp/values.yaml'), 'edited: true\n');
      assert.notEqual(await fingerprintChart(chart), fingerprint);
    } finally {
      log.restore();
    }
  });

  test('GIVEN a chart the mapped folder lacks THEN the error names the folder and the entry', async () => {
    const config = await loadConfig(join(root.path, 'launchpad.yaml'));
    await assert.rejects(createSourceResolver({ config, cacheDir: cache.path }).resolveChart('https://charts.example.com/stable', 'other', '1.0.0', ONLINE), (error: unknown) => {
      assert.ok(error instanceof SourceError);
      assert.match(error.message, /chart "other" not found in .*charts \(mapped from https:\/\/charts\.example\.com\/stable at .*launchpad\.yaml:9:5\) — the folder must hold other\/Chart\.yaml/);
      return true;
    });
  });

  test('GIVEN a pinned revision on a folder that is not a git repository THEN the error says so', async () => {
    const file = join(root.path, 'pinned-plain.yaml');
    await writeFile(file, 'repositories:\n  - url: https://h/x\n    path: charts\n    revision: main\n');
    const config = await loadConfig(file);
    await assert.rejects(createSourceResolver({ config, cacheDir: cache.path }).resolveGit('https://h/x', 'HEAD', ONLINE), /pinned-plain\.yaml:2:5: .*charts is not a git repository, so revision "main" cannot be pinned/);
  });

  test('GIVEN a chart repository mapped to a packaged repository folder THEN the range picks a package, unpacked once', async () => {
    const packaged = join(root.path, 'packaged');
    for (const version of ['1.0.0', '1.4.0', '2.0.0']) await packageChart(join(root.path, 'build'), packaged, { name: 'web', version });
    await runProcess(findBinary('helm'), ['repo', 'index', packaged]);
    const file = join(root.path, 'packaged.yaml');
    await writeFile(file, 'repositories:\n  - url: oci://registry.example.com/charts\n    path: packaged\n');
    const config = await loadConfig(file);
    const chart = await createSourceResolver({ config, cacheDir: cache.path }).resolveChart('oci://registry.example.com/charts', 'web', '^1.0.0', OFFLINE);
    assert.equal(chart.version, '1.4.0');
    assert.match(await readFile(join(chart.dir, 'Chart.yaml'), 'utf8'), /version: 1\.4\.0/);
    const log = recordProcesses();
    try {
      const again = await createSourceResolver({ config, cacheDir: cache.path }).resolveChart('oci://registry.example.com/charts', 'web', '1.4.0', OFFLINE);
      assert.equal(again.dir, chart.dir);
      assert.equal(log.calls.length, 0, 'not unpacked again');
    } finally {
      log.restore();
    }
    await assert.rejects(
      createSourceResolver({ config, cacheDir: cache.path }).resolveChart('oci://registry.example.com/charts', 'web', '^3', OFFLINE),
      /no version of chart "web" in .*packaged matches "\^3"; available: 2\.0\.0, 1\.4\.0, 1\.0\.0/,
    );
  });
});
