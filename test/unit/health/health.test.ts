/**
 * GIVEN objects captured from a real control plane (test/fixtures/health, written by
 * scripts/capture-health-fixtures.mjs), WHEN their health is assessed, THEN status and message are Argo CD's.
 * One row per fixture; a fixture without a row fails the suite.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessHealth } from '../../../src/health/index.js';
import { fixture, fixtureNames, fixtureText } from './fixtures.js';
import type { FixtureRow } from './operator-table.js';
import { CAPTURED_WITHOUT_STATUS, OPERATOR_TABLE } from './operator-table.js';

const CORE_TABLE: readonly FixtureRow[] = [
  ['apiservice-available', 'Healthy', 'APIService "v1.apps" is available (Local: Local APIServices are always available)'],
  ['apiservice-unavailable', 'Progressing', 'APIService "v1alpha1.metrics.launchpad.dev" is not available (ServiceNotFound: service/metrics-server in "health" is not present)'],
  ['application-degraded', 'Degraded', 'Deployment "checkout" exceeded its progress deadline'],
  ['application-healthy', 'Healthy', 'Application "payments" is Healthy'],
  ['application-unreported', 'Progressing', 'Application "search" has not reported its health yet'],
  ['certificate-failed', 'Degraded', 'Certificate "api" is not Ready: The certificate request has failed to complete and will be retried: order is in "invalid" state'],
  ['certificate-issuing', 'Progressing', 'Certificate "blog" is being issued: Issuing certificate as Secret does not exist'],
  ['certificate-ready', 'Healthy', 'Certificate "shop" is Ready: Certificate is up to date and has not expired'],
  ['configmap-deleting', 'Progressing', 'ConfigMap "settings" is being deleted'],
  ['cronjob-degraded', 'Degraded', 'CronJob "report" has not completed its last run successfully'],
  ['cronjob-healthy', 'Healthy', 'CronJob "report" completed its last run successfully'],
  ['cronjob-never-succeeded', 'Healthy', 'CronJob "never" has never completed successfully; it may not be healthy'],
  ['cronjob-suspended', 'Suspended', 'CronJob "nightly" is suspended'],
  ['cronjob-unscheduled', 'Healthy', 'CronJob "report" has not been scheduled yet'],
  ['daemonset-healthy', 'Healthy', 'DaemonSet "agent" has 1 of 1 pods available'],
  ['daemonset-progressing', 'Progressing', 'Waiting for daemon set "agent-rollout" rollout to finish: 0 of 1 updated pods are available...'],
  ['deployment-degraded', 'Degraded', 'Deployment "stuck" exceeded its progress deadline'],
  ['deployment-generation-unobserved', 'Progressing', 'Waiting for rollout to finish: observed deployment generation less than desired generation'],
  ['deployment-healthy', 'Healthy', 'Deployment "web" has 2 of 2 replicas available'],
  ['deployment-progressing', 'Progressing', 'Waiting for rollout to finish: 0 of 3 updated replicas are available...'],
  ['deployment-suspended', 'Suspended', 'Deployment "paused" is paused'],
  ['hpa-degraded', 'Degraded', 'HorizontalPodAutoscaler "orphan": the HPA controller was unable to get the target\'s current scale: deployments.apps "no-such-deployment" not found'],
  // Its target is scaled to zero: AbleToScale=True, ScalingActive=False with reason ScalingDisabled (not a failure).
  ['hpa-healthy', 'Healthy', 'HorizontalPodAutoscaler "idle": the HPA controller was able to get the target\'s current scale'],
  // AbleToScale=True comes first, but gitops-engine looks for a failure (FailedGetResourceMetric) in every condition
  // before it looks for a success.
  ['hpa-metrics-unavailable', 'Degraded', 'HorizontalPodAutoscaler "fresh": the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)'],
  ['hpa-progressing', 'Progressing', 'Waiting to Autoscale'],
  // autoscaling/v1: the conditions are in the autoscaling.alpha.kubernetes.io/conditions annotation.
  ['hpa-v1-degraded', 'Degraded', 'HorizontalPodAutoscaler "orphan": the HPA controller was unable to get the target\'s current scale: deployments.apps "no-such-deployment" not found'],
  ['ingress-healthy', 'Healthy', 'Ingress "blog" has address 203.0.113.20'],
  ['ingress-pending', 'Progressing', 'Ingress "shop" is waiting for an address from its ingress controller'],
  ['job-complete', 'Healthy', 'Job "migrate" completed: Reached expected number of succeeded pods'],
  ['job-failed', 'Degraded', 'Job "deadline" failed: Job was active longer than specified deadline'],
  ['job-running', 'Progressing', 'Job "waiting" is running (1 active, 0 succeeded, 0 failed)'],
  ['job-suspended', 'Suspended', 'Job "later" is suspended: Job suspended'],
  ['kustomization-failed', 'Degraded', 'Kustomization "apps" is not Ready: kustomize build failed: accumulating resources: open apps/missing: no such file or directory'],
  ['kustomization-ready', 'Healthy', 'Kustomization "infra" is Ready: Applied revision: main@sha1:3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49'],
  ['kustomization-reconciling', 'Progressing', 'Kustomization "tenants" is not Ready yet: Reconciliation in progress'],
  ['pod-crashloop', 'Degraded', 'Pod "crashloop": back-off 1m20s restarting failed container=app pod=crashloop_health'],
  ['pod-failed', 'Degraded', 'Pod "failing" failed: container "app" failed with exit code 3'],
  ['pod-pending', 'Progressing', /^Pod "unschedulable" is pending: 0\/1 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector\./],
  ['pod-running', 'Healthy', 'Pod "api" is running and ready'],
  ['pod-succeeded', 'Healthy', /^Pod "migrate-[a-z0-9]{5}" has completed$/],
  ['pvc-bound', 'Healthy', 'PersistentVolumeClaim "data" is bound to PersistentVolume "pv-data"'],
  ['pvc-lost', 'Degraded', 'PersistentVolumeClaim "data" lost its PersistentVolume "pv-data"'],
  ['pvc-pending', 'Progressing', 'PersistentVolumeClaim "unbound" is waiting for a volume to be bound'],
  ['replicaset-degraded', 'Degraded', /^ReplicaSet "refused" cannot create its pods: pods "refused-[a-z0-9]{5}" is forbidden: exceeded quota: no-pods/],
  ['replicaset-healthy', 'Healthy', /^ReplicaSet "web-[a-z0-9]+" has 2 of 2 replicas available$/],
  ['replicaset-progressing', 'Progressing', 'Waiting for rollout to finish: 0 out of 3 new replicas are available...'],
  ['sealedsecret-failed', 'Degraded', 'SealedSecret "api-token" is not Synced: no key could decrypt secret (password)'],
  ['sealedsecret-synced', 'Healthy', 'SealedSecret "db-credentials" is Synced'],
  ['service-clusterip', 'Healthy', ''],
  ['service-lb-healthy', 'Healthy', 'Service "public" has load balancer address 203.0.113.10'],
  ['service-lb-pending', 'Progressing', 'Service "edge" is waiting for its load balancer address'],
  // A live StatefulSet always has a defaulted rollingUpdate.partition, so Argo CD's partitioned branch decides.
  ['statefulset-healthy', 'Healthy', 'partitioned roll out complete: 2 new pods have been updated...'],
  ['statefulset-progressing', 'Progressing', 'Waiting for 2 pods to be ready...'],
];

const TABLE: readonly FixtureRow[] = [...CORE_TABLE, ...OPERATOR_TABLE];

for (const [name, status, message] of TABLE) {
  test(`fixture ${name}.yaml is ${status}`, () => {
    const health = assessHealth(fixture(name));
    assert.equal(health.status, status, health.message);
    if (typeof message === 'string') assert.equal(health.message, message);
    else assert.match(health.message, message);
  });
}

test('every fixture has a row in the table, and every row a fixture', () => {
  assert.deepEqual(TABLE.map(([name]) => name).sort(), fixtureNames());
});

test('fixtures say where they came from, and which statuses the capture script wrote', () => {
  for (const name of fixtureNames()) {
    const header = fixtureText(name).split('\n').filter((line) => line.startsWith('#'));
    assert.match(header[0] ?? '', /^# Captured by scripts\/capture-health-fixtures\.mjs from a tier-2 test control plane/, name);
  }
  // The states no controller of the test control plane produces are marked as written by the script.
  const written = fixtureNames().filter((name) => fixtureText(name).includes('\n# Status written through the API'));
  const operators = OPERATOR_TABLE.map(([name]) => name).filter((name) => !CAPTURED_WITHOUT_STATUS.includes(name));
  assert.deepEqual(written, [
    'application-degraded', 'application-healthy', 'certificate-failed', 'certificate-issuing', 'certificate-ready', 'cronjob-degraded',
    'ingress-healthy', 'kustomization-failed', 'kustomization-ready', 'kustomization-reconciling', 'pod-crashloop', 'pod-failed',
    'sealedsecret-failed', 'sealedsecret-synced', 'service-lb-healthy', ...operators,
  ].sort());
});
