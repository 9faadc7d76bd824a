/**
 * HorizontalPodAutoscaler (autoscaling/v1, v2), as Argo CD judges it: conditions are read in order (from
 * `status.conditions`, or for v1 from the `autoscaling.alpha.kubernetes.io/conditions` annotation) and the first
 * decisive one wins — a failure to get the scale or the metrics → Degraded; AbleToScale or ScalingLimited True →
 * Healthy; none decisive → Progressing ("Waiting to Autoscale").
 */
import type { KubeObject } from '../model/resource.js';
import type { Condition } from './fields.js';
import { conditionsOf, named, result, toCondition, withDetail } from './fields.js';
import type { HealthResult } from './types.js';

const V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

const DEGRADED = new Set(['AbleToScale/FailedGetScale', 'AbleToScale/FailedUpdateScale', 'ScalingActive/FailedGetResourceMetric', 'ScalingActive/InvalidSelector']);
const HEALTHY_WHEN_TRUE = new Set(['AbleToScale', 'ScalingLimited']);

function v1Conditions(hpa: KubeObject): readonly Condition[] | undefined {
  const annotation = hpa.metadata.annotations?.[V1_CONDITIONS_ANNOTATION];
  if (annotation === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(annotation);
    return Array.isArray(parsed) ? parsed.flatMap((entry) => toCondition(entry) ?? []) : undefined;
  } catch {
    return undefined;
  }
}

export function hpaHealth(hpa: KubeObject): HealthResult {
  const conditions = hpa.apiVersion === 'autoscaling/v1' ? v1Conditions(hpa) : conditionsOf(hpa);
  if (conditions === undefined) return result('Unknown', `${named(hpa)} has an unreadable ${V1_CONDITIONS_ANNOTATION} annotation`);
  for (const condition of conditions) {
    if (DEGRADED.has(`${condition.type}/${condition.reason}`)) return result('Degraded', withDetail(named(hpa), condition.message));
    if (HEALTHY_WHEN_TRUE.has(condition.type) && condition.status === 'True') return result('Healthy', withDetail(named(hpa), condition.message));
  }
  return result('Progressing', 'Waiting to Autoscale');
}
