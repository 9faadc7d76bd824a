/**
 * Content fingerprints of a path inside a checkout, for the render cache and impact analysis: equal fingerprints
 * mean equal content *as a render reads it*. Renders follow symlinks, so fingerprints do too: a link contributes
 * the content it leads to, never just its target text (a chart behind a link that changed must not look unchanged).
 * Snapshots use git's own object ids (one `git ls-tree -r -t` per commit, memoised, so thousands of lookups cost
 * one process) plus the fingerprints of the links' targets; working trees, which may hold uncommitted edits, hash
 * the files a link-following walk reaches. A link that leaves the repository throws ContainmentError.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { SourceError } from '../errors.js';
import type { Boundary } from './containment.js';
import { ContainmentError, resolveInside, walkInside } from './containment.js';
import { gitFailureText, runGit } from './git-run.js';
import type { ChartCheckout, GitCheckout } from './types.js';
import { normaliseRepoURL } from './url.js';

/** What a path that does not exist fingerprints to. */
export const MISSING_FINGERPRINT = 'missing';

/** Commits whose trees are kept in memory; old ones are dropped first. */
const MAX_TREES = 64;

interface CommitTree {
  /** Path ("" for the root) → git object id. */
  readonly ids: ReadonlyMap<string, string>;
  /** Paths of the symlinks (mode 120000), sorted. */
  readonly links: readonly string[];
}

const trees = new Map<string, Promise<CommitTree>>();

export function boundaryOfCheckout(checkout: GitCheckout): Boundary {
  const label = checkout.workingTree ? `${checkout.repoURL} (working tree ${checkout.substitutedBy ?? checkout.dir})` : `${checkout.repoURL} @ ${checkout.sha.slice(0, 7)}`;
  return { root: checkout.root ?? checkout.dir, label };
}

/**
 * The fingerprint of `relPath` (a file or folder, `/`-separated, relative to the checkout folder; "" or "." is the
 * folder itself), following symlinks inside the repository: for a snapshot, the git tree or blob id at the commit
 * combined with the fingerprints of the links beneath it; for a working tree, `sha256:` over the relative paths and
 * contents a link-following walk reaches (`.git` skipped); `missing` when nothing is there.
 */
export async function fingerprintPath(checkout: GitCheckout, relPath: string): Promise<string> {
  const path = normaliseRelPath(relPath);
  if (path === undefined) return MISSING_FINGERPRINT;
  const boundary = boundaryOfCheckout(checkout);
  if (!checkout.workingTree && checkout.gitDir !== undefined && checkout.sha !== '' && boundary.root === checkout.dir) {
    const [tree, rootReal] = await Promise.all([commitTree(checkout.gitDir, checkout.sha), realpath(checkout.dir)]);
    return snapshotFingerprint({ boundary, rootReal, tree, visiting: new Set(), done: new Map() }, join(checkout.dir, path));
  }
  return hashFiles(boundary, join(checkout.dir, path));
}

/** `a/./b/` → `a/b`; "" for the root; undefined for a path that leaves the checkout. */
export function normaliseRelPath(relPath: string): string | undefined {
  const normal = posix.normalize(relPath.replace(/\\/g, '/').trim() || '.').replace(/^\/+|\/+$/g, '');
  if (normal === '.' || normal === '') return '';
  if (normal === '..' || normal.startsWith('../')) return undefined;
  return normal;
}

/**
 * A link that leaves the repository fingerprints as where it points: renders refuse to read through it (they check
 * where they read), and a fingerprint must never read outside either, yet must change when the link does.
 */
function outsideFingerprint(error: unknown): string {
  if (error instanceof ContainmentError) return `outside:${error.link}\0${error.target}`;
  throw error;
}

interface SnapshotWalk {
  readonly boundary: Boundary;
  /** The repository folder as a real path: what the tree's paths are relative to. */
  readonly rootReal: string;
  readonly tree: CommitTree;
  /** Real paths whose fingerprints are being computed: a link back to one of them is a cycle. */
  readonly visiting: Set<string>;
  /** Finished fingerprints by real path, so many links to one folder cost one computation. */
  readonly done: Map<string, string>;
}

/** Git ids for the content itself, plus, for each link at or under the path, the fingerprint of what it leads to. */
async function snapshotFingerprint(walk: SnapshotWalk, path: string): Promise<string> {
  const real = await resolveInside(walk.boundary, path).catch(outsideFingerprint);
  if (real?.startsWith('outside:') === true) return real;
  if (real === undefined) return MISSING_FINGERPRINT;
  const rel = relative(walk.rootReal, real).split(sep).join('/');
  const id = walk.tree.ids.get(rel);
  if (id === undefined) return MISSING_FINGERPRINT;
  const links = walk.tree.links.filter((link) => rel === '' || link.startsWith(`${rel}/`));
  if (links.length === 0) return id;
  const finished = walk.done.get(real);
  if (finished !== undefined) return finished;
  if (walk.visiting.has(real)) return `cycle:${rel}`;
  walk.visiting.add(real);
  const hash = createHash('sha256').update(`${id}\0`);
  for (const link of links) {
    const target = await snapshotFingerprint(walk, join(walk.rootReal, link));
    hash.update(`${link.slice(rel.length)}\0${target}\0`);
  }
  walk.visiting.delete(real);
  const result = `sha256:${hash.digest('hex')}`;
  walk.done.set(real, result);
  return result;
}

function commitTree(gitDir: string, sha: string): Promise<CommitTree> {
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

async function listTree(gitDir: string, sha: string): Promise<CommitTree> {
  const [root, entries] = await Promise.all([
    runGit(['--git-dir', gitDir, 'rev-parse', `${sha}^{tree}`]),
    runGit(['--git-dir', gitDir, 'ls-tree', '-r', '-t', '-z', '--full-tree', sha]),
  ]);
  if (root.exitCode !== 0 || entries.exitCode !== 0) {
    throw new SourceError(`could not list the files of commit ${sha} in ${gitDir}: ${gitFailureText(root.exitCode === 0 ? entries : root)}`, {
      fix: 'the cache entry may be damaged; delete that folder and retry',
    });
  }
  const ids = new Map<string, string>([['', root.stdout.trim()]]);
  const links: string[] = [];
  // Each record: "<mode> <type> <object id>\t<path>", NUL-terminated (so any file name is safe).
  for (const record of entries.stdout.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, , oid] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (oid !== undefined) ids.set(path, oid);
    if (mode === '120000') links.push(path);
  }
  return { ids, links: links.sort() };
}

/** `sha256:` over every file a link-following walk of `path` reaches: its path as seen, its length, its bytes. */
async function hashFiles(boundary: Boundary, path: string): Promise<string> {
  const files = await walkInside(boundary, path, { outside: 'record' }).catch(outsideFingerprint);
  if (typeof files === 'string') return files;
  if (files === undefined) return MISSING_FINGERPRINT;
  const hash = createHash('sha256');
  for (const file of files) {
    const content = file.real !== undefined ? await readFile(file.real) : Buffer.from(file.outside === undefined ? 'dangling symlink' : `outside:${file.outside}`);
    // Length-prefixed fields: no choice of names and contents can make two different trees hash alike.
    hash.update(`${file.path}\0${file.real === undefined ? 'L' : 'F'}${content.length}\0`);
    hash.update(content);
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * The fingerprint of a chart: for one from the cache (a published version never changes), its repository, name
 * and version; for a chart from a launchpad.yaml folder (edited at will, or a pinned branch that moves without a
 * version bump), a hash of its files.
 */
export async function fingerprintChart(checkout: ChartCheckout): Promise<string> {
  if (checkout.local === true) return hashFiles({ root: checkout.root ?? checkout.dir, label: `chart folder ${checkout.dir}` }, checkout.dir);
  return `chart:${normaliseRepoURL(checkout.substitutedBy ?? checkout.repoURL)}/${checkout.chart}@${checkout.version}`;
}
