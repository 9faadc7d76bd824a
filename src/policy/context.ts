/**
 * The JSON document variables are evaluated against — `request.*`, `serviceAccountName`, `images`, then each rule's
 * `context` entries (variable, configMap, apiCall) — and the values a kyverno-test `values.yaml` forces.
 */
import type { AdmissionInput, EvaluationEnvironment, KubeObject, Operation, UserInfo } from './api.js';
import { EvaluationError } from './errors.js';
import { imagesOf } from './images.js';
import { searchExpression } from './jmespath.js';
import type { ContextEntry } from './model.js';
import { isRecord } from './scalars.js';
import { substituteTree } from './variables.js';
import type { SubstitutionScope } from './variables.js';

/** A context entry that cannot be evaluated here (an apiCall offline): the rule is skipped with this reason. */
export class NotEvaluableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotEvaluableError';
  }
}

export interface RequestFacts {
  readonly operation: Operation | '';
  readonly object: KubeObject | undefined;
  readonly oldObject: KubeObject | undefined;
  readonly userInfo: UserInfo | undefined;
  readonly dryRun: boolean;
}

export function requestFacts(input: AdmissionInput): RequestFacts {
  return { operation: input.operation, object: input.object, oldObject: input.oldObject, userInfo: input.userInfo, dryRun: input.dryRun ?? false };
}

function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The base document for one request. */
function userFields(user: UserInfo | undefined): Record<string, unknown> {
  if (user === undefined) return { userInfo: {}, roles: [], clusterRoles: [] };
  return { userInfo: { username: user.username, uid: user.uid ?? '', groups: [...user.groups] }, roles: [...user.roles], clusterRoles: [...user.clusterRoles] };
}

function subjectFields(subject: KubeObject | undefined): Record<string, unknown> {
  if (subject === undefined) return { namespace: '', name: '', kind: null };
  return { namespace: subject.metadata.namespace ?? '', name: subject.metadata.name ?? '', kind: { ...groupVersion(subject.apiVersion), kind: subject.kind } };
}

export function baseDocument(facts: RequestFacts, environment: EvaluationEnvironment): Record<string, unknown> {
  const user = facts.userInfo;
  const request: Record<string, unknown> = {
    operation: facts.operation,
    object: facts.object ?? null,
    oldObject: facts.oldObject ?? null,
    dryRun: facts.dryRun,
    ...subjectFields(facts.object ?? facts.oldObject),
    ...userFields(user),
  };
  const document: Record<string, unknown> = { request };
  const serviceAccount = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user?.username ?? '');
  document.serviceAccountName = serviceAccount?.[2] ?? '';
  document.serviceAccountNamespace = serviceAccount?.[1] ?? '';
  const images = imagesOf(facts.object);
  if (images !== undefined) document.images = images;
  applyOverrides(document, environment.variables);
  return document;
}

/** `request.operation: UPDATE` style names set at their dotted path. */
export function applyOverrides(document: Record<string, unknown>, variables: Readonly<Record<string, unknown>> | undefined): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const parts = name.split('.');
    let target = document;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      if (!isRecord(next)) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts[parts.length - 1] ?? name] = value;
  }
}

function isDelete(document: Record<string, unknown>): boolean {
  return isRecord(document.request) && document.request.operation === 'DELETE';
}

export function scopeOf(document: Record<string, unknown>): SubstitutionScope {
  return { data: document, isDelete: isDelete(document) };
}

/** Loads context entries into the document, in order (later entries may use earlier ones). */
export async function loadContext(entries: readonly ContextEntry[], document: Record<string, unknown>, environment: EvaluationEnvironment, path: string): Promise<void> {
  for (const [index, entry] of entries.entries()) {
    if (environment.variables !== undefined && Object.hasOwn(environment.variables, entry.name)) continue;
    document[entry.name] = await loadEntry(entry, document, environment, `${path}[${index}]`);
  }
}

async function loadEntry(entry: ContextEntry, document: Record<string, unknown>, environment: EvaluationEnvironment, path: string): Promise<unknown> {
  const scope = scopeOf(document);
  if (entry.variable !== undefined) return variableEntry(entry.name, entry.variable, scope, path);
  if (entry.configMap !== undefined) return configMapEntry(entry.name, entry.configMap, scope, { environment, path });
  if (entry.apiCall !== undefined) return apiCallEntry(entry.name, entry.apiCall, scope, { environment, path });
  throw new EvaluationError(`context ${entry.name}: no source`, path);
}

interface EntryPlace {
  readonly environment: EvaluationEnvironment;
  readonly path: string;
}

async function configMapEntry(name: string, ref: NonNullable<ContextEntry['configMap']>, scope: SubstitutionScope, { environment, path }: EntryPlace): Promise<unknown> {
  const mapName = String(substituteTree(ref.name, scope, `${path}.configMap.name`));
  const namespace = String(substituteTree(ref.namespace ?? 'default', scope, `${path}.configMap.namespace`));
  const loader = environment.contextLoader;
  if (loader === undefined) throw new NotEvaluableError(`context ${name}: ConfigMap ${namespace}/${mapName} cannot be read here (give it as a resource or a variable)`);
  const configMap = await loader.configMap(namespace, mapName);
  if (configMap === undefined) throw new EvaluationError(`context ${name}: ConfigMap ${namespace}/${mapName} not found`, path);
  return configMap;
}

async function apiCallEntry(name: string, raw: NonNullable<ContextEntry['apiCall']>, scope: SubstitutionScope, { environment, path }: EntryPlace): Promise<unknown> {
  const loader = environment.contextLoader;
  if (loader?.apiCall === undefined) throw new NotEvaluableError(`context ${name}: apiCall is not evaluable offline (give a value for "${name}" in the test's variables)`);
  const call = substituteTree(raw, scope, `${path}.apiCall`) as NonNullable<ContextEntry['apiCall']>;
  const data = call.data === undefined ? undefined : Object.fromEntries(call.data.map((item) => [item.key, item.value]));
  let result: unknown;
  try {
    result = await loader.apiCall({ urlPath: call.urlPath ?? '', method: call.method ?? 'GET', data });
  } catch (cause) {
    if (call.default !== undefined) return call.default;
    throw new EvaluationError(`context ${name}: apiCall ${call.urlPath ?? ''} failed: ${cause instanceof Error ? cause.message : String(cause)}`, path);
  }
  return call.jmesPath === undefined || call.jmesPath === '' ? result : searchExpression(call.jmesPath, result);
}

function variableEntry(name: string, variable: NonNullable<ContextEntry['variable']>, scope: SubstitutionScope, path: string): unknown {
  let value: unknown = null;
  try {
    if (variable.value !== undefined) value = substituteTree(variable.value, scope, `${path}.variable.value`);
    if (variable.jmesPath !== undefined) {
      const expression = String(substituteTree(variable.jmesPath, scope, `${path}.variable.jmesPath`));
      const source = variable.value === undefined ? scope.data : value;
      value = searchExpression(scope.isDelete ? expression.replaceAll('request.object', 'request.oldObject') : expression, source);
    }
  } catch (cause) {
    if (variable.default === undefined) throw cause instanceof EvaluationError ? cause : new EvaluationError(`${path}: ${cause instanceof Error ? cause.message : String(cause)}`, path);
    value = null;
  }
  if ((value === null || value === undefined) && variable.default !== undefined) return substituteTree(variable.default, scope, `${path}.variable.default`);
  if (value === null || value === undefined) throw new EvaluationError(`${path}: context variable ${name} is empty and has no default`, path);
  return value;
}
