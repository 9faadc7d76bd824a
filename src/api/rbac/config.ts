/**
 * argocd-rbac-cm read as Argo CD reads it: `policy.csv` plus any `policy.<name>.csv` overlays (in key order),
 * `policy.default`, `policy.matchMode` and `scopes` — the OIDC claims whose values are groups (default `[groups]`).
 * A policy that cannot be parsed leaves only the built-in roles in force (and says why): nobody gains rights from a
 * typo, and the admin account still works to fix it.
 */
import { parse as parseYaml } from 'yaml';
import { describeError } from '../../errors.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import { BUILTIN_POLICY } from './builtin.js';
import { Enforcer } from './enforcer.js';
import { mergePolicies, parsePolicy } from './policy.js';

export const RBAC_CONFIGMAP = 'argocd-rbac-cm';

export interface RbacConfig {
  readonly enforcer: Enforcer;
  readonly scopes: readonly string[];
  /** Why the user policy is not in force, when it is not. */
  readonly problem?: string;
}

function parseScopes(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return ['groups'];
  try {
    const parsed: unknown = parseYaml(text);
    if (Array.isArray(parsed)) return parsed.filter((item): item is string => typeof item === 'string');
  } catch {
    // Argo CD accepts `[groups, email]` written loosely; fall back to splitting it.
  }
  return text.replace(/[[\]]/g, '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** The RBAC configuration from the ConfigMap's data (undefined: no ConfigMap, only the built-in roles). */
export function rbacConfigFrom(configMap: KubeObject | undefined): RbacConfig {
  const data = isPlainObject(configMap?.data) ? configMap.data : {};
  const text = (key: string): string | undefined => (typeof data[key] === 'string' ? data[key] : undefined);
  const scopes = parseScopes(text('scopes'));
  const matchMode = text('policy.matchMode') === 'regex' ? 'regex' : 'glob';
  const overlayKeys = Object.keys(data).filter((key) => /^policy\..+\.csv$/.test(key)).sort();
  try {
    const user = ['policy.csv', ...overlayKeys].map((key) => parsePolicy(text(key) ?? '', `${RBAC_CONFIGMAP} ${key}`));
    const defaultRole = text('policy.default');
    return { enforcer: new Enforcer({ policy: mergePolicies(BUILTIN_POLICY, ...user), matchMode, ...(defaultRole === undefined ? {} : { defaultRole }) }), scopes };
  } catch (error) {
    return { enforcer: new Enforcer({ policy: BUILTIN_POLICY, matchMode }), scopes, problem: `${describeError(error)} (only the built-in roles apply until it is fixed)` };
  }
}
