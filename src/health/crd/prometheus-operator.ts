/**
 * Prometheus operator workloads (monitoring.coreos.com/v1 Prometheus, Alertmanager, ThanosRuler; v1alpha1
 * PrometheusAgent). Argo CD bundles a script for Prometheus only; the operator writes the same `Available` condition
 * for all four, so all four are judged by it: True → Healthy ("All instances are available"); not True with reason
 * SomePodsNotReady (the operator's status "Degraded" while pods roll) → Progressing; otherwise → Degraded with its
 * message. No Available condition yet → Progressing ("Waiting for initialization").
 *
 * The operator records observedGeneration on each condition: a condition written for an older generation says
 * nothing about the current spec, so it makes the object Progressing (the operator documents this; Argo CD's script
 * does not look).
 *
 * Argo CD's script lets the last Available condition win; the operator writes one, so the first is read here.
 */
import type { KubeObject } from '../../model/resource.js';
import type { HealthResult } from '../types.js';
import { about, conditionIsStale, conditionsAt, STALE_MESSAGE } from './conditions.js';

export function prometheusOperatorHealth(object: KubeObject): HealthResult {
  const available = conditionsAt(object, 'status', 'conditions').find((condition) => condition.type === 'Available');
  if (available === undefined) return about(object, 'Progressing', 'Waiting for initialization');
  if (conditionIsStale(object, available)) return about(object, 'Progressing', STALE_MESSAGE);
  if (available.status === 'True') return about(object, 'Healthy', 'All instances are available');
  const detail = available.message === '' ? available.reason : available.message;
  return about(object, available.reason === 'SomePodsNotReady' ? 'Progressing' : 'Degraded', detail);
}
