/**
 * The git generator's view of a repository: the source layer resolves `repoURL@revision` to a directory (cache
 * snapshot, launchpad.yaml folder or mirror), and this walks it once for directories and files.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readTextFile } from '../source/read-text.js';
import type { SourceResolver } from '../source/types.js';
import type { GitTree } from './context.js';

interface Walked {
  readonly directories: string[];
  readonly files: string[];
}

async function walk(root: string): Promise<Walked> {
  const walked: Walked = { directories: [], files: [] };
  // Argo CD's repo-server skips hidden directories for the directory list, but `git ls-files` lists hidden files.
  const visit = async (relative: string, hidden: boolean): Promise<void> => {
    const entries = await readdir(join(root, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name === '.git') continue;
        const isHidden = hidden || entry.name.startsWith('.');
        if (!isHidden) walked.directories.push(path);
        await visit(path, isHidden);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        walked.files.push(path);
      }
    }
  };
  await visit('', false);
  return walked;
}

/** A GitTree over a resolved checkout; the walk happens on first use and is shared. */
export function gitTreeOf(dir: string, sha: string): GitTree {
  let walked: Promise<Walked> | undefined;
  const listing = (): Promise<Walked> => (walked ??= walk(dir));
  return {
    sha,
    directories: async () => (await listing()).directories,
    files: async () => (await listing()).files,
    read: (path) => readTextFile(join(dir, path), 'check the git generator\'s files path'),
  };
}

/** Resolves through the source layer (substitution, cache, credentials), remembering each repo@revision for the run. */
export function gitTrees(resolver: SourceResolver, offline: boolean): (repoURL: string, revision: string) => Promise<GitTree> {
  const trees = new Map<string, Promise<GitTree>>();
  return (repoURL, revision) => {
    const key = `${repoURL}\u0000${revision}`;
    let tree = trees.get(key);
    if (tree === undefined) {
      tree = resolver.resolveGit(repoURL, revision === '' ? 'HEAD' : revision, { offline }).then((checkout) => gitTreeOf(checkout.dir, checkout.sha));
      trees.set(key, tree);
      tree.catch(() => { trees.delete(key); });
    }
    return tree;
  };
}
