/**
 * Pod (v1), as Argo CD judges it. Pods that restart forever (restartPolicy Always) are Degraded as soon as a
 * container waits with an error (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError…).
 * Pods with a finite life (OnFailure, Never — typically hooks) are never judged by a waiting reason, so a hook whose
 * image is briefly missing does not fail the sync; while they run they are Progressing, and Healthy once Succeeded.
 * The `argocd.argoproj.io/ignore-restart-policy: "true"` annotation makes such a Pod judged as a long-running one
 * (errors Degraded, Healthy once ready) — except a hook, whose judgement must not fail a sync early.
 */
import { ANNOTATION } from '../model/annotations.js';
import type { KubeObject } from '../model/resource.js';
import { count, field, findCondition, list, named, result, text, withDetail } from './fields.js';
import type { HealthResult } from './types.js';

interface ContainerState {
  readonly name: string;
  readonly waitingReason: string | undefined;
  readonly waitingMessage: string;
  readonly terminated: unknown;
  readonly lastTerminated: unknown;
}

function containerStates(pod: KubeObject, statuses: 'containerStatuses' | 'initContainerStatuses'): ContainerState[] {
  return list(pod, 'status', statuses).map((entry) => ({
    name: text(entry, 'name') ?? '',
    waitingReason: text(entry, 'state', 'waiting', 'reason'),
    waitingMessage: text(entry, 'state', 'waiting', 'message') ?? '',
    terminated: field(entry, 'state', 'terminated'),
    lastTerminated: field(entry, 'lastState', 'terminated'),
  }));
}

const IGNORE_RESTART_POLICY = 'argocd.argoproj.io/ignore-restart-policy';
const HOOK_TYPES = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PreDelete', 'PostDelete', 'Skip']);

/**
 * gitops-engine's hook test for this rule: Argo CD's hook annotation, unless its only valid type is Skip (a
 * resource the sync skips is not a hook); else a Helm hook other than `crd-install`.
 */
function isHook(pod: KubeObject): boolean {
  const annotations = pod.metadata.annotations ?? {};
  const argoHook: unknown = annotations[ANNOTATION.hook];
  if (typeof argoHook === 'string') {
    const types = argoHook.split(',').map((type) => type.trim()).filter((type) => HOOK_TYPES.has(type));
    return !(types.length === 1 && types[0] === 'Skip');
  }
  const helmHook = annotations[ANNOTATION.helmHook];
  return helmHook !== undefined && helmHook !== 'crd-install';
}

/** Judged as a Pod that restarts forever: restartPolicy Always, or the annotation on a Pod that is not a hook. */
function isLongRunning(pod: KubeObject, restartPolicy: string | undefined): boolean {
  if (restartPolicy === 'Always') return true;
  return pod.metadata.annotations?.[IGNORE_RESTART_POLICY] === 'true' && !isHook(pod);
}

const isErrorReason = (reason: string): boolean => reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');

/** Containers waiting with an error reason, one message each ("back-off 5m0s restarting failed container=…"). */
function waitingErrors(pod: KubeObject): string[] {
  return containerStates(pod, 'containerStatuses').flatMap(({ name, waitingReason, waitingMessage }) => {
    if (waitingReason === undefined || !isErrorReason(waitingReason)) return [];
    return [waitingMessage === '' ? `container "${name}" is waiting: ${waitingReason}` : waitingMessage];
  });
}

/** Why a terminated container failed: its message, OOMKilled, or its exit code; '' when it did not fail. */
function failure({ name, terminated }: ContainerState): string {
  if (terminated === undefined || terminated === null) return '';
  const message = text(terminated, 'message') ?? '';
  if (message !== '') return message;
  if (text(terminated, 'reason') === 'OOMKilled') return 'OOMKilled';
  const exitCode = count(terminated, 'exitCode');
  return exitCode === 0 ? '' : `container "${name}" failed with exit code ${exitCode}`;
}

function failedHealth(pod: KubeObject, message: string): HealthResult {
  const containers = [...containerStates(pod, 'initContainerStatuses'), ...containerStates(pod, 'containerStatuses')];
  const reason = message === '' ? (containers.map(failure).find((found) => found !== '') ?? '') : message;
  return result('Degraded', withDetail(`${named(pod)} failed`, reason));
}

function pendingHealth(pod: KubeObject, message: string): HealthResult {
  const scheduled = findCondition(pod, 'PodScheduled');
  const unschedulable = scheduled?.status === 'False' ? scheduled.message : '';
  return result('Progressing', withDetail(`${named(pod)} is pending`, message === '' ? unschedulable : message));
}

function runningHealth(pod: KubeObject, message: string, restartPolicy: string | undefined): HealthResult | undefined {
  const say = (what: string): string => withDetail(`${named(pod)} ${what}`, message);
  if (!isLongRunning(pod, restartPolicy)) {
    return restartPolicy === 'OnFailure' || restartPolicy === 'Never' ? result('Progressing', say('is running')) : undefined;
  }
  if (findCondition(pod, 'Ready')?.status === 'True') return result('Healthy', say('is running and ready'));
  const restarted = containerStates(pod, 'containerStatuses').some(({ lastTerminated }) => lastTerminated !== undefined && lastTerminated !== null);
  if (restarted) return result('Degraded', say('is not ready and a container has terminated'));
  return result('Progressing', say('is running but not ready'));
}

/**
 * Messages name the Pod and carry what Kubernetes said: the Pod's status message, else the waiting or terminated
 * container's, else why it is not scheduled.
 */
export function podHealth(pod: KubeObject): HealthResult {
  const restartPolicy = text(pod, 'spec', 'restartPolicy');
  const message = text(pod, 'status', 'message') ?? '';
  if (isLongRunning(pod, restartPolicy)) {
    const errors = waitingErrors(pod);
    if (errors.length > 0) return result('Degraded', `${named(pod)}: ${errors.join(', ')}`);
  }
  const phase = text(pod, 'status', 'phase');
  switch (phase) {
    case 'Pending':
      return pendingHealth(pod, message);
    case 'Succeeded':
      return result('Healthy', withDetail(`${named(pod)} has completed`, message));
    case 'Failed':
      return failedHealth(pod, message);
    case 'Running': {
      const running = runningHealth(pod, message, restartPolicy);
      if (running !== undefined) return running;
    }
  }
  return result('Unknown', withDetail(`${named(pod)} is in phase "${phase ?? ''}"`, message));
}
