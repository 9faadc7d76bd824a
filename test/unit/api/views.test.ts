import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appFilter, countApps } from '../../../src/api/views/filters.js';
import { parseLabelSelector } from '../../../src/api/views/label-selector.js';
import { summarize } from '../../../src/api/views/summary.js';
import type { KubeObject } from '../../../src/model/resource.js';

function app(name: string, project: string, labels: Record<string, string>, state: { sync: string; health: string; destination: Record<string, string> }): KubeObject {
  const { sync, health, destination } = state;
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd', labels },
    spec: { project, source: { repoURL: `https://git.example.com/${name}.git`, path: `apps/${name}` }, destination },
    status: { sync: { status: sync, revision: 'abc' }, health: { status: health } },
  };
}

const apps = [
  summarize(app('web', 'shop', { team: 'web', tier: 'front' }, { sync: 'Synced', health: 'Healthy', destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } })),
  summarize(app('api', 'shop', { team: 'api' }, { sync: 'OutOfSync', health: 'Degraded', destination: { name: 'prod', namespace: 'shop' } })),
  summarize(app('metrics', 'infra', {}, { sync: 'Synced', health: 'Progressing', destination: { name: 'prod', namespace: 'monitoring' } })),
];

const names = (filter: Parameters<typeof appFilter>[0]): string[] => apps.filter(appFilter(filter)).map((item) => item.name);

test('GIVEN list filters THEN each narrows by its field, lists mean any of, and together they mean all of', () => {
  assert.deepEqual(names({}), ['web', 'api', 'metrics']);
  assert.deepEqual(names({ project: 'shop' }), ['web', 'api']);
  assert.deepEqual(names({ project: 'shop,infra', sync: 'Synced' }), ['web', 'metrics']);
  assert.deepEqual(names({ cluster: 'prod' }), ['api', 'metrics']);
  assert.deepEqual(names({ cluster: 'https://kubernetes.default.svc' }), ['web']);
  assert.deepEqual(names({ namespace: 'monitoring' }), ['metrics']);
  assert.deepEqual(names({ health: 'Degraded,Progressing' }), ['api', 'metrics']);
  assert.deepEqual(names({ labels: 'team' }), ['web', 'api']);
  assert.deepEqual(names({ labels: '!team' }), ['metrics']);
  assert.deepEqual(names({ labels: 'team notin (web)' }), ['api', 'metrics']);
  assert.deepEqual(names({ search: 'APPS/MET' }), ['metrics']);
  assert.deepEqual(countApps(apps), { sync: { Synced: 2, OutOfSync: 1 }, health: { Healthy: 1, Degraded: 1, Progressing: 1 } });
});

test('GIVEN label selectors THEN they follow kubectl, and a bad term is named', () => {
  const labels = { team: 'web', tier: 'front' };
  assert.equal(parseLabelSelector('team=web,tier==front')(labels), true);
  assert.equal(parseLabelSelector('team!=web')(labels), false);
  assert.equal(parseLabelSelector('tier in (back, front)')(labels), true);
  assert.equal(parseLabelSelector('env notin (prod)')(labels), true);
  assert.throws(() => parseLabelSelector('team=web,==x'), /label selector term "==x" is not understood/);
});

test('GIVEN an Application with an operation requested and a deletion THEN the summary says so', () => {
  const object = { ...app('web', '', {}, { sync: '', health: '', destination: {} }), operation: { sync: {} }, metadata: { name: 'web', deletionTimestamp: '2026-01-01T00:00:00Z' } };
  const summary = summarize(object);
  assert.equal(summary.project, 'default');
  assert.equal(summary.sync.status, 'Unknown');
  assert.equal(summary.operation.requested, true);
  assert.equal(summary.deleting, true);
  assert.deepEqual(summary.sources, [{ repoURL: 'https://git.example.com/web.git', path: 'apps/web' }]);
});
