/**
 * Kyverno CLI test files (`kyverno-test.yaml`, `cli.kyverno.io/v1alpha1` Test or the older plain form) and their
 * values files (`Values`: globalValues, per-policy rule and resource values, namespaceSelector labels).
 */
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { parseKubeObjects } from '../model/rendered-objects.js';
import { readTextFile } from '../source/read-text.js';
import { load as loadYaml } from 'js-yaml';
import type { UserInfo } from './api.js';
import { isRecord } from './scalars.js';
import { readUserInfoFile } from './userinfo-file.js';

export type ExpectedResult = 'pass' | 'fail' | 'skip' | 'warn' | 'error';

export interface ExpectedRow {
  readonly policy: string;
  readonly rule: string;
  readonly resources: readonly string[];
  readonly kind: string | undefined;
  readonly result: ExpectedResult;
  readonly patchedResource: string | undefined;
  readonly generatedResource: string | undefined;
  readonly cloneSourceResource: string | undefined;
}

export interface TestValues {
  readonly global: Record<string, unknown>;
  /** policy → rule → values */
  readonly rules: Map<string, Map<string, Record<string, unknown>>>;
  /** policy → resource name → values */
  readonly resources: Map<string, Map<string, Record<string, unknown>>>;
  readonly namespaceLabels: Map<string, Record<string, string>>;
}

export interface TestFile {
  readonly file: string;
  readonly name: string;
  readonly policies: readonly string[];
  readonly resources: readonly string[];
  /** `targetResources`: existing objects mutate-existing rules may patch (Kyverno CLI). */
  readonly targetResources: readonly string[];
  readonly values: TestValues;
  /** `userinfo:` — the requester (user, groups, roles, clusterRoles) of every admission the test runs. */
  readonly userInfo: UserInfo | undefined;
  readonly results: readonly ExpectedRow[];
}

const RESULTS = new Set(['pass', 'fail', 'skip', 'warn', 'error']);

function strings(value: unknown, file: string, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new InputError({ file }, 'must be a list of paths', { fieldPath: field });
  return value;
}

function row(raw: unknown, index: number, file: string, base: string): ExpectedRow {
  const field = `results[${index}]`;
  if (!isRecord(raw)) throw new InputError({ file }, 'must be a map', { fieldPath: field });
  const result = raw.result ?? raw.status;
  if (typeof result !== 'string' || !RESULTS.has(result)) throw new InputError({ file }, `result must be one of pass, fail, skip, warn, error (got ${JSON.stringify(result)})`, { fieldPath: field });
  if (typeof raw.policy !== 'string') throw new InputError({ file }, 'policy is required', { fieldPath: field });
  const resources = raw.resources !== undefined ? strings(raw.resources, file, `${field}.resources`) : typeof raw.resource === 'string' ? [raw.resource] : [];
  const path = (value: unknown): string | undefined => (typeof value === 'string' ? resolve(base, value) : undefined);
  return {
    policy: raw.policy,
    rule: typeof raw.rule === 'string' ? raw.rule : '',
    resources,
    kind: typeof raw.kind === 'string' ? raw.kind : undefined,
    result: result as ExpectedResult,
    // `patchedResources` is the newer CLI spelling; a file may hold several documents (trigger and targets).
    patchedResource: path(raw.patchedResource ?? raw.patchedResources),
    generatedResource: path(raw.generatedResource),
    cloneSourceResource: path(raw.cloneSourceResource),
  };
}

function nestedValues(list: unknown, key: 'rules' | 'resources'): Map<string, Map<string, Record<string, unknown>>> {
  const result = new Map<string, Map<string, Record<string, unknown>>>();
  for (const policy of Array.isArray(list) ? list : []) {
    if (!isRecord(policy) || typeof policy.name !== 'string') continue;
    const byName = new Map<string, Record<string, unknown>>();
    for (const entry of Array.isArray(policy[key]) ? policy[key] : []) {
      if (isRecord(entry) && typeof entry.name === 'string' && isRecord(entry.values)) byName.set(entry.name, entry.values);
    }
    result.set(policy.name, byName);
  }
  return result;
}

export function parseValues(raw: unknown): TestValues {
  const values = isRecord(raw) ? raw : {};
  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const entry of Array.isArray(values.namespaceSelector) ? values.namespaceSelector : []) {
    if (isRecord(entry) && typeof entry.name === 'string' && isRecord(entry.labels)) namespaceLabels.set(entry.name, entry.labels as Record<string, string>);
  }
  return {
    global: isRecord(values.globalValues) ? values.globalValues : {},
    rules: nestedValues(values.policies, 'rules'),
    resources: nestedValues(values.policies, 'resources'),
    namespaceLabels,
  };
}

async function readValues(raw: Record<string, unknown>, base: string, file: string): Promise<TestValues> {
  if (isRecord(raw.values)) return parseValues(raw.values);
  const path = typeof raw.variables === 'string' ? raw.variables : typeof raw.values === 'string' ? raw.values : undefined;
  if (path === undefined) return parseValues(undefined);
  const full = resolve(base, path);
  return parseValues(loadYaml(await readTextFile(full, `check variables: in ${file}`)));
}

export async function readTestFile(file: string): Promise<TestFile> {
  const text = await readTextFile(file, 'check the test folder');
  const documents = parseKubeObjectsLenient(text, file);
  const raw = documents[0];
  if (!isRecord(raw)) throw new InputError({ file }, 'is not a Kyverno test (expected a map with policies, resources, results)');
  const base = dirname(file);
  const results = Array.isArray(raw.results) ? raw.results.map((item, index) => row(item, index, file, base)) : [];
  if (results.length === 0) throw new InputError({ file }, 'has no results to check', { fix: 'add results: with policy, rule, resources and result' });
  const metadata = isRecord(raw.metadata) ? raw.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : typeof raw.name === 'string' ? raw.name : file;
  return {
    file,
    name,
    policies: strings(raw.policies, file, 'policies').map((path) => resolve(base, path)),
    resources: strings(raw.resources, file, 'resources').map((path) => resolve(base, path)),
    targetResources: strings(raw.targetResources, file, 'targetResources').map((path) => resolve(base, path)),
    values: await readValues(raw, base, file),
    userInfo: typeof raw.userinfo === 'string' ? await readUserInfoFile(resolve(base, raw.userinfo), `check userinfo: in ${file}`) : undefined,
    results,
  };
}

/** A test file has no apiVersion/kind in its older form, so it is read as plain YAML. */
function parseKubeObjectsLenient(text: string, file: string): unknown[] {
  try {
    const parsed = loadYaml(text);
    return [parsed];
  } catch (cause) {
    // Fall back to the strict reader for its precise position in the message.
    parseKubeObjects(text, { source: file });
    throw new InputError({ file }, `invalid YAML: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
