/**
 * GIVEN objects in states the fixtures do not cover (built here, most from a captured fixture with one field changed),
 * WHEN their health is assessed, THEN every branch of Argo CD's rules gives the status and message it should.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessHealth, HEALTH_CHECKS, HOOK_FINALIZER } from '../../../src/health/index.js';
import type { HealthStatus } from '../../../src/health/index.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { fixture } from './fixtures.js';

type Json = Record<string, unknown>;

function object(apiVersion: string, kind: string, name: string, fields: Json = {}): KubeObject {
  const { metadata, ...rest } = fields;
  return { apiVersion, kind, metadata: { name, namespace: 'shop', ...(metadata as Json | undefined) }, ...rest };
}

/** The fixture with `status` (and optionally `spec`) fields merged over its own. */
function changed(name: string, change: { status?: Json; spec?: Json; metadata?: Json }): KubeObject {
  const base = fixture(name);
  const part = (key: 'status' | 'spec'): Json => ({ ...(base[key] as Json | undefined), ...change[key] });
  return { ...base, metadata: { ...base.metadata, ...change.metadata }, spec: part('spec'), status: part('status') };
}

const cases: readonly (readonly [what: string, object: KubeObject, status: HealthStatus, message: string])[] = [
  ['a ConfigMap (no rule) exists', object('v1', 'ConfigMap', 'settings'), 'Healthy', ''],
  ['a Deployment with old replicas still running', changed('deployment-healthy', { status: { replicas: 3, updatedReplicas: 2 } }), 'Progressing', 'Waiting for rollout to finish: 1 old replicas are pending termination...'],
  ['a Deployment with too few updated replicas', changed('deployment-healthy', { status: { updatedReplicas: 1 } }), 'Progressing', 'Waiting for rollout to finish: 1 out of 2 new replicas have been updated...'],
  ['a StatefulSet never observed', changed('statefulset-healthy', { status: { observedGeneration: 0 } }), 'Progressing', 'Waiting for statefulset spec update to be observed...'],
  ['a StatefulSet in a partitioned roll-out', changed('statefulset-healthy', { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, status: { updatedReplicas: 0 } }), 'Progressing', 'Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...'],
  ['an OnDelete StatefulSet', changed('statefulset-healthy', { spec: { updateStrategy: { type: 'OnDelete' } } }), 'Healthy', 'StatefulSet "db" has 2 ready pods'],
  ['a StatefulSet without rollingUpdate between revisions', changed('statefulset-healthy', { spec: { updateStrategy: { type: 'RollingUpdate' } }, status: { updateRevision: 'db-2', currentRevision: 'db-1', updatedReplicas: 1 } }), 'Progressing', 'waiting for statefulset rolling update to complete 1 pods at revision db-2...'],
  ['a StatefulSet without rollingUpdate at its revision', changed('statefulset-healthy', { spec: { updateStrategy: { type: 'RollingUpdate' } }, status: { updateRevision: 'db-1', currentRevision: 'db-1', currentReplicas: 2 } }), 'Healthy', 'statefulset rolling update complete 2 pods at revision db-1...'],
  ['a DaemonSet with a newer spec', changed('daemonset-healthy', { metadata: { generation: 2 } }), 'Progressing', 'Waiting for rollout to finish: observed daemon set generation less than desired generation'],
  ['a DaemonSet updating its Pods', changed('daemonset-healthy', { status: { desiredNumberScheduled: 3, updatedNumberScheduled: 1 } }), 'Progressing', 'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...'],
  ['an OnDelete DaemonSet', changed('daemonset-healthy', { spec: { updateStrategy: { type: 'OnDelete' } }, status: { desiredNumberScheduled: 3, updatedNumberScheduled: 1 } }), 'Healthy', 'daemon set 1 out of 3 new pods have been updated'],
  ['a ReplicaSet with a newer spec', changed('replicaset-progressing', { metadata: { generation: 5 } }), 'Progressing', 'Waiting for rollout to finish: observed replica set generation less than desired generation'],
  ['a hook Pod (restartPolicy Never) whose image cannot be pulled', changed('pod-pending', { spec: { restartPolicy: 'Never' }, status: { containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }] } }), 'Progressing', 'Pod "unschedulable" is pending: 0/1 nodes are available: 1 node(s) didn\'t match Pod\'s node affinity/selector. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'],
  ['a Pod that cannot pull its image', changed('pod-running', { status: { containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ErrImagePull' } } }] } }), 'Degraded', 'Pod "api": container "app" is waiting: ErrImagePull'],
  ['a running hook Pod (restartPolicy Never)', changed('pod-running', { spec: { restartPolicy: 'Never' } }), 'Progressing', 'Pod "api" is running'],
  ['a running Pod that is not ready', changed('pod-running', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }), 'Progressing', 'Pod "api" is running but not ready'],
  ['a running Pod that is not ready after a restart', changed('pod-running', { status: { conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'app', lastState: { terminated: { exitCode: 1 } } }] } }), 'Degraded', 'Pod "api" is not ready and a container has terminated'],
  ['a Pod killed for memory', changed('pod-failed', { status: { containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] } }), 'Degraded', 'Pod "failing" failed: OOMKilled'],
  ['an evicted Pod', changed('pod-failed', { status: { reason: 'Evicted', message: 'The node was low on resource: memory.' } }), 'Degraded', 'Pod "failing" failed: The node was low on resource: memory.'],
  ['a Pod whose node stopped reporting', changed('pod-running', { status: { phase: 'Unknown' } }), 'Unknown', 'Pod "api" is in phase "Unknown"'],
  ['a NodePort Service', changed('service-clusterip', { spec: { type: 'NodePort' } }), 'Healthy', ''],
  ['a LoadBalancer Service with a hostname', changed('service-lb-pending', { status: { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } } }), 'Healthy', 'Service "edge" has load balancer address lb.example.com'],
  ['a PersistentVolumeClaim without a phase', changed('pvc-pending', { status: { phase: undefined } }), 'Unknown', 'PersistentVolumeClaim "unbound" has no known phase'],
  ['a resumed Job (Suspended=False)', changed('job-suspended', { status: { conditions: [{ type: 'Suspended', status: 'False', reason: 'JobResumed' }], active: 1 } }), 'Progressing', 'Job "later" is running (1 active, 0 succeeded, 0 failed)'],
  ['a CronJob running a job after an earlier success', changed('cronjob-healthy', { status: { active: [{ kind: 'Job', name: 'report-1' }] } }), 'Healthy', 'CronJob "report" is running a job; its last run may not have succeeded'],
  ['a CronJob without status', object('batch/v1', 'CronJob', 'report'), 'Progressing', 'Waiting for CronJob "report"'],
  ['an autoscaling/v1 HPA without the conditions annotation', object('autoscaling/v1', 'HorizontalPodAutoscaler', 'web'), 'Progressing', 'Waiting to Autoscale'],
  ['an autoscaling/v1 HPA with an unreadable annotation', object('autoscaling/v1', 'HorizontalPodAutoscaler', 'web', { metadata: { annotations: { 'autoscaling.alpha.kubernetes.io/conditions': '[{' } } }), 'Unknown', 'HorizontalPodAutoscaler "web" has an unreadable autoscaling.alpha.kubernetes.io/conditions annotation'],
  ['an HPA at its replica limit', object('autoscaling/v2', 'HorizontalPodAutoscaler', 'web', { status: { conditions: [{ type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' }] } }), 'Healthy', 'HorizontalPodAutoscaler "web": the desired replica count is more than the maximum replica count'],
  ['an APIService not processed yet', object('apiregistration.k8s.io/v1', 'APIService', 'v1.example.com'), 'Progressing', 'APIService "v1.example.com" is waiting to be processed'],
  ['an Application with a health Launchpad does not know', changed('application-healthy', { status: { health: { status: 'Sparkling' } } }), 'Unknown', 'Application "payments" reports an unknown health "Sparkling"'],
  ['a Suspended Application', changed('application-healthy', { status: { health: { status: 'Suspended' } } }), 'Suspended', 'Application "payments" is Suspended'],
  ['a Ready condition from an older generation', changed('kustomization-ready', { metadata: { generation: 2 } }), 'Progressing', 'Kustomization "infra": waiting for the controller to observe the latest spec'],
  ['a custom resource without a Ready condition', object('example.com/v1', 'Widget', 'w', { status: { conditions: [{ type: 'Synced', status: 'False' }] } }), 'Healthy', ''],
  ['a Ready condition without a message', object('example.com/v1', 'Widget', 'w', { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Broken' }] } }), 'Degraded', 'Widget "w" is not Ready: Broken'],
  ['a Certificate without conditions', object('cert-manager.io/v1', 'Certificate', 'shop'), 'Progressing', 'Waiting for certificate Certificate "shop"'],
  ['a SealedSecret without conditions', object('bitnami.com/v1alpha1', 'SealedSecret', 'db'), 'Progressing', 'Waiting for SealedSecret "db" to be decrypted'],
];

for (const [what, live, status, message] of cases) {
  test(`${what} → ${status}`, () => {
    assert.deepEqual(assessHealth(live), { status, message });
  });
}

test('a resource that does not exist is Missing', () => {
  assert.deepEqual(assessHealth(undefined), { status: 'Missing', message: 'the resource does not exist' });
});

test('an object being deleted is Progressing whatever its kind says, unless it is a hook waiting on its finalizer', () => {
  const deleting = changed('job-running', { metadata: { deletionTimestamp: '2030-01-01T00:00:00Z' } });
  assert.deepEqual(assessHealth(deleting), { status: 'Progressing', message: 'Job "waiting" is being deleted' });
  const hook = { ...deleting, metadata: { ...deleting.metadata, finalizers: [HOOK_FINALIZER] } };
  assert.deepEqual(assessHealth({ ...hook, status: fixture('job-failed').status }), { status: 'Degraded', message: 'Job "waiting" failed: Job was active longer than specified deadline' });
});

test('a paused Deployment is Suspended before anything else is looked at', () => {
  const paused = changed('deployment-degraded', { spec: { paused: true } });
  assert.deepEqual(assessHealth(paused), { status: 'Suspended', message: 'Deployment "stuck" is paused' });
});

test('a rule that throws on a malformed object gives Unknown instead of breaking the caller', () => {
  const broken = object('apps/v1', 'Deployment', 'web');
  Object.defineProperty(broken, 'spec', { get: () => { throw new Error('unreadable'); }, enumerable: true });
  assert.deepEqual(assessHealth(broken), { status: 'Unknown', message: 'Deployment "web": health could not be assessed: unreadable' });
});

test('the dispatch table is keyed on group/Kind, core kinds by Kind alone', () => {
  for (const key of ['apps/Deployment', 'Pod', 'batch/CronJob', 'argoproj.io/Application', 'networking.k8s.io/Ingress']) {
    assert.equal(typeof HEALTH_CHECKS[key], 'function', key);
  }
  // The same kind in another group is not the same kind.
  assert.deepEqual(assessHealth(object('example.com/v1', 'Deployment', 'web', { spec: { paused: true } })), { status: 'Healthy', message: '' });
});
