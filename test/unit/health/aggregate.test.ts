/**
 * GIVEN the resources of an application or a sync wave with their health, WHEN they are aggregated, THEN the result
 * is the worst health of those that count, with Argo CD's order and exclusions, and a message naming the resource.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateHealth, assessHealth, healthExclusion, HEALTH_ORDER, isWorseHealth } from '../../../src/health/index.js';
import type { AssessedResource } from '../../../src/health/index.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { fixture } from './fixtures.js';

const live = (name: string): AssessedResource => {
  const object = fixture(name);
  return { object, health: assessHealth(object) };
};

const annotated = (name: string, annotations: Readonly<Record<string, string>>): AssessedResource => {
  const base = fixture(name);
  const object: KubeObject = { ...base, metadata: { ...base.metadata, annotations: { ...base.metadata.annotations, ...annotations } } };
  return { object, health: assessHealth(object) };
};

const missing = (desired: KubeObject): AssessedResource => ({ object: undefined, desired, health: assessHealth(undefined) });

test('the order is Argo CD\'s: Healthy < Suspended < Progressing < Missing < Degraded < Unknown', () => {
  assert.deepEqual(HEALTH_ORDER, ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown']);
  assert.equal(isWorseHealth('Degraded', 'Unknown'), true);
  assert.equal(isWorseHealth('Progressing', 'Suspended'), false);
});

test('nothing to count is Healthy', () => {
  assert.deepEqual(aggregateHealth([]), { status: 'Healthy', message: 'no resources count toward health' });
});

test('all healthy is Healthy, with a count', () => {
  assert.deepEqual(aggregateHealth([live('deployment-healthy'), live('service-clusterip'), live('pvc-bound')]), { status: 'Healthy', message: 'all 3 resources are healthy' });
});

test('the worst wins and its message names the resource; others with the same health are counted', () => {
  const result = aggregateHealth([live('deployment-healthy'), live('deployment-suspended'), live('deployment-progressing'), live('job-running'), live('service-lb-pending')]);
  assert.deepEqual(result, {
    status: 'Progressing',
    message: 'Deployment/health/pending: Waiting for rollout to finish: 0 of 3 updated replicas are available... (and 2 more Progressing)',
  });
});

test('Degraded is worse than Missing, Missing worse than Progressing, Unknown worst of all', () => {
  const desired = fixture('configmap-deleting');
  assert.equal(aggregateHealth([live('deployment-progressing'), missing(desired)]).status, 'Missing');
  assert.equal(aggregateHealth([missing(desired), live('job-failed'), live('deployment-progressing')]).message, 'Job/health/deadline: Job "deadline" failed: Job was active longer than specified deadline');
  const unknown: AssessedResource = { object: fixture('pvc-pending'), health: { status: 'Unknown', message: 'no phase' } };
  assert.deepEqual(aggregateHealth([live('job-failed'), unknown]), { status: 'Unknown', message: 'PersistentVolumeClaim/health/unbound: no phase' });
});

test('a missing resource is named from its desired object and makes the result Missing, unless ignoreMissing (Argo CD 3\'s app health)', () => {
  const resources = [live('deployment-healthy'), missing(fixture('service-lb-pending'))];
  assert.deepEqual(aggregateHealth(resources), { status: 'Missing', message: 'Service/health/edge: the resource does not exist' });
  assert.deepEqual(aggregateHealth(resources, { ignoreMissing: true }), { status: 'Healthy', message: 'the one resource is healthy' });
});

test('when none of the resources exists the result is Missing, even with ignoreMissing', () => {
  const resources = [missing(fixture('deployment-healthy')), missing(fixture('service-clusterip'))];
  assert.deepEqual(aggregateHealth(resources, { ignoreMissing: true }), { status: 'Missing', message: 'none of the 2 resources exist' });
  assert.equal(aggregateHealth(resources).status, 'Missing');
});

test('hooks do not count: Argo CD hooks (any value, Skip included) and Helm hooks other than crd-install', () => {
  assert.equal(aggregateHealth([live('deployment-healthy'), annotated('job-failed', { 'argocd.argoproj.io/hook': 'PreSync' })]).status, 'Healthy');
  assert.equal(aggregateHealth([annotated('job-failed', { 'argocd.argoproj.io/hook': 'Skip' })]).status, 'Healthy');
  assert.equal(aggregateHealth([annotated('job-running', { 'helm.sh/hook': 'pre-install,pre-upgrade' })]).status, 'Healthy');
  assert.equal(aggregateHealth([annotated('job-running', { 'helm.sh/hook': 'crd-install' })]).status, 'Progressing');
  assert.equal(healthExclusion(annotated('job-running', { 'helm.sh/hook': 'post-install' })), 'hook');
});

test('a hook that does not exist yet does not count either (judged by its desired object)', () => {
  const hook = annotated('job-complete', { 'argocd.argoproj.io/hook': 'PostSync' }).object;
  assert.ok(hook);
  assert.deepEqual(aggregateHealth([live('deployment-healthy'), missing(hook)]), { status: 'Healthy', message: 'the one resource is healthy' });
});

test('argocd.argoproj.io/ignore-healthcheck: "true" leaves a resource out; any other value does not', () => {
  assert.equal(aggregateHealth([annotated('ingress-pending', { 'argocd.argoproj.io/ignore-healthcheck': 'true' })]).status, 'Healthy');
  assert.equal(aggregateHealth([annotated('ingress-pending', { 'argocd.argoproj.io/ignore-healthcheck': 'false' })]).status, 'Progressing');
});

test('a child Application that is Missing or Unknown does not affect the parent; Degraded or Progressing does', () => {
  const child = (status: string): AssessedResource => {
    const base = fixture('application-healthy');
    const object: KubeObject = { ...base, status: { health: { status } } };
    return { object, health: assessHealth(object) };
  };
  assert.equal(aggregateHealth([live('deployment-healthy'), child('Missing'), child('Unknown')]).status, 'Healthy');
  assert.equal(aggregateHealth([live('deployment-healthy'), child('Degraded')]).status, 'Degraded');
  assert.equal(aggregateHealth([live('deployment-healthy'), live('application-unreported')]).status, 'Progressing');
});
