/**
 * The steps every rule goes through before its body, in Kyverno's order: match, exclude, context entries,
 * preconditions. Each step can end the rule: not selected (no result), skip (with the reason) or error.
 */
import type { EvaluationEnvironment, FailureAction, KubeObject, RuleResult, RuleStatus } from './api.js';
import { checkConditions } from './conditions.js';
import { loadContext, NotEvaluableError, scopeOf } from './context.js';
import { EvaluationError } from './errors.js';
import { withClock } from './functions/index.js';
import { blockExcludes, blockMatches } from './match.js';
import type { MatchSubject } from './match.js';
import type { CompiledPolicy, CompiledRule } from './model.js';
import type { Outcome } from './outcome.js';

export function resourceName(object: KubeObject | undefined): string {
  if (object === undefined) return '(none)';
  const namespace = object.metadata.namespace;
  return [object.kind, ...(namespace === undefined || namespace === '' ? [] : [namespace]), object.metadata.name ?? object.metadata.generateName ?? ''].join('/');
}

export function ruleResult(
  policy: CompiledPolicy,
  rule: { readonly name: string; readonly type: CompiledRule['type'] },
  outcome: Outcome,
  { resource, action }: { readonly resource: string; readonly action: FailureAction },
): RuleResult {
  return { policy: policy.name, policyNamespace: policy.namespace, rule: rule.name, type: rule.type, status: outcome.status, message: outcome.message, action, resource };
}

/** A namespaced Policy only applies to objects in its own namespace. */
export function policyApplies(policy: CompiledPolicy, object: KubeObject): boolean {
  return policy.namespace === undefined || object.metadata.namespace === policy.namespace;
}

export function selects(rule: { readonly match: CompiledRule['match']; readonly exclude: CompiledRule['exclude'] }, subject: MatchSubject): boolean {
  return blockMatches(rule.match, subject) && !blockExcludes(rule.exclude, subject);
}

/** Runs `work` (and everything it awaits) with the evaluation's clock for the time functions. */
export function clocked<T>(environment: EvaluationEnvironment, work: () => T): T {
  return environment.now === undefined ? work() : withClock(environment.now, work);
}

/**
 * Context and preconditions, then the body. Errors from bad data (a variable that does not resolve, a JMESPath type
 * error) become `error` results naming the rule; apiCall entries offline become `skip`.
 */
export async function prepareAndRun(rule: CompiledRule, document: Record<string, unknown>, environment: EvaluationEnvironment, body: () => Promise<Outcome>): Promise<Outcome> {
  try {
    await loadContext(rule.context, document, environment, `spec.rules[${rule.index}].context`);
    if (rule.preconditions !== undefined) {
      const outcome = checkConditions(rule.preconditions, scopeOf(document), `spec.rules[${rule.index}].preconditions`);
      if (!outcome.holds) return { status: 'skip', message: ['preconditions not met', ...outcome.messages].join('; ') };
    }
    return await body();
  } catch (cause) {
    return failureOutcome(cause);
  }
}

export function failureOutcome(cause: unknown): Outcome {
  if (cause instanceof NotEvaluableError) return { status: 'skip', message: cause.message };
  if (cause instanceof EvaluationError) return { status: 'error', message: cause.message };
  return { status: 'error', message: cause instanceof Error ? cause.message : String(cause) };
}

export function isFailure(status: RuleStatus): boolean {
  return status === 'fail' || status === 'error';
}
