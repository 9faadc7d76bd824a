/**
 * An ApplicationSet object read into what the generators, the template and the controller need, with errors that
 * name the set and the field (`ApplicationSet/argocd/guestbook: spec.template.metadata.name …`).
 */
import { LaunchpadError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';
import { describeValue, isPlainObject } from '../model/values.js';
import { readGoTemplateOptions } from './go-template.js';
import type { MatchExpression } from './selector.js';

export const APPLICATION_SET_API_VERSION = 'argoproj.io/v1alpha1';
export const APPLICATION_SET_KIND = 'ApplicationSet';

/** How far the controller may change the Applications it generated (`syncPolicy.applicationsSync`). */
export type ApplicationsSyncPolicy = 'create-only' | 'create-update' | 'create-delete' | 'sync';
const POLICIES: readonly ApplicationsSyncPolicy[] = ['create-only', 'create-update', 'create-delete', 'sync'];

export interface AppSetTemplate {
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly spec: Readonly<Record<string, unknown>>;
}

export interface RollingSyncStep {
  readonly matchExpressions: readonly MatchExpression[];
  /** An absolute number or a percentage ("50%") of the step's Applications; undefined: all at once. */
  readonly maxUpdate?: number | string;
}

export interface IgnoreApplicationDifference {
  /** Only Applications with this name; every one when undefined. */
  readonly name?: string;
  readonly jsonPointers: readonly string[];
  readonly jqPathExpressions: readonly string[];
}

export interface ApplicationSetSpec {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  /** `ApplicationSet/<namespace>/<name>`: how errors and logs name it. */
  readonly ref: string;
  readonly goTemplate: boolean;
  readonly missingKey: 'default' | 'invalid' | 'zero' | 'error';
  readonly generators: readonly Readonly<Record<string, unknown>>[];
  readonly template: AppSetTemplate;
  readonly templatePatch?: string;
  readonly policy: ApplicationsSyncPolicy;
  readonly preserveResourcesOnDeletion: boolean;
  /** `strategy.type: RollingSync` with at least one step. */
  readonly rollingSync?: { readonly steps: readonly RollingSyncStep[] };
  /** `strategy.type: RollingSync` written without steps: an error condition, as in Argo CD. */
  readonly rollingSyncWithoutSteps: boolean;
  readonly ignoreDifferences: readonly IgnoreApplicationDifference[];
  readonly preservedAnnotations: readonly string[];
  readonly preservedLabels: readonly string[];
}

function strings(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new LaunchpadError(`${where} must be a list of strings, got ${describeValue(value)}`);
  return value;
}

function readTemplate(value: unknown, where: string): AppSetTemplate {
  if (value === undefined || value === null) return { metadata: {}, spec: {} };
  if (!isPlainObject(value)) throw new LaunchpadError(`${where} must be a mapping with metadata and spec`);
  const metadata = value.metadata ?? {};
  const spec = value.spec ?? {};
  if (!isPlainObject(metadata) || !isPlainObject(spec)) throw new LaunchpadError(`${where}.metadata and ${where}.spec must be mappings`);
  return { metadata, spec };
}

/** A generator's own `template` (per-generator override), empty when it has none. */
export function generatorTemplate(generator: Readonly<Record<string, unknown>>, where: string): AppSetTemplate {
  return readTemplate(generator.template, `${where}.template`);
}

function readSteps(strategy: Record<string, unknown>): RollingSyncStep[] {
  const rolling = strategy.rollingSync;
  const steps = isPlainObject(rolling) && Array.isArray(rolling.steps) ? rolling.steps : [];
  return steps.map((step: unknown, index) => {
    const where = `spec.strategy.rollingSync.steps[${index}]`;
    if (!isPlainObject(step)) throw new LaunchpadError(`${where} must be a mapping with matchExpressions`);
    const expressions = Array.isArray(step.matchExpressions) ? step.matchExpressions : [];
    const maxUpdate = step.maxUpdate;
    if (maxUpdate !== undefined && maxUpdate !== null && typeof maxUpdate !== 'number' && typeof maxUpdate !== 'string') throw new LaunchpadError(`${where}.maxUpdate must be a number or a percentage`);
    return {
      matchExpressions: expressions.map((expression: unknown) => {
        if (!isPlainObject(expression) || typeof expression.key !== 'string') throw new LaunchpadError(`${where}.matchExpressions entries need a key, an operator and values`);
        return { key: expression.key, operator: typeof expression.operator === 'string' ? expression.operator : '', values: strings(expression.values, `${where}.matchExpressions.values`) };
      }),
      ...(typeof maxUpdate === 'number' || typeof maxUpdate === 'string' ? { maxUpdate } : {}),
    };
  });
}

function readIgnoreDifferences(value: unknown): IgnoreApplicationDifference[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new LaunchpadError('spec.ignoreApplicationDifferences must be a list');
  return value.map((entry: unknown, index) => {
    const where = `spec.ignoreApplicationDifferences[${index}]`;
    if (!isPlainObject(entry)) throw new LaunchpadError(`${where} must be a mapping (name, jsonPointers, jqPathExpressions)`);
    return {
      ...(typeof entry.name === 'string' && entry.name !== '' ? { name: entry.name } : {}),
      jsonPointers: strings(entry.jsonPointers, `${where}.jsonPointers`),
      jqPathExpressions: strings(entry.jqPathExpressions, `${where}.jqPathExpressions`),
    };
  });
}

function readPolicy(syncPolicy: Record<string, unknown>): ApplicationsSyncPolicy {
  const policy = syncPolicy.applicationsSync ?? 'sync';
  if (!POLICIES.includes(policy as ApplicationsSyncPolicy)) throw new LaunchpadError(`spec.syncPolicy.applicationsSync ${JSON.stringify(policy)} is not a policy`, { fix: `use one of ${POLICIES.join(', ')}` });
  return policy as ApplicationsSyncPolicy;
}

function readSpecFields(spec: Record<string, unknown>): Omit<ApplicationSetSpec, 'name' | 'namespace' | 'uid' | 'ref'> {
  if (!Array.isArray(spec.generators) || !spec.generators.every(isPlainObject)) throw new LaunchpadError('spec.generators must be a list of generators');
  const syncPolicy = isPlainObject(spec.syncPolicy) ? spec.syncPolicy : {};
  const strategy = isPlainObject(spec.strategy) ? spec.strategy : {};
  const rolling = strategy.type === 'RollingSync' && isPlainObject(strategy.rollingSync);
  const steps = rolling ? readSteps(strategy) : [];
  const preserved = isPlainObject(spec.preservedFields) ? spec.preservedFields : {};
  if (spec.templatePatch !== undefined && spec.templatePatch !== null && typeof spec.templatePatch !== 'string') throw new LaunchpadError('spec.templatePatch must be a string (a YAML or JSON text, itself a template)');
  return {
    goTemplate: spec.goTemplate === true,
    missingKey: readGoTemplateOptions(strings(spec.goTemplateOptions, 'spec.goTemplateOptions')),
    generators: spec.generators,
    template: readTemplate(spec.template, 'spec.template'),
    ...(typeof spec.templatePatch === 'string' ? { templatePatch: spec.templatePatch } : {}),
    policy: readPolicy(syncPolicy),
    preserveResourcesOnDeletion: syncPolicy.preserveResourcesOnDeletion === true,
    ...(steps.length > 0 ? { rollingSync: { steps } } : {}),
    rollingSyncWithoutSteps: rolling && steps.length === 0,
    ignoreDifferences: readIgnoreDifferences(spec.ignoreApplicationDifferences),
    preservedAnnotations: strings(preserved.annotations, 'spec.preservedFields.annotations'),
    preservedLabels: strings(preserved.labels, 'spec.preservedFields.labels'),
  };
}

/** Reads an ApplicationSet; throws LaunchpadError naming the set and the field. */
export function readApplicationSet(object: KubeObject, defaultNamespace: string): ApplicationSetSpec {
  const name = object.metadata.name ?? '';
  const namespace = object.metadata.namespace ?? defaultNamespace;
  const ref = `${APPLICATION_SET_KIND}/${namespace}/${name}`;
  try {
    if (!isPlainObject(object.spec)) throw new LaunchpadError('has no spec');
    return { name, namespace, uid: typeof object.metadata.uid === 'string' ? object.metadata.uid : '', ref, ...readSpecFields(object.spec) };
  } catch (error) {
    throw new LaunchpadError(`${ref}: ${error instanceof Error ? error.message : String(error)}`, { fix: 'fix the ApplicationSet as Argo CD documents it', cause: error });
  }
}

export function isApplicationSet(object: KubeObject): boolean {
  return object.kind === APPLICATION_SET_KIND && object.apiVersion.startsWith('argoproj.io/');
}
