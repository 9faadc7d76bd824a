/**
 * HorizontalPodAutoscaler, as gitops-engine's health_hpa.go judges it. The conditions come from `status.conditions`
 * (autoscaling/v2), or for autoscaling/v1 — which has no conditions field — from the JSON list the API server keeps
 * in the `autoscaling.alpha.kubernetes.io/conditions` annotation. Two passes over them, in order:
 * 1. the first condition with a failure reason (AbleToScale/FailedGetScale, ScalingActive/FailedGet…Metric,
 *    …) → Degraded, wherever it sits in the list — an HPA that can read its target but not its metrics is Degraded;
 * 2. else the first AbleToScale or ScalingLimited that is True → Healthy;
 * 3. else Progressing, "Waiting to Autoscale" (also for a v1 HPA without the annotation, or with an empty list).
 * An annotation that is not a JSON list of conditions is Unknown, as Argo CD reports a conversion error.
 */
import type { KubeObject } from '../model/resource.js';
import type { Condition } from './fields.js';
import { conditionsOf, isRecord, named, result, withDetail } from './fields.js';
import type { HealthResult } from './types.js';

const V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

/** `type/reason` pairs gitops-engine calls Degraded. */
const DEGRADED = new Set([
  'AbleToScale/FailedGetScale',
  'AbleToScale/FailedUpdateScale',
  'ScalingActive/FailedGetResourceMetric',
  'ScalingActive/FailedGetObjectMetric',
  'ScalingActive/FailedGetPodsMetric',
  'ScalingActive/FailedGetExternalMetric',
  'ScalingActive/FailedComputeMetricsReplicas',
  'ScalingActive/InvalidSelector',
]);
const HEALTHY_WHEN_TRUE = new Set(['AbleToScale', 'ScalingLimited']);

const WAITING: HealthResult = result('Progressing', 'Waiting to Autoscale');

/**
 * One entry as Go's json.Unmarshal fills gitops-engine's struct: keys match case-insensitively, a null entry is an
 * empty condition, and an entry that is not an object or has a non-string field fails the whole annotation.
 */
function annotationCondition(entry: unknown): Condition | undefined {
  if (entry === null) return { type: '', status: '', reason: '', message: '' };
  if (!isRecord(entry)) return undefined;
  const read = (name: string): string | undefined => {
    let found: unknown = null;
    for (const [key, value] of Object.entries(entry)) if (key.toLowerCase() === name) found = value;
    return found === null ? '' : typeof found === 'string' ? found : undefined;
  };
  const [type, status, reason, message] = [read('type'), read('status'), read('reason'), read('message')];
  if (type === undefined || status === undefined || reason === undefined || message === undefined) return undefined;
  return { type, status, reason, message };
}

/** The annotation's conditions; [] without the annotation; undefined when it cannot be read as Argo CD reads it. */
function v1Conditions(hpa: KubeObject): readonly Condition[] | undefined {
  const annotation = hpa.metadata.annotations?.[V1_CONDITIONS_ANNOTATION];
  if (annotation === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch {
    return undefined;
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) return undefined;
  const conditions = parsed.map(annotationCondition);
  return conditions.every((condition) => condition !== undefined) ? conditions : undefined;
}

export function hpaHealth(hpa: KubeObject): HealthResult {
  const conditions = hpa.apiVersion === 'autoscaling/v1' ? v1Conditions(hpa) : conditionsOf(hpa);
  if (conditions === undefined) return result('Unknown', `${named(hpa)} has an unreadable ${V1_CONDITIONS_ANNOTATION} annotation`);
  const degraded = conditions.find((condition) => DEGRADED.has(`${condition.type}/${condition.reason}`));
  if (degraded !== undefined) return result('Degraded', withDetail(named(hpa), degraded.message));
  const healthy = conditions.find((condition) => HEALTHY_WHEN_TRUE.has(condition.type) && condition.status === 'True');
  if (healthy !== undefined) return result('Healthy', withDetail(named(hpa), healthy.message));
  return WAITING;
}
