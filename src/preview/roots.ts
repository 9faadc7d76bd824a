/**
 * Finding the cluster roots when none is given: files named `_app-of-apps-*.yaml` under the current folder, at
 * either side (a root added or deleted by the change counts); without any, the YAML files holding Applications
 * that no other of them produces (found by rendering them).
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RenderTree } from '../render/types.js';
import { listFiles } from './git.js';
import type { RepoState } from './types.js';

export const ROOT_FILE_PATTERN = /^_app-of-apps-(.+)\.ya?ml$/;
/** More candidate files than this and the roots must be given: rendering them all to find out would be slow. */
export const MAX_ROOT_CANDIDATES = 200;

/** `upc-dev` for `_app-of-apps-upc-dev.yaml`, else the file name without its extension. */
export function clusterName(rootFile: string): string {
  const name = basename(rootFile);
  return ROOT_FILE_PATTERN.exec(name)?.[1] ?? name.replace(/\.ya?ml$/, '');
}

export interface RootSearch {
  readonly toplevel: string;
  /** Folder to search, relative to the top ("" for all). */
  readonly prefix: string;
  readonly states: readonly RepoState[];
}

/** Files of the repository under the prefix at any of the states, relative to the top, sorted. */
async function filesAtAnyState(search: RootSearch): Promise<string[]> {
  const lists = await Promise.all(search.states.map((state) => listFiles(search.toplevel, state, search.prefix)));
  return [...new Set(lists.flat())].sort();
}

/** Absolute paths (in the working tree's layout) of the files named like roots. */
export async function findNamedRoots(search: RootSearch): Promise<string[]> {
  const files = await filesAtAnyState(search);
  return files.filter((file) => ROOT_FILE_PATTERN.test(basename(file))).map((file) => join(search.toplevel, file));
}

/** YAML files that hold an argoproj.io Application at one of the states (read through `readAt`). */
export async function findApplicationFiles(search: RootSearch, readAt: (file: string) => Promise<string | undefined>): Promise<string[]> {
  const files = (await filesAtAnyState(search)).filter((file) => /\.ya?ml$/.test(file)).map((file) => join(search.toplevel, file));
  const holding: string[] = [];
  for (const file of files) {
    const text = (await readAt(file)) ?? '';
    if (/^kind:\s*Application\s*$/m.test(text) && /^apiVersion:\s*argoproj\.io\//m.test(text)) holding.push(file);
  }
  return holding;
}

/** Reads a file, undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

/**
 * The candidates whose Applications no other candidate produces. Each candidate is rendered as a root (the render
 * cache makes the second render of the real roots cheap); an application produced below depth 0 of any tree is
 * not a root.
 */
export async function rootsNotProducedByOthers(candidates: readonly string[], render: (file: string) => Promise<RenderTree | undefined>): Promise<string[]> {
  const trees = await Promise.all(candidates.map(async (file) => ({ file, tree: await render(file) })));
  const produced = new Set(trees.flatMap(({ tree }) => (tree?.apps ?? []).filter((app) => app.depth > 0).map((app) => app.name)));
  return trees
    .filter(({ tree }) => {
      const roots = (tree?.apps ?? []).filter((app) => app.depth === 0);
      return roots.length > 0 && roots.every((app) => !produced.has(app.name));
    })
    .map(({ file }) => file);
}
