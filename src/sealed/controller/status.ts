/**
 * The SealedSecret's `status` as Bitnami's controller writes it: one `Synced` condition (True once the Secret was
 * written, False with the reason otherwise) and `observedGeneration`. The condition's lastTransitionTime moves only
 * when its status flips. Written only when something a reader would see changed — status, message or generation —
 * so a resync of 500 unchanged SealedSecrets writes nothing.
 */
import { SYNCED_CONDITION } from './names.js';

export interface SyncedCondition {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly lastUpdateTime: string;
  readonly lastTransitionTime: string;
  readonly message?: string;
}

export interface SealedSecretStatus {
  readonly conditions: SyncedCondition[];
  readonly observedGeneration?: number;
}

interface LiveCondition {
  readonly type?: unknown;
  readonly status?: unknown;
  readonly message?: unknown;
  readonly lastTransitionTime?: unknown;
}

function liveConditions(live: unknown): LiveCondition[] {
  const conditions = (live as { conditions?: unknown } | null | undefined)?.conditions;
  return Array.isArray(conditions) ? (conditions as unknown[]).filter((entry): entry is LiveCondition => typeof entry === 'object' && entry !== null) : [];
}

const messageOf = (condition: LiveCondition | undefined): string => (typeof condition?.message === 'string' ? condition.message : '');

/** The status to write after an unseal attempt (`problem` undefined: it succeeded), or undefined when nothing changed. */
export function nextStatus(live: unknown, generation: number | undefined, problem: string | undefined, now: Date = new Date()): SealedSecretStatus | undefined {
  const conditions = liveConditions(live);
  const observed = (live as { observedGeneration?: unknown } | null | undefined)?.observedGeneration;
  const previous = conditions.find((condition) => condition.type === SYNCED_CONDITION);
  const status = problem === undefined ? 'True' : 'False';
  if (previous?.status === status && messageOf(previous) === (problem ?? '') && observed === generation) return undefined;
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const keptTransition = previous?.status === status && typeof previous.lastTransitionTime === 'string' ? previous.lastTransitionTime : undefined;
  const synced: SyncedCondition = { type: SYNCED_CONDITION, status, lastUpdateTime: stamp, lastTransitionTime: keptTransition ?? stamp, ...(problem === undefined ? {} : { message: problem }) };
  const others = conditions.filter((condition) => condition.type !== SYNCED_CONDITION) as unknown as SyncedCondition[];
  return { conditions: [synced, ...others], ...(generation === undefined ? {} : { observedGeneration: generation }) };
}
