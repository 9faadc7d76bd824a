/**
 * DaemonSet (apps/v1), as Argo CD and `kubectl rollout status` judge it: the spec must be observed; OnDelete sets are
 * Healthy as they are; RollingUpdate sets are Progressing until every scheduled Pod is updated and available.
 */
import type { KubeObject } from '../model/resource.js';
import { count, generationNotObserved, named, result, text } from './fields.js';
import type { HealthResult } from './types.js';

export function daemonSetHealth(daemon: KubeObject): HealthResult {
  if (generationNotObserved(daemon)) {
    return result('Progressing', 'Waiting for rollout to finish: observed daemon set generation less than desired generation');
  }
  const desired = count(daemon, 'status', 'desiredNumberScheduled');
  const updated = count(daemon, 'status', 'updatedNumberScheduled');
  const available = count(daemon, 'status', 'numberAvailable');
  if (text(daemon, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
    return result('Healthy', `daemon set ${updated} out of ${desired} new pods have been updated`);
  }
  const waiting = `Waiting for daemon set "${daemon.metadata.name ?? ''}" rollout to finish`;
  if (updated < desired) return result('Progressing', `${waiting}: ${updated} out of ${desired} new pods have been updated...`);
  if (available < desired) return result('Progressing', `${waiting}: ${available} of ${desired} updated pods are available...`);
  return result('Healthy', `${named(daemon)} has ${available} of ${desired} pods available`);
}
