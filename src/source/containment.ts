/**
 * Symlink containment. A repository may hold symlinks, and the renderers (and helm, and kustomize) follow them; a
 * link whose target resolves outside the repository would let a render read any file on the machine — a values
 * file linked to /etc/passwd, a source folder linked to another user's checkout. Argo CD refuses repositories with
 * out-of-bounds links; Launchpad refuses them wherever a render would follow one, and names the link and its target.
 * Links that stay inside the repository keep working, and are followed by the content fingerprints too.
 *
 * Paths here are absolute; `root` is the folder links must stay in (the repository's top folder, see GitCheckout).
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SourceError } from '../errors.js';

/** A symlink that resolves outside the repository it is in. */
export class ContainmentError extends SourceError {
  constructor(
    readonly link: string,
    readonly target: string,
    repoLabel: string,
  ) {
    super(`symlink "${link}" in ${repoLabel} points outside the repository (to ${target}); Launchpad never reads files outside a repository`, {
      fix: 'make the link point to a file inside the repository, or commit the file itself',
    });
  }
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function posixRelative(root: string, path: string): string {
  return relative(root, path).split(sep).join('/') || '.';
}

async function realOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

/** The repository `root` as a real path (symlinks in its own location resolved), memoised per root. */
const realRoots = new Map<string, Promise<string>>();
function realRoot(root: string): Promise<string> {
  let found = realRoots.get(root);
  if (found === undefined) {
    found = realpath(root).catch(() => resolve(root));
    realRoots.set(root, found);
    if (realRoots.size > 4096) realRoots.delete(realRoots.keys().next().value ?? root);
  }
  return found;
}

export interface Boundary {
  /** The folder links must stay in. */
  readonly root: string;
  /** How to name the repository in errors, e.g. `https://git.example.com/config @ 3f2a1c0`. */
  readonly label: string;
}

/**
 * Finds the link on the way to `path` that leaves the boundary. Every component is looked at in turn, so the error
 * names the first link a reader would follow out of the repository — also for a dangling link, judged by where it
 * points (`../../outside/x` is out of bounds even when nothing is there).
 */
async function culprit(boundary: Boundary, rootReal: string, path: string): Promise<ContainmentError | undefined> {
  const parts = relative(boundary.root, path).split(sep).filter((part) => part !== '' && part !== '.');
  let current = boundary.root;
  for (const part of parts) {
    current = join(current, part);
    const info = await lstat(current).catch(() => undefined);
    if (info === undefined) return undefined;
    if (!info.isSymbolicLink()) continue;
    const target = await readlink(current);
    const real = await realOrUndefined(current);
    const lexical = resolve(dirname(current), target);
    const escapes = real === undefined ? !isInside(boundary.root, lexical) && !isInside(rootReal, lexical) : !isInside(rootReal, real);
    if (escapes) return new ContainmentError(posixRelative(boundary.root, current), target, boundary.label);
    if (real === undefined) return undefined;
  }
  return undefined;
}

/**
 * The real path of `path` (every symlink on the way followed), which must be inside the boundary; undefined when
 * nothing is there (a missing file, or a dangling link that points inside). Throws ContainmentError naming the link
 * when a link on the way leads out of the repository.
 */
export async function resolveInside(boundary: Boundary, path: string): Promise<string | undefined> {
  const rootReal = await realRoot(boundary.root);
  const real = await realOrUndefined(path);
  if (real !== undefined && isInside(rootReal, real)) return real;
  const found = await culprit(boundary, rootReal, path);
  if (found !== undefined) throw found;
  if (real === undefined) return undefined;
  // Outside without a link on the way: the path itself was outside (callers check paths lexically first).
  throw new ContainmentError(posixRelative(boundary.root, path), real, boundary.label);
}

/** One file reached by walking a folder through its links. */
export interface WalkedFile {
  /** The path as a reader sees it, relative to the folder walked, `/`-separated. */
  readonly path: string;
  /** The real file; undefined for a dangling link or one leading outside (kept so a fingerprint still sees it). */
  readonly real: string | undefined;
  /** Set (with `outside: 'record'`) for a link that leaves the boundary: where it points. */
  readonly outside?: string;
}

export interface WalkOptions {
  /** Enter sub-folders (and linked folders below the top). @default true */
  readonly recurse?: boolean;
  /**
   * What a link that leaves the boundary does: `throw` a ContainmentError (readers), or `record` it as a file with
   * `outside` set and go on (fingerprints, which never read such a file but must still see it). @default 'throw'
   */
  readonly outside?: 'throw' | 'record';
}

interface WalkState {
  readonly boundary: Boundary;
  readonly recurse: boolean;
  readonly recordOutside: boolean;
  readonly out: WalkedFile[];
  /** Real folders on the current descent: a link back to one of them is a cycle, walked once. */
  readonly ancestors: Set<string>;
}

async function walkEntry(state: WalkState, entry: Dirent, dirReal: string, shown: string): Promise<void> {
  const path = join(dirReal, entry.name);
  if (entry.isDirectory()) {
    if (state.recurse) await walkFolder(state, path, shown);
    return;
  }
  if (!entry.isSymbolicLink()) {
    if (entry.isFile()) state.out.push({ path: shown, real: path });
    return;
  }
  let real: string | undefined;
  try {
    real = await resolveInside(state.boundary, path);
  } catch (error) {
    if (!(error instanceof ContainmentError) || !state.recordOutside) throw error;
    state.out.push({ path: shown, real: undefined, outside: error.target });
    return;
  }
  if (real === undefined) {
    state.out.push({ path: shown, real: undefined });
    return;
  }
  const info = await lstat(real);
  if (!info.isDirectory()) state.out.push({ path: shown, real });
  else if (state.recurse) await walkFolder(state, real, shown);
}

async function walkFolder(state: WalkState, dirReal: string, shown: string): Promise<void> {
  if (state.ancestors.has(dirReal)) return;
  state.ancestors.add(dirReal);
  const entries = await readdir(dirReal, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    await walkEntry(state, entry, dirReal, shown === '' ? entry.name : `${shown}/${entry.name}`);
  }
  state.ancestors.delete(dirReal);
}

/**
 * Every file at or under `path` as a reader that follows links sees it, each link checked against the boundary
 * (ContainmentError on the first that leaves it). Undefined when `path` does not exist. A file gives itself
 * (`path` ""); `.git` folders are skipped; a link back to a folder being walked is not entered again.
 */
export async function walkInside(boundary: Boundary, path: string, options: WalkOptions = {}): Promise<WalkedFile[] | undefined> {
  const real = await resolveInside(boundary, path);
  if (real === undefined) return undefined;
  const info = await lstat(real);
  if (!info.isDirectory()) return [{ path: '', real }];
  const state: WalkState = { boundary, recurse: options.recurse ?? true, recordOutside: options.outside === 'record', out: [], ancestors: new Set() };
  await walkFolder(state, real, '');
  return state.out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Refuses `path` (a file or folder, walked as a reader would) if any link it leads through leaves the boundary. */
export async function assertInside(boundary: Boundary, path: string, options: WalkOptions = {}): Promise<void> {
  await walkInside(boundary, path, options);
}
