/**
 * GIVEN real git repositories holding symlinks, WHEN their applications are rendered with real helm and kustomize,
 * THEN a link that resolves outside its repository is refused on every route a render follows — source path,
 * directory files and recursion, value files (own repository and `$ref`), kustomize resources, components and
 * patches, helm chart folders and `file://` dependencies, launchpad.yaml folders — with an error naming the link and
 * its target and nothing of the outside file in the output; links inside the repository keep working.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ApplicationSource } from '../../../src/model/application.js';
import { renderApplication } from '../../../src/render/app.js';
import type { AppRenderResult } from '../../../src/render/app.js';
import { createSourceResolver, parseConfig } from '../../../src/source/index.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { CHART_FILES, application, createSandbox, find } from './helpers.js';
import type { Sandbox } from './helpers.js';

/** What must never reach a render's output: the marker of the outside files. */
const SECRET = 'outside-secret-marker';
const OUTSIDE_CM = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leaked\ndata:\n  secret: ${SECRET}\n`;

let sandbox: Sandbox;
let outside: string;
let repo: GitFixture;
let values: GitFixture;

async function link(fixture: GitFixture, path: string, target: string): Promise<void> {
  const at = join(fixture.dir, path);
  await mkdir(dirname(at), { recursive: true });
  await symlink(target, at);
}

const DEP_CHART = {
  'charts/withdep/Chart.yaml': 'apiVersion: v2\nname: withdep\nversion: 0.1.0\ndependencies:\n  - name: common\n    version: 0.1.0\n    repository: file://../../deps/common\n',
  'charts/withdep/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: withdep\n',
  'deps/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\n',
  'deps/common/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: common\n',
  'charts/leakydep/Chart.yaml': 'apiVersion: v2\nname: leakydep\nversion: 0.1.0\ndependencies:\n  - name: evil\n    version: 0.1.0\n    repository: file://../../deps/evil\n',
  'charts/leakydep/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leakydep\n',
  'charts/escapedep/Chart.yaml': 'apiVersion: v2\nname: escapedep\nversion: 0.1.0\ndependencies:\n  - name: far\n    version: 0.1.0\n    repository: file://../../../../far\n',
};

const KUSTOMIZE = {
  'k/base/kustomization.yaml': 'resources: [cm.yaml]\n',
  'k/base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\n',
  'k/res/kustomization.yaml': 'resources: [../linked-base]\n',
  'k/comp/kustomization.yaml': 'resources: [../base]\ncomponents: [../linked-component]\n',
  'k/patch/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: patch.yaml\n',
  'k/inside/kustomization.yaml': 'resources: [../inside-link]\n',
};

before(async () => {
  sandbox = await createSandbox();
  outside = await mkdtemp(join(tmpdir(), 'launchpad-outside-'));
  await mkdir(join(outside, 'dir'), { recursive: true });
  await writeFile(join(outside, 'dir', 'cm.yaml'), OUTSIDE_CM);
  await writeFile(join(outside, 'dir', 'kustomization.yaml'), 'resources: [cm.yaml]\n');
  await writeFile(join(outside, 'values.yaml'), `image:\n  tag: ${SECRET}\n`);
  await writeFile(join(outside, 'patch.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  secret: ${SECRET}\n`);
  await writeFile(join(outside, 'template.yaml'), OUTSIDE_CM);

  repo = await createGitRepo({
    files: {
      ...CHART_FILES, ...DEP_CHART, ...KUSTOMIZE,
      'plain/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n',
      'nested/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n',
      'dangle/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n',
      'values/prod.yaml': 'image:\n  tag: from-linked-values\n',
      'charts/leaky/Chart.yaml': 'apiVersion: v2\nname: leaky\nversion: 0.1.0\n',
    },
  });
  const up = relative(repo.dir, outside);
  await link(repo, 'abs-dir', join(outside, 'dir'));
  await link(repo, 'rel-dir', join(up, 'dir'));
  await link(repo, 'plain/leak.yaml', join(outside, 'dir', 'cm.yaml'));
  await link(repo, 'nested/sub/leak.yaml', join(outside, 'dir', 'cm.yaml'));
  await link(repo, 'nested/linked-dir', join(outside, 'dir'));
  await link(repo, 'values/leak.yaml', join(outside, 'values.yaml'));
  await link(repo, 'charts/web/values-linked.yaml', '../../values/prod.yaml');
  await link(repo, 'charts/leaky/templates/leak.yaml', join(outside, 'template.yaml'));
  await link(repo, 'deps/evil', join(outside, 'dir'));
  await link(repo, 'k/linked-base', join(outside, 'dir'));
  await link(repo, 'k/linked-component', join(outside, 'dir'));
  await link(repo, 'k/patch/patch.yaml', join(outside, 'patch.yaml'));
  await link(repo, 'k/inside-link', 'base');
  await link(repo, 'linked-chart', 'charts/web');
  await link(repo, 'dangle/gone.yaml', join('..', up, 'nothing-here.yaml'));
  await repo.commit({}, 'links');

  values = await createGitRepo({ files: { 'web/values.yaml': 'color: from-ref\n' } });
  await link(values, 'web/leak.yaml', join(outside, 'values.yaml'));
  await values.commit({}, 'links');
});

after(async () => {
  await Promise.all([sandbox.cleanup(), repo.remove(), values.remove(), rm(outside, { recursive: true, force: true })]);
});

function render(source: Omit<ApplicationSource, 'repoURL'> & { repoURL?: string }, extra: ApplicationSource[] = []): Promise<AppRenderResult> {
  return renderApplication(application('links', [{ repoURL: repo.url, ...source }, ...extra]), { resolver: sandbox.resolver, offline: false });
}

function assertRefused(result: AppRenderResult, linkPath: string, target: string): void {
  assert.equal(result.status, 'error', `expected a refusal, got ${result.status}: ${result.resources.length} objects`);
  assert.match(result.message, new RegExp(`symlink "${linkPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" in .* points outside the repository \\(to ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`), result.message);
  assert.match(result.message, /make the link point to a file inside the repository/);
  assert.equal(result.resources.length, 0);
  assert.doesNotMatch(JSON.stringify(result), new RegExp(SECRET));
}

describe('out-of-bounds symlinks are refused on every route', () => {
  test('GIVEN spec.source.path is a link to an outside folder (absolute) THEN refused, naming the link', async () => {
    assertRefused(await render({ path: 'abs-dir' }), 'abs-dir', join(outside, 'dir'));
  });

  test('GIVEN spec.source.path is a relative link that climbs out THEN refused', async () => {
    assertRefused(await render({ path: 'rel-dir' }), 'rel-dir', join(relative(repo.dir, outside), 'dir'));
  });

  test('GIVEN a manifest file in a directory source links outside THEN refused', async () => {
    assertRefused(await render({ path: 'plain' }), 'plain/leak.yaml', join(outside, 'dir', 'cm.yaml'));
  });

  test('GIVEN a file in a sub-folder links outside THEN refused with recurse, not read without it; a linked folder is not entered, as Argo CD', async () => {
    assertRefused(await render({ path: 'nested', directory: { recurse: true } }), 'nested/sub/leak.yaml', join(outside, 'dir', 'cm.yaml'));
    const flat = await render({ path: 'nested' });
    assert.equal(flat.status, 'ok', flat.message);
    assert.deepEqual(flat.resources.map((object) => object.metadata.name), ['ok']);
  });

  test('GIVEN a helm value file links outside THEN refused before helm runs', async () => {
    assertRefused(await render({ path: 'charts/web', helm: { valueFiles: ['/values/leak.yaml'] } }), 'values/leak.yaml', join(outside, 'values.yaml'));
  });

  test('GIVEN a $ref value file links outside its repository THEN refused', async () => {
    const result = await render({ path: 'charts/web', helm: { valueFiles: ['$values/web/leak.yaml'] } }, [{ repoURL: values.url, ref: 'values' }]);
    assertRefused(result, 'web/leak.yaml', join(outside, 'values.yaml'));
  });

  test('GIVEN a chart template links outside THEN refused', async () => {
    assertRefused(await render({ path: 'charts/leaky' }), 'charts/leaky/templates/leak.yaml', join(outside, 'template.yaml'));
  });

  test('GIVEN a file:// chart dependency folder links outside THEN refused', async () => {
    assertRefused(await render({ path: 'charts/leakydep' }), 'deps/evil', join(outside, 'dir'));
  });

  test('GIVEN a file:// chart dependency outside the repository (by ../) THEN refused, naming the dependency', async () => {
    const result = await render({ path: 'charts/escapedep' });
    assert.equal(result.status, 'error');
    assert.match(result.message, /chart dependency "far" \(file:\/\/\.\.\/\.\.\/\.\.\/\.\.\/far\) is outside the repository/);
  });

  test('GIVEN a kustomize resource folder links outside THEN refused', async () => {
    assertRefused(await render({ path: 'k/res' }), 'k/linked-base', join(outside, 'dir'));
  });

  test('GIVEN a kustomize component links outside THEN refused', async () => {
    assertRefused(await render({ path: 'k/comp' }), 'k/linked-component', join(outside, 'dir'));
  });

  test('GIVEN a kustomize patch file links outside THEN refused', async () => {
    assertRefused(await render({ path: 'k/patch' }), 'k/patch/patch.yaml', join(outside, 'patch.yaml'));
  });

  test('GIVEN a dangling link that points outside THEN refused by where it points', async () => {
    assertRefused(await render({ path: 'dangle' }), 'dangle/gone.yaml', join('..', relative(repo.dir, outside), 'nothing-here.yaml'));
  });
});

describe('symlinks inside the repository keep working', () => {
  test('GIVEN the chart folder is a link to another folder of the repository THEN it renders, and its inputs follow content', async () => {
    const result = await render({ path: 'linked-chart', helm: { valueFiles: ['values-linked.yaml'] } });
    assert.equal(result.status, 'ok', result.message);
    assert.equal(find(result.resources, 'ConfigMap', 'links-values').data?.['tag' as never], 'from-linked-values');
  });

  test('GIVEN a kustomize resource is a link to a folder inside THEN it renders', async () => {
    const result = await render({ path: 'k/inside' });
    assert.equal(result.status, 'ok', result.message);
    find(result.resources, 'ConfigMap', 'base');
  });
});

describe('launchpad.yaml folders', () => {
  test('GIVEN a mapped folder outside git whose link leaves it THEN refused; a mapped folder of a git repository may link to its siblings', async () => {
    const work = await mkdtemp(join(tmpdir(), 'launchpad-mapped-'));
    try {
      await mkdir(join(work, 'plain'), { recursive: true });
      await writeFile(join(work, 'plain', 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n');
      await symlink(join(outside, 'dir', 'cm.yaml'), join(work, 'plain', 'leak.yaml'));
      const sibling = await createGitRepo({ dir: join(work, 'mono'), files: { 'shared/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n', 'app/README.md': 'x\n' } });
      await symlink('../shared/cm.yaml', join(sibling.dir, 'app', 'cm.yaml'));
      const config = parseConfig('repositories:\n  - url: https://example.com/plain\n    path: plain\n  - url: https://example.com/app\n    path: mono/app\n', join(work, 'launchpad.yaml'));
      const resolver = createSourceResolver({ cacheDir: sandbox.cacheDir, offline: true, config });
      const leak = await renderApplication(application('plain', [{ repoURL: 'https://example.com/plain', path: '.' }]), { resolver, offline: true });
      assertRefused(leak, 'leak.yaml', join(outside, 'dir', 'cm.yaml'));
      const ok = await renderApplication(application('app', [{ repoURL: 'https://example.com/app', path: '.' }]), { resolver, offline: true });
      assert.equal(ok.status, 'ok', ok.message);
      find(ok.resources, 'ConfigMap', 'shared');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
