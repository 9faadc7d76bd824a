/**
 * Resolves `spec.source.helm.valueFiles` the way Argo CD does: `$ref/path` reads from the repository of the source
 * named `ref`; `/path` is relative to the repository root; other paths are relative to the chart; http(s) URLs are
 * passed to helm as they are. Paths may be globs (expanded in lexical order). No path may leave its repository.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import { OfflineSkipError, RenderError } from '../errors.js';
import type { Boundary } from '../source/containment.js';
import { isInside, resolveInside } from '../source/containment.js';
import type { InputPath } from './types.js';

/** A repository available to the render as files: the app's own source or a `ref` source. */
export interface RepoFiles {
  readonly repoURL: string;
  /** The revision as requested (for input records). */
  readonly revision: string;
  /** Absolute path of the repository root on disk. */
  readonly dir: string;
  /** For messages: `<repoURL> @ <sha7>` or the substituted folder. */
  readonly label: string;
  /** The folder symlinks must stay inside (the repository's top). @default dir */
  readonly root?: string;
}

export function boundaryOfRepo(repo: RepoFiles): Boundary {
  return { root: repo.root ?? repo.dir, label: repo.label };
}

export interface ValueFileContext {
  /** Absolute path of the chart folder. */
  readonly chartDir: string;
  /** The repository holding the chart (for `/abs` paths and containment). */
  readonly repo: RepoFiles;
  /** `ref` name (without `$`) → repository. */
  readonly refs: ReadonlyMap<string, RepoFiles>;
  readonly ignoreMissing: boolean;
  readonly offline: boolean;
  /** A `fileParameters` path: named so in messages, and never a glob (Argo CD passes it to --set-file as it is). */
  readonly fileParameter?: string;
}

export interface ResolvedValueFiles {
  /** Absolute paths or URLs, in helm's order. */
  readonly files: string[];
  readonly inputs: InputPath[];
}

const GLOB_CHARS = /[*?[{]/;

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The folders of a glob pattern before its first glob segment ("." when it starts with one). */
function globRoot(pattern: string): string {
  const parts = pattern.split('/');
  return parts.slice(0, Math.max(parts.findIndex((part) => GLOB_CHARS.test(part)), 0)).join('/') || '.';
}

/** Expands a glob relative to `root` into matching files, lexically sorted. */
async function expandGlob(root: string, pattern: string): Promise<string[]> {
  const matcher = picomatch(pattern, { dot: false });
  const start = join(root, globRoot(pattern));
  const matches: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== '.git') await walk(full);
      else if (matcher(relative(root, full))) matches.push(full);
    }
  };
  await walk(start);
  return matches.sort();
}

interface Target {
  readonly repo: RepoFiles;
  readonly base: string;
  readonly path: string;
}

function targetOf(raw: string, context: ValueFileContext): Target {
  if (raw.startsWith('$')) {
    const slash = raw.indexOf('/');
    const refName = raw.slice(1, slash === -1 ? undefined : slash);
    const repo = context.refs.get(refName);
    if (repo === undefined) {
      const known = [...context.refs.keys()].map((name) => `$${name}`).join(', ') || 'none';
      throw new RenderError(`values file "${raw}" names source ref "$${refName}", which this application does not define (refs: ${known})`, {
        fix: `add a source with "ref: ${refName}" or fix the prefix`,
      });
    }
    return { repo, base: repo.dir, path: slash === -1 ? '' : raw.slice(slash + 1) };
  }
  if (raw.startsWith('/')) return { repo: context.repo, base: context.repo.dir, path: raw.slice(1) };
  return { repo: context.repo, base: context.chartDir, path: raw };
}

export async function resolveValueFiles(rawFiles: readonly string[], context: ValueFileContext): Promise<ResolvedValueFiles> {
  const files: string[] = [];
  const inputs: InputPath[] = [];
  for (const raw of rawFiles) {
    if (/^https?:\/\//.test(raw)) {
      if (context.offline) throw new OfflineSkipError(raw);
      files.push(raw);
      continue;
    }
    const target = targetOf(raw, context);
    const absolute = resolve(target.base, target.path);
    if (!isInside(target.repo.dir, absolute)) {
      throw new RenderError(`values file "${raw}" resolves outside its repository ${target.repo.label}`, { fix: 'use a path inside the repository' });
    }
    const relativePath = relative(target.repo.dir, absolute);
    const isGlob = context.fileParameter === undefined && GLOB_CHARS.test(target.path);
    const matches = isGlob ? await expandGlob(target.repo.dir, relativePath) : (await exists(absolute)) ? [absolute] : [];
    // helm reads each file through its links: every one must stay inside its repository.
    for (const match of matches) await resolveInside(boundaryOfRepo(target.repo), match);
    // A glob depends on every file that could match: record the folder it is rooted in.
    inputs.push({ repoURL: target.repo.repoURL, revision: target.repo.revision, path: isGlob ? globRoot(relativePath) : relativePath });
    if (matches.length === 0) {
      if (context.ignoreMissing) continue;
      if (context.fileParameter !== undefined) {
        throw new RenderError(`file "${raw}" of fileParameters "${context.fileParameter}" not found in ${target.repo.label}`, { fix: 'fix the path (relative to the chart, /… from the repository root, or $ref/…)' });
      }
      throw new RenderError(`values file "${raw}" not found in ${target.repo.label}`, { fix: 'set ignoreMissingValueFiles or fix the path' });
    }
    files.push(...matches);
  }
  return { files, inputs };
}
