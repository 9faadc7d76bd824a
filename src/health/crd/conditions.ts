/**
 * What the custom-resource checks share: how a message names its object, the "Ready condition or still waiting"
 * rule most operators' Argo CD scripts follow, and the stale-status test. Pure, like every health rule.
 */
import type { KubeObject } from '../../model/resource.js';
import type { Condition } from '../fields.js';
import { conditionsOf, list, named, number, result, toCondition, withDetail } from '../fields.js';
import type { HealthResult, HealthStatus } from '../types.js';

/**
 * `Issuer "letsencrypt": <detail>` — Argo CD's message, prefixed with the object it is about. A Healthy object with
 * nothing to say has an empty message, as Argo CD's scripts give (and as core kinds without a message do here).
 */
export function about(object: KubeObject, status: HealthStatus, detail: string): HealthResult {
  if (status === 'Healthy' && detail === '') return result(status, '');
  return result(status, withDetail(named(object), detail));
}

/**
 * The first condition of a type in `status.conditions`. Argo CD's scripts walk the list and stop at the first match,
 * so a list with the type twice is judged by the first.
 */
export function firstCondition(object: KubeObject, type: string): Condition | undefined {
  return conditionsOf(object).find((condition) => condition.type === type);
}

/** A condition with the generation it was written for (Gateway API, Prometheus operator and Crossplane record it). */
export interface ObservedCondition extends Condition {
  readonly observedGeneration: number | undefined;
}

/** The conditions listed at a path of any object (`status.parents[i].conditions`…); malformed entries are skipped. */
export function conditionsAt(value: unknown, ...path: readonly string[]): readonly ObservedCondition[] {
  return list(value, ...path).flatMap((entry) => {
    const condition = toCondition(entry);
    return condition === undefined ? [] : [{ ...condition, observedGeneration: number(entry, 'observedGeneration') }];
  });
}

/** A condition's message, else its reason: what a user can act on. */
export function explain(condition: Condition): string {
  return condition.message === '' ? condition.reason : condition.message;
}

/**
 * Argo CD's rule for cert-manager issuers, External Secrets and others: the first Ready condition that is True →
 * Healthy, False → Degraded (with its message); otherwise Progressing with `waiting`.
 */
export function readyOrWaiting(object: KubeObject, waiting: string): HealthResult {
  for (const condition of conditionsOf(object)) {
    if (condition.type !== 'Ready') continue;
    if (condition.status === 'False') return about(object, 'Degraded', condition.message);
    if (condition.status === 'True') return about(object, 'Healthy', condition.message);
  }
  return about(object, 'Progressing', waiting);
}

/**
 * The controller has not yet reported on the latest spec: `status.observedGeneration` is present and behind
 * `metadata.generation`. Only meaningful for projects that document observedGeneration (Flux, Strimzi, Prometheus
 * operator…); an object without it is not called stale.
 */
export function statusIsStale(object: KubeObject): boolean {
  const generation = number(object, 'metadata', 'generation');
  const observed = number(object, 'status', 'observedGeneration');
  return generation !== undefined && observed !== undefined && observed < generation;
}

/** The same, for projects that record observedGeneration on each condition (Gateway API, Prometheus operator). */
export function conditionIsStale(object: KubeObject, condition: ObservedCondition): boolean {
  const generation = number(object, 'metadata', 'generation');
  return generation !== undefined && condition.observedGeneration !== undefined && condition.observedGeneration < generation;
}

export const STALE_MESSAGE = 'waiting for the controller to observe the latest spec';

export function staleHealth(object: KubeObject): HealthResult {
  return about(object, 'Progressing', STALE_MESSAGE);
}
