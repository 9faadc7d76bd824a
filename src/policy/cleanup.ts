/**
 * Cleanup policies: on each run of `schedule` (cron, via croner), every candidate that `match` selects, `exclude` does
 * not, and whose `conditions` hold with the candidate as `target`, is deleted.
 */
import { Cron } from 'croner';
import type { CleanupInput, CleanupResult, KubeObject, LoadedPolicy, RuleResult } from './api.js';
import { checkConditions } from './conditions.js';
import { applyOverrides, loadContext, scopeOf } from './context.js';
import { PolicyError } from './errors.js';
import { compiled } from './model.js';
import { clocked, failureOutcome, policyApplies, resourceName, ruleResult, selects } from './rule-runner.js';

const RULE = { name: 'cleanup', type: 'validate' as const };

export async function cleanup(policy: LoadedPolicy, input: CleanupInput): Promise<CleanupResult> {
  const loaded = compiled(policy);
  const spec = loaded.cleanup;
  if (spec === undefined) throw new PolicyError({ policy: policy.name }, `is a ${policy.kind}, not a cleanup policy`);
  return clocked(input, async () => {
    const toDelete: KubeObject[] = [];
    const rules: RuleResult[] = [];
    for (const target of input.candidates) {
      if (!policyApplies(loaded, target)) continue;
      const subject = { object: target, operation: '' as const, subResource: '', userInfo: undefined, namespaceLabels: input.namespaceLabels };
      if (!selects(spec, subject)) continue;
      const document: Record<string, unknown> = { target, request: { object: target, operation: '' } };
      applyOverrides(document, input.variables);
      try {
        await loadContext(spec.context, document, input, 'spec.context');
        const holds = spec.conditions === undefined || checkConditions(spec.conditions, scopeOf(document), 'spec.conditions').holds;
        if (holds) toDelete.push(target);
        rules.push(ruleResult(loaded, RULE, { status: holds ? 'pass' : 'skip', message: holds ? 'deleted' : 'conditions not met' }, { resource: resourceName(target), action: 'Audit' }));
      } catch (cause) {
        rules.push(ruleResult(loaded, RULE, failureOutcome(cause), { resource: resourceName(target), action: 'Audit' }));
      }
    }
    return { toDelete, rules };
  });
}

export function nextCleanupRun(policy: LoadedPolicy, after: Date): Date {
  if (policy.schedule === undefined) throw new PolicyError({ policy: policy.name }, `is a ${policy.kind} and has no schedule`);
  const next = new Cron(policy.schedule, { paused: true, timezone: 'UTC' }).nextRun(after);
  if (next === null) throw new PolicyError({ policy: policy.name, field: 'spec.schedule' }, `schedule ${policy.schedule} never runs again`);
  return next;
}
