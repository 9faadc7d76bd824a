/**
 * The on-disk cache's location and the one way entries are created in it: build in a temporary sibling, then
 * rename into place. A rename is atomic, so a reader sees either nothing or a complete entry, and when two
 * processes race the loser simply discards its copy.
 */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** `$XDG_CACHE_HOME/launchpad`, else `~/.cache/launchpad`. */
export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'launchpad');
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A fresh, empty temporary directory beside `finalPath` (same file system, so the later rename is atomic). */
export async function tempSibling(finalPath: string): Promise<string> {
  await mkdir(dirname(finalPath), { recursive: true });
  return mkdtemp(join(dirname(finalPath), `.tmp-${basename(finalPath)}-`));
}

/**
 * Moves a finished temporary directory to `finalPath`. Returns false (and removes `tempPath`) when another
 * resolver published the same entry first; entries are immutable, so theirs is as good as ours.
 */
export async function publishDirectory(tempPath: string, finalPath: string): Promise<boolean> {
  try {
    await rename(tempPath, finalPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') && (await pathExists(finalPath))) {
      await rm(tempPath, { recursive: true, force: true });
      return false;
    }
    await rm(tempPath, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Builds `finalPath` with `build(tempPath)` unless it already exists. The temporary directory is removed when
 * the build fails, so a crash leaves at worst a `.tmp-*` sibling, never a half-written entry.
 */
export async function createOnce(finalPath: string, build: (tempPath: string) => Promise<void>): Promise<void> {
  if (await pathExists(finalPath)) return;
  const temp = await tempSibling(finalPath);
  try {
    await build(temp);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  await publishDirectory(temp, finalPath);
}

/** Memoises an async computation per key while it runs and after, so concurrent callers share one promise. */
export class OncePerKey<T> {
  private readonly promises = new Map<string, Promise<T>>();

  run(key: string, compute: () => Promise<T>): Promise<T> {
    const existing = this.promises.get(key);
    if (existing !== undefined) return existing;
    const promise = compute();
    this.promises.set(key, promise);
    // A failure is not remembered: the next caller tries again (the network may be back).
    void promise.catch(() => this.promises.delete(key));
    return promise;
  }

  forget(key: string): void {
    this.promises.delete(key);
  }
}
