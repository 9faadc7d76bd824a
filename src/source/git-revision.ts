/**
 * Turning a targetRevision into a commit inside a local mirror. Order follows Argo CD: HEAD (or empty), then a
 * branch, then a tag of that name, then a commit SHA (full, or abbreviated to at least 7 hex digits). All the
 * candidates are asked of one `git cat-file --batch-check`, so a resolve costs one process.
 */
import { SourceError } from '../errors.js';
import { runGit } from './git-run.js';

/** Where the mirror keeps the remote's HEAD (the remote's default branch), fetched alongside branches and tags. */
export const REMOTE_HEAD_REF = 'refs/launchpad/HEAD';
/** Where commits fetched by SHA are kept, so they survive `git gc` although no branch names them. */
export const FETCHED_COMMITS_PREFIX = 'refs/launchpad/commits/';

const FULL_SHA = /^[0-9a-f]{40}$/i;
const ABBREVIATED_SHA = /^[0-9a-f]{7,40}$/i;

export function isFullSha(revision: string): boolean {
  return FULL_SHA.test(revision);
}

export function looksLikeSha(revision: string): boolean {
  return ABBREVIATED_SHA.test(revision);
}

export function isHeadRevision(revision: string): boolean {
  const trimmed = revision.trim();
  return trimmed === '' || trimmed === 'HEAD';
}

/**
 * Refuses revisions that are not ref names or SHAs before they reach git (a leading `-` would be read as an
 * option; whitespace or `^{}` would change what cat-file looks up).
 */
export function checkRevisionSyntax(repoLabel: string, revision: string): void {
  const trimmed = revision.trim();
  if (trimmed === '') return;
  if (trimmed.startsWith('-') || /[\s~^:?*[\\]|\.\.|@\{/.test(trimmed) || trimmed.endsWith('/') || trimmed.endsWith('.lock')) {
    throw new SourceError(`targetRevision "${revision}" of ${repoLabel} is not a branch, tag or commit SHA`, {
      fix: 'use HEAD, a branch or tag name, or a commit SHA',
    });
  }
}

/** The object names to try, most specific first; each is dereferenced to a commit. */
export function revisionCandidates(revision: string): string[] {
  const trimmed = revision.trim();
  if (isHeadRevision(trimmed)) return [REMOTE_HEAD_REF];
  if (trimmed.startsWith('refs/')) return [trimmed];
  const candidates = [`refs/heads/${trimmed}`, `refs/tags/${trimmed}`];
  if (looksLikeSha(trimmed)) candidates.push(trimmed.toLowerCase());
  return candidates;
}

export interface ResolvedRevision {
  readonly sha: string;
  /** The revision named a commit by its SHA (immutable), not a branch, tag or HEAD. */
  readonly bySha: boolean;
}

/** The commit the revision names in the mirror, or undefined when the mirror does not know it (yet). */
export async function resolveInMirror(gitDir: string, revision: string): Promise<ResolvedRevision | undefined> {
  const candidates = revisionCandidates(revision);
  const input = candidates.map((candidate) => `${candidate}^{commit}`).join('\n') + '\n';
  const result = await runGit(['--git-dir', gitDir, 'cat-file', '--batch-check=%(objectname) %(objecttype)'], { input });
  const lines = result.stdout.split('\n');
  for (const [index, candidate] of candidates.entries()) {
    const match = /^([0-9a-f]{40}) commit$/.exec(lines[index] ?? '');
    if (match?.[1] !== undefined) return { sha: match[1], bySha: !candidate.startsWith('refs/') };
  }
  return undefined;
}

/** A few branch and tag names for "revision not found" messages, newest first. */
export async function describeRefs(gitDir: string): Promise<string> {
  const list = async (sort: string, prefix: string): Promise<string[]> => {
    const result = await runGit(['--git-dir', gitDir, 'for-each-ref', `--sort=${sort}`, '--count=6', '--format=%(refname:lstrip=2)', prefix]);
    return result.stdout.split('\n').filter((line) => line !== '');
  };
  const [branches, tags] = await Promise.all([list('-committerdate', 'refs/heads'), list('-creatordate', 'refs/tags')]);
  const show = (names: string[]): string => (names.length === 0 ? '(none)' : names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : ''));
  return `branches: ${show(branches)}; tags: ${show(tags)}`;
}
