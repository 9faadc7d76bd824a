/**
 * The few questions `launchpad diff` asks git about the local checkouts it compares: which repository a folder is
 * in, which commit a revision names, which remotes a repository has, and which files it holds at a revision.
 */
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SourceError } from '../errors.js';
import { gitFailureText, runGit } from '../source/git-run.js';
import type { RepoState } from './types.js';

/** The real path of a folder (symlinks resolved), or the path as given when it does not exist. */
export async function realFolder(path: string): Promise<string> {
  return realpath(resolve(path)).catch(() => resolve(path));
}

/** The top folder of the git working tree holding `folder`, or undefined when it is not in one. */
export async function gitToplevel(folder: string): Promise<string | undefined> {
  const result = await runGit(['-C', folder, 'rev-parse', '--show-toplevel']);
  return result.exitCode === 0 ? realFolder(result.stdout.trim()) : undefined;
}

/** The commit a revision names in a local repository; a SourceError that says what to do when there is none. */
export async function resolveCommit(toplevel: string, revision: string): Promise<string> {
  if (revision.startsWith('-')) throw new SourceError(`revision "${revision}" is not a revision`, { fix: 'give a branch, tag or commit SHA' });
  const result = await runGit(['-C', toplevel, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
  if (result.exitCode === 0) return result.stdout.trim();
  throw new SourceError(`revision "${revision}" not found in ${toplevel}`, {
    fix: `fetch it first (git -C ${toplevel} fetch origin ${revision}; in CI check out with full history), or give a commit SHA`,
  });
}

/** The fetch URLs of a repository's remotes. */
export async function remoteURLs(toplevel: string): Promise<string[]> {
  const result = await runGit(['-C', toplevel, 'remote', '-v']);
  if (result.exitCode !== 0) return [];
  const urls = result.stdout.split('\n').flatMap((line) => {
    const match = /^\S+\s+(\S+)\s+\(fetch\)$/.exec(line.trim());
    return match?.[1] === undefined ? [] : [match[1]];
  });
  return [...new Set(urls)];
}

/**
 * Files of a repository under `prefix` (relative to the top, "" for all), `/`-separated: at a commit, what it
 * holds; for the working tree, tracked and untracked files that are not ignored.
 */
export async function listFiles(toplevel: string, state: RepoState, prefix: string): Promise<string[]> {
  const scope = prefix === '' ? [] : ['--', prefix];
  const args = state.kind === 'commit'
    ? ['-C', toplevel, 'ls-tree', '-r', '-z', '--name-only', '--full-tree', state.sha, ...scope]
    : ['-C', toplevel, 'ls-files', '-z', '--cached', '--others', '--exclude-standard', ...scope];
  const result = await runGit(args);
  if (result.exitCode !== 0) throw new SourceError(`could not list the files of ${toplevel}: ${gitFailureText(result)}`, { fix: 'check that it is a git repository' });
  return result.stdout.split('\0').filter((file) => file !== '');
}
