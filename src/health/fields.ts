/**
 * Small, forgiving readers for the parts of live objects the health rules look at. Live objects are plain JSON:
 * a field that is missing or of the wrong type reads as `undefined`, never throws. Numbers that Kubernetes leaves
 * out when zero (`availableReplicas`, `observedGeneration`) are read with `count`, which gives 0 as Go's typed
 * structs do, so the rules compare the way Argo CD's do.
 */
import type { KubeObject } from '../model/resource.js';
import type { HealthResult, HealthStatus } from './types.js';

export type Json = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of field names, or undefined when any step is missing or not an object. */
export function field(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const name of path) {
    if (!isRecord(current)) return undefined;
    current = current[name];
  }
  return current;
}

export function text(value: unknown, ...path: readonly string[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

export function number(value: unknown, ...path: readonly string[]): number | undefined {
  const found = field(value, ...path);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

/** A number Kubernetes omits when it is zero (status counters, generations). */
export function count(value: unknown, ...path: readonly string[]): number {
  return number(value, ...path) ?? 0;
}

export function list(value: unknown, ...path: readonly string[]): readonly unknown[] {
  const found = field(value, ...path);
  return Array.isArray(found) ? found : [];
}

/** One entry of `status.conditions` (the fields every Kubernetes condition has). */
export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

export function toCondition(value: unknown): Condition | undefined {
  const type = text(value, 'type');
  if (type === undefined) return undefined;
  return { type, status: text(value, 'status') ?? '', reason: text(value, 'reason') ?? '', message: text(value, 'message') ?? '' };
}

/** `status.conditions`, in the order the object lists them; malformed entries are skipped. */
export function conditionsOf(object: KubeObject): readonly Condition[] {
  return list(object, 'status', 'conditions').flatMap((entry) => toCondition(entry) ?? []);
}

export function findCondition(object: KubeObject, type: string): Condition | undefined {
  return conditionsOf(object).find((condition) => condition.type === type);
}

/** `Deployment "web"`: how messages name an object. */
export function named(object: KubeObject): string {
  return `${object.kind} "${object.metadata.name ?? object.metadata.generateName ?? ''}"`;
}

export function result(status: HealthStatus, message: string): HealthResult {
  return { status, message };
}

/** `prefix: detail`, or just `prefix` when there is no detail. */
export function withDetail(prefix: string, detail: string): string {
  return detail === '' ? prefix : `${prefix}: ${detail}`;
}

/** `metadata.generation` is ahead of `status.observedGeneration`: the controller has not seen the latest spec. */
export function generationNotObserved(object: KubeObject): boolean {
  return count(object, 'metadata', 'generation') > count(object, 'status', 'observedGeneration');
}
