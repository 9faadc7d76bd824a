/**
 * Reading policies and resources from files and folders for the offline commands: YAML streams (and `kind: List`),
 * folders searched recursively for .yaml/.yml/.json, policy kinds picked out of mixed folders.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { parseKubeObjects } from '../model/rendered-objects.js';
import type { KubeObject } from '../model/resource.js';
import { readTextFile } from '../source/read-text.js';
import type { LoadedPolicy } from './api.js';
import { loadPolicy } from './load.js';

const POLICY_KINDS = new Set(['ClusterPolicy', 'Policy', 'ClusterCleanupPolicy', 'CleanupPolicy']);

export interface SourcedObject {
  readonly object: KubeObject;
  readonly file: string;
}

async function yamlFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new InputError({ file: path }, 'no such file or folder', { fix: 'check the path' });
  if (info.isFile()) return [path];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? yamlFiles(join(path, entry.name)) : Promise.resolve(/\.(ya?ml|json)$/.test(entry.name) ? [join(path, entry.name)] : []))),
  );
  return nested.flat();
}

/** Every object of every YAML file under the paths, with the file it came from. */
export async function readObjects(paths: readonly string[], fix: string): Promise<SourcedObject[]> {
  const result: SourcedObject[] = [];
  for (const path of paths) {
    for (const file of await yamlFiles(path)) {
      const objects = parseKubeObjects(await readTextFile(file, fix), { source: file, duplicateKeys: 'last-wins' });
      result.push(...objects.map((object) => ({ object, file })));
    }
  }
  return result;
}

export function isPolicyObject(object: KubeObject): boolean {
  return object.apiVersion.startsWith('kyverno.io/') && POLICY_KINDS.has(object.kind);
}

/** The policies among the objects under the paths (other kinds are ignored, so a whole app folder can be given). */
export async function readPolicies(paths: readonly string[]): Promise<LoadedPolicy[]> {
  const objects = await readObjects(paths, 'check the policy path');
  return objects.filter(({ object }) => isPolicyObject(object)).map(({ object, file }) => loadPolicy(object, { file }));
}
