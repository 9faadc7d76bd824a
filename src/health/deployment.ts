/**
 * Deployment (apps/v1), as Argo CD and `kubectl rollout status` judge it: paused → Suspended; a spec the controller
 * has not observed yet → Progressing; the Progressing condition's ProgressDeadlineExceeded → Degraded; otherwise
 * Progressing until every replica is updated, old replicas are gone and the updated ones are available.
 */
import type { KubeObject } from '../model/resource.js';
import { count, field, findCondition, generationNotObserved, named, number, result } from './fields.js';
import type { HealthResult } from './types.js';

const WAITING = 'Waiting for rollout to finish';

export function deploymentHealth(deployment: KubeObject): HealthResult {
  if (field(deployment, 'spec', 'paused') === true) return result('Suspended', `${named(deployment)} is paused`);
  if (generationNotObserved(deployment)) {
    return result('Progressing', `${WAITING}: observed deployment generation less than desired generation`);
  }
  if (findCondition(deployment, 'Progressing')?.reason === 'ProgressDeadlineExceeded') {
    return result('Degraded', `${named(deployment)} exceeded its progress deadline`);
  }
  const desired = number(deployment, 'spec', 'replicas');
  const replicas = count(deployment, 'status', 'replicas');
  const updated = count(deployment, 'status', 'updatedReplicas');
  const available = count(deployment, 'status', 'availableReplicas');
  if (desired !== undefined && updated < desired) {
    return result('Progressing', `${WAITING}: ${updated} out of ${desired} new replicas have been updated...`);
  }
  if (replicas > updated) {
    return result('Progressing', `${WAITING}: ${replicas - updated} old replicas are pending termination...`);
  }
  if (available < updated) {
    return result('Progressing', `${WAITING}: ${available} of ${updated} updated replicas are available...`);
  }
  return result('Healthy', `${named(deployment)} has ${available} of ${desired ?? replicas} replicas available`);
}
