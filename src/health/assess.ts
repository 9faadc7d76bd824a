/**
 * One object's health: absent → Missing; being deleted → Progressing; else a Lua health check that claims the kind
 * (argocd-cm, then a health folder — Argo CD's order, see lua/registry.ts), else the kind's rule from the dispatch
 * table, else a standard Ready condition, else Healthy because it exists (as Argo CD treats kinds it has no rule for).
 */
import { describeError } from '../errors.js';
import { groupOf } from '../model/resource.js';
import type { KubeObject } from '../model/resource.js';
import { findHealthCheck, healthCheckKey } from './checks.js';
import { named, result } from './fields.js';
import { evaluateLuaHealth } from './lua/evaluate.js';
import { customHealthChecks, findHealthScript } from './lua/registry.js';
import { readyConditionHealth } from './ready-condition.js';
import type { HealthResult, HealthStatus } from './types.js';

/**
 * The finalizer Argo CD puts on hooks so they are deleted only after their phase; a hook that carries it is still
 * judged while it waits, not reported as being deleted.
 */
export const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

export const MISSING: HealthResult = { status: 'Missing', message: 'the resource does not exist' };

function isBeingDeleted(object: KubeObject): boolean {
  const deletion = object.metadata.deletionTimestamp;
  if (deletion === undefined || deletion === null) return false;
  const finalizers = object.metadata.finalizers;
  return !(Array.isArray(finalizers) && finalizers.includes(HOOK_FINALIZER));
}

/**
 * The verdict of the Lua script that claims the object's kind, if one does. A script error is Unknown, as in Argo CD.
 * A script that returns nothing (or `{}`) leaves the object without a health in Argo CD, which counts it as no worse
 * than Healthy; so does Launchpad.
 */
function luaHealth(object: KubeObject, key: string): HealthResult | undefined {
  const checks = customHealthChecks();
  if (checks.argoCdConfigMap.length === 0 && checks.folder.length === 0) return undefined;
  const script = findHealthScript(key, checks);
  if (script === undefined) return undefined;
  const outcome = evaluateLuaHealth(script, object);
  if (!outcome.ok) return result('Unknown', `${named(object)}: health check failed: ${outcome.error}`);
  return result(outcome.status === '' ? 'Healthy' : (outcome.status as HealthStatus), outcome.message);
}

function ruleHealth(object: KubeObject): HealthResult | undefined {
  const key = healthCheckKey(groupOf(object.apiVersion), object.kind);
  const lua = luaHealth(object, key);
  if (lua !== undefined) return lua;
  const check = findHealthCheck(key);
  return check === undefined ? readyConditionHealth(object) : check(object);
}

/** The health of a live object; `undefined` (not found in the cluster) is Missing. Pure; never throws. */
export function assessHealth(object: KubeObject | undefined): HealthResult {
  if (object === undefined) return MISSING;
  if (isBeingDeleted(object)) return result('Progressing', `${named(object)} is being deleted`);
  try {
    return ruleHealth(object) ?? result('Healthy', '');
  } catch (error) {
    // The rules read plain JSON defensively; this only guards against a malformed object breaking a whole sync.
    return result('Unknown', `${named(object)}: health could not be assessed: ${describeError(error)}`);
  }
}
