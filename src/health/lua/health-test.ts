/**
 * `health_test.yaml` files in Argo CD's format, beside each health.lua of a folder:
 * `tests: [{inputPath: healthy.yaml, healthStatus: {status: Healthy, message: "…"}}]`. As Argo CD's own test does, the
 * script for each input is found from the object's group and kind across the whole folder (so wildcard folders are
 * exercised), and status and message must both match exactly.
 */
import { join } from 'node:path';
import { describeError, InputError } from '../../errors.js';
import { isPlainObject } from '../../model/values.js';
import { parseYamlValue } from '../../model/yaml-guard.js';
import { parseKubeObjects } from '../../model/rendered-objects.js';
import { groupOf } from '../../model/resource.js';
import { readTextFile } from '../../source/read-text.js';
import { healthCheckKey } from '../checks.js';
import { evaluateLuaHealth } from './evaluate.js';
import { findScriptFolders, HEALTH_TEST_FILE, loadLuaHealthDir } from './folder.js';
import { findHealthScript, NO_CUSTOM_HEALTH_CHECKS } from './registry.js';
import type { CustomHealthCheck } from './registry.js';

export interface ExpectedHealth {
  readonly status: string;
  readonly message: string;
}

export interface HealthTestCase {
  /** `<folder>/<inputPath>` relative to the top, e.g. `argoproj.io/Rollout/testdata/degraded.yaml`. */
  readonly name: string;
  readonly passed: boolean;
  readonly expected?: ExpectedHealth;
  readonly actual?: ExpectedHealth;
  /** Why the case could not run or failed without a verdict (bad input file, Lua error, no script). */
  readonly error?: string;
}

export interface HealthTestReport {
  readonly cases: readonly HealthTestCase[];
  /** Folders with a health.lua and no health_test.yaml. */
  readonly untested: readonly string[];
}

interface TestEntry {
  readonly inputPath: string;
  readonly expected: ExpectedHealth;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** A field as Argo CD's test reads it (Go's JSON decoding matches field names case-insensitively: `inputpath`). */
function field(object: Readonly<Record<string, unknown>>, name: string): unknown {
  if (name in object) return object[name];
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

/** The `tests` list of one health_test.yaml; throws InputError naming the file on a wrong shape. */
function readTestEntries(text: string, file: string): TestEntry[] {
  const document = parseYamlValue(text, file);
  const tests = isPlainObject(document) ? field(document, 'tests') : undefined;
  if (!Array.isArray(tests)) throw new InputError({ file }, 'must have a "tests" list', { fix: 'write tests: [{inputPath: …, healthStatus: {status: …, message: …}}]' });
  return tests.map((test: unknown, index) => {
    const inputPath = isPlainObject(test) ? field(test, 'inputPath') : undefined;
    if (!isPlainObject(test) || typeof inputPath !== 'string') {
      throw new InputError({ file }, `tests[${index}] needs an inputPath`, { fix: 'give the object file relative to the health_test.yaml' });
    }
    const reported = field(test, 'healthStatus');
    const health = isPlainObject(reported) ? reported : {};
    return { inputPath, expected: { status: stringOr(field(health, 'status'), ''), message: stringOr(field(health, 'message'), '') } };
  });
}

async function runCase(folderRelative: string, folderPath: string, entry: TestEntry, checks: readonly CustomHealthCheck[]): Promise<HealthTestCase> {
  const name = `${folderRelative}/${entry.inputPath}`;
  const file = join(folderPath, entry.inputPath);
  try {
    const [object] = parseKubeObjects(await readTextFile(file, 'check inputPath in the health_test.yaml'), { source: file, duplicateKeys: 'last-wins' });
    if (object === undefined) return { name, passed: false, expected: entry.expected, error: `${file} holds no Kubernetes object` };
    const key = healthCheckKey(groupOf(object.apiVersion), object.kind);
    const script = findHealthScript(key, { ...NO_CUSTOM_HEALTH_CHECKS, folder: checks });
    if (script === undefined) return { name, passed: false, expected: entry.expected, error: `no health.lua in the folder judges ${key}` };
    const outcome = evaluateLuaHealth(script, object);
    if (!outcome.ok) return { name, passed: false, expected: entry.expected, error: outcome.error };
    const actual = { status: outcome.status, message: outcome.message };
    return { name, passed: actual.status === entry.expected.status && actual.message === entry.expected.message, expected: entry.expected, actual };
  } catch (error) {
    return { name, passed: false, expected: entry.expected, error: describeError(error) };
  }
}

/** Runs every health_test.yaml under `top`. Throws InputError when the folder cannot be read or has no tests. */
export async function runHealthTests(top: string): Promise<HealthTestReport> {
  const folders = await findScriptFolders(top, 'to launchpad health test');
  const checks = await loadLuaHealthDir(top, 'to launchpad health test');
  const tested = folders.filter((folder) => folder.hasTests);
  if (tested.length === 0) {
    throw new InputError({ file: top }, `has no ${HEALTH_TEST_FILE} beside a health.lua`, { fix: 'lay scripts out as <group>/<Kind>/health.lua with a health_test.yaml beside each, as in Argo CD\'s resource_customizations' });
  }
  const cases: HealthTestCase[] = [];
  for (const folder of tested) {
    const testFile = join(folder.path, HEALTH_TEST_FILE);
    let entries: TestEntry[];
    try {
      entries = readTestEntries(await readTextFile(testFile, 'check the health_test.yaml'), testFile);
    } catch (error) {
      cases.push({ name: `${folder.relative}/${HEALTH_TEST_FILE}`, passed: false, error: describeError(error) });
      continue;
    }
    for (const entry of entries) cases.push(await runCase(folder.relative, folder.path, entry, checks));
  }
  return { cases, untested: folders.filter((folder) => !folder.hasTests).map((folder) => folder.relative) };
}
