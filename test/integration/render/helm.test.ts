/**
 * GIVEN real git repositories holding a chart and a values repo, WHEN an Application is rendered with the real helm,
 * THEN the output follows Argo CD's value precedence, naming and `$ref` rules, and bad input names the file and fix.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { renderApplication } from '../../../src/render/app.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { application, CHART_FILES, createSandbox, find } from './helpers.js';
import type { Sandbox } from './helpers.js';

let sandbox: Sandbox;
let charts: GitFixture;
let values: GitFixture;

before(async () => {
  sandbox = await createSandbox();
  charts = await createGitRepo({ files: { ...CHART_FILES, 'charts/web/ci-values.yaml': 'size: from-chart-values-file\n' } });
  values = await createGitRepo({
    files: {
      'web/values.yaml': '# CI bumps this\nimage:\n  tag: 2.0.4\ncolor: from-values-repo\n',
      'web/prod.yaml': 'replicas: 3\n',
      'layered/01-base.yaml': 'label: base\n',
      'layered/02-cluster.yaml': 'label: cluster\n',
    },
  });
});

after(async () => {
  await Promise.all([sandbox.cleanup(), charts.remove(), values.remove()]);
});

test('multi-source: chart from one repo, $values files from another, release name defaults to the app name', async () => {
  const app = application('musicman', [
    { repoURL: charts.url, path: 'charts/web', targetRevision: 'main', helm: { valueFiles: ['$values/web/values.yaml', '$values/web/prod.yaml'] } },
    { repoURL: values.url, targetRevision: 'HEAD', ref: 'values' },
  ]);
  const result = await renderApplication(app, { resolver: sandbox.resolver, offline: false });
  assert.equal(result.status, 'ok', result.message);
  const deployment = find(result.resources, 'Deployment', 'musicman');
  assert.deepEqual(deployment.spec, { ...(deployment.spec as object), replicas: 3 });
  assert.equal(deployment.metadata.namespace, 'shop', 'helm --namespace is the destination namespace');
  const data = find(result.resources, 'ConfigMap', 'musicman-values').data as Record<string, string>;
  assert.equal(data.tag, '2.0.4');
  assert.equal(data.color, 'from-values-repo');
  assert.equal(result.sources[1]?.type, 'ref', 'a ref-only source renders nothing');
  assert.equal(result.sources[1].resolvedRevision, await values.revParse());
  assert.equal(
    deployment.metadata.annotations?.['argocd.argoproj.io/tracking-id'],
    'musicman:apps/Deployment:shop/musicman',
  );
});

test('precedence is parameters > valuesObject > values > valueFiles > chart values', async () => {
  const app = application('precedence', [{
    repoURL: charts.url,
    path: 'charts/web',
    helm: {
      releaseName: 'web',
      valueFiles: ['ci-values.yaml'],
      values: 'size: from-values\nshape: from-values\ncolor: from-values\n',
      valuesObject: { shape: 'from-values-object', color: 'from-values-object' },
      parameters: [{ name: 'color', value: 'from-parameter' }, { name: 'image.tag', value: '1.10', forceString: true }],
    },
  }]);
  const result = await renderApplication(app, { resolver: sandbox.resolver, offline: false });
  assert.equal(result.status, 'ok', result.message);
  const data = find(result.resources, 'ConfigMap', 'web-values').data as Record<string, string>;
  // valuesObject wins over values entirely (Argo CD uses one or the other as the inline values file)
  assert.deepEqual(
    { color: data.color, shape: data.shape, size: data.size, label: data.label, tag: data.tag },
    { color: 'from-parameter', shape: 'from-values-object', size: 'from-chart-values-file', label: 'chart', tag: '1.10' },
  );
});

test('value files layer in order and accept globs', async () => {
  const app = application('layered', [
    { repoURL: charts.url, path: 'charts/web', helm: { valueFiles: ['$values/layered/*.yaml'] } },
    { repoURL: values.url, ref: 'values' },
  ]);
  const result = await renderApplication(app, { resolver: sandbox.resolver, offline: false });
  assert.equal(result.status, 'ok', result.message);
  assert.equal((find(result.resources, 'ConfigMap', 'layered-values').data as Record<string, string>).label, 'cluster');
});

test('a missing values file fails the app with the path and the fix, unless ignoreMissingValueFiles', async () => {
  const sources = (ignore: boolean) => [
    { repoURL: charts.url, path: 'charts/web', helm: { valueFiles: ['$values/nope/values.yaml'], ignoreMissingValueFiles: ignore } },
    { repoURL: values.url, ref: 'values' },
  ];
  const failed = await renderApplication(application('missing', sources(false)), { resolver: sandbox.resolver, offline: false });
  assert.equal(failed.status, 'error');
  assert.match(failed.message, /values file "\$values\/nope\/values.yaml" not found in file:\/\/.* @ [0-9a-f]{7} — set ignoreMissingValueFiles or fix the path/);
  const ignored = await renderApplication(application('missing', sources(true)), { resolver: sandbox.resolver, offline: false });
  assert.equal(ignored.status, 'ok', ignored.message);
});

test('an unknown $ref names the refs that exist', async () => {
  const app = application('badref', [
    { repoURL: charts.url, path: 'charts/web', helm: { valueFiles: ['$vals/web/values.yaml'] } },
    { repoURL: values.url, ref: 'values' },
  ]);
  const result = await renderApplication(app, { resolver: sandbox.resolver, offline: false });
  assert.equal(result.status, 'error');
  assert.match(result.message, /names source ref "\$vals", which this application does not define \(refs: \$values\)/);
});

test('a helm template failure surfaces helm\'s own message, trimmed, on that app only', async () => {
  const broken = await createGitRepo({ files: { 'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'c/templates/x.yaml': '{{ fail "image tag must not be latest" }}\n' } });
  try {
    const result = await renderApplication(application('broken', [{ repoURL: broken.url, path: 'c' }]), { resolver: sandbox.resolver, offline: false });
    assert.equal(result.status, 'error');
    assert.match(result.message, /^helm template failed: .*image tag must not be latest/);
    assert.doesNotMatch(result.message, /Use --debug/);
  } finally {
    await broken.remove();
  }
});

test('a revision that does not exist fails that app with the repository named', async () => {
  const app = application('norev', [{ repoURL: charts.url, path: 'charts/web', targetRevision: 'no-such-branch' }]);
  const result = await renderApplication(app, { resolver: sandbox.resolver, offline: false });
  assert.equal(result.status, 'error');
  assert.match(result.message, /no-such-branch/);
  assert.ok(result.message.includes(charts.url), result.message);
});
