/**
 * ReplicaSet (apps/v1), as Argo CD judges it: a true ReplicaFailure condition (Pods could not be created, e.g. a
 * quota refused them) → Degraded with its message; Progressing until the desired replicas are available.
 */
import type { KubeObject } from '../model/resource.js';
import { count, findCondition, generationNotObserved, named, number, result, withDetail } from './fields.js';
import type { HealthResult } from './types.js';

export function replicaSetHealth(set: KubeObject): HealthResult {
  if (generationNotObserved(set)) {
    return result('Progressing', 'Waiting for rollout to finish: observed replica set generation less than desired generation');
  }
  const failure = findCondition(set, 'ReplicaFailure');
  if (failure?.status === 'True') return result('Degraded', withDetail(`${named(set)} cannot create its pods`, failure.message));
  const desired = number(set, 'spec', 'replicas');
  const available = count(set, 'status', 'availableReplicas');
  if (desired !== undefined && available < desired) {
    return result('Progressing', `Waiting for rollout to finish: ${available} out of ${desired} new replicas are available...`);
  }
  return result('Healthy', `${named(set)} has ${available} of ${desired ?? available} replicas available`);
}
