/**
 * Argo Rollouts (argoproj.io/v1alpha1 Rollout, AnalysisRun, Experiment), as Argo CD's bundled scripts judge them.
 *
 * Rollout: a spec the controller has not observed yet (status.observedGeneration, or the workload-generation
 * annotation against status.workloadObservedGeneration for workloadRef rollouts) → Progressing; from Rollouts 1.0
 * on the controller writes `status.phase`/`status.message`, which are surfaced as they are (Paused → Suspended).
 * Older controllers are judged from conditions, pause state and replica counts as Argo CD does.
 */
import type { KubeObject } from '../../model/resource.js';
import { conditionsOf, count, field, list, number, text } from '../fields.js';
import type { HealthResult, HealthStatus } from '../types.js';
import { about } from './conditions.js';

const WORKLOAD_GENERATION_ANNOTATION = 'rollout.argoproj.io/workload-generation';
const PHASE_HEALTH: Readonly<Record<string, HealthStatus>> = { Healthy: 'Healthy', Progressing: 'Progressing', Degraded: 'Degraded', Paused: 'Suspended', Suspended: 'Suspended' };

/** Rollouts before v0.10 report no numeric observedGeneration (or a hash): nothing to compare, so it counts as observed. */
function specObserved(rollout: KubeObject): boolean {
  if (field(rollout, 'status') === undefined) return false;
  const observed = Number(field(rollout, 'status', 'observedGeneration') ?? Number.NaN);
  const generation = count(rollout, 'metadata', 'generation');
  if (Number.isNaN(observed) || observed > generation) return true;
  return observed === generation;
}

function workloadObserved(rollout: KubeObject): boolean {
  const annotation = rollout.metadata.annotations?.[WORKLOAD_GENERATION_ANNOTATION];
  if (field(rollout, 'spec', 'workloadRef') === undefined || annotation === undefined) return true;
  const observed = field(rollout, 'status', 'workloadObservedGeneration');
  return Number(annotation) === Number(observed);
}

function failedCondition(rollout: KubeObject): string | undefined {
  for (const condition of conditionsOf(rollout)) {
    if (condition.type === 'InvalidSpec') return condition.message;
    if (condition.type === 'Progressing' && (condition.reason === 'RolloutAborted' || condition.reason === 'ProgressDeadlineExceeded')) return condition.message;
  }
  return undefined;
}

function isPaused(rollout: KubeObject): boolean {
  return list(rollout, 'status', 'pauseConditions').length > 0 || field(rollout, 'spec', 'paused') === true;
}

/** In Rollouts v0.8 `status.canary.stableRS` moved to `status.stableRS`. */
function stableReplicaSet(rollout: KubeObject): string {
  return text(rollout, 'status', 'stableRS') ?? text(rollout, 'status', 'canary', 'stableRS') ?? '';
}

/** The replica and strategy checks of controllers that write no phase (before Rollouts 1.0). */
function legacyRolloutHealth(rollout: KubeObject, currentPodHash: string): HealthResult {
  const desired = number(rollout, 'spec', 'replicas') ?? 1;
  const replicas = count(rollout, 'status', 'replicas');
  const updated = count(rollout, 'status', 'updatedReplicas');
  const available = count(rollout, 'status', 'availableReplicas');
  if (updated < desired) return about(rollout, 'Progressing', 'Waiting for roll out to finish: More replicas need to be updated');
  if (available < updated) return about(rollout, 'Progressing', 'Waiting for roll out to finish: updated replicas are still becoming available');
  const stable = stableReplicaSet(rollout);
  if (field(rollout, 'spec', 'strategy', 'blueGreen') !== undefined) {
    if (text(rollout, 'status', 'blueGreen', 'activeSelector') !== currentPodHash) return about(rollout, 'Progressing', 'active service cutover pending');
    if (stable !== '' && stable !== currentPodHash) return about(rollout, 'Progressing', 'waiting for analysis to complete');
  } else if (field(rollout, 'spec', 'strategy', 'canary') !== undefined) {
    if (replicas > updated) return about(rollout, 'Progressing', 'Waiting for roll out to finish: old replicas are pending termination');
    if (stable === '' || stable !== currentPodHash) return about(rollout, 'Progressing', 'Waiting for rollout to finish steps');
  }
  return about(rollout, 'Healthy', '');
}

export function rolloutHealth(rollout: KubeObject): HealthResult {
  if (!specObserved(rollout) || !workloadObserved(rollout)) return about(rollout, 'Progressing', 'Waiting for rollout spec update to be observed');
  const phase = text(rollout, 'status', 'phase');
  if (phase !== undefined) {
    const status = PHASE_HEALTH[phase];
    const message = text(rollout, 'status', 'message') ?? '';
    return status === undefined ? about(rollout, 'Unknown', `reports an unknown phase "${phase}"`) : about(rollout, status, message);
  }
  const failed = failedCondition(rollout);
  if (failed !== undefined) return about(rollout, 'Degraded', failed);
  if (isPaused(rollout)) return about(rollout, 'Suspended', 'Rollout is paused');
  const currentPodHash = text(rollout, 'status', 'currentPodHash');
  if (currentPodHash === undefined) return about(rollout, 'Progressing', 'Waiting for rollout to finish: status has not been reconciled.');
  return legacyRolloutHealth(rollout, currentPodHash);
}

interface PhaseRule {
  readonly status: HealthStatus;
  readonly message: string;
  /** Argo CD shows `status.message` instead of `message` when the controller wrote one. */
  readonly preferStatusMessage?: boolean;
}

function phaseHealth(object: KubeObject, rules: Readonly<Record<string, PhaseRule>>, unreconciled: string): HealthResult {
  if (field(object, 'status') === undefined) return about(object, 'Progressing', unreconciled);
  const phase = text(object, 'status', 'phase') ?? '';
  const rule = rules[phase];
  if (rule === undefined) return about(object, 'Unknown', `is in phase "${phase}"`);
  const written = text(object, 'status', 'message');
  return about(object, rule.status, rule.preferStatusMessage === true && written !== undefined ? written : rule.message);
}

const ANALYSIS_RUN: Readonly<Record<string, PhaseRule>> = {
  Pending: { status: 'Progressing', message: 'Analysis run is running' },
  Running: { status: 'Progressing', message: 'Analysis run is running' },
  Successful: { status: 'Healthy', message: 'Analysis run completed successfully', preferStatusMessage: true },
  Failed: { status: 'Degraded', message: 'Analysis run failed', preferStatusMessage: true },
  Error: { status: 'Degraded', message: 'Analysis run had an error', preferStatusMessage: true },
  Inconclusive: { status: 'Unknown', message: 'Analysis run was inconclusive', preferStatusMessage: true },
};

const EXPERIMENT: Readonly<Record<string, PhaseRule>> = {
  Pending: { status: 'Progressing', message: 'Experiment is pending' },
  Running: { status: 'Progressing', message: 'Experiment is running' },
  Successful: { status: 'Healthy', message: 'Experiment is successful' },
  Failed: { status: 'Degraded', message: 'Experiment has failed' },
  Error: { status: 'Degraded', message: 'Experiment had an error' },
};

export function analysisRunHealth(run: KubeObject): HealthResult {
  return phaseHealth(run, ANALYSIS_RUN, 'Waiting for analysis run to finish: status has not been reconciled.');
}

export function experimentHealth(experiment: KubeObject): HealthResult {
  return phaseHealth(experiment, EXPERIMENT, 'Waiting for experiment to finish: status has not been reconciled.');
}
