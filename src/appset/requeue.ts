/**
 * `requeueAfterSeconds`: how soon a set is generated again without any event. Argo CD's defaults: git and
 * clusterDecisionResource 3 minutes, pull request and SCM provider 30 minutes, list and clusters never (events
 * cover them); matrix and merge take the shortest of their children; the set takes the shortest of its generators.
 */
import { isPlainObject } from '../model/values.js';

const THREE_MINUTES = 180_000;
const THIRTY_MINUTES = 1_800_000;
const DEFAULTS: Readonly<Record<string, number>> = { git: THREE_MINUTES, clusterDecisionResource: THREE_MINUTES, pullRequest: THIRTY_MINUTES, scmProvider: THIRTY_MINUTES };

function ofKind(kind: string, spec: Readonly<Record<string, unknown>>): number | undefined {
  if (kind === 'matrix' || kind === 'merge') return shortest((Array.isArray(spec.generators) ? spec.generators : []).filter(isPlainObject));
  const fallback = DEFAULTS[kind];
  if (fallback === undefined) return undefined;
  return typeof spec.requeueAfterSeconds === 'number' && spec.requeueAfterSeconds > 0 ? spec.requeueAfterSeconds * 1000 : fallback;
}

function shortest(generators: readonly Readonly<Record<string, unknown>>[]): number | undefined {
  let best: number | undefined;
  for (const generator of generators) {
    for (const [kind, spec] of Object.entries(generator)) {
      if (!isPlainObject(spec)) continue;
      const after = ofKind(kind, spec);
      if (after !== undefined && (best === undefined || after < best)) best = after;
    }
  }
  return best;
}

/** Milliseconds until the set should be generated again; undefined: only on events. */
export function requeueAfterMs(generators: readonly Readonly<Record<string, unknown>>[]): number | undefined {
  return shortest(generators);
}
