/**
 * GIVEN a cluster rendered at base and at head, WHEN compared, THEN each application is classed added / removed /
 * changed / failed / not compared, application-level changes come first, and the outcome follows `git diff`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareCluster, compareResources, formatText, outcomeOf } from '../../../src/preview/index.js';
import { application, configMap, deployment, rendered, report, tree } from './builders.js';

describe('compareResources', () => {
  test('GIVEN the same objects with keys in another order THEN no change', () => {
    const left = configMap('a', { x: '1', y: '2' });
    const right = { ...configMap('a', { y: '2', x: '1' }) };
    assert.deepEqual(compareResources([left], [right]), []);
  });

  test('GIVEN a changed image THEN one changed resource with a unified diff holding both lines and context', () => {
    const change = compareResources([deployment('web', 'nginx:1.27')], [deployment('web', 'nginx:1.28')])[0];
    const diff = change?.diff ?? '';
    assert.equal(change?.change, 'changed');
    assert.match(diff, /^--- base\/apps\/Deployment\/shop\/web\n\+\+\+ head\/apps\/Deployment\/shop\/web\n@@ /);
    assert.match(diff, /^- {8}- image: nginx:1\.27$/m);
    assert.match(diff, /^\+ {8}- image: nginx:1\.28$/m);
    assert.match(diff, /^ {11}name: web$/m);
  });

  test('GIVEN objects only at one side THEN added and removed, sorted by namespace, kind, name', () => {
    const changes = compareResources([configMap('old', { a: '1' })], [configMap('new', { a: '1' }), deployment('web', 'x', 'alpha')]);
    assert.deepEqual(changes.map((change) => [change.change, change.key.name]), [['added', 'web'], ['added', 'new'], ['removed', 'old']]);
    assert.match(changes[0]?.diff ?? '', /^@@ -0,0 \+1,\d+ @@$/m);
  });
});

describe('compareCluster', () => {
  const base = tree([
    rendered('root', { resources: [] }),
    rendered('web', { parent: 'root', resources: [deployment('web', 'nginx:1.27')] }),
    rendered('same', { parent: 'root', resources: [configMap('same', { a: '1' })] }),
    rendered('gone', { parent: 'root', resources: [configMap('gone', { a: '1' })] }),
    rendered('moved', { parent: 'root', app: application('moved', { wave: 1 }), wave: 1 }),
    rendered('upstream', { parent: 'root', status: 'skipped', message: 'skipped (offline): https://charts.example.com' }),
  ]);
  const head = tree([
    rendered('root', { resources: [] }),
    rendered('web', { parent: 'root', resources: [deployment('web', 'nginx:1.28')] }),
    rendered('same', { parent: 'root', resources: [configMap('same', { a: '1' })] }),
    rendered('fresh', { parent: 'root', resources: [configMap('fresh', { a: '1' })] }),
    rendered('moved', { parent: 'root', app: application('moved', { wave: 2, namespace: 'elsewhere', targetRevision: 'v2' }), wave: 2 }),
    rendered('upstream', { parent: 'root', status: 'skipped', message: 'skipped (offline): https://charts.example.com' }),
  ]);
  const cluster = compareCluster({ name: 'dev', root: 'root.yaml', base, head, unaffected: new Set(['root', 'same']) });

  test('THEN the summary counts every kind of change', () => {
    assert.deepEqual(cluster.summary, {
      appsAdded: 1, appsRemoved: 1, appsChanged: 2, appsUnchanged: 2, appsUnaffected: 2, appsSkipped: 1, appsFailed: 0,
      resourcesAdded: 1, resourcesRemoved: 1, resourcesChanged: 1,
    });
    assert.equal(cluster.status, 'changed');
    assert.equal(outcomeOf(report([cluster])), 1);
  });

  test('THEN application-level changes are listed: destination, wave, source revision', () => {
    const moved = cluster.applications.find((app) => app.name === 'moved');
    assert.deepEqual(moved?.fields, [
      { field: 'destination.namespace', base: 'moved', head: 'elsewhere' },
      { field: 'wave', base: '1', head: '2' },
      { field: 'source.targetRevision', base: 'HEAD', head: 'v2' },
    ]);
    const text = formatText(report([cluster]));
    assert.ok(text.indexOf('wave: 1 → 2') < text.indexOf('~ apps/Deployment shop/web') || text.indexOf('application moved') > text.indexOf('application web'));
  });

  test('THEN applications are in head tree order, removed ones after', () => {
    assert.deepEqual(cluster.applications.map((app) => `${app.change} ${app.name}`), ['changed web', 'added fresh', 'changed moved', 'skipped upstream', 'removed gone']);
  });

  test('GIVEN a render error at head THEN the app is failed with the error, the cluster is in error, exit 2', () => {
    const broken = tree([rendered('root'), rendered('web', { parent: 'root', status: 'error', message: 'helm template failed: values.yaml: bad indentation' })]);
    const result = compareCluster({ name: 'dev', root: 'root.yaml', base: tree([rendered('root'), rendered('web', { parent: 'root' })]), head: broken, unaffected: new Set() });
    assert.deepEqual(result.applications, [{ name: 'web', change: 'error', errors: [{ side: 'head', message: 'helm template failed: values.yaml: bad indentation' }], fields: [], resources: [] }]);
    assert.equal(result.status, 'error');
    assert.equal(outcomeOf(report([result])), 2);
  });

  test('GIVEN a parent that fails at head THEN its children are not reported as removed', () => {
    const result = compareCluster({
      name: 'dev', root: 'root.yaml', unaffected: new Set(),
      base: tree([rendered('root'), rendered('child', { parent: 'root', resources: [configMap('c', {})] })]),
      head: tree([rendered('root', { status: 'error', message: 'kustomize build failed' })]),
    });
    assert.deepEqual(result.applications.map((app) => [app.name, app.change]), [['root', 'error'], ['child', 'error']]);
    assert.equal(result.summary.appsRemoved, 0);
    assert.match(result.applications[1]?.errors[0]?.message ?? '', /not rendered at head: its parent application "root" failed/);
  });

  test('GIVEN a root file that exists only at head THEN the cluster is added and all its apps are added', () => {
    const result = compareCluster({ name: 'new', root: 'root.yaml', base: undefined, head: tree([rendered('root', { resources: [configMap('x', {})] })]), unaffected: new Set() });
    assert.equal(result.status, 'added');
    assert.equal(result.summary.appsAdded, 1);
    assert.equal(outcomeOf(report([result])), 1);
  });

  test('GIVEN identical renders THEN unchanged and exit 0', () => {
    const same = tree([rendered('root', { resources: [configMap('x', { a: '1' })] })]);
    const result = compareCluster({ name: 'dev', root: 'root.yaml', base: same, head: same, unaffected: new Set(['root']) });
    assert.equal(result.status, 'unchanged');
    assert.deepEqual(result.applications, []);
    assert.equal(outcomeOf(report([result])), 0);
  });

  test('GIVEN a root file error at base THEN reported with its side, exit 2', () => {
    const result = compareCluster({ name: 'dev', root: 'root.yaml', base: tree([], ['root.yaml: holds no Application']), head: tree([rendered('root')]), unaffected: new Set() });
    assert.deepEqual(result.errors, [{ side: 'base', message: 'root.yaml: holds no Application' }]);
    assert.equal(outcomeOf(report([result])), 2);
  });
});
