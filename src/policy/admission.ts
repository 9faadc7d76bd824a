/**
 * Admission: mutate rules in policy then rule order on the incoming object, then validate rules on the mutated object,
 * as Kyverno's two webhooks do. Enforce failures and errors refuse (fail-closed); Audit failures become warnings.
 * Also the background scan of an existing object.
 */
import type { AdmissionInput, AdmissionResult, EvaluationEnvironment, KubeObject, LoadedPolicy, MutationResult, RuleResult, ValidationResult } from './api.js';
import { baseDocument, requestFacts } from './context.js';
import type { RequestFacts } from './context.js';
import { diffJsonPatch } from './json-patch.js';
import type { MatchSubject } from './match.js';
import { compiled } from './model.js';
import type { CompiledPolicy, CompiledRule } from './model.js';
import { runMutate } from './mutate.js';
import { clocked, failureOutcome, isFailure, policyApplies, prepareAndRun, resourceName, ruleResult, selects } from './rule-runner.js';
import { runValidate } from './validate.js';

function subjectOf(facts: RequestFacts, object: KubeObject, environment: EvaluationEnvironment, subResource: string): MatchSubject {
  return { object, operation: facts.operation, subResource, userInfo: facts.userInfo, namespaceLabels: environment.namespaceLabels };
}

export async function mutate(policies: readonly LoadedPolicy[], input: AdmissionInput): Promise<MutationResult> {
  return clocked(input, async () => {
    const original = input.object;
    if (original === undefined || input.operation === 'DELETE') return { patchedObject: original, patch: [], rules: [] };
    let current: KubeObject = original;
    const rules: RuleResult[] = [];
    for (const policy of policies.map(compiled)) {
      if (!policyApplies(policy, current)) continue;
      for (const rule of policy.compiledRules) {
        // A rule with mutate.targets patches existing objects in the background, never the admitted one.
        if (rule.type !== 'mutate' || rule.mutate?.targets !== undefined) continue;
        const facts = { ...requestFacts(input), object: current };
        if (!selects(rule, subjectOf(facts, current, input, input.subResource ?? ''))) continue;
        let patched = current;
        const document = baseDocument(facts, input);
        const outcome = await prepareAndRun(rule, document, input, async () => {
          const result = await runMutate(rule, current, document, input);
          patched = result.object;
          return { status: result.status, message: result.message };
        });
        current = patched;
        rules.push(ruleResult(policy, rule, outcome, { resource: resourceName(original), action: 'Audit' }));
      }
    }
    return { patchedObject: current, patch: diffJsonPatch(original, current), rules };
  });
}

async function validateRule(policy: CompiledPolicy, rule: CompiledRule, facts: RequestFacts, environment: EvaluationEnvironment): Promise<RuleResult> {
  const object = facts.object ?? facts.oldObject;
  const document = baseDocument(facts, environment);
  const outcome = await prepareAndRun(rule, document, environment, () => runValidate(rule, document, environment));
  const result = ruleResult(policy, rule, outcome, { resource: resourceName(object), action: rule.failureAction });
  // Kyverno lets an UPDATE through when the object already violated the Enforce rule before (allowExistingViolations).
  if (result.status === 'fail' && rule.failureAction === 'Enforce' && facts.operation === 'UPDATE' && facts.oldObject !== undefined && rule.validate?.allowExistingViolations !== false) {
    const before = { ...facts, object: facts.oldObject };
    const priorDocument = baseDocument(before, environment);
    const prior = await prepareAndRun(rule, priorDocument, environment, () => runValidate(rule, priorDocument, environment));
    if (prior.status === 'fail') return { ...result, status: 'skip', message: 'skipping the rule evaluation as pre-existing violations are allowed' };
  }
  return result;
}

interface ValidateScope {
  readonly environment: EvaluationEnvironment;
  readonly subResource: string;
  /** Background scans run only the policies with `background: true`. */
  readonly onlyBackground: boolean;
}

async function validateWith(policies: readonly LoadedPolicy[], facts: RequestFacts, { environment, subResource, onlyBackground }: ValidateScope): Promise<ValidationResult> {
  const object = facts.object ?? facts.oldObject;
  const rules: RuleResult[] = [];
  if (object === undefined) return { allowed: true, denials: [], warnings: [], rules };
  for (const policy of policies.map(compiled)) {
    if (!policyApplies(policy, object) || (onlyBackground && !policy.background)) continue;
    for (const rule of policy.compiledRules) {
      if (rule.type !== 'validate' || !selects(rule, subjectOf(facts, object, environment, subResource))) continue;
      try {
        rules.push(await validateRule(policy, rule, facts, environment));
      } catch (cause) {
        rules.push(ruleResult(policy, rule, failureOutcome(cause), { resource: resourceName(object), action: rule.failureAction }));
      }
    }
  }
  const denials = rules.filter((rule) => rule.action === 'Enforce' && isFailure(rule.status)).map((rule) => `${rule.policy}/${rule.rule}: ${rule.message}`);
  const warnings = rules.filter((rule) => rule.action === 'Audit' && isFailure(rule.status)).map((rule) => `${rule.policy}/${rule.rule}: ${rule.message}`);
  return { allowed: denials.length === 0, denials, warnings, rules };
}

export async function validate(policies: readonly LoadedPolicy[], input: AdmissionInput): Promise<ValidationResult> {
  return clocked(input, () => validateWith(policies, requestFacts(input), { environment: input, subResource: input.subResource ?? '', onlyBackground: false }));
}

export async function admit(policies: readonly LoadedPolicy[], input: AdmissionInput): Promise<AdmissionResult> {
  const mutation = await mutate(policies, input);
  const validation = await validate(policies, { ...input, object: mutation.patchedObject });
  return { ...validation, mutation };
}

/** Kyverno's background scan: validate rules of background policies on an existing object, with no request user. */
export async function scan(policies: readonly LoadedPolicy[], object: KubeObject, environment: EvaluationEnvironment = {}): Promise<readonly RuleResult[]> {
  const facts: RequestFacts = { operation: '', object, oldObject: undefined, userInfo: undefined, dryRun: false };
  const result = await clocked(environment, () => validateWith(policies, facts, { environment, subResource: '', onlyBackground: true }));
  return result.rules;
}
