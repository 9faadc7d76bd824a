/**
 * GIVEN HorizontalPodAutoscalers (autoscaling/v1 with conditions in an annotation, and v2) and Pods annotated
 * `argocd.argoproj.io/ignore-restart-policy`, WHEN their health is assessed, THEN the result is gitops-engine's
 * (pkg/health/health_hpa.go and health_pod.go), branch by branch.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessHealth } from '../../../src/health/index.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { fixture } from './fixtures.js';

const ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

function hpaV1(conditions: string): KubeObject {
  const base = fixture('hpa-v1-degraded');
  return { ...base, metadata: { ...base.metadata, annotations: { [ANNOTATION]: conditions } } };
}

const entry = (type: string, status: string, reason: string, message: string): Record<string, string> => ({ type, status, reason, message });
const ableToScale = entry('AbleToScale', 'True', 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale');

test('autoscaling/v1: the fixture carries its conditions in the annotation, not in status', () => {
  const hpa = fixture('hpa-v1-degraded');
  assert.equal(hpa.apiVersion, 'autoscaling/v1');
  assert.equal((hpa.status as Record<string, unknown>).conditions, undefined);
  assert.match(hpa.metadata.annotations?.[ANNOTATION] ?? '', /FailedGetScale/);
});

test('autoscaling/v1: a FailedGet… reason is Degraded even after a condition that would be Healthy', () => {
  for (const reason of ['FailedGetResourceMetric', 'FailedGetObjectMetric', 'FailedGetPodsMetric', 'FailedGetExternalMetric', 'FailedComputeMetricsReplicas', 'InvalidSelector']) {
    const conditions = JSON.stringify([ableToScale, entry('ScalingActive', 'False', reason, `metrics failed (${reason})`)]);
    assert.deepEqual(assessHealth(hpaV1(conditions)), { status: 'Degraded', message: `HorizontalPodAutoscaler "orphan": metrics failed (${reason})` }, reason);
  }
});

test('autoscaling/v1: ScalingActive=False for another reason is not a failure', () => {
  const conditions = JSON.stringify([ableToScale, entry('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero')]);
  assert.deepEqual(assessHealth(hpaV1(conditions)), { status: 'Healthy', message: 'HorizontalPodAutoscaler "orphan": the HPA controller was able to get the target\'s current scale' });
});

test('autoscaling/v1: an empty or null list waits; keys match case-insensitively, as Go decodes them', () => {
  assert.deepEqual(assessHealth(hpaV1('[]')), { status: 'Progressing', message: 'Waiting to Autoscale' });
  assert.deepEqual(assessHealth(hpaV1('null')), { status: 'Progressing', message: 'Waiting to Autoscale' });
  const upper = JSON.stringify([{ Type: 'ScalingLimited', Status: 'True', Reason: 'TooManyReplicas', Message: 'at the maximum' }]);
  assert.deepEqual(assessHealth(hpaV1(upper)), { status: 'Healthy', message: 'HorizontalPodAutoscaler "orphan": at the maximum' });
});

test('autoscaling/v1: an annotation Go could not decode is Unknown', () => {
  for (const unreadable of ['{"type":"AbleToScale"}', '[{"type": 1}]', '[1]', 'not json']) {
    assert.deepEqual(assessHealth(hpaV1(unreadable)), { status: 'Unknown', message: `HorizontalPodAutoscaler "orphan" has an unreadable ${ANNOTATION} annotation` }, unreadable);
  }
});

test('autoscaling/v2: the failure search covers every condition before the success search', () => {
  const base = fixture('hpa-healthy');
  const external = entry('ScalingActive', 'False', 'FailedGetExternalMetric', 'unable to get external metric queue_depth');
  const hpa = { ...base, status: { conditions: [ableToScale, external] } };
  assert.deepEqual(assessHealth(hpa), { status: 'Degraded', message: 'HorizontalPodAutoscaler "idle": unable to get external metric queue_depth' });
});

const IGNORE = 'argocd.argoproj.io/ignore-restart-policy';

/** A captured Pod with its restart policy, annotations and status replaced. */
function pod(name: string, restartPolicy: string, annotations: Record<string, string>, status?: Record<string, unknown>): KubeObject {
  const base = fixture(name);
  return {
    ...base,
    metadata: { ...base.metadata, annotations: { ...base.metadata.annotations, ...annotations } },
    spec: { ...(base.spec as Record<string, unknown>), restartPolicy },
    status: { ...(base.status as Record<string, unknown>), ...status },
  };
}

const pullBackOff = { containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example/api:2"' } } }] };

test('a Never Pod annotated ignore-restart-policy is judged as a long-running Pod', () => {
  assert.deepEqual(assessHealth(pod('pod-running', 'Never', { [IGNORE]: 'true' })), { status: 'Healthy', message: 'Pod "api" is running and ready' });
  assert.deepEqual(assessHealth(pod('pod-running', 'OnFailure', { [IGNORE]: 'true' }, pullBackOff)), { status: 'Degraded', message: 'Pod "api": Back-off pulling image "registry.example/api:2"' });
  const notReadyAfterRestart = { conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'app', lastState: { terminated: { exitCode: 1 } } }] };
  assert.deepEqual(assessHealth(pod('pod-running', 'Never', { [IGNORE]: 'true' }, notReadyAfterRestart)), { status: 'Degraded', message: 'Pod "api" is not ready and a container has terminated' });
});

test('without the annotation, or with another value, a Never Pod keeps the finite-life rule', () => {
  for (const annotations of [{}, { [IGNORE]: 'false' }, { [IGNORE]: 'True' }]) {
    assert.deepEqual(assessHealth(pod('pod-running', 'Never', annotations)), { status: 'Progressing', message: 'Pod "api" is running' });
    assert.equal(assessHealth(pod('pod-running', 'Never', annotations, pullBackOff)).status, 'Progressing');
  }
});

test('hooks ignore the annotation (Argo CD and Helm hooks), except an Argo CD "Skip" or a Helm crd-install', () => {
  for (const hook of [{ 'argocd.argoproj.io/hook': 'PreSync' }, { 'argocd.argoproj.io/hook': 'Skip,PostSync' }, { 'helm.sh/hook': 'pre-install' }]) {
    assert.deepEqual(assessHealth(pod('pod-running', 'Never', { [IGNORE]: 'true', ...hook })), { status: 'Progressing', message: 'Pod "api" is running' }, JSON.stringify(hook));
  }
  for (const notHook of [{ 'argocd.argoproj.io/hook': 'Skip' }, { 'helm.sh/hook': 'crd-install' }]) {
    assert.deepEqual(assessHealth(pod('pod-running', 'Never', { [IGNORE]: 'true', ...notHook })), { status: 'Healthy', message: 'Pod "api" is running and ready' }, JSON.stringify(notHook));
  }
});
