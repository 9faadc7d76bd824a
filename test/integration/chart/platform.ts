/**
 * Helpers for the example platform (examples/platform): build its Kustomize overlays with the real kustomize, map
 * its repository URLs to folders through launchpad.yaml, and resolve `$values/...` paths the way Argo CD does.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/model/resource.js';
import { findBinary } from '../../../src/process/binaries.js';
import { runProcess } from '../../../src/process/run.js';
import { at, list, parseObjects, PLATFORM_DIR, text } from './helpers.js';

export const CLUSTERS = ['upc-dev', 'upc-prod'] as const;
export type Cluster = (typeof CLUSTERS)[number];

export const CONFIG_REPO_URL = 'https://git.forteapps.net/Forte/launchpad';
export const CHART_REPO_URL = 'https://git.forteapps.net/Forte/forte-helm';
export const VALUES_REPO_URL = 'git@github.com:fortedigital/helm-prod-values.git';
export const CONFIG_DIR = join(PLATFORM_DIR, 'launchpad');

/** `kustomize build` of a folder of the config repository, e.g. `infra/overlays/upc-prod`. */
export async function kustomizeBuild(path: string): Promise<KubeObject[]> {
  const result = await runProcess(findBinary('kustomize'), ['build', join(CONFIG_DIR, path)]);
  return parseObjects(result.stdout, `kustomize build ${path}`);
}

/** Applications by name; fails on a duplicate name. */
export function applicationsByName(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const apps = new Map<string, KubeObject>();
  for (const object of objects) {
    assert.equal(object.kind, 'Application', `${object.kind}/${object.metadata.name ?? ''} in an Application overlay`);
    const name = object.metadata.name ?? '';
    assert.ok(!apps.has(name), `two Applications named ${name}`);
    apps.set(name, object);
  }
  return apps;
}

/** The repository URL → folder map of examples/platform/launchpad.yaml. */
export function repositoryFolders(): Map<string, string> {
  const config: unknown = parse(readFileSync(join(PLATFORM_DIR, 'launchpad.yaml'), 'utf8'));
  const folders = new Map<string, string>();
  for (const entry of list(config, 'repositories')) folders.set(text(entry, 'url'), join(PLATFORM_DIR, text(entry, 'path')));
  return folders;
}

/** The folder standing in for a repository URL; fails for an unmapped URL. */
export function folderOf(repoURL: string): string {
  const folder = repositoryFolders().get(repoURL);
  assert.ok(folder !== undefined, `${repoURL} is not mapped in examples/platform/launchpad.yaml`);
  return folder;
}

/** `spec.sources`, or `[spec.source]` for a single-source Application. */
export function sourcesOf(app: KubeObject): unknown[] {
  const sources = at(app, 'spec', 'sources');
  if (Array.isArray(sources)) return sources as unknown[];
  const source = at(app, 'spec', 'source');
  assert.ok(source !== undefined, `Application ${app.metadata.name ?? ''} has neither source nor sources`);
  return [source];
}

/** Resolves a `$ref/path` value file of a multi-source Application to a file on disk, through launchpad.yaml. */
export function resolveValueFile(app: KubeObject, valueFile: string): string {
  const match = /^\$([^/]+)\/(.+)$/.exec(valueFile);
  assert.ok(match?.[1] !== undefined && match[2] !== undefined, `${app.metadata.name ?? ''}: value file ${valueFile} is not a $ref path`);
  const [, ref, path] = match;
  const source = sourcesOf(app).find((candidate) => at(candidate, 'ref') === ref);
  assert.ok(source !== undefined, `${app.metadata.name ?? ''}: no source with ref "${ref}" for ${valueFile}`);
  return join(folderOf(text(source, 'repoURL')), path);
}

/** Flattens an object into JSON-pointer → scalar leaves, for exact structural diffs. */
export function flatten(value: unknown, pointer = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      for (const [path, leaf] of flatten(child, `${pointer}/${key}`)) out.set(path, leaf);
    }
  } else {
    out.set(pointer, value);
  }
  return out;
}

/** YAML files directly in a folder of the config repository (or recursively), relative to it, sorted. */
export function yamlFiles(path: string, recurse = false): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(CONFIG_DIR, path), { withFileTypes: true })) {
    if (entry.isDirectory() && recurse) out.push(...yamlFiles(join(path, entry.name), true).map((file) => join(entry.name, file)));
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) out.push(entry.name);
  }
  return out.sort();
}

/** The objects of one file of the config repository. */
export function readObjects(path: string): KubeObject[] {
  return parseObjects(readFileSync(join(CONFIG_DIR, path), 'utf8'), path);
}
