/**
 * Health scripts from a folder laid out like Argo CD's resource_customizations: `<group>/<Kind>/health.lua`, and
 * `<Kind>/health.lua` for the core group. A folder name with `_` is a wildcard (`_.crossplane.io/_` judges every kind
 * of every `*.crossplane.io` group), as in Argo CD. Scripts from a folder get the open libraries, as Argo CD's own
 * bundled scripts do. Argo CD's own folder can be given as it is.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { readTextFile } from '../../source/read-text.js';
import type { CustomHealthCheck } from './registry.js';

export const HEALTH_SCRIPT_FILE = 'health.lua';
export const HEALTH_TEST_FILE = 'health_test.yaml';

/** A folder holding a health.lua, relative to the top (`apps.kruise.io/CloneSet`, `Service`, `_.crossplane.io/_`). */
export interface ScriptFolder {
  readonly relative: string;
  readonly path: string;
  readonly hasTests: boolean;
}

async function listFolder(path: string, what: string): Promise<Dirent[]> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({ file: path }, code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code ?? 'error'})`, { fix: `check the path given ${what}` });
  }
}

/** Folders one or two levels down that hold a health.lua (deeper ones cannot be a `group/Kind` and are skipped). */
export async function findScriptFolders(top: string, what: string): Promise<ScriptFolder[]> {
  const found: ScriptFolder[] = [];
  const visit = async (relative: string, depth: number): Promise<void> => {
    const path = relative === '' ? top : join(top, relative);
    const entries = await listFolder(path, what);
    const files = new Set(entries.filter((entry) => entry.isFile()).map((entry) => entry.name));
    if (depth > 0 && files.has(HEALTH_SCRIPT_FILE)) found.push({ relative, path, hasTests: files.has(HEALTH_TEST_FILE) });
    if (depth === 2) return;
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) await visit(relative === '' ? entry.name : `${relative}/${entry.name}`, depth + 1);
    }
  };
  await visit('', 0);
  return found.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/** `_.crossplane.io/_` → `*.crossplane.io/*`; other folders are their own key. */
export function folderKey(relative: string): string {
  return relative.includes('_') ? relative.replaceAll('_', '*') : relative;
}

/** Every health.lua under `top`; `what` says where the path came from, for errors (e.g. "to --health-dir"). */
export async function loadLuaHealthDir(top: string, what = 'for the health scripts'): Promise<CustomHealthCheck[]> {
  const folders = await findScriptFolders(top, what);
  return Promise.all(folders.map(async ({ relative, path }) => {
    const file = join(path, HEALTH_SCRIPT_FILE);
    const source = await readTextFile(file, 'check the health script');
    return { key: folderKey(relative), script: { source, origin: file, openLibs: true } };
  }));
}
