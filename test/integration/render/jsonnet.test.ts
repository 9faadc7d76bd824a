/**
 * GIVEN real git repositories holding Jsonnet directory sources, WHEN rendered with the real go-jsonnet, THEN they
 * render as Argo CD renders them: only `.jsonnet` files are evaluated (in the folder's order, with recurse/include/
 * exclude), extVars and tlas pass as strings or as code after the ARGOCD_APP_* substitution, `libs` are library
 * folders relative to the repository root (the last one wins), an object, an array (nulls skipped) or a List becomes
 * objects; errors name the file and line; nothing outside the repository is read; and every imported file is an
 * input, so the render cache and `launchpad diff` see an edit to a library.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ApplicationSource, DirectorySource } from '../../../src/model/application.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { configureLimits } from '../../../src/model/limits.js';
import { runPreview } from '../../../src/preview/index.js';
import { renderApplication } from '../../../src/render/app.js';
import { createRenderCache } from '../../../src/render/cache.js';
import { renderJsonnetFiles } from '../../../src/render/jsonnet.js';
import { createSourceResolver } from '../../../src/source/index.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { application, createSandbox, find } from './helpers.js';
import type { Sandbox } from './helpers.js';

/** A library the apps import: a ConfigMap builder. */
const K8S_LIB = "{\n  configMap(name, data):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name }, data: data },\n}\n";
const cm = (name: string, data = '{}'): string => `{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${name}' }, data: ${data} }`;

const FILES = {
  'lib/k8s.libsonnet': K8S_LIB,
  'lib/which.libsonnet': "'lib'\n",
  'vendor/which.libsonnet': "'vendor'\n",
  'shared/motd.txt': 'hello from shared\n',
  // extVars and tlas, strings and code.
  'apps/vars/main.jsonnet': [
    "local k = import 'k8s.libsonnet';",
    "function(replicas, label='unset') k.configMap('vars', {",
    "  env: std.extVar('env'),",
    "  size: std.toString(std.extVar('settings').size),",
    '  next: std.toString(replicas + 1),',
    '  label: label,',
    '  labelType: std.type(label),',
    '})',
    '',
  ].join('\n'),
  'apps/which/main.jsonnet': `${cm('which', "{ which: import 'which.libsonnet' }")}\n`,
  // A folder mixing YAML, JSON, Jsonnet and a .libsonnet that is not a manifest.
  'apps/mixed/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
  'apps/mixed/b.jsonnet': `[${cm('b1')}, null, { apiVersion: 'v1', kind: 'List', items: [${cm('b2')}, ${cm('b3')}] }]\n`,
  'apps/mixed/c.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}',
  'apps/mixed/helpers.libsonnet': '{ notAManifest: true }\n',
  'apps/mixed/sub/d.jsonnet': `${cm('d')}\n`,
  'apps/mixed/sub/skip.jsonnet': "error 'excluded files are never evaluated'\n",
  'apps/mixed/skipped.jsonnet': "// +argocd:skip-file-rendering (a fixture, not a manifest)\nerror 'never evaluated'\n",
  'apps/mixed/skipped.yaml': '# +argocd:skip-file-rendering\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: skipped\n',
  'apps/inside/main.jsonnet': `${cm('inside', "{ motd: importstr '../../shared/motd.txt' }")}\n`,
  'apps/empty/main.jsonnet': 'null\n',
  // Errors.
  'apps/errors/runtime/main.jsonnet': "local replicas = 0;\n{\n  replicas: if replicas > 0 then replicas else error 'replicas must be positive',\n}\n",
  'apps/errors/syntax/main.jsonnet': '{\n  a: ,\n}\n',
  'apps/errors/extvar/main.jsonnet': `${cm('x', "{ v: std.extVar('missing') }")}\n`,
  'apps/errors/import/main.jsonnet': "import 'nowhere.libsonnet'\n",
  'apps/errors/nested/main.jsonnet': `[[${cm('n')}]]\n`,
  'apps/errors/scalar/main.jsonnet': "'just a string'\n",
  'apps/errors/map/main.jsonnet': `{ first: ${cm('one')}, second: ${cm('two')} }\n`,
  'apps/errors/nokind/main.jsonnet': "[{ apiVersion: 'v1', metadata: { name: 'x' } }]\n",
  'apps/errors/big/main.jsonnet': "[{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { blob: std.join('', std.repeat(['x'], 5000)) } }]\n",
  'apps/errors/slow/main.jsonnet': 'local f(n, acc) = if n == 0 then acc else f(n - 1, acc + 1) tailstrict;\nf(100000000, 0)\n',
  // Attempts to read outside the repository.
  'apps/escape/absolute/main.jsonnet': `${cm('x', "{ v: importstr '/etc/hostname' }")}\n`,
  'apps/escape/relative/main.jsonnet': `${cm('x', `{ v: importstr '${'../'.repeat(40)}etc/hostname' }`)}\n`,
  'apps/escape/link/main.jsonnet': `${cm('x', "{ v: importstr 'secret.txt' }")}\n`,
  'apps/escape/through-lib/main.jsonnet': "import 'leaky.libsonnet'\n",
  'lib/leaky.libsonnet': `${cm('x', "{ v: importbin '../../../../../../../../../../../../etc/hostname' }")}\n`,
};

let sandbox: Sandbox;
let repo: GitFixture;
let outside: string;
const SECRET = 'TOP-SECRET-VALUE-4711';
/** Stands for the outside file's path in Application specs written before the file exists. */
const FILES_OUTSIDE_PLACEHOLDER = '@OUTSIDE@';

const dataOf = (object: KubeObject): Record<string, string> => (object.data ?? {}) as Record<string, string>;

before(async () => {
  sandbox = await createSandbox();
  outside = await mkdtemp(join(tmpdir(), 'launchpad-jsonnet-outside-'));
  await writeFile(join(outside, 'secret.txt'), SECRET);
  repo = await createGitRepo({ files: FILES });
  await symlink(join(outside, 'secret.txt'), join(repo.dir, 'apps/escape/link/secret.txt'));
  await repo.commit({}, 'a link that leaves the repository');
});

after(async () => {
  await Promise.all([sandbox.cleanup(), repo.remove(), rm(outside, { recursive: true, force: true })]);
});

function render(path: string, directory?: DirectorySource, name = 'app') {
  const source: ApplicationSource = { repoURL: repo.url, path, ...(directory === undefined ? {} : { directory }) };
  return renderApplication(application(name, [source]), { resolver: sandbox.resolver, offline: false });
}

describe('what is evaluated', () => {
  test('extVars and tlas pass as strings or as code, after the ARGOCD_APP_* substitution', async () => {
    const result = await render('apps/vars', {
      jsonnet: {
        extVars: [
          { name: 'env', value: '$ARGOCD_APP_NAME in ${ARGOCD_APP_NAMESPACE} at $ARGOCD_APP_SOURCE_PATH costs $$5$UNKNOWN!' },
          { name: 'settings', value: '{ size: 3 }', code: true },
        ],
        tlas: [{ name: 'replicas', value: '41', code: true }, { name: 'label', value: '7' }],
        libs: ['lib'],
      },
    }, 'vars-app');
    assert.equal(result.status, 'ok', result.message);
    assert.deepEqual(find(result.resources, 'ConfigMap', 'vars').data, {
      env: 'vars-app in shop at apps/vars costs $5!',
      size: '3',
      next: '42',
      label: '7',
      labelType: 'string',
    });
  });

  test('libs are relative to the repository root ("/vendor" too) and the last one wins', async () => {
    const vendorLast = await render('apps/which', { jsonnet: { libs: ['lib', '/vendor'] } });
    assert.equal(vendorLast.status, 'ok', vendorLast.message);
    assert.equal(dataOf(find(vendorLast.resources, 'ConfigMap', 'which')).which, 'vendor');
    const libLast = await render('apps/which', { jsonnet: { libs: ['vendor', 'lib'] } });
    assert.equal(dataOf(find(libLast.resources, 'ConfigMap', 'which')).which, 'lib');
  });

  test('a folder mixes YAML, JSON and Jsonnet in file order; arrays, nulls and Lists flatten; .libsonnet and files marked +argocd:skip-file-rendering are not rendered', async () => {
    const result = await render('apps/mixed');
    assert.equal(result.status, 'ok', result.message);
    assert.deepEqual(result.resources.map((object) => object.metadata.name), ['a', 'b1', 'b2', 'b3', 'c']);
    assert.ok(result.resources.every((object) => object.metadata.namespace === 'shop'));
  });

  test('recurse, include and exclude choose the .jsonnet files as they choose YAML files', async () => {
    const recursed = await render('apps/mixed', { recurse: true, exclude: '{sub/skip.jsonnet,*.json}' });
    assert.equal(recursed.status, 'ok', recursed.message);
    assert.deepEqual(recursed.resources.map((object) => object.metadata.name), ['a', 'b1', 'b2', 'b3', 'd']);
    const included = await render('apps/mixed', { recurse: true, include: 'sub/d.jsonnet' });
    assert.deepEqual(included.resources.map((object) => object.metadata.name), ['d']);
  });

  test('an import through "../" that stays in the repository works and is an input', async () => {
    const result = await render('apps/inside');
    assert.equal(result.status, 'ok', result.message);
    assert.equal(dataOf(find(result.resources, 'ConfigMap', 'inside')).motd, 'hello from shared\n');
    assert.deepEqual(result.inputs.map((input) => input.path), ['apps/inside', 'shared/motd.txt']);
  });

  test('a file that evaluates to null renders nothing', async () => {
    const result = await render('apps/empty');
    assert.equal(result.status, 'ok', result.message);
    assert.deepEqual(result.resources, []);
  });
});

describe('errors name the file, the line and the fix', () => {
  const cases: readonly (readonly [string, RegExp, DirectorySource?])[] = [
    ['apps/errors/runtime', /^apps\/errors\/runtime\/main\.jsonnet: RUNTIME ERROR: replicas must be positive \(at apps\/errors\/runtime\/main\.jsonnet:3:\d+-\d+\)\n/],
    ['apps/errors/syntax', /^apps\/errors\/syntax\/main\.jsonnet: apps\/errors\/syntax\/main\.jsonnet:2:\d+-\d+ Unexpected: .*— fix the Jsonnet at the file and line shown/s],
    ['apps/errors/extvar', /^apps\/errors\/extvar\/main\.jsonnet: RUNTIME ERROR: Undefined external variable: missing \(at apps\/errors\/extvar\/main\.jsonnet:1:\d+-\d+\)[\s\S]*— set the variable in spec\.source\.directory\.jsonnet\.extVars/],
    ['apps/errors/import', /couldn't open import "nowhere\.libsonnet": no match locally or in the Jsonnet library paths \(at apps\/errors\/import\/main\.jsonnet:1:1-\d+\)[\s\S]*— check the import path/],
    ['apps/errors/nested', /apps\/errors\/nested\/main\.jsonnet: element \[0\] of the output is a list; Argo CD renders only objects .* — flatten the array/],
    ['apps/errors/scalar', /apps\/errors\/scalar\/main\.jsonnet: evaluates to the string "just a string"; Argo CD renders an object or an array of objects/],
    ['apps/errors/map', /apps\/errors\/map\/main\.jsonnet: evaluates to an object of objects.* — return std\.objectValues/],
    ['apps/errors/nokind', /apps\/errors\/nokind\/main\.jsonnet \(output element \[0\]\).*has no apiVersion and kind/],
    ['apps/which', /spec\.source\.directory\.jsonnet\.libs\[0\] "\.\.\/\.\." leads outside the repository/, { jsonnet: { libs: ['../..'] } }],
    ['apps/which', /spec\.source\.directory\.jsonnet\.tlas\[0\]\.value of "n" is the number 3, not a string — quote the value/, { jsonnet: { tlas: [{ name: 'n', value: 3 as unknown as string }] } }],
  ];
  for (const [path, expected, directory] of cases) {
    test(`${path}${directory === undefined ? '' : ` with ${JSON.stringify(directory)}`}`, async () => {
      const result = await render(path, directory);
      assert.equal(result.status, 'error');
      assert.match(result.message, expected);
      assert.doesNotMatch(result.message, /launchpad-(render-cache|jsonnet)-/, 'no temporary or cache paths in the message');
    });
  }

  test('output beyond maxFileSize stops jsonnet and says which limit to raise', async () => {
    configureLimits({ maxFileSize: 2000 });
    try {
      const result = await render('apps/errors/big');
      assert.equal(result.status, 'error');
      assert.match(result.message, /apps\/errors\/big\/main\.jsonnet: jsonnet .*main\.jsonnet wrote more than 2000 bytes of output \(maxFileSize\)/);
    } finally {
      configureLimits();
    }
  });

  test('an evaluation that runs too long is stopped at the time limit', async () => {
    const checkout = await sandbox.resolver.resolveGit(repo.url, 'HEAD', { offline: false });
    await assert.rejects(
      renderJsonnetFiles({ repoDir: checkout.dir, appPath: 'apps/errors/slow', boundary: { root: checkout.dir, label: 'test repo' }, options: { extVars: [], tlas: [], libs: [] }, timeoutMs: 500 }, ['main.jsonnet']),
      /apps\/errors\/slow\/main\.jsonnet: jsonnet apps\/errors\/slow\/main\.jsonnet .*timed out after 500 ms/,
    );
  });
});

describe('nothing outside the repository is read', () => {
  const cases: readonly (readonly [string, RegExp, DirectorySource?])[] = [
    ['apps/escape/absolute', /apps\/escape\/absolute\/main\.jsonnet reads \/etc\/hostname .*outside the repository/],
    ['apps/escape/relative', /apps\/escape\/relative\/main\.jsonnet reads \/etc\/hostname .*outside the repository/],
    ['apps/escape/link', /apps\/escape\/link\/main\.jsonnet reads .*launchpad-jsonnet-outside-.*secret\.txt .*through a symlink.*outside the repository/],
    ['apps/escape/through-lib', /apps\/escape\/through-lib\/main\.jsonnet reads \/etc\/hostname/, { jsonnet: { libs: ['lib'] } }],
    ['apps/which', /spec\.source\.directory\.jsonnet\.extVars\[0\] \("x"\) reads \/etc\/hostname .*outside the repository/, { jsonnet: { extVars: [{ name: 'x', value: "importstr '/etc/hostname'", code: true }] } }],
    ['apps/which', /spec\.source\.directory\.jsonnet\.tlas\[0\] \("x"\) reads .*secret\.txt/, { jsonnet: { tlas: [{ name: 'x', value: `importstr '${FILES_OUTSIDE_PLACEHOLDER}'`, code: true }] } }],
  ];
  for (const [path, expected, directory] of cases) {
    test(`${path} is refused, naming what it reads`, async () => {
      const resolved = directory === undefined ? undefined : JSON.parse(JSON.stringify(directory).replace(FILES_OUTSIDE_PLACEHOLDER, join(outside, 'secret.txt'))) as DirectorySource;
      const result = await render(path, resolved);
      assert.equal(result.status, 'error');
      assert.match(result.message, expected);
      assert.match(result.message, /— import only files inside the repository/);
      assert.doesNotMatch(result.message, new RegExp(SECRET));
      assert.deepEqual(result.resources, []);
    });
  }
});

describe('inputs, the render cache and the pull-request diff', () => {
  let work: string;
  let config: GitFixture;
  const URL = 'https://git.example.com/platform/config';
  const jsonnetApp = (revisionVar = false): string => [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata: {name: jsonnet-app, namespace: argocd}',
    'spec:',
    '  project: default',
    '  destination: {server: https://kubernetes.default.svc, namespace: shop}',
    '  source:',
    `    repoURL: ${URL}`,
    '    path: jsonnet/app',
    '    directory:',
    '      jsonnet:',
    '        libs: [jsonnet/lib]',
    ...(revisionVar ? ['        extVars: [{name: revision, value: $ARGOCD_APP_REVISION_SHORT}]'] : []),
    '',
  ].join('\n');
  const plainApp = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: static, namespace: argocd}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: shop}\n  source: {repoURL: ${URL}, path: static}\n`;
  const root = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: root, namespace: argocd}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: argocd}\n  source: {repoURL: ${URL}, path: apps}\n`;
  const lib = (greeting: string): string => `{ configMap(name):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name }, data: { greeting: '${greeting}' } } }\n`;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'launchpad-jsonnet-preview-'));
    config = await createGitRepo({
      dir: join(work, 'config'),
      files: {
        '_app-of-apps-dev.yaml': root,
        'apps/jsonnet-app.yaml': jsonnetApp(),
        'apps/static.yaml': plainApp,
        'jsonnet/app/main.jsonnet': "(import 'k8s.libsonnet').configMap('greeting')\n",
        'jsonnet/lib/k8s.libsonnet': lib('hello'),
        'static/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: static\n',
      },
    });
    await writeFile(join(work, 'launchpad.yaml'), `repositories:\n  - url: ${URL}\n    path: config\n`);
  });
  after(() => rm(work, { recursive: true, force: true }));

  /** A render as a fresh process would do it: a new resolver and cache object over the same cache folder. */
  async function renderCached(cacheDir: string, revisionVar = false) {
    const resolver = createSourceResolver({ cacheDir, offline: false });
    const cache = createRenderCache({ resolver, offline: false, dir: join(cacheDir, 'render'), toolVersions: 'test' });
    const source: ApplicationSource = { repoURL: config.url, path: 'jsonnet/app', directory: { jsonnet: { libs: ['jsonnet/lib'], ...(revisionVar ? { extVars: [{ name: 'revision', value: '$ARGOCD_APP_REVISION_SHORT' }] } : {}) } } };
    return cache.render(application('jsonnet-app', [source]));
  }

  test('an imported library is an input: the warm render is a cache hit until the library changes', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-jsonnet-cache-'));
    try {
      const cold = await renderCached(cacheDir);
      assert.equal(cold.status, 'ok', cold.message);
      assert.deepEqual(cold.inputs.map((input) => input.path), ['jsonnet/app', 'jsonnet/lib/k8s.libsonnet']);
      const warm = await renderCached(cacheDir);
      assert.equal(warm.cached, true);
      assert.equal(dataOf(find(warm.resources, 'ConfigMap', 'greeting')).greeting, 'hello');
      await config.commit({ 'jsonnet/lib/k8s.libsonnet': lib('bonjour') }, 'the library changes');
      const edited = await renderCached(cacheDir);
      assert.notEqual(edited.cached, true);
      assert.equal(dataOf(find(edited.resources, 'ConfigMap', 'greeting')).greeting, 'bonjour');
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  test('a value reading $ARGOCD_APP_REVISION makes every commit a new render', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-jsonnet-cache-'));
    try {
      await config.commit({ 'jsonnet/app/main.jsonnet': "(import 'k8s.libsonnet').configMap('greeting') + { metadata+: { labels: { revision: std.extVar('revision') } } }\n" }, 'label with the revision');
      const first = await renderCached(cacheDir, true);
      assert.equal(first.status, 'ok', first.message);
      assert.equal(find(first.resources, 'ConfigMap', 'greeting').metadata.labels?.revision, (await config.revParse()).slice(0, 7));
      await config.commit({ 'static/other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n' }, 'an unrelated file');
      const second = await renderCached(cacheDir, true);
      assert.notEqual(second.cached, true);
      assert.equal(find(second.resources, 'ConfigMap', 'greeting').metadata.labels?.revision, (await config.revParse()).slice(0, 7));
    } finally {
      await config.commit({ 'jsonnet/app/main.jsonnet': "(import 'k8s.libsonnet').configMap('greeting')\n", 'static/other.yaml': null }, 'back');
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  test('launchpad diff --base/--head marks the app changed when only a library file changed', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-jsonnet-cache-'));
    try {
      await config.git('tag', '-f', 'base');
      await config.commit({ 'jsonnet/lib/k8s.libsonnet': lib('hej') }, 'only the library changes');
      const report = await runPreview({
        roots: [join(config.dir, '_app-of-apps-dev.yaml')], cwd: work, configFile: join(work, 'launchpad.yaml'),
        base: 'base', head: 'HEAD', offline: true, cacheDir,
      });
      const [cluster] = report.clusters;
      assert.ok(cluster !== undefined);
      assert.deepEqual(cluster.applications.map((app) => `${app.change} ${app.name}`), ['changed jsonnet-app']);
      assert.equal(report.stats.unaffected, 2, 'root and static were reused, not rendered again');
      assert.match(JSON.stringify(cluster.applications[0]), /greeting: bonjour[\s\S]*greeting: hej/);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
