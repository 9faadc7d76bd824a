/**
 * What happens to generated (downstream) objects when the generate rule that made them goes away — its policy deleted,
 * or the rule removed from the policy. Kyverno's rule (v1.19, pkg/policy/generate.go `createURForDownstreamDeletion`;
 * https://kyverno.io/docs/policy-types/cluster-policy/generate/ for `data`): a rule with `synchronize: true` takes its
 * downstream objects with it unless it says `orphanDownstreamOnPolicyDelete: true`; without synchronize they stay.
 * Since Kyverno 1.19 (kyverno/kyverno#16329) this holds for `clone` and `cloneList` as for `data`.
 *
 * Pure: the generate controller compares the policies it had with the ones it gets and deletes what this returns.
 */
import { isPlainObject } from '../../model/values.js';
import type { LoadedPolicy } from '../api.js';

/** `Kind/namespace/name`, as the policy store keys policies (a ClusterPolicy has an empty namespace). */
export const policyStoreKey = (policy: Pick<LoadedPolicy, 'kind' | 'namespace' | 'name'>): string => `${policy.kind}/${policy.namespace ?? ''}/${policy.name}`;

/** A generate rule that is gone, with what is needed to find its downstream objects. */
export interface RemovedRule {
  readonly policy: string;
  /** The namespace of a namespaced `Policy`; undefined for a ClusterPolicy. */
  readonly policyNamespace: string | undefined;
  readonly rule: string;
  /** Whether its downstream objects are deleted (synchronize without orphanDownstreamOnPolicyDelete). */
  readonly deleteDownstream: boolean;
  /** The kinds it generates, `apiVersion`/`kind` (no variables, no wildcards: those cannot be listed). */
  readonly kinds: readonly { readonly apiVersion: string; readonly kind: string }[];
}

type RawRule = Record<string, unknown>;

function generateRules(policy: LoadedPolicy): Map<string, Record<string, unknown>> {
  const spec = isPlainObject(policy.source.spec) ? policy.source.spec : {};
  const rules: unknown[] = Array.isArray(spec.rules) ? (spec.rules as unknown[]) : [];
  return new Map(rules.filter(isPlainObject).flatMap((rule: RawRule) => (typeof rule.name === 'string' && isPlainObject(rule.generate) ? [[rule.name, rule.generate] as const] : [])));
}

const listable = (text: string): boolean => text !== '' && !text.includes('{{') && !text.includes('*');

/** `v1/Secret` → v1 + Secret, `apps/v1/Deployment` → apps/v1 + Deployment (cloneList's form). */
function splitKindRef(ref: string): { apiVersion: string; kind: string } | undefined {
  const slash = ref.lastIndexOf('/');
  if (slash === -1) return undefined;
  return { apiVersion: ref.slice(0, slash), kind: ref.slice(slash + 1) };
}

/** The kinds a `generate` block writes: its own apiVersion/kind (data, clone) or each cloneList kind. */
export function generatedKinds(generate: Readonly<Record<string, unknown>>): { apiVersion: string; kind: string }[] {
  const kinds: { apiVersion: string; kind: string }[] = [];
  if (typeof generate.kind === 'string' && generate.kind !== '') kinds.push({ apiVersion: typeof generate.apiVersion === 'string' ? generate.apiVersion : 'v1', kind: generate.kind });
  const cloneList = isPlainObject(generate.cloneList) ? generate.cloneList : {};
  for (const ref of Array.isArray(cloneList.kinds) ? (cloneList.kinds as unknown[]) : []) {
    const split = typeof ref === 'string' ? splitKindRef(ref) : undefined;
    if (split !== undefined) kinds.push(split);
  }
  return kinds.filter((entry) => listable(entry.apiVersion) && listable(entry.kind));
}

/** Whether removing this rule deletes what it generated (Kyverno: synchronize and not orphanDownstreamOnPolicyDelete). */
export function deletesDownstreamOnRemoval(generate: Readonly<Record<string, unknown>>): boolean {
  return generate.synchronize === true && generate.orphanDownstreamOnPolicyDelete !== true;
}

/**
 * The generate rules of `previous` that `current` no longer has: every rule of a deleted policy, and rules removed
 * from (or no longer generating in) a policy still there. A policy in `unloaded` exists but failed to load — its
 * rules are not considered removed (a typo must not delete what the policy made).
 */
export function removedGenerateRules(previous: readonly LoadedPolicy[], current: readonly LoadedPolicy[], unloaded: ReadonlySet<string>): RemovedRule[] {
  const now = new Map(current.map((policy) => [policyStoreKey(policy), policy]));
  const removed: RemovedRule[] = [];
  for (const policy of previous) {
    const key = policyStoreKey(policy);
    if (unloaded.has(key)) continue;
    const still = now.get(key);
    const remaining = still === undefined ? new Map<string, unknown>() : generateRules(still);
    for (const [rule, generate] of generateRules(policy)) {
      if (remaining.has(rule)) continue;
      removed.push({ policy: policy.name, policyNamespace: policy.namespace, rule, deleteDownstream: deletesDownstreamOnRemoval(generate), kinds: generatedKinds(generate) });
    }
  }
  return removed;
}
