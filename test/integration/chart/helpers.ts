/**
 * Shared helpers of the chart tests: render charts/forteapp with the real helm, read the rendered objects, and reach
 * into them without `any`. Values are given as plain objects and passed to helm on stdin as JSON (which is YAML).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/model/resource.js';
import { findBinary } from '../../../src/process/binaries.js';
import { runProcess } from '../../../src/process/run.js';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'charts'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('chart tests: cannot find the repository root (package.json next to charts/)');
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot();
export const CHART_DIR = join(REPO_ROOT, 'charts', 'forteapp');
export const PLATFORM_DIR = join(REPO_ROOT, 'examples', 'platform');

/** The smallest values the chart accepts. */
export const MINIMAL_VALUES = { app: { image: { repository: 'ghcr.io/fortedigital/demo', tag: '1.2.3' } } } as const;

export interface TemplateOptions {
  /** @default "demo" */
  readonly release?: string;
  /** @default "demo" */
  readonly namespace?: string;
  /** Merged over MINIMAL_VALUES unless `bare` is set. */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Value files, applied before `values`. */
  readonly valueFiles?: readonly string[];
  /** Do not start from MINIMAL_VALUES. @default false */
  readonly bare?: boolean;
  /** @default CHART_DIR */
  readonly chartDir?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge of plain objects; arrays and scalars of `override` replace, as helm merges values. */
export function mergeValues(base: Readonly<Record<string, unknown>>, override: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? mergeValues(current, value) : value;
  }
  return out;
}

function templateArgs(options: TemplateOptions): { args: string[]; input: string } {
  const values = options.bare === true ? (options.values ?? {}) : mergeValues(MINIMAL_VALUES, options.values ?? {});
  const args = ['template', options.release ?? 'demo', options.chartDir ?? CHART_DIR, '--namespace', options.namespace ?? 'demo'];
  for (const file of options.valueFiles ?? []) args.push('--values', file);
  args.push('--values', '-');
  return { args, input: JSON.stringify(values) };
}

/** Parses multi-document YAML into objects, skipping empty documents; fails on YAML errors. */
export function parseObjects(text: string, origin: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    assert.equal(doc.errors.length, 0, `${origin}: ${doc.errors.map((error) => error.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    assert.ok(isRecord(value) && typeof value.kind === 'string' && typeof value.apiVersion === 'string', `${origin}: a document is not a Kubernetes object`);
    objects.push(value as unknown as KubeObject);
  }
  return objects;
}

/** `helm template` of the chart; throws (with helm's message) when the render fails. */
export async function template(options: TemplateOptions = {}): Promise<KubeObject[]> {
  const { args, input } = templateArgs(options);
  const result = await runProcess(findBinary('helm'), args, { input });
  return parseObjects(result.stdout, `helm ${args.join(' ')}`);
}

/** `helm template` that must fail: returns what the user sees on stderr. */
export async function templateError(options: TemplateOptions = {}): Promise<string> {
  const { args, input } = templateArgs(options);
  const result = await runProcess(findBinary('helm'), args, { input, allowFailure: true });
  assert.notEqual(result.exitCode, 0, `helm template should have failed, but rendered:\n${result.stdout.slice(0, 500)}`);
  return result.stderr;
}

/** The one object of that kind and name; fails listing what was rendered. */
export function find(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.filter((object) => object.kind === kind && object.metadata.name === name);
  assert.equal(found.length, 1, `expected one ${kind}/${name}, rendered: ${objects.map((o) => `${o.kind}/${o.metadata.name ?? '?'}`).join(', ')}`);
  const [object] = found;
  assert.ok(object !== undefined);
  return object;
}

/** `Kind/name` of every object, sorted. */
export function inventory(objects: readonly KubeObject[]): string[] {
  return objects.map((object) => `${object.kind}/${object.metadata.name ?? ''}`).sort();
}

/** Walks object keys and array indexes; undefined when any step is missing. */
export function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step] as unknown;
    } else {
      if (!isRecord(current)) return undefined;
      current = current[step];
    }
  }
  return current;
}

/** Like `at`, but the value must be an array. */
export function list(value: unknown, ...path: readonly (string | number)[]): unknown[] {
  const found = at(value, ...path);
  assert.ok(Array.isArray(found), `expected a list at ${path.join('.')}, found ${JSON.stringify(found)}`);
  return found as unknown[];
}

/** Like `at`, but the value must be a string. */
export function text(value: unknown, ...path: readonly (string | number)[]): string {
  const found = at(value, ...path);
  assert.equal(typeof found, 'string', `expected a string at ${path.join('.')}, found ${JSON.stringify(found)}`);
  return found as string;
}

/** The container of a pod template (Deployment or StatefulSet) by name. */
export function container(workload: KubeObject, name: string): unknown {
  const found = list(workload, 'spec', 'template', 'spec', 'containers').find((entry) => at(entry, 'name') === name);
  assert.ok(found !== undefined, `${workload.kind}/${workload.metadata.name ?? ''} has no container "${name}"`);
  return found;
}

/** Environment of a container as name → value or valueFrom. */
export function envOf(entry: unknown): Map<string, unknown> {
  const env = at(entry, 'env');
  const out = new Map<string, unknown>();
  if (!Array.isArray(env)) return out;
  for (const variable of env) out.set(text(variable, 'name'), at(variable, 'value') ?? at(variable, 'valueFrom'));
  return out;
}
