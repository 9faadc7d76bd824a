/**
 * A cheap private copy of a checkout: folders are created, files are hard-linked (copied when linking is not possible,
 * e.g. across file systems), symlinks are recreated. Used when a tool must edit files (kustomize edit) without
 * touching the shared, immutable snapshot or the user's working tree. Whoever edits a file in the copy must replace
 * it (unlink, then write), never write through the link — see `detachFile`.
 */
import { copyFile, link, mkdir, readdir, readlink, readFile, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function linkTree(source: string, target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  const entries = await readdir(source, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      if (entry.name === '.git') return;
      const from = join(source, entry.name);
      const to = join(target, entry.name);
      if (entry.isDirectory()) {
        await linkTree(from, to);
      } else if (entry.isSymbolicLink()) {
        await symlink(await readlink(from), to);
      } else {
        await link(from, to).catch(() => copyFile(from, to));
      }
    }),
  );
}

/** Replaces a hard-linked file in a linked tree by its own copy, so that writing it cannot change the original. */
export async function detachFile(path: string): Promise<void> {
  const content = await readFile(path);
  await unlink(path);
  await writeFile(path, content);
}
