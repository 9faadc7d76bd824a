/**
 * Generate rules: for a trigger, the downstream objects to create, update or delete — from `data`, a `clone` source
 * or a `cloneList` — labelled as Kyverno labels them (`generate.kyverno.io/*`, managed-by kyverno). With
 * `synchronize: true` a downstream that drifted is updated back, a clone follows its source, a deleted source or a
 * deleted trigger deletes the downstream; without it the downstream is only created once. Dry-run requests
 * generate nothing.
 */
import type { ClusterReader, CloneSourceRef, GenerateAction, GenerateInput, GenerateResult, KubeObject, LoadedPolicy, RuleResult } from './api.js';
import { baseDocument, loadContext, scopeOf } from './context.js';
import { compiled } from './model.js';
import type { CompiledPolicy, CompiledRule, GenerateSpec } from './model.js';
import { isRecord, jsonEqual } from './scalars.js';
import { clocked, failureOutcome, policyApplies, resourceName, ruleResult, selects } from './rule-runner.js';
import { checkConditions } from './conditions.js';
import { substituteTree } from './variables.js';

export const GENERATE_LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  policy: 'generate.kyverno.io/policy-name',
  policyNamespace: 'generate.kyverno.io/policy-namespace',
  rule: 'generate.kyverno.io/rule-name',
  triggerName: 'generate.kyverno.io/trigger-name',
  triggerNamespace: 'generate.kyverno.io/trigger-namespace',
  triggerKind: 'generate.kyverno.io/trigger-kind',
  triggerGroup: 'generate.kyverno.io/trigger-group',
  triggerVersion: 'generate.kyverno.io/trigger-version',
  sourceName: 'generate.kyverno.io/source-name',
  sourceNamespace: 'generate.kyverno.io/source-namespace',
  sourceKind: 'generate.kyverno.io/source-kind',
  cloneSource: 'generate.kyverno.io/clone-source',
} as const;

const SERVER_FIELDS = ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'selfLink', 'generation', 'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

function ownLabels(policy: CompiledPolicy, rule: CompiledRule, trigger: KubeObject): Record<string, string> {
  const [group, version] = splitApiVersion(trigger.apiVersion);
  return {
    [GENERATE_LABELS.managedBy]: 'kyverno',
    [GENERATE_LABELS.policy]: policy.name,
    ...(policy.namespace === undefined ? {} : { [GENERATE_LABELS.policyNamespace]: policy.namespace }),
    [GENERATE_LABELS.rule]: rule.name,
    [GENERATE_LABELS.triggerName]: trigger.metadata.name ?? '',
    [GENERATE_LABELS.triggerNamespace]: trigger.metadata.namespace ?? '',
    [GENERATE_LABELS.triggerKind]: trigger.kind,
    [GENERATE_LABELS.triggerGroup]: group,
    [GENERATE_LABELS.triggerVersion]: version,
  };
}

/** The object without what the API server sets, for comparing desired with existing. */
export function withoutServerFields(object: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const field of SERVER_FIELDS) Reflect.deleteProperty(metadata, field);
  const annotations = isRecord(metadata.annotations) ? { ...metadata.annotations } : undefined;
  if (annotations !== undefined) {
    Reflect.deleteProperty(annotations, 'kubectl.kubernetes.io/last-applied-configuration');
    metadata.annotations = annotations;
    if (Object.keys(annotations).length === 0) Reflect.deleteProperty(metadata, 'annotations');
  }
  const result: Record<string, unknown> = { ...object, metadata };
  Reflect.deleteProperty(result, 'status');
  return result as KubeObject;
}

function fromSource(source: KubeObject, namespace: string, name: string, labels: Record<string, string>): KubeObject {
  const clean = withoutServerFields(source);
  const sourceLabels = isRecord(clean.metadata.labels) ? clean.metadata.labels : {};
  const [group] = splitApiVersion(source.apiVersion);
  return {
    ...clean,
    metadata: {
      ...clean.metadata,
      name,
      ...(namespace === '' ? {} : { namespace }),
      labels: {
        ...sourceLabels,
        ...labels,
        [GENERATE_LABELS.cloneSource]: '',
        [GENERATE_LABELS.sourceName]: source.metadata.name ?? '',
        [GENERATE_LABELS.sourceNamespace]: source.metadata.namespace ?? '',
        [GENERATE_LABELS.sourceKind]: group === '' ? source.kind : source.kind,
      },
    },
  };
}

function fromData(spec: GenerateSpec, data: unknown, labels: Record<string, string>): KubeObject {
  const body = isRecord(data) ? data : {};
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  const dataLabels = (isRecord(metadata.labels) ? metadata.labels : {}) as Record<string, string>;
  return {
    ...body,
    apiVersion: spec.apiVersion ?? 'v1',
    kind: spec.kind ?? '',
    metadata: { ...metadata, name: spec.name ?? '', ...(spec.namespace === undefined || spec.namespace === '' ? {} : { namespace: spec.namespace }), labels: { ...dataLabels, ...labels } },
  };
}

interface Desired {
  readonly objects: KubeObject[];
  /** Downstream objects whose source is gone: deleted when synchronize is on. */
  readonly orphaned: KubeObject[];
}

function kindRef(ref: string): { apiVersion: string; kind: string } {
  const slash = ref.lastIndexOf('/');
  return slash === -1 ? { apiVersion: 'v1', kind: ref } : { apiVersion: ref.slice(0, slash), kind: ref.slice(slash + 1) };
}

function identityOf(spec: GenerateSpec): KubeObject {
  const namespace = spec.namespace ?? '';
  return { apiVersion: spec.apiVersion ?? 'v1', kind: spec.kind ?? '', metadata: { name: spec.name ?? '', ...(namespace === '' ? {} : { namespace }) } };
}

async function cloneOne(spec: GenerateSpec, clone: NonNullable<GenerateSpec['clone']>, labels: Record<string, string>, reader: ClusterReader): Promise<Desired> {
  const identity = identityOf(spec);
  const source = await reader.get(identity.apiVersion, identity.kind, clone.namespace ?? '', clone.name ?? '');
  if (source === undefined) return { objects: [], orphaned: [identity] };
  return { objects: [fromSource(source, spec.namespace ?? '', spec.name ?? '', labels)], orphaned: [] };
}

async function cloneMany(spec: GenerateSpec, list: NonNullable<GenerateSpec['cloneList']>, labels: Record<string, string>, reader: ClusterReader): Promise<Desired> {
  const objects: KubeObject[] = [];
  for (const ref of list.kinds ?? []) {
    const { apiVersion, kind } = kindRef(ref);
    const sources = await reader.list(apiVersion, kind, list.namespace ?? '', list.selector?.matchLabels);
    objects.push(...sources.map((source) => fromSource(source, spec.namespace ?? '', source.metadata.name ?? '', labels)));
  }
  return { objects, orphaned: [] };
}

async function desiredObjects(spec: GenerateSpec, labels: Record<string, string>, reader: ClusterReader): Promise<Desired> {
  if (spec.data !== undefined) return { objects: [fromData(spec, spec.data, labels)], orphaned: [] };
  if (spec.clone !== undefined) return cloneOne(spec, spec.clone, labels, reader);
  return cloneMany(spec, spec.cloneList ?? {}, labels, reader);
}

function needsUpdate(existing: KubeObject, desired: KubeObject): boolean {
  return !jsonEqual(withoutServerFields(existing), withoutServerFields(desired));
}

/** The generate spec with variables substituted (data separately, so its own `{{ }}` follow the same rules). */
function resolveSpec(rule: CompiledRule, document: Record<string, unknown>): GenerateSpec {
  const at = `spec.rules[${rule.index}].generate`;
  const spec = substituteTree({ ...rule.generate, data: undefined }, scopeOf(document), at) as GenerateSpec;
  if (rule.generate?.data === undefined) return spec;
  return { ...spec, data: substituteTree(rule.generate.data, scopeOf(document), `${at}.data`) };
}

function triggerDocument(input: GenerateInput): Record<string, unknown> {
  const deleted = input.operation === 'DELETE';
  const facts = { operation: input.operation, object: deleted ? undefined : input.trigger, oldObject: deleted ? input.trigger : undefined, userInfo: input.userInfo, dryRun: input.dryRun ?? false };
  return baseDocument(facts, input);
}

interface Decision {
  readonly deleted: boolean;
  readonly synchronize: boolean;
  readonly policy: string;
  readonly reader: ClusterReader;
}

/** Trigger gone: delete what is synchronized. Trigger here: create what is missing, update what drifted (synchronize). */
function actionFor(existing: KubeObject | undefined, desired: KubeObject, deleted: boolean, synchronize: boolean): GenerateAction['action'] | undefined {
  if (deleted) return synchronize && existing !== undefined ? 'delete' : undefined;
  if (existing === undefined) return 'create';
  return synchronize && needsUpdate(existing, desired) ? 'update' : undefined;
}

async function decide(desired: Desired, { deleted, synchronize, policy, reader }: Decision): Promise<{ action: GenerateAction['action']; object: KubeObject }[]> {
  const planned: { action: GenerateAction['action']; object: KubeObject }[] = [];
  const existingOf = (object: KubeObject): Promise<KubeObject | undefined> => reader.get(object.apiVersion, object.kind, object.metadata.namespace ?? '', object.metadata.name ?? '');
  for (const object of desired.objects) {
    const action = actionFor(await existingOf(object), object, deleted, synchronize);
    if (action !== undefined) planned.push({ action, object });
  }
  if (!synchronize) return planned;
  // A synchronized clone whose source is gone is deleted — only if this policy made it.
  for (const object of desired.orphaned) {
    const existing = await existingOf(object);
    if (existing?.metadata.labels?.[GENERATE_LABELS.policy] === policy) planned.push({ action: 'delete', object });
  }
  return planned;
}

async function planRule(policy: CompiledPolicy, rule: CompiledRule, input: GenerateInput, reader: ClusterReader): Promise<GenerateAction[]> {
  const document = triggerDocument(input);
  await loadContext(rule.context, document, input, `spec.rules[${rule.index}].context`);
  if (rule.preconditions !== undefined && !checkConditions(rule.preconditions, scopeOf(document), `spec.rules[${rule.index}].preconditions`).holds) return [];
  const spec = resolveSpec(rule, document);
  const desired = await desiredObjects(spec, ownLabels(policy, rule, input.trigger), reader);
  const deleted = input.operation === 'DELETE';
  const synchronize = spec.synchronize === true;
  if (desired.orphaned.length > 0 && !synchronize && !deleted) {
    throw new Error(`clone source ${spec.clone?.namespace ?? ''}/${spec.clone?.name ?? ''} (${spec.kind ?? ''}) not found`);
  }
  const planned = await decide(desired, { deleted, synchronize, policy: policy.name, reader });
  return planned.map(({ action, object }) => ({ action, object, policy: policy.name, rule: rule.name }));
}

export async function generate(policies: readonly LoadedPolicy[], input: GenerateInput, reader: ClusterReader): Promise<GenerateResult> {
  return clocked(input, async () => {
    const actions: GenerateAction[] = [];
    const rules: RuleResult[] = [];
    if (input.dryRun === true) return { actions, rules };
    for (const policy of policies.map(compiled)) {
      if (!policyApplies(policy, input.trigger)) continue;
      for (const rule of policy.compiledRules) {
        if (rule.type !== 'generate') continue;
        const subject = { object: input.trigger, operation: input.operation === 'DELETE' ? ('' as const) : input.operation, subResource: '', userInfo: input.userInfo, namespaceLabels: input.namespaceLabels };
        if (!selects(rule, subject)) continue;
        try {
          const planned = await planRule(policy, rule, input, reader);
          actions.push(...planned);
          rules.push(ruleResult(policy, rule, { status: 'pass', message: planned.map((a) => `${a.action} ${resourceName(a.object)}`).join(', ') || 'up to date' }, { resource: resourceName(input.trigger), action: 'Audit' }));
        } catch (cause) {
          rules.push(ruleResult(policy, rule, failureOutcome(cause), { resource: resourceName(input.trigger), action: 'Audit' }));
        }
      }
    }
    return { actions, rules };
  });
}

function ruleSources(policy: CompiledPolicy, rule: CompiledRule): CloneSourceRef[] {
  const spec = rule.generate;
  if (spec === undefined) return [];
  const base = { policy: policy.name, rule: rule.name };
  const refs: CloneSourceRef[] = [];
  if (spec.clone !== undefined) {
    refs.push({ ...base, apiVersion: spec.apiVersion ?? 'v1', kind: spec.kind ?? '', namespace: spec.clone.namespace ?? '', name: spec.clone.name, selector: undefined });
  }
  for (const ref of spec.cloneList?.kinds ?? []) {
    refs.push({ ...base, ...kindRef(ref), namespace: spec.cloneList?.namespace ?? '', name: undefined, selector: spec.cloneList?.selector?.matchLabels });
  }
  return refs;
}

/** Clone sources of every generate rule, for the cluster half to watch (synchronize propagates their changes). */
export function cloneSources(policies: readonly LoadedPolicy[]): readonly CloneSourceRef[] {
  return policies.map(compiled).flatMap((policy) => policy.compiledRules.flatMap((rule) => ruleSources(policy, rule)));
}
