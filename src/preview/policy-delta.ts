/**
 * The policy section of `launchpad diff --base/--head`: the policy violations (rule results `fail` or `error`) a
 * change introduces or fixes, per application. Both sides are judged by the same policies — the head's — so a line
 * means the rendered objects changed, or the policies did, not that the two sides used different rules.
 *
 * Which policies: `--policies <dir>` (a folder of the config repository, read at head); without it, the
 * `kyverno.io` ClusterPolicy/Policy objects the head tree of that cluster renders. Cleanup policies never apply.
 */
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { LoadedPolicy } from '../policy/api.js';
import { isPolicyObject, readPolicies } from '../policy/files.js';
import { loadPolicy } from '../policy/load.js';
import { admissionRules, admitRenderedTrees } from '../policy/report-render.js';
import type { RenderTree } from '../render/types.js';
import type { PolicyDelta, PolicyViolation } from './types.js';

/** The admission policies the head tree renders, in tree order (a policy rendered twice counts once). */
export function policiesRenderedBy(tree: RenderTree | undefined): LoadedPolicy[] {
  const seen = new Set<string>();
  const policies: LoadedPolicy[] = [];
  for (const app of tree?.apps ?? []) {
    for (const object of app.resources) {
      const key = `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
      if (!isPolicyObject(object) || seen.has(key)) continue;
      seen.add(key);
      policies.push(loadPolicy(object, { file: `${tree?.rootFile ?? ''} (application ${app.name}, ${key})` }));
    }
  }
  return policies;
}

/** `--policies <dir>` read at head: `dir` is resolved from `cwd`, then mapped into the head snapshot. */
export async function policiesAtHead(dir: string, cwd: string, headPath: (file: string) => Promise<string>): Promise<LoadedPolicy[]> {
  const policies = await readPolicies([await headPath(resolve(cwd, dir))]);
  if (policies.length === 0) throw new InputError({ file: dir }, 'contains no Kyverno policies at head', { fix: 'give --policies a folder of the config repository with ClusterPolicy/Policy files' });
  return policies;
}

async function violations(policies: readonly LoadedPolicy[], tree: RenderTree | undefined): Promise<Map<string, PolicyViolation>> {
  const found = new Map<string, PolicyViolation>();
  if (tree === undefined || policies.length === 0) return found;
  for (const { app, resource, result } of await admitRenderedTrees(policies, [tree])) {
    for (const rule of admissionRules(result)) {
      if (rule.status !== 'fail' && rule.status !== 'error') continue;
      const violation: PolicyViolation = { application: app, resource, policy: rule.policy, rule: rule.rule, status: rule.status, action: rule.action, message: rule.message };
      found.set(`${app}\u0000${resource}\u0000${rule.policy}\u0000${rule.rule}`, violation);
    }
  }
  return found;
}

const byAppThenResource = (a: PolicyViolation, b: PolicyViolation): number =>
  a.application.localeCompare(b.application) || a.resource.localeCompare(b.resource) || a.policy.localeCompare(b.policy) || a.rule.localeCompare(b.rule);

/**
 * What changes between the two sides' violations. A violation whose message alone changed is neither introduced nor
 * fixed; it is still there.
 */
export async function policyDelta(policies: readonly LoadedPolicy[], base: RenderTree | undefined, head: RenderTree | undefined): Promise<PolicyDelta> {
  const before = await violations(policies, base);
  const after = await violations(policies, head);
  return {
    introduced: [...after].filter(([key]) => !before.has(key)).map(([, violation]) => violation).sort(byAppThenResource),
    fixed: [...before].filter(([key]) => !after.has(key)).map(([, violation]) => violation).sort(byAppThenResource),
  };
}

/** The section is shown only when something changed, so a diff without policy news is byte-identical to before. */
export function hasPolicyNews(delta: PolicyDelta | undefined): delta is PolicyDelta {
  return delta !== undefined && (delta.introduced.length > 0 || delta.fixed.length > 0);
}
