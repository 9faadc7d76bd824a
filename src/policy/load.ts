/**
 * Reads a `kyverno.io` policy object and checks it completely before anything runs: structure, every field known
 * (unsupported ones named), every `{{ }}` and jmesPath a valid expression with known functions, patterns that can
 * match, operators that exist, a cron schedule that parses. Errors name policy, rule and field.
 */
import { Cron } from 'croner';
import type { FailureAction, KubeObject, PolicyKind, PolicySourceInfo, RuleType } from './api.js';
import { parseAnchor } from './anchors.js';
import { PolicyError } from './errors.js';
import { compileExpression } from './jmespath.js';
import type { MatchBlock } from './match.js';
import type { CompiledPolicy, CompiledRule, ContextEntry } from './model.js';
import { canonicalOperator } from './operators.js';
import { isRecord } from './scalars.js';
import * as schema from './schema.js';
import type { FieldSet } from './schema.js';

const KINDS: readonly PolicyKind[] = ['ClusterPolicy', 'Policy', 'ClusterCleanupPolicy', 'CleanupPolicy'];
const VARIABLE = /(?:^|[^\\])\{\{((?:\{[^{}]*\}|[^{}])*)\}\}/g;

interface Where {
  readonly policy: string;
  readonly rule?: string;
  readonly file: string | undefined;
}

function error(where: Where, field: string, message: string, fix?: string): PolicyError {
  return new PolicyError({ ...where, field }, message, fix === undefined ? {} : { fix });
}

function checkFields(value: unknown, set: FieldSet, where: Where, field: string): Record<string, unknown> {
  if (!isRecord(value)) throw error(where, field, `must be a map, found ${Array.isArray(value) ? 'a list' : typeof value}`);
  for (const key of Object.keys(value)) {
    if (set.known.includes(key)) continue;
    if (set.unsupported?.includes(key)) throw error(where, `${field}.${key}`, 'is a Kyverno field Launchpad does not evaluate', 'remove it or run the policy with Kyverno itself');
    throw error(where, `${field}.${key}`, 'unknown field', `the fields allowed here are ${set.known.join(', ')}`);
  }
  return value;
}

/** Every variable and JMESPath expression in a subtree must compile. */
function checkExpressions(value: unknown, where: Where, field: string): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(VARIABLE)) {
      let expression = (match[1] ?? '').trim();
      if (expression.startsWith('-')) expression = expression.slice(1).trim();
      if (expression === '@' || expression.includes('{{')) continue;
      try {
        compileExpression(expression);
      } catch (cause) {
        throw error(where, field, cause instanceof Error ? cause.message : String(cause));
      }
    }
    return;
  }
  if (Array.isArray(value)) value.forEach((item, index) => { checkExpressions(item, where, `${field}[${index}]`); });
  else if (isRecord(value)) for (const [key, item] of Object.entries(value)) checkExpressions(item, where, `${field}.${key}`);
}

function checkJmesPath(expression: unknown, where: Where, field: string): void {
  if (expression === undefined) return;
  if (typeof expression !== 'string') throw error(where, field, 'must be a JMESPath expression (a string)');
  if (expression.includes('{{')) return;
  try {
    compileExpression(expression);
  } catch (cause) {
    throw error(where, field, cause instanceof Error ? cause.message : String(cause));
  }
}

function checkApiCall(raw: unknown, where: Where, field: string): void {
  const call = checkFields(raw, schema.API_CALL, where, field);
  if (typeof call.urlPath !== 'string' || call.urlPath === '') throw error(where, `${field}.urlPath`, 'is required: the Kubernetes API path to call, e.g. /api/v1/namespaces/{{request.namespace}}/configmaps');
  if (!call.urlPath.startsWith('/')) throw error(where, `${field}.urlPath`, `${JSON.stringify(call.urlPath)} must be a path on the Kubernetes API server starting with /`);
  if (call.method !== undefined && call.method !== 'GET' && call.method !== 'POST') throw error(where, `${field}.method`, `${JSON.stringify(call.method)} is not supported`, 'use GET (the default) or POST');
  if (call.data !== undefined) {
    if (call.method !== 'POST') throw error(where, `${field}.data`, 'is only sent with method: POST');
    if (!Array.isArray(call.data) || !call.data.every((item) => isRecord(item) && typeof item.key === 'string')) throw error(where, `${field}.data`, 'must be a list of key/value entries');
  }
  checkJmesPath(call.jmesPath, where, `${field}.jmesPath`);
}

function checkContext(raw: unknown, where: Where, field: string): ContextEntry[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw error(where, field, 'must be a list of context entries');
  return raw.map((entry, index) => {
    const at = `${field}[${index}]`;
    const checked = checkFields(entry, schema.CONTEXT_ENTRY, where, at);
    if (typeof checked.name !== 'string' || checked.name === '') throw error(where, `${at}.name`, 'a context entry needs a name');
    const sources = ['variable', 'configMap', 'apiCall'].filter((key) => checked[key] !== undefined);
    if (sources.length !== 1) throw error(where, at, 'a context entry needs exactly one of variable, configMap, apiCall');
    if (isRecord(checked.variable)) checkJmesPath(checked.variable.jmesPath, where, `${at}.variable.jmesPath`);
    if (checked.apiCall !== undefined) checkApiCall(checked.apiCall, where, `${at}.apiCall`);
    if (isRecord(checked.configMap) && typeof checked.configMap.name !== 'string') throw error(where, `${at}.configMap.name`, 'is required');
    return checked as unknown as ContextEntry;
  });
}

function checkMatch(raw: unknown, where: Where, field: string, required: boolean): MatchBlock | undefined {
  if (raw === undefined) {
    if (required) throw error(where, field, 'is required', 'say which resources the rule applies to (match.any[].resources.kinds)');
    return undefined;
  }
  if (!isRecord(raw)) throw error(where, field, 'must be a map with any or all');
  const filters: [string, unknown][] = [];
  for (const key of Object.keys(raw)) {
    if (key === 'any' || key === 'all') {
      const list = raw[key];
      if (!Array.isArray(list)) throw error(where, `${field}.${key}`, 'must be a list of resource filters');
      list.forEach((filter, index) => filters.push([`${field}.${key}[${index}]`, filter]));
    } else if (!schema.MATCH_FILTER.known.includes(key)) throw error(where, `${field}.${key}`, 'unknown field', 'use any, all, resources, subjects, roles or clusterRoles');
  }
  if (raw.any === undefined && raw.all === undefined) filters.push([field, raw]);
  for (const [at, filter] of filters) {
    const checked = checkFields(filter, schema.MATCH_FILTER, where, at);
    if (checked.resources !== undefined) checkFields(checked.resources, schema.RESOURCE_DESCRIPTION, where, `${at}.resources`);
  }
  if (required && filters.every(([, filter]) => isRecord(filter) && filter.resources === undefined && filter.subjects === undefined && filter.roles === undefined && filter.clusterRoles === undefined)) {
    throw error(where, field, 'selects nothing', 'add resources.kinds (or subjects/roles) to match');
  }
  return raw;
}

function checkConditions(raw: unknown, where: Where, field: string): void {
  if (raw === undefined) return;
  const list: [string, unknown][] = [];
  if (Array.isArray(raw)) raw.forEach((condition, index) => list.push([`${field}[${index}]`, condition]));
  else if (isRecord(raw)) {
    for (const key of Object.keys(raw)) {
      if (key !== 'any' && key !== 'all') throw error(where, `${field}.${key}`, 'unknown field', 'conditions take any and all');
      const block = raw[key];
      if (!Array.isArray(block)) throw error(where, `${field}.${key}`, 'must be a list of conditions');
      block.forEach((condition, index) => list.push([`${field}.${key}[${index}]`, condition]));
    }
  } else throw error(where, field, 'must be a map with any/all or a list of conditions');
  for (const [at, condition] of list) {
    if (!isRecord(condition)) throw error(where, at, 'a condition must be a map with key, operator and value');
    if (typeof condition.operator !== 'string' || canonicalOperator(condition.operator) === undefined) {
      throw error(where, `${at}.operator`, `unknown operator ${JSON.stringify(condition.operator)}`, 'use Equals, NotEquals, AnyIn, AllIn, AnyNotIn, AllNotIn, GreaterThan, LessThan, Duration… or the deprecated In/NotIn');
    }
    checkExpressions(condition, where, at);
  }
}

/** Patterns that can never match are refused here rather than failing every object at run time. */
function checkPattern(pattern: unknown, where: Where, field: string): void {
  if (Array.isArray(pattern)) {
    if (pattern.length === 0) throw error(where, field, 'an empty list pattern can never match');
    pattern.forEach((item, index) => { checkPattern(item, where, `${field}[${index}]`); });
    return;
  }
  if (!isRecord(pattern)) return;
  for (const [key, value] of Object.entries(pattern)) {
    const anchor = parseAnchor(key);
    if (anchor?.type === 'addIfNotPresent') throw error(where, `${field}.${key}`, 'the add-if-not-present anchor +() is only allowed in mutate patterns');
    if (anchor?.type === 'existence' && (!Array.isArray(value) || !value.every(isRecord))) {
      throw error(where, `${field}.${key}`, 'the existence anchor ^() needs a list of maps as its pattern');
    }
    checkPattern(value, where, `${field}.${key}`);
  }
}

function checkForeach(raw: unknown, set: FieldSet, where: Where, field: string): void {
  if (raw === undefined) return;
  if (!Array.isArray(raw) || raw.length === 0) throw error(where, field, 'must be a non-empty list');
  raw.forEach((block, index) => {
    const at = `${field}[${index}]`;
    const checked = checkFields(block, set, where, at);
    if (typeof checked.list !== 'string') throw error(where, `${at}.list`, 'is required: a JMESPath expression giving the elements');
    checkJmesPath(checked.list, where, `${at}.list`);
    checkContext(checked.context, where, `${at}.context`);
    checkConditions(checked.preconditions, where, `${at}.preconditions`);
    if (isRecord(checked.deny)) checkConditions(checked.deny.conditions, where, `${at}.deny.conditions`);
    if (checked.pattern !== undefined) checkPattern(checked.pattern, where, `${at}.pattern`);
    checkForeach(checked.foreach, set, where, `${at}.foreach`);
  });
}

function failureActionOf(raw: unknown, policyDefault: unknown, where: Where, field: string): FailureAction {
  const value = raw ?? policyDefault ?? 'Audit';
  if (typeof value !== 'string') throw error(where, field, 'must be Enforce or Audit');
  const lowered = value.toLowerCase();
  if (lowered === 'enforce') return 'Enforce';
  if (lowered === 'audit') return 'Audit';
  throw error(where, field, `unknown failure action ${JSON.stringify(value)}`, 'use Enforce or Audit');
}

function checkValidateBody(raw: unknown, where: Where, field: string): void {
  const validate = checkFields(raw, schema.VALIDATE, where, field);
  const forms = ['pattern', 'anyPattern', 'deny', 'foreach'].filter((key) => validate[key] !== undefined);
  if (forms.length !== 1) throw error(where, field, 'needs exactly one of pattern, anyPattern, deny, foreach');
  if (validate.pattern !== undefined) checkPattern(validate.pattern, where, `${field}.pattern`);
  if (validate.anyPattern !== undefined) {
    if (!Array.isArray(validate.anyPattern) || validate.anyPattern.length === 0) throw error(where, `${field}.anyPattern`, 'must be a non-empty list of patterns');
    checkPattern(validate.anyPattern, where, `${field}.anyPattern`);
  }
  if (validate.deny !== undefined) checkConditions(isRecord(validate.deny) ? validate.deny.conditions : undefined, where, `${field}.deny.conditions`);
  checkForeach(validate.foreach, schema.VALIDATE_FOREACH, where, `${field}.foreach`);
}

function checkSelector(raw: unknown, where: Where, field: string): void {
  if (raw === undefined) return;
  const selector = checkFields(raw, schema.LABEL_SELECTOR, where, field);
  if (selector.matchLabels !== undefined && (!isRecord(selector.matchLabels) || !Object.values(selector.matchLabels).every((value) => typeof value === 'string'))) {
    throw error(where, `${field}.matchLabels`, 'must be a map of label names to string values');
  }
  if (selector.matchExpressions === undefined) return;
  if (!Array.isArray(selector.matchExpressions)) throw error(where, `${field}.matchExpressions`, 'must be a list of {key, operator, values}');
  selector.matchExpressions.forEach((expression, index) => {
    const at = `${field}.matchExpressions[${index}]`;
    if (!isRecord(expression) || typeof expression.key !== 'string') throw error(where, at, 'needs a key');
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(String(expression.operator))) throw error(where, `${at}.operator`, `unknown operator ${JSON.stringify(expression.operator)}`, 'use In, NotIn, Exists or DoesNotExist');
  });
}

/** `mutate.targets`: what a mutate-existing rule patches, each entry naming at least the apiVersion and kind. */
function checkTargets(raw: unknown, where: Where, field: string): void {
  if (!Array.isArray(raw) || raw.length === 0) throw error(where, field, 'must be a non-empty list of target resources (apiVersion, kind, and optionally name, namespace, selector)');
  raw.forEach((entry, index) => {
    const at = `${field}[${index}]`;
    const target = checkFields(entry, schema.MUTATE_TARGET, where, at);
    for (const key of ['apiVersion', 'kind'] as const) {
      if (typeof target[key] !== 'string' || target[key] === '') throw error(where, `${at}.${key}`, 'is required', 'name the kind to patch, e.g. apiVersion: apps/v1, kind: Deployment');
    }
    for (const key of ['name', 'namespace', 'uid'] as const) {
      if (target[key] !== undefined && typeof target[key] !== 'string') throw error(where, `${at}.${key}`, 'must be a string');
    }
    checkSelector(target.selector, where, `${at}.selector`);
    checkContext(target.context, where, `${at}.context`);
    checkConditions(target.preconditions, where, `${at}.preconditions`);
  });
}

function checkMutateBody(raw: unknown, where: Where, field: string): void {
  const mutate = checkFields(raw, schema.MUTATE, where, field);
  if (!['patchStrategicMerge', 'patchesJson6902', 'foreach'].some((key) => mutate[key] !== undefined)) {
    throw error(where, field, 'needs patchStrategicMerge, patchesJson6902 or foreach');
  }
  if (mutate.patchesJson6902 !== undefined && typeof mutate.patchesJson6902 !== 'string') throw error(where, `${field}.patchesJson6902`, 'must be a YAML or JSON string of patch operations');
  checkForeach(mutate.foreach, schema.MUTATE_FOREACH, where, `${field}.foreach`);
  if (mutate.targets !== undefined) checkTargets(mutate.targets, where, `${field}.targets`);
  if (mutate.mutateExistingOnPolicyUpdate !== undefined && typeof mutate.mutateExistingOnPolicyUpdate !== 'boolean') throw error(where, `${field}.mutateExistingOnPolicyUpdate`, 'must be true or false');
  if (mutate.mutateExistingOnPolicyUpdate === true && mutate.targets === undefined) {
    throw error(where, `${field}.mutateExistingOnPolicyUpdate`, 'needs mutate.targets', 'say which existing resources to patch under mutate.targets, or remove mutateExistingOnPolicyUpdate');
  }
}

function checkGenerateBody(raw: unknown, where: Where, field: string): void {
  const generate = checkFields(raw, schema.GENERATE, where, field);
  const forms = ['data', 'clone', 'cloneList'].filter((key) => generate[key] !== undefined);
  if (forms.length !== 1) throw error(where, field, 'needs exactly one of data, clone, cloneList');
  if (generate.cloneList === undefined && (typeof generate.kind !== 'string' || typeof generate.name !== 'string')) {
    throw error(where, field, 'needs kind and name (and apiVersion) for data and clone');
  }
}

const BODY_CHECKS: Readonly<Record<RuleType, (raw: unknown, where: Where, field: string) => void>> = {
  validate: checkValidateBody,
  mutate: checkMutateBody,
  generate: checkGenerateBody,
};

/** The policy-level facts a rule needs while it is loaded. */
interface PolicyFrame {
  readonly name: string;
  readonly spec: Record<string, unknown>;
  readonly file: string | undefined;
}

function loadRule(raw: unknown, index: number, { name: policyName, spec, file }: PolicyFrame): CompiledRule {
  const field = `spec.rules[${index}]`;
  const nameless: Where = { policy: policyName, file };
  const rule = checkFields(raw, schema.RULE, nameless, field);
  if (typeof rule.name !== 'string' || rule.name === '') throw error(nameless, `${field}.name`, 'every rule needs a name');
  const where: Where = { ...nameless, rule: rule.name };
  const types = (['validate', 'mutate', 'generate'] as const).filter((key) => rule[key] !== undefined);
  const type = types[0];
  if (type === undefined || types.length > 1) throw error(where, field, 'a rule needs exactly one of validate, mutate, generate');
  const match = checkMatch(rule.match, where, `${field}.match`, true) ?? {};
  const exclude = checkMatch(rule.exclude, where, `${field}.exclude`, false);
  const context = checkContext(rule.context, where, `${field}.context`);
  checkConditions(rule.preconditions, where, `${field}.preconditions`);
  BODY_CHECKS[type](rule[type], where, `${field}.${type}`);
  checkExpressions(rule[type], where, `${field}.${type}`);
  const validate = isRecord(rule.validate) ? rule.validate : undefined;
  const failureAction = type === 'validate' ? failureActionOf(validate?.failureAction, spec.validationFailureAction, where, `${field}.validate.failureAction`) : 'Audit';
  return {
    name: rule.name,
    index,
    type,
    failureAction,
    match,
    exclude,
    context,
    preconditions: rule.preconditions,
    ...(type === 'validate' ? { validate: rule.validate as CompiledRule['validate'] } : {}),
    ...(type === 'mutate' ? { mutate: rule.mutate as CompiledRule['mutate'] } : {}),
    ...(type === 'generate' ? { generate: rule.generate as CompiledRule['generate'] } : {}),
  } as CompiledRule;
}

function loadCleanup(spec: Record<string, unknown>, where: Where): CompiledPolicy['cleanup'] {
  checkFields(spec, schema.CLEANUP_SPEC, where, 'spec');
  if (typeof spec.schedule !== 'string') throw error(where, 'spec.schedule', 'is required: a cron expression such as "*/15 * * * *"');
  try {
    new Cron(spec.schedule, { paused: true });
  } catch (cause) {
    throw error(where, 'spec.schedule', `invalid cron expression ${JSON.stringify(spec.schedule)}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const match = checkMatch(spec.match, where, 'spec.match', true) ?? {};
  const exclude = checkMatch(spec.exclude, where, 'spec.exclude', false);
  const context = checkContext(spec.context, where, 'spec.context');
  checkConditions(spec.conditions, where, 'spec.conditions');
  return { match, exclude, conditions: spec.conditions, context };
}

function policyIdentity(object: unknown, file: string | undefined): { name: string; kind: PolicyKind; spec: Record<string, unknown>; namespace: string | undefined } {
  if (!isRecord(object)) throw new PolicyError({ policy: '(unnamed)', file }, 'a policy must be a map');
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : undefined;
  const where: Where = { policy: name ?? '(unnamed)', file };
  if (name === undefined) throw error(where, 'metadata.name', 'is required');
  const kind = KINDS.find((candidate) => candidate === object.kind);
  if (kind === undefined) throw error(where, 'kind', `${JSON.stringify(object.kind)} is not a policy kind`, `use one of ${KINDS.join(', ')}`);
  if (typeof object.apiVersion !== 'string' || !object.apiVersion.startsWith('kyverno.io/')) throw error(where, 'apiVersion', 'must be kyverno.io/v1 or kyverno.io/v2');
  if (!isRecord(object.spec)) throw error(where, 'spec', 'is required');
  const namespaced = kind === 'Policy' || kind === 'CleanupPolicy';
  const namespace = namespaced ? (typeof metadata.namespace === 'string' ? metadata.namespace : 'default') : undefined;
  return { name, kind, spec: object.spec, namespace };
}

/** `failurePolicy` and `webhookTimeoutSeconds` within Kyverno's bounds: the webhook configurations are built from them. */
function checkWebhookSettings(spec: Record<string, unknown>, where: Where): void {
  if (spec.failurePolicy !== undefined && spec.failurePolicy !== 'Fail' && spec.failurePolicy !== 'Ignore') {
    throw error(where, 'spec.failurePolicy', `${JSON.stringify(spec.failurePolicy)} is not a failure policy`, 'use Fail (the default) or Ignore');
  }
  const timeout = spec.webhookTimeoutSeconds;
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 30)) {
    throw error(where, 'spec.webhookTimeoutSeconds', `${JSON.stringify(timeout)} is not a whole number of seconds from 1 to 30`, 'Kyverno and the API server accept 1-30; the default is 10');
  }
}

function loadRules(spec: Record<string, unknown>, where: Where, frame: PolicyFrame): CompiledRule[] {
  checkFields(spec, schema.POLICY_SPEC, where, 'spec');
  if (!Array.isArray(spec.rules) || spec.rules.length === 0) throw error(where, 'spec.rules', 'a policy needs at least one rule');
  failureActionOf(undefined, spec.validationFailureAction, where, 'spec.validationFailureAction');
  if (spec.applyRules !== undefined && spec.applyRules !== 'All') throw error(where, 'spec.applyRules', `${JSON.stringify(spec.applyRules)} is not supported (only All, the default)`, 'remove it or run the policy with Kyverno itself');
  checkWebhookSettings(spec, where);
  const compiledRules = spec.rules.map((rule, index) => loadRule(rule, index, frame));
  const names = new Set<string>();
  for (const rule of compiledRules) {
    if (names.has(rule.name)) throw error({ ...where, rule: rule.name }, `spec.rules[${rule.index}].name`, 'two rules have this name');
    names.add(rule.name);
  }
  return compiledRules;
}

/** Kyverno: with `spec.mutateExistingOnPolicyUpdate: true` every mutate rule must name its targets. */
function checkPolicyMutateExisting(spec: Record<string, unknown>, rules: readonly CompiledRule[], where: Where): void {
  if (spec.mutateExistingOnPolicyUpdate === undefined) return;
  if (typeof spec.mutateExistingOnPolicyUpdate !== 'boolean') throw error(where, 'spec.mutateExistingOnPolicyUpdate', 'must be true or false');
  if (!spec.mutateExistingOnPolicyUpdate) return;
  const untargeted = rules.find((rule) => rule.type === 'mutate' && rule.mutate?.targets === undefined);
  if (untargeted !== undefined) {
    throw error({ ...where, rule: untargeted.name }, 'spec.mutateExistingOnPolicyUpdate', `rule ${untargeted.name} has no mutate.targets`, 'add mutate.targets to every mutate rule, or set mutateExistingOnPolicyUpdate on the rules that have them');
  }
}

function mutateExistingFlags(rule: CompiledRule, spec: Record<string, unknown>): { mutateExisting?: true; mutateExistingOnPolicyUpdate?: true } {
  if (rule.mutate?.targets === undefined) return {};
  const onUpdate = rule.mutate.mutateExistingOnPolicyUpdate ?? spec.mutateExistingOnPolicyUpdate === true;
  return { mutateExisting: true, ...(onUpdate ? { mutateExistingOnPolicyUpdate: true } : {}) };
}

/** Reads and checks one policy; throws PolicyError. */
export function loadPolicy(object: unknown, source: PolicySourceInfo = {}): CompiledPolicy {
  const file = source.file;
  const { name, kind, spec, namespace } = policyIdentity(object, file);
  const where: Where = { policy: name, file };
  const common = { kind, name, namespace, source: object as KubeObject, file };
  if (kind === 'ClusterCleanupPolicy' || kind === 'CleanupPolicy') {
    const cleanup = loadCleanup(spec, where);
    return { ...common, background: false, rules: [], schedule: spec.schedule as string, compiledRules: [], cleanup };
  }
  const compiledRules = loadRules(spec, where, { name, spec, file });
  checkPolicyMutateExisting(spec, compiledRules, where);
  const rules = compiledRules.map((rule) => ({ name: rule.name, type: rule.type, failureAction: rule.failureAction, ...mutateExistingFlags(rule, spec) }));
  return { ...common, background: spec.background !== false, rules, schedule: undefined, compiledRules, cleanup: undefined };
}
