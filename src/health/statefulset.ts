/**
 * StatefulSet (apps/v1), as Argo CD and `kubectl rollout status` judge it: the spec must be observed, every replica
 * ready, and the update finished — up to the partition for RollingUpdate with a partition, at the update revision
 * otherwise. OnDelete sets are Healthy once their replicas are ready (updates wait for someone to delete Pods).
 */
import type { KubeObject } from '../model/resource.js';
import { count, field, generationNotObserved, named, number, result, text } from './fields.js';
import type { HealthResult } from './types.js';

export function statefulSetHealth(set: KubeObject): HealthResult {
  if (count(set, 'status', 'observedGeneration') === 0 || generationNotObserved(set)) {
    return result('Progressing', 'Waiting for statefulset spec update to be observed...');
  }
  const desired = number(set, 'spec', 'replicas');
  const ready = count(set, 'status', 'readyReplicas');
  const updated = count(set, 'status', 'updatedReplicas');
  if (desired !== undefined && ready < desired) {
    return result('Progressing', `Waiting for ${desired - ready} pods to be ready...`);
  }
  const strategy = text(set, 'spec', 'updateStrategy', 'type');
  const rollingUpdate = field(set, 'spec', 'updateStrategy', 'rollingUpdate');
  if (strategy === 'RollingUpdate' && rollingUpdate !== undefined && rollingUpdate !== null) {
    const partition = number(rollingUpdate, 'partition');
    if (desired !== undefined && partition !== undefined && updated < desired - partition) {
      return result('Progressing', `Waiting for partitioned roll out to finish: ${updated} out of ${desired - partition} new pods have been updated...`);
    }
    return result('Healthy', `partitioned roll out complete: ${updated} new pods have been updated...`);
  }
  if (strategy === 'OnDelete') return result('Healthy', `${named(set)} has ${ready} ready pods`);
  const updateRevision = text(set, 'status', 'updateRevision') ?? '';
  const currentRevision = text(set, 'status', 'currentRevision') ?? '';
  if (updateRevision !== currentRevision) {
    return result('Progressing', `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`);
  }
  return result('Healthy', `statefulset rolling update complete ${count(set, 'status', 'currentReplicas')} pods at revision ${currentRevision}...`);
}
