/**
 * The convention most controllers follow (Flux, Crossplane, cluster-api, cert-manager and many operators): a
 * `Ready` condition in `status.conditions`. True → Healthy, False → Degraded with its message, Unknown → Progressing.
 * A status older than the spec (`status.observedGeneration` behind `metadata.generation`) is Progressing whatever it
 * says. Objects without a Ready condition get no opinion from this rule.
 */
import type { KubeObject } from '../model/resource.js';
import type { Condition } from './fields.js';
import { findCondition, generationNotObserved, named, number, result, withDetail } from './fields.js';
import type { HealthResult } from './types.js';

/** Health from one condition whose True means "good": the rule shared by Ready, SealedSecret's Synced, … */
export function conditionHealth(object: KubeObject, condition: Condition): HealthResult {
  const detail = condition.message === '' ? condition.reason : condition.message;
  if (condition.status === 'True') return result('Healthy', withDetail(`${named(object)} is ${condition.type}`, detail));
  if (condition.status === 'False') return result('Degraded', withDetail(`${named(object)} is not ${condition.type}`, detail));
  return result('Progressing', withDetail(`${named(object)} is not ${condition.type} yet`, detail));
}

/** True when the object reports `status.observedGeneration` and it is behind `metadata.generation`. */
function staleStatus(object: KubeObject): boolean {
  return number(object, 'status', 'observedGeneration') !== undefined && generationNotObserved(object);
}

export function readyConditionHealth(object: KubeObject): HealthResult | undefined {
  const ready = findCondition(object, 'Ready');
  if (ready === undefined) return undefined;
  if (staleStatus(object)) return result('Progressing', `${named(object)}: waiting for the controller to observe the latest spec`);
  return conditionHealth(object, ready);
}
