/**
 * Content fingerprints of a path inside a checkout, for the render cache: equal fingerprints mean equal files.
 * Snapshots use git's own object ids (one `git ls-tree -r -t` per commit, memoised, so thousands of lookups cost
 * one process); working trees, which may hold uncommitted edits, hash the files themselves.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { SourceError } from '../errors.js';
import { gitFailureText, runGit } from './git-run.js';
import type { ChartCheckout, GitCheckout } from './types.js';
import { normaliseRepoURL } from './url.js';

/** What a path that does not exist fingerprints to. */
export const MISSING_FINGERPRINT = 'missing';

/** Commits whose trees are kept in memory; old ones are dropped first. */
const MAX_TREES = 64;
const trees = new Map<string, Promise<ReadonlyMap<string, string>>>();

/**
 * The fingerprint of `relPath` (a file or folder, `/`-separated, relative to the checkout root; "" or "." is the
 * root): for a snapshot, the 40-hex git tree or blob id at the commit; for a working tree, `sha256:` over the
 * sorted relative paths and contents beneath it (`.git` skipped); `missing` when the path does not exist.
 */
export async function fingerprintPath(checkout: GitCheckout, relPath: string): Promise<string> {
  const path = normaliseRelPath(relPath);
  if (path === undefined) return MISSING_FINGERPRINT;
  if (!checkout.workingTree && checkout.gitDir !== undefined && checkout.sha !== '') {
    const tree = await commitTree(checkout.gitDir, checkout.sha);
    return tree.get(path) ?? MISSING_FINGERPRINT;
  }
  return hashFiles(checkout.dir, path);
}

/** `a/./b/` → `a/b`; "" for the root; undefined for a path that leaves the checkout. */
export function normaliseRelPath(relPath: string): string | undefined {
  const normal = posix.normalize(relPath.replace(/\\/g, '/').trim() || '.').replace(/^\/+|\/+$/g, '');
  if (normal === '.' || normal === '') return '';
  if (normal === '..' || normal.startsWith('../')) return undefined;
  return normal;
}

function commitTree(gitDir: string, sha: string): Promise<ReadonlyMap<string, string>> {
  const key = `${gitDir}\0${sha}`;
  const cached = trees.get(key);
  if (cached !== undefined) return cached;
  const promise = listTree(gitDir, sha);
  trees.set(key, promise);
  void promise.catch(() => trees.delete(key));
  for (const oldest of trees.keys()) {
    if (trees.size <= MAX_TREES) break;
    trees.delete(oldest);
  }
  return promise;
}

async function listTree(gitDir: string, sha: string): Promise<ReadonlyMap<string, string>> {
  const [root, entries] = await Promise.all([
    runGit(['--git-dir', gitDir, 'rev-parse', `${sha}^{tree}`]),
    runGit(['--git-dir', gitDir, 'ls-tree', '-r', '-t', '-z', '--full-tree', sha]),
  ]);
  if (root.exitCode !== 0 || entries.exitCode !== 0) {
    throw new SourceError(`could not list the files of commit ${sha} in ${gitDir}: ${gitFailureText(root.exitCode === 0 ? entries : root)}`, {
      fix: 'the cache entry may be damaged; delete that folder and retry',
    });
  }
  const tree = new Map<string, string>([['', root.stdout.trim()]]);
  // Each record: "<mode> <type> <object id>\t<path>", NUL-terminated (so any file name is safe).
  for (const record of entries.stdout.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const oid = record.slice(0, tab).split(' ')[2];
    if (oid !== undefined) tree.set(record.slice(tab + 1), oid);
  }
  return tree;
}

async function hashFiles(root: string, relPath: string): Promise<string> {
  const files = await listFiles(root, relPath);
  if (files === undefined) return MISSING_FINGERPRINT;
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    const absolute = join(root, file);
    const info = await lstat(absolute);
    const content = info.isSymbolicLink() ? `symlink:${await readlink(absolute)}` : await readFile(absolute);
    // Length-prefixed fields: no choice of names and contents can make two different trees hash alike.
    hash.update(`${file.slice(relPath.length)}\0${content.length}\0`);
    hash.update(content);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** Files (and symlinks) at or under relPath, relative to root; undefined when relPath does not exist. */
async function listFiles(root: string, relPath: string): Promise<string[] | undefined> {
  let info;
  try {
    info = await lstat(join(root, relPath));
  } catch {
    return undefined;
  }
  if (!info.isDirectory()) return [relPath];
  const files: string[] = [];
  await walk(root, relPath, files);
  return files;
}

/** Depth-first listing that never enters `.git` (a working tree's history can be far larger than its files). */
async function walk(root: string, relDir: string, files: string[]): Promise<void> {
  const entries = await readdir(join(root, relDir), { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    if (entry.isDirectory()) await walk(root, rel, files);
    else files.push(rel);
  }
}

/**
 * The fingerprint of a chart: for one from the cache (a published version never changes), its repository, name
 * and version; for a chart from a launchpad.yaml folder (edited at will, or a pinned branch that moves without a
 * version bump), a hash of its files.
 */
export async function fingerprintChart(checkout: ChartCheckout): Promise<string> {
  if (checkout.local === true) return hashFiles(checkout.dir, '');
  return `chart:${normaliseRepoURL(checkout.substitutedBy ?? checkout.repoURL)}/${checkout.chart}@${checkout.version}`;
}
