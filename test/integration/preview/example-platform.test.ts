/**
 * GIVEN the bundled example platform as real git repositories, WHEN one app's image tag is bumped in the values
 * repository and `launchpad diff --base/--head` runs as a process (real git, helm, kustomize, offline), THEN each
 * cluster that runs the app shows that one application changed — its Deployment's image — in text, markdown and
 * JSON, every other application is unaffected, and the exit code is 1.
 */
import assert from 'node:assert/strict';
import { cp, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import { changedLines, edit, launchpad, parseReport, platformAsOneRepo, platformAsThreeRepos, repoRoot, tempDir } from './helpers.js';
import type { JsonCluster, JsonReport } from './helpers.js';

const VALUES_FILE = 'helm-prod-values/musicman/values.yaml';
const OLD_IMAGE = 'ghcr.io/fortedigital/musicman:1.7.2';
const NEW_IMAGE = 'ghcr.io/fortedigital/musicman:1.7.3';
/** Every resource of musicman that changed (the forteapp chart puts the tag only on the Deployment). */
function changedResources(cluster: JsonCluster | undefined): string[] {
  const musicman = cluster?.applications.find((app) => app.name === 'musicman');
  return (musicman?.resources ?? []).filter((resource) => changedLines(resource.diff).length > 0).map((resource) => `${resource.kind}/${resource.namespace}/${resource.name}`);
}

function assertOneAppOneImage(report: JsonReport): void {
  assert.equal(report.schema, 'launchpad.diff/v1');
  assert.equal(report.changed, true);
  assert.equal(report.failed, false);
  assert.deepEqual(report.clusters.map((cluster) => cluster.name), ['upc-dev', 'upc-prod']);
  for (const cluster of report.clusters) {
    assert.equal(cluster.status, 'changed', cluster.name);
    assert.deepEqual(cluster.applications.filter((app) => app.change !== 'skipped').map((app) => `${app.change} ${app.name}`), ['changed musicman'], cluster.name);
    assert.equal(cluster.summary.appsAdded, 0);
    assert.equal(cluster.summary.appsRemoved, 0);
    assert.equal(cluster.summary.appsFailed, 0);
    assert.equal(cluster.summary.resourcesAdded, 0);
    assert.equal(cluster.summary.resourcesRemoved, 0);
    assert.ok((cluster.summary.appsUnaffected ?? 0) >= 8, `${cluster.name}: ${JSON.stringify(cluster.summary)}`);
    assert.deepEqual(changedResources(cluster), ['Deployment/musicman/musicman'], `${cluster.name}: exactly one changed resource`);
    assert.equal(cluster.summary.resourcesChanged, 1, cluster.name);
    const deployment = cluster.applications.find((app) => app.name === 'musicman')?.resources.find((resource) => resource.kind === 'Deployment');
    const lines = changedLines(deployment?.diff ?? '');
    assert.ok(lines.some((line) => line.startsWith('-') && line.endsWith(`image: ${OLD_IMAGE}`)), lines.join('\n'));
    assert.ok(lines.some((line) => line.startsWith('+') && line.endsWith(`image: ${NEW_IMAGE}`)), lines.join('\n'));
  }
}

describe('launchpad diff on the example platform as one repository', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let cache: Awaited<ReturnType<typeof tempDir>>;
  let repo: GitFixture;

  before(async () => {
    work = await tempDir('launchpad-preview-platform-');
    cache = await tempDir('launchpad-preview-cache-');
    repo = await platformAsOneRepo(work.dir);
    await edit(repo, VALUES_FILE, 'tag: 1.7.2', 'tag: 1.7.3');
    await repo.commit({}, 'musicman 1.7.3');
  });
  after(async () => {
    await work.remove();
    await cache.remove();
  });

  test('GIVEN the tag bump WHEN diffed as JSON (roots found by name) THEN one changed app per cluster, the Deployment image, exit 1', () => {
    const result = launchpad({ cwd: repo.dir, cacheHome: cache.dir }, 'diff', '--base', 'HEAD~1', '--head', 'HEAD', '--offline', '-o', 'json');
    assert.equal(result.code, 1, result.stderr);
    assertOneAppOneImage(parseReport(result.stdout));
    assert.match(result.stderr, /\d+ applications unaffected \(not re-rendered\)/);
  });

  test('GIVEN the tag bump WHEN diffed as text THEN the summary, the application and the image lines are shown', () => {
    const result = launchpad({ cwd: repo.dir, cacheHome: cache.dir }, 'diff', '--base', 'HEAD~1', '--head', 'HEAD', '--offline');
    assert.equal(result.code, 1, result.stderr);
    for (const cluster of ['upc-dev', 'upc-prod']) assert.match(result.stdout, new RegExp(`^cluster ${cluster} \\(launchpad/_app-of-apps-${cluster}\\.yaml\\): changed$`, 'm'));
    assert.match(result.stdout, /^ {2}applications: 1 changed, 0 added, 0 removed, \d+ unchanged \(\d+ unaffected, not re-rendered\)/m);
    assert.equal(result.stdout.match(/^~ application musicman: /gm)?.length, 2);
    assert.match(result.stdout, new RegExp(`^ {4}- +image: ${OLD_IMAGE.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(result.stdout, new RegExp(`^ {4}\\+ +image: ${NEW_IMAGE.replace(/\./g, '\\.')}$`, 'm'));
  });

  test('GIVEN the tag bump WHEN diffed as markdown THEN the marker, a table row per cluster and a <details> for musicman', () => {
    const result = launchpad({ cwd: repo.dir, cacheHome: cache.dir }, 'diff', '--base', 'HEAD~1', '--head', 'HEAD', '--offline', '-o', 'markdown');
    assert.equal(result.code, 1, result.stderr);
    assert.ok(result.stdout.startsWith('<!-- launchpad-diff -->\n'));
    assert.match(result.stdout, /^\| upc-dev \| changed \| 1 \/ 0 \/ 0 \|/m);
    assert.match(result.stdout, /^\| upc-prod \| changed \| 1 \/ 0 \/ 0 \|/m);
    assert.equal(result.stdout.match(/<details><summary>~ <b>musicman<\/b>/g)?.length, 2);
    assert.match(result.stdout, new RegExp(`^\\+ +image: ${NEW_IMAGE.replace(/\./g, '\\.')}$`, 'm'));
    assert.ok(result.stdout.length < 65_000);
  });

  test('GIVEN the same revision at both sides THEN no change and exit 0', () => {
    const result = launchpad({ cwd: repo.dir, cacheHome: cache.dir }, 'diff', '--base', 'HEAD', '--head', 'HEAD', '--offline', '-o', 'json');
    assert.equal(result.code, 0, result.stderr);
    const report = parseReport(result.stdout);
    assert.equal(report.changed, false);
    assert.deepEqual(report.clusters.map((cluster) => cluster.status), ['unchanged', 'unchanged']);
  });

  test('GIVEN a sealed value changed and a plain Secret added THEN no value appears in any format, the keys are named', async () => {
    const sealed = 'launchpad/secrets/upc-dev/musicman-oidc-sealed.yaml';
    const text = await readFile(join(repo.dir, sealed), 'utf8');
    const oldValue = /client-secret: (\S+)/.exec(text)?.[1] ?? '';
    const newValue = 'AgNEWVALUEnotsealedforanykeyAAAA0123456789abcdef==';
    const plain = 'c3VwZXItc2VjcmV0LXRva2Vu';
    await repo.commit({
      [sealed]: text.replace(oldValue, newValue),
      'launchpad/secrets/upc-dev/plain-secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: plain\n  namespace: musicman\ndata:\n  token: ${plain}\n`,
    }, 'rotate the OIDC client secret');
    const run = (format: string): string => {
      const result = launchpad({ cwd: repo.dir, cacheHome: cache.dir }, 'diff', '--base', 'HEAD~1', '--head', 'HEAD', '--offline', '-o', format);
      assert.equal(result.code, 1, result.stderr);
      return result.stdout;
    };
    const outputs = { text: run('text'), markdown: run('markdown'), json: run('json') };
    assert.ok(oldValue.length > 40);
    for (const [format, output] of Object.entries(outputs)) {
      for (const value of [oldValue, newValue, plain]) assert.ok(!output.includes(value), `${format} shows a secret value`);
      assert.match(output, /client-secret/, format);
    }
    const secrets = parseReport(outputs.json).clusters.find((cluster) => cluster.name === 'upc-dev')?.applications.find((app) => app.name === 'secrets');
    assert.deepEqual(secrets?.resources.map((resource) => [resource.kind, resource.change, resource.secretKeys]), [
      ['SealedSecret', 'changed', { added: [], removed: [], changed: ['client-secret'] }],
      ['Secret', 'added', { added: ['token'], removed: [], changed: [] }],
    ]);
  });

  test('GIVEN an unknown revision THEN exit 2 with what to do', () => {
    const result = launchpad({ cwd: repo.dir, cacheHome: cache.dir }, 'diff', '--base', 'no-such-branch', '--offline');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /revision "no-such-branch" not found in .* — fetch it first/);
  });
});

describe('launchpad diff on the example platform as three repositories (a values-repo pull request)', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let cache: Awaited<ReturnType<typeof tempDir>>;
  let values: GitFixture;

  before(async () => {
    work = await tempDir('launchpad-preview-three-');
    cache = await tempDir('launchpad-preview-cache-');
    ({ values } = await platformAsThreeRepos(work.dir));
    await edit(values, 'musicman/values.yaml', 'tag: 1.7.2', 'tag: 1.7.3');
    await values.commit({}, 'musicman 1.7.3');
  });
  after(async () => {
    await work.remove();
    await cache.remove();
  });

  test('GIVEN --revision <values repo URL>=HEAD~1..HEAD and the roots THEN the same result: one changed app per cluster', () => {
    const roots = ['launchpad/_app-of-apps-upc-dev.yaml', 'launchpad/_app-of-apps-upc-prod.yaml'];
    const result = launchpad({ cwd: work.dir, cacheHome: cache.dir }, 'diff', ...roots, '--revision', 'git@github.com:fortedigital/helm-prod-values.git=HEAD~1..HEAD', '--offline', '-o', 'json');
    assert.equal(result.code, 1, result.stderr);
    const report = parseReport(result.stdout);
    assertOneAppOneImage(report);
    assert.deepEqual(report.repositories.map((repo) => [repo.url, repo.base.kind, repo.head.kind]), [['git@github.com:fortedigital/helm-prod-values.git', 'commit', 'commit']]);
  });

  test('GIVEN an uncommitted edit and --revision <folder>=HEAD.. THEN the working tree is head', async () => {
    await edit(values, 'musicman/values.yaml', 'tag: 1.7.3', 'tag: 1.7.4');
    try {
      const result = launchpad({ cwd: work.dir, cacheHome: cache.dir }, 'diff', 'launchpad/_app-of-apps-upc-dev.yaml', '--revision', 'helm-prod-values=HEAD..', '--offline', '-o', 'json');
      assert.equal(result.code, 1, result.stderr);
      const musicman = parseReport(result.stdout).clusters[0]?.applications.find((app) => app.name === 'musicman');
      const lines = changedLines(musicman?.resources.find((resource) => resource.kind === 'Deployment')?.diff ?? '');
      assert.ok(lines.some((line) => line.startsWith('+') && line.endsWith('musicman:1.7.4')), lines.join('\n'));
    } finally {
      await edit(values, 'musicman/values.yaml', 'tag: 1.7.4', 'tag: 1.7.3');
    }
  });

  test('GIVEN a --revision for a repository launchpad.yaml does not map THEN exit 2 naming the mapped ones', () => {
    const result = launchpad({ cwd: work.dir, cacheHome: cache.dir }, 'diff', 'launchpad/_app-of-apps-upc-dev.yaml', '--revision', 'https://example.com/other=a..b', '--offline');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /https:\/\/example\.com\/other is not a repository launchpad\.yaml maps to a local folder — use one of: .*helm-prod-values/);
  });
});

/**
 * The example as it is in this repository: `forte-helm/forteapp` is a link to `charts/forteapp` two folders up. A
 * change to the chart behind the link must show in the preview and in a warm render — the link itself never changes.
 */
describe('the example platform with its chart behind a symlink', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let cache: Awaited<ReturnType<typeof tempDir>>;
  let repo: GitFixture;
  const platform = (): string => join(repo.dir, 'examples/platform');
  const SERVICE = 'charts/forteapp/templates/service.yaml';

  before(async () => {
    work = await tempDir('launchpad-preview-symlink-');
    cache = await tempDir('launchpad-preview-cache-');
    await cp(join(repoRoot, 'examples/platform'), join(work.dir, 'examples/platform'), { recursive: true, verbatimSymlinks: true });
    await cp(join(repoRoot, 'charts/forteapp'), join(work.dir, 'charts/forteapp'), { recursive: true });
    assert.equal(await readlink(join(work.dir, 'examples/platform/forte-helm/forteapp')), '../../../charts/forteapp');
    repo = await createGitRepo({ dir: work.dir, files: {}, message: 'platform' });
  });
  after(async () => {
    await work.remove();
    await cache.remove();
  });

  test('GIVEN a chart template committed behind the link WHEN diffed THEN the four forteapp apps change in each cluster', async () => {
    await edit(repo, SERVICE, '  type: {{ .Values.service.type }}', '  sessionAffinity: None\n  type: {{ .Values.service.type }}');
    await repo.commit({}, 'service session affinity');
    const result = launchpad({ cwd: platform(), cacheHome: cache.dir }, 'diff', '--base', 'HEAD~1', '--head', 'HEAD', '--offline', '-o', 'json');
    assert.equal(result.code, 1, result.stderr);
    const forteapps = ['argo-mcp', 'dot-ai-stack', 'mcp10x', 'musicman'];
    for (const cluster of parseReport(result.stdout).clusters) {
      assert.equal(cluster.status, 'changed', cluster.name);
      assert.deepEqual(cluster.applications.filter((app) => app.change === 'changed').map((app) => app.name).sort(), forteapps, cluster.name);
      for (const app of cluster.applications.filter((entry) => entry.change === 'changed')) {
        const service = app.resources.find((resource) => resource.kind === 'Service');
        assert.ok(changedLines(service?.diff ?? '').includes('+  sessionAffinity: None'), `${cluster.name}/${app.name}: ${service?.diff ?? 'no Service diff'}`);
      }
    }
  });

  test('GIVEN a warm render cache WHEN the chart behind the link is edited THEN the next render shows the edit', async () => {
    const render = (): string => {
      const result = launchpad({ cwd: platform(), cacheHome: cache.dir }, 'render', 'launchpad/_app-of-apps-upc-dev.yaml', '--offline');
      assert.equal(result.code, 0, result.stderr);
      return result.stdout;
    };
    const before = render();
    assert.equal(render(), before, 'a warm render without a change is identical');
    await edit(repo, SERVICE, '  sessionAffinity: None', '  sessionAffinity: ClientIP');
    try {
      const after = render();
      assert.equal(after.match(/sessionAffinity: ClientIP/g)?.length, 4, 'each forteapp Service shows the edit');
      assert.equal(before.match(/sessionAffinity: ClientIP/g), null);
    } finally {
      await edit(repo, SERVICE, '  sessionAffinity: ClientIP', '  sessionAffinity: None');
    }
  });
});
