/**
 * Mutate existing resources (Kyverno's `mutate.targets`): a rule's `match` selects the trigger, and the patches are
 * applied not to the trigger but to each existing object its targets select — by apiVersion and kind, with optional
 * name and namespace (wildcards; absent means any), uid and label selector, all after variable substitution against
 * the trigger. Each target is then `target` for variables (`{{@}}` reads it at the patch's own path), has its own
 * `context` and `preconditions`, and gets the rule's patchStrategicMerge, patchesJson6902 and foreach in turn.
 * `request.object` stays the trigger. A namespaced Policy only reaches targets in its own namespace.
 *
 * The engine only reads (through a ClusterReader) and answers what to write; the cluster half writes it in the
 * background after admission, the offline commands print it. See docs/adr/0024-policies-in-the-cluster.md.
 */
import type { ClusterReader, KubeObject, LoadedPolicy, MutateExistingInput, MutateExistingResult, PatchedTarget, RuleResult } from './api.js';
import { checkConditions } from './conditions.js';
import { baseDocument, loadContext, scopeOf } from './context.js';
import type { RequestFacts } from './context.js';
import { EvaluationError } from './errors.js';
import { diffJsonPatch } from './json-patch.js';
import type { MatchBlock, ResourceFilter } from './match.js';
import { compiled } from './model.js';
import type { CompiledPolicy, CompiledRule, MutateTarget } from './model.js';
import { asTarget, runMutate } from './mutate.js';
import type { Outcome } from './outcome.js';
import { clocked, failureOutcome, policyApplies, resourceName, ruleResult, selects } from './rule-runner.js';
import { isRecord } from './scalars.js';
import { labelsOf, selectorMatches } from './selector.js';
import type { LabelSelector } from './selector.js';
import { substituteTree } from './variables.js';
import { hasWildcard, wildcardMatch } from './wildcard.js';

/** A mutate rule with targets: it runs in the background on existing objects, never on the admitted one. */
export function isMutateExistingRule(rule: CompiledRule): boolean {
  return rule.type === 'mutate' && rule.mutate?.targets !== undefined;
}

function filtersOf(block: MatchBlock): ResourceFilter[] {
  return [block, ...(block.any ?? []), ...(block.all ?? [])];
}

/** Kyverno (since 1.11.2) runs a mutate-existing rule for a DELETE only when its match names DELETE explicitly. */
function namesDelete(block: MatchBlock): boolean {
  return filtersOf(block).some((filter) => filter.resources?.operations?.includes('DELETE') === true);
}

/** Kyverno's `skipBackgroundRequests` (default true): the rule ignores requests its own background controller made. */
export function skipsBackgroundRequests(policy: LoadedPolicy, rule: { readonly name: string }): boolean {
  const spec = isRecord(policy.source.spec) ? policy.source.spec : {};
  const rules: unknown[] = Array.isArray(spec.rules) ? spec.rules : [];
  const raw = rules.find((candidate) => isRecord(candidate) && candidate.name === rule.name);
  return !(isRecord(raw) && raw.skipBackgroundRequests === false);
}

function triggerFacts(input: MutateExistingInput): RequestFacts {
  const deleted = input.operation === 'DELETE';
  return {
    operation: input.operation,
    object: deleted ? undefined : input.trigger,
    oldObject: deleted ? input.trigger : input.oldObject,
    userInfo: input.userInfo,
    dryRun: false,
  };
}

/** A target entry with its selecting fields substituted against the trigger's document. */
interface ResolvedTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly selector: LabelSelector | undefined;
}

function resolveTarget(target: MutateTarget, document: Record<string, unknown>, path: string): ResolvedTarget {
  const { apiVersion, kind, name, namespace, uid, selector } = target;
  const resolved = substituteTree({ apiVersion, kind, name: name ?? '', namespace: namespace ?? '', uid: uid ?? '' }, scopeOf(document), path) as Record<string, unknown>;
  const text = (key: string): string => {
    const value = resolved[key];
    if (typeof value !== 'string') throw new EvaluationError(`${path}.${key}: resolved to ${JSON.stringify(value)}, not a string`, `${path}.${key}`);
    return value;
  };
  const substitutedSelector = selector === undefined ? undefined : (substituteTree(selector, scopeOf(document), `${path}.selector`) as LabelSelector);
  return { apiVersion: text('apiVersion'), kind: text('kind'), name: text('name'), namespace: text('namespace'), uid: text('uid'), selector: substitutedSelector };
}

/** The existing objects a resolved target selects; an empty name or namespace matches any, as in Kyverno. */
async function selectTargets(policy: CompiledPolicy, target: ResolvedTarget, reader: ClusterReader): Promise<KubeObject[]> {
  const namespace = policy.namespace ?? target.namespace;
  const exactNamespace = namespace !== '' && !hasWildcard(namespace);
  let candidates: KubeObject[];
  if (target.name !== '' && !hasWildcard(target.name) && exactNamespace) {
    const found = await reader.get(target.apiVersion, target.kind, namespace, target.name);
    candidates = found === undefined ? [] : [found];
  } else {
    candidates = await reader.list(target.apiVersion, target.kind, exactNamespace ? namespace : '');
  }
  return candidates.filter((object) =>
    (namespace === '' || wildcardMatch(namespace, object.metadata.namespace ?? '')) &&
    (target.name === '' || wildcardMatch(target.name, object.metadata.name ?? '')) &&
    (target.uid === '' || object.metadata.uid === target.uid) &&
    (target.selector === undefined || selectorMatches(target.selector, labelsOf(object))));
}

const identity = (object: KubeObject): string => `${object.apiVersion}|${object.kind}|${object.metadata.namespace ?? ''}|${object.metadata.name ?? ''}`;

/** Targets changed so far in one evaluation: a later rule patches what an earlier one produced (Kyverno's cascading). */
class PatchLedger {
  private readonly entries = new Map<string, { original: KubeObject; patched: KubeObject; by: string[] }>();

  current(object: KubeObject): KubeObject {
    return this.entries.get(identity(object))?.patched ?? object;
  }

  record(original: KubeObject, patched: KubeObject, by: string): void {
    const entry = this.entries.get(identity(original));
    if (entry === undefined) this.entries.set(identity(original), { original, patched, by: [by] });
    else {
      entry.patched = patched;
      entry.by.push(by);
    }
  }

  changed(): PatchedTarget[] {
    return [...this.entries.values()].map((entry) => ({ ...entry, patch: diffJsonPatch(entry.original, entry.patched) })).filter((entry) => entry.patch.length > 0);
  }
}

interface RuleRun {
  readonly policy: CompiledPolicy;
  readonly rule: CompiledRule;
  readonly input: MutateExistingInput;
  readonly reader: ClusterReader;
  readonly ledger: PatchLedger;
}

async function patchTarget(run: RuleRun, entry: { readonly target: MutateTarget; readonly index: number }, object: KubeObject, document: Record<string, unknown>): Promise<Outcome> {
  const { rule, input, ledger } = run;
  const path = `spec.rules[${rule.index}].mutate.targets[${entry.index}]`;
  try {
    const scoped: Record<string, unknown> = { ...document, target: ledger.current(object) };
    await loadContext(entry.target.context ?? [], scoped, input, `${path}.context`);
    if (entry.target.preconditions !== undefined) {
      const checked = checkConditions(entry.target.preconditions, scopeOf(scoped), `${path}.preconditions`);
      if (!checked.holds) return { status: 'skip', message: ['preconditions not met', ...checked.messages].join('; ') };
    }
    const before = ledger.current(object);
    const result = await runMutate(rule, before, scoped, { ...input, bind: asTarget });
    if (result.status === 'pass') ledger.record(object, result.object, `${run.policy.name}/${rule.name}`);
    return { status: result.status, message: result.message };
  } catch (cause) {
    return failureOutcome(cause);
  }
}

async function runRule(run: RuleRun): Promise<RuleResult[]> {
  const { policy, rule, input, reader } = run;
  const trigger = resourceName(input.trigger);
  const onTrigger = (outcome: Outcome): RuleResult[] => [ruleResult(policy, rule, outcome, { resource: trigger, action: 'Audit' })];
  const document = baseDocument(triggerFacts(input), input);
  const results: RuleResult[] = [];
  try {
    await loadContext(rule.context, document, input, `spec.rules[${rule.index}].context`);
    if (rule.preconditions !== undefined) {
      const checked = checkConditions(rule.preconditions, scopeOf(document), `spec.rules[${rule.index}].preconditions`);
      if (!checked.holds) return onTrigger({ status: 'skip', message: ['preconditions not met', ...checked.messages].join('; ') });
    }
    for (const [index, target] of (rule.mutate?.targets ?? []).entries()) {
      const resolved = resolveTarget(target, document, `spec.rules[${rule.index}].mutate.targets[${index}]`);
      for (const object of await selectTargets(policy, resolved, reader)) {
        const outcome = await patchTarget(run, { target, index }, object, document);
        results.push(ruleResult(policy, rule, outcome, { resource: resourceName(object), action: 'Audit' }));
      }
    }
  } catch (cause) {
    return [...results, ...onTrigger(failureOutcome(cause))];
  }
  return results;
}

/** Mutate-existing rules of `policies` for one trigger: which targets change, and a result per rule and target. */
export async function mutateExisting(policies: readonly LoadedPolicy[], input: MutateExistingInput, reader: ClusterReader): Promise<MutateExistingResult> {
  return clocked(input, async () => {
    const ledger = new PatchLedger();
    const rules: RuleResult[] = [];
    for (const policy of policies.map(compiled)) {
      if (!policyApplies(policy, input.trigger)) continue;
      for (const rule of policy.compiledRules) {
        if (!isMutateExistingRule(rule)) continue;
        if (input.operation === 'DELETE' && !namesDelete(rule.match)) continue;
        if (input.fromBackground === true && skipsBackgroundRequests(policy, rule)) continue;
        const subject = { object: input.trigger, operation: input.operation, subResource: '', userInfo: input.userInfo, namespaceLabels: input.namespaceLabels };
        if (!selects(rule, subject)) continue;
        rules.push(...(await runRule({ policy, rule, input, reader, ledger })));
      }
    }
    return { targets: ledger.changed(), rules };
  });
}

/** Whether any rule of the policy is a mutate-existing rule (the cluster half watches only those policies). */
export function hasMutateExisting(policy: LoadedPolicy): boolean {
  return policy.rules.some((rule) => rule.mutateExisting === true);
}
