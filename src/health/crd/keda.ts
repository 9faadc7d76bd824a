/**
 * KEDA (keda.sh/v1alpha1 ScaledObject, ScaledJob), as Argo CD's bundled scripts judge them: every condition is
 * read and the last one that matters gives the message. Degraded wins (Ready=False; for ScaledObject also
 * Fallback=True — metrics are failing and KEDA scales to the fallback replicas; for ScaledJob also Ready=Unknown);
 * then Ready=True is Healthy, or Suspended when Paused=True too; otherwise Progressing.
 */
import type { KubeObject } from '../../model/resource.js';
import type { Condition } from '../fields.js';
import { conditionsOf } from '../fields.js';
import type { HealthResult } from '../types.js';
import { about } from './conditions.js';

interface KedaRule {
  readonly degraded: (condition: Condition) => boolean;
  readonly waiting: string;
}

function kedaHealth(object: KubeObject, rule: KedaRule): HealthResult {
  let message = '';
  let healthy = false;
  let degraded = false;
  let paused = false;
  for (const condition of conditionsOf(object)) {
    const ready = condition.type === 'Ready' && condition.status === 'True';
    const pausedNow = condition.type === 'Paused' && condition.status === 'True';
    const degradedNow = rule.degraded(condition);
    if (ready || pausedNow || degradedNow) message = condition.message;
    healthy ||= ready;
    paused ||= pausedNow;
    degraded ||= degradedNow;
  }
  if (degraded) return about(object, 'Degraded', message);
  if (healthy) return about(object, paused ? 'Suspended' : 'Healthy', message);
  return about(object, 'Progressing', rule.waiting);
}

const SCALED_OBJECT: KedaRule = {
  degraded: ({ type, status }) => (type === 'Ready' && status === 'False') || (type === 'Fallback' && status === 'True'),
  waiting: 'Creating HorizontalPodAutoscaler Object',
};

const SCALED_JOB: KedaRule = {
  degraded: ({ type, status }) => type === 'Ready' && (status === 'False' || status === 'Unknown'),
  waiting: 'Waiting for ScaledJob',
};

export function scaledObjectHealth(scaledObject: KubeObject): HealthResult {
  return kedaHealth(scaledObject, SCALED_OBJECT);
}

export function scaledJobHealth(scaledJob: KubeObject): HealthResult {
  return kedaHealth(scaledJob, SCALED_JOB);
}
