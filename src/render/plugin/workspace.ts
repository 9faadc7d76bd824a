/**
 * The private copy of a repository a plugin runs in. A plugin may write anywhere in its folder (helm dependency
 * build, kustomize --enable-helm's charts/ folder, generated files), so files are copied, never hard-linked: the
 * checkout — an immutable snapshot or the user's working tree — can never change. As Argo CD unpacks the repository
 * for its sidecar, `.git` is left out, files are 0644 and folders 0755 unless the plugin asks for preserveFileMode,
 * and symlinks are kept only when they stay inside the repository (they are re-pointed into the copy); a link that
 * leaves the repository stops the render with the link named.
 */
import { constants } from 'node:fs';
import { chmod, copyFile, cp, lstat, mkdir, mkdtemp, readdir, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { isInside, resolveInside } from '../../source/containment.js';
import type { Boundary } from '../../source/containment.js';

export interface Workspace {
  /** The copy of the repository root. */
  readonly root: string;
  remove(): Promise<void>;
}

interface CopyState {
  readonly boundary: Boundary;
  /** The repository folder being copied, as a real path (links resolved). */
  readonly source: string;
  readonly target: string;
  readonly preserveFileMode: boolean;
}

async function copyEntry(state: CopyState, from: string, to: string): Promise<void> {
  const info = await lstat(from);
  if (info.isDirectory()) {
    await mkdir(to, { mode: 0o755 });
    const entries = await readdir(from);
    await Promise.all(entries.filter((name) => name !== '.git').map((name) => copyEntry(state, join(from, name), join(to, name))));
    if (state.preserveFileMode) await chmod(to, info.mode & 0o7777);
    return;
  }
  if (info.isSymbolicLink()) {
    const real = await resolveInside(state.boundary, from);
    if (real === undefined) return; // a dangling link inside the repository: nothing a plugin could read
    if (isInside(state.source, real)) {
      await symlink(relative(dirname(to), join(state.target, relative(state.source, real))) || '.', to);
    } else {
      // Inside the repository's top folder but outside the copied folder: copy what it leads to.
      await cp(real, to, { recursive: true, dereference: true });
    }
    return;
  }
  if (!info.isFile()) return; // sockets, fifos: not repository content
  await copyFile(from, to, constants.COPYFILE_FICLONE);
  await chmod(to, state.preserveFileMode ? info.mode & 0o7777 : 0o644);
}

/** Copies `source` (a repository folder) into a new temporary folder. */
export async function createWorkspace(source: string, boundary: Boundary, preserveFileMode: boolean): Promise<Workspace> {
  const parent = await mkdtemp(join(tmpdir(), 'launchpad-plugin-'));
  const root = join(parent, 'repo');
  const remove = (): Promise<void> => rm(parent, { recursive: true, force: true });
  try {
    const real = await realpath(source);
    await copyEntry({ boundary, source: real, target: root, preserveFileMode }, real, root);
  } catch (error) {
    await remove();
    throw error;
  }
  return { root, remove };
}
