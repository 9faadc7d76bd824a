/**
 * `launchpad policy test`: runs Kyverno CLI test files as `kyverno test` does — each resource through each policy
 * (mutate, then validate on the mutated object, generate with the clone sources the rows name, cleanup), each
 * expected row compared with what happened, including `patchedResource` and `generatedResource` contents.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ClusterReader, ContextLoader, EvaluationEnvironment, KubeObject, LoadedPolicy, Operation, RuleStatus, UserInfo } from './api.js';
import { admit } from './admission.js';
import { cleanup } from './cleanup.js';
import { readObjects, readPolicies } from './files.js';
import { GENERATE_LABELS, generate } from './generate.js';
import { mutateExisting } from './mutate-existing.js';
import { poolReader } from './mutate-existing-offline.js';
import { resourceName } from './rule-runner.js';
import { isRecord, jsonEqual } from './scalars.js';
import { readTestFile } from './test-file.js';
import type { ExpectedRow, TestFile } from './test-file.js';

export interface TestCaseResult {
  readonly test: string;
  readonly policy: string;
  readonly rule: string;
  readonly resource: string;
  readonly expected: string;
  readonly actual: string;
  readonly passed: boolean;
  readonly reason: string;
}

interface Actual {
  readonly status: RuleStatus;
  readonly message: string;
  readonly patched?: KubeObject;
  readonly generated?: readonly KubeObject[];
}

const TEST_FILE_NAMES = new Set(['kyverno-test.yaml', 'kyverno-test.yml']);

export async function findTestFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (info?.isFile() === true) return [dir];
  if (info === undefined) return [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await findTestFiles(path)));
    else if (TEST_FILE_NAMES.has(entry.name)) found.push(path);
  }
  return found;
}

function objectReader(objects: readonly KubeObject[]): ClusterReader {
  return {
    get: (apiVersion, kind, namespace, name) =>
      Promise.resolve(objects.find((o) => o.apiVersion === apiVersion && o.kind === kind && (o.metadata.namespace ?? '') === namespace && o.metadata.name === name)),
    list: (apiVersion, kind, namespace, selector) =>
      Promise.resolve(
        objects.filter(
          (o) =>
            o.apiVersion === apiVersion &&
            o.kind === kind &&
            (namespace === '' || (o.metadata.namespace ?? '') === namespace) &&
            Object.entries(selector ?? {}).every(([key, value]) => o.metadata.labels?.[key] === value),
        ),
      ),
  };
}

function configMapLoader(objects: readonly KubeObject[]): ContextLoader {
  return {
    configMap: (namespace, name) => Promise.resolve(objects.find((o) => o.kind === 'ConfigMap' && (o.metadata.namespace ?? 'default') === namespace && o.metadata.name === name)),
  };
}

/** The environment of one evaluation, with the test's requester (`userinfo:`), which admission and generate read. */
function environmentFor(test: TestFile, policy: LoadedPolicy, object: KubeObject, objects: readonly KubeObject[]): EvaluationEnvironment & { readonly userInfo?: UserInfo } {
  const ruleValues = [...(test.values.rules.get(policy.name)?.values() ?? [])].reduce<Record<string, unknown>>((all, values) => ({ ...all, ...values }), {});
  const resourceValues = test.values.resources.get(policy.name)?.get(object.metadata.name ?? '') ?? {};
  return {
    variables: { ...test.values.global, ...ruleValues, ...resourceValues },
    namespaceLabels: (namespace) => test.values.namespaceLabels.get(namespace),
    contextLoader: configMapLoader(objects),
    ...(test.userInfo === undefined ? {} : { userInfo: test.userInfo }),
  };
}

function operationOf(environment: EvaluationEnvironment): Operation {
  const value = environment.variables?.['request.operation'];
  return value === 'UPDATE' || value === 'DELETE' || value === 'CONNECT' ? value : 'CREATE';
}

/** The objects a test reads besides its resources: clone sources of generate rules, targets of mutate-existing rules. */
interface TestPools {
  readonly sources: readonly KubeObject[];
  readonly targets: readonly KubeObject[];
}

/** Mutate-existing rules with each resource as the trigger; a row names the target, its patched form is compared. */
async function evaluateMutateExisting(policy: LoadedPolicy, input: { readonly environment: EvaluationEnvironment; readonly operation: Operation; readonly trigger: KubeObject }, pool: readonly KubeObject[], actual: Map<string, Actual>): Promise<void> {
  const result = await mutateExisting([policy], { ...input.environment, operation: input.operation, trigger: input.trigger }, poolReader(pool));
  const patched = new Map(result.targets.map((target) => [resourceName(target.patched), target.patched]));
  for (const rule of result.rules) {
    const target = patched.get(rule.resource);
    actual.set(`${policy.name}/${rule.rule}/${rule.resource}`, { status: rule.status, message: rule.message, ...(target === undefined ? {} : { patched: target }) });
  }
}

async function evaluate(test: TestFile, policies: readonly LoadedPolicy[], objects: readonly KubeObject[], pools: TestPools): Promise<Map<string, Actual>> {
  const { sources, targets } = pools;
  const actual = new Map<string, Actual>();
  for (const policy of policies) {
    if (policy.schedule !== undefined) {
      const result = await cleanup(policy, { candidates: objects });
      for (const rule of result.rules) actual.set(`${policy.name}//${rule.resource}`, { status: rule.status === 'skip' ? 'fail' : rule.status, message: rule.message });
      continue;
    }
    for (const object of objects) {
      const environment = environmentFor(test, policy, object, objects);
      const operation = operationOf(environment);
      const input = { ...environment, operation, object: operation === 'DELETE' ? undefined : object, ...(operation === 'DELETE' ? { oldObject: object } : {}) };
      const result = await admit([policy], input);
      for (const rule of result.mutation.rules) actual.set(`${policy.name}/${rule.rule}/${rule.resource}`, { status: rule.status, message: rule.message, ...(result.mutation.patchedObject === undefined ? {} : { patched: result.mutation.patchedObject }) });
      for (const rule of result.rules) actual.set(`${policy.name}/${rule.rule}/${rule.resource}`, { status: rule.status, message: rule.message });
      if (policy.rules.some((rule) => rule.mutateExisting === true)) await evaluateMutateExisting(policy, { environment, operation, trigger: object }, [...targets, ...objects], actual);
      const generated = await generate([policy], { ...environment, operation, trigger: object }, objectReader([...sources, ...objects]));
      for (const rule of generated.rules) {
        const objectsMade = generated.actions.filter((action) => action.rule === rule.rule && action.action !== 'delete').map((action) => action.object);
        actual.set(`${policy.name}/${rule.rule}/${rule.resource}`, { status: rule.status, message: rule.message, generated: objectsMade });
      }
    }
  }
  return actual;
}

/** A result row names resources by name, namespace/name or Kind/namespace/name. */
function resourceMatches(reference: string, object: KubeObject, kind: string | undefined): boolean {
  if (kind !== undefined && kind !== object.kind) return false;
  const name = object.metadata.name ?? '';
  const namespace = object.metadata.namespace ?? '';
  return reference === name || reference === `${namespace}/${name}` || reference === resourceName(object) || reference === `${object.kind}/${name}`;
}

function withoutGenerateLabels(object: KubeObject): unknown {
  const labels = isRecord(object.metadata.labels) ? Object.fromEntries(Object.entries(object.metadata.labels).filter(([key]) => !key.startsWith('generate.kyverno.io/') && key !== GENERATE_LABELS.managedBy)) : undefined;
  const metadata: Record<string, unknown> = { ...object.metadata };
  if (labels === undefined || Object.keys(labels).length === 0) Reflect.deleteProperty(metadata, 'labels');
  else metadata.labels = labels;
  return { ...object, metadata };
}

async function compareContent(expected: ExpectedRow, found: Actual): Promise<string | undefined> {
  if (expected.patchedResource !== undefined) {
    const documents = (await readObjects([expected.patchedResource], 'check patchedResource')).map((entry) => entry.object);
    // A patchedResources file may list several objects (a trigger and its targets): compare the one this row is about.
    const want = documents.length > 1 && found.patched !== undefined ? documents.find((candidate) => resourceName(candidate) === resourceName(found.patched as KubeObject) && candidate.apiVersion === found.patched?.apiVersion) : documents[0];
    if (want === undefined || found.patched === undefined || !jsonEqual(want, found.patched)) return `patched resource differs from ${basename(expected.patchedResource)}`;
  }
  if (expected.generatedResource !== undefined) {
    const [want] = (await readObjects([expected.generatedResource], 'check generatedResource')).map((entry) => entry.object);
    const made = (found.generated ?? []).map(withoutGenerateLabels);
    if (want === undefined || !made.some((object) => jsonEqual(withoutGenerateLabels(want), object))) return `generated resource differs from ${basename(expected.generatedResource)}`;
  }
  return undefined;
}

async function checkRow(test: TestFile, expected: ExpectedRow, objects: readonly KubeObject[], actual: Map<string, Actual>): Promise<TestCaseResult[]> {
  const rows: TestCaseResult[] = [];
  for (const reference of expected.resources) {
    const object = objects.find((candidate) => resourceMatches(reference, candidate, expected.kind));
    const base = { test: test.name, policy: expected.policy, rule: expected.rule, resource: reference, expected: expected.result };
    if (object === undefined) {
      rows.push({ ...base, actual: '-', passed: false, reason: `resource ${reference} is not among the test's resources` });
      continue;
    }
    const found = actual.get(`${expected.policy}/${expected.rule}/${resourceName(object)}`) ?? actual.get(`${expected.policy}//${resourceName(object)}`);
    const status = found?.status ?? 'skip';
    let reason = status === expected.result ? 'Ok' : `Want ${expected.result}, got ${status}${found === undefined ? ' (the rule did not apply)' : `: ${found.message}`}`;
    if (status === expected.result && found !== undefined) reason = (await compareContent(expected, found)) ?? 'Ok';
    rows.push({ ...base, resource: resourceName(object), actual: status, passed: reason === 'Ok', reason });
  }
  return rows;
}

export async function runTestFile(file: string): Promise<TestCaseResult[]> {
  const test = await readTestFile(file);
  const policies = await readPolicies(test.policies);
  const objects = (await readObjects(test.resources, `check resources: in ${file}`)).map((entry) => entry.object);
  const sourceFiles = [...new Set(test.results.flatMap((row) => (row.cloneSourceResource === undefined ? [] : [row.cloneSourceResource])))];
  const sources = (await readObjects(sourceFiles, `check cloneSourceResource in ${file}`)).map((entry) => entry.object);
  const targets = (await readObjects(test.targetResources, `check targetResources: in ${file}`)).map((entry) => entry.object);
  const actual = await evaluate(test, policies, objects, { sources, targets });
  const rows: TestCaseResult[] = [];
  for (const expected of test.results) rows.push(...(await checkRow(test, expected, [...objects, ...targets], actual)));
  return rows;
}
