/**
 * The ApplicationSet's status as Argo CD writes it: conditions (ParametersGenerated, ErrorOccurred,
 * ResourcesUpToDate and, with RollingSync, RolloutProgressing) and `resources` (each generated Application with its
 * sync and health). Conditions keep their lastTransitionTime while their status stays; status is written only when
 * something a user would see changed.
 */
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';

export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime?: string;
}

/** Why generation stopped (Argo CD's reasons), or that it went through. */
export interface Outcome {
  readonly parametersGenerated: boolean;
  /** Undefined when everything is up to date. */
  readonly error?: { readonly reason: string; readonly message: string };
}

export function conditionsFor(outcome: Outcome): Condition[] {
  if (outcome.error === undefined) {
    const message = 'All applications have been generated successfully';
    return [
      { type: 'ErrorOccurred', status: 'False', reason: 'ApplicationSetUpToDate', message },
      { type: 'ParametersGenerated', status: 'True', reason: 'ParametersGenerated', message: 'Successfully generated parameters for all Applications' },
      { type: 'ResourcesUpToDate', status: 'True', reason: 'ApplicationSetUpToDate', message },
    ];
  }
  const { reason, message } = outcome.error;
  return [
    { type: 'ErrorOccurred', status: 'True', reason, message },
    outcome.parametersGenerated
      ? { type: 'ParametersGenerated', status: 'True', reason: 'ParametersGenerated', message: 'Successfully generated parameters for all Applications' }
      : { type: 'ParametersGenerated', status: 'False', reason: 'ErrorOccurred', message },
    { type: 'ResourcesUpToDate', status: 'False', reason: 'ErrorOccurred', message },
  ];
}

/** `status.resources` entries: one per owned Application, by name. */
export function resourceStatuses(apps: readonly KubeObject[]): Record<string, unknown>[] {
  return [...apps].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')).map((app) => {
    const status = isPlainObject(app.status) ? app.status : {};
    const sync = isPlainObject(status.sync) && typeof status.sync.status === 'string' ? status.sync.status : '';
    const health = isPlainObject(status.health) && typeof status.health.status === 'string' ? status.health.status : '';
    return { group: 'argoproj.io', version: 'v1alpha1', kind: 'Application', name: app.metadata.name ?? '', namespace: app.metadata.namespace ?? '', status: sync, health: { status: health } };
  });
}

function previousConditions(object: KubeObject): Condition[] {
  const status = isPlainObject(object.status) ? object.status : {};
  return Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) as unknown as Condition[] : [];
}

/** New conditions merged over the previous ones: unevaluated types kept, transition times kept while unchanged. */
export function mergeConditions(object: KubeObject, conditions: readonly Condition[], now: string): Condition[] {
  const previous = previousConditions(object);
  const evaluated = new Set(conditions.map((condition) => condition.type));
  const merged = previous.filter((condition) => !evaluated.has(condition.type));
  for (const condition of conditions) {
    const before = previous.find((entry) => entry.type === condition.type);
    merged.push({ ...condition, lastTransitionTime: before !== undefined && before.status === condition.status && before.lastTransitionTime !== undefined ? before.lastTransitionTime : now });
  }
  return merged.sort((a, b) => a.type.localeCompare(b.type));
}

/** Whether the status fields differ in what a user sees (times aside). */
export function statusChanged(object: KubeObject, next: Readonly<Record<string, unknown>>): boolean {
  const current = isPlainObject(object.status) ? object.status : {};
  const strip = (value: unknown): string => JSON.stringify(value, (key, inner: unknown) => (key === 'lastTransitionTime' ? undefined : inner));
  return Object.entries(next).some(([key, value]) => strip(current[key]) !== strip(value));
}
