/**
 * Git sources through the cache: a mirror per repository, a revision resolved in it to a commit SHA, and the
 * commit's immutable snapshot directory. Network rules: a mirror is cloned once and never again; it is fetched at
 * most once per instance, and only when the revision can move (HEAD, branch, tag) or names a commit it lacks;
 * offline, remote repositories are never contacted (local paths and file:// still are: they are not network).
 */
import { OfflineSkipError, SourceError } from '../errors.js';
import { OncePerKey } from './cache-dir.js';
import type { CredentialStore } from './credentials.js';
import { GitMirrors } from './git-mirror.js';
import { checkRevisionSyntax, describeRefs, isFullSha, resolveInMirror } from './git-revision.js';
import type { ResolvedRevision } from './git-revision.js';
import { GitSnapshots } from './git-snapshot.js';
import type { GitCheckout, ResolveOptions } from './types.js';
import { isLocalRepoURL, normaliseRepoURL, redactURL } from './url.js';

export interface GitCacheOptions {
  /** Root of the cache; git data lives under `<cacheDir>/git/`. */
  readonly cacheDir: string;
  /** Repository Secrets whose credentials git uses (askpass for https, a temporary key file for ssh). @default none */
  readonly credentials?: CredentialStore;
}

/** What to resolve, and what to report it as (a substitution resolves one URL on behalf of another). */
export interface GitRequest {
  /** The repository to read from. */
  readonly repoURL: string;
  /** The revision to resolve in it. */
  readonly revision: string;
  /** Reported as `repoURL`; @default repoURL */
  readonly reportAs?: string;
  /** Reported as `requestedRevision`; @default revision */
  readonly requestedRevision?: string;
}

export class GitCache {
  private readonly mirrors: GitMirrors;
  private readonly snapshots = new GitSnapshots();
  /** Within one instance a revision resolves once: branches are fetched once per instance, so the answer is stable. */
  private readonly resolved = new OncePerKey<GitCheckout>();

  constructor(options: GitCacheOptions) {
    this.mirrors = new GitMirrors(options.cacheDir, options.credentials);
  }

  resolve(request: GitRequest, options: ResolveOptions): Promise<GitCheckout> {
    const key = JSON.stringify([normaliseRepoURL(request.repoURL), request.revision.trim(), options.offline, request.reportAs, request.requestedRevision]);
    return this.resolved.run(key, () => this.resolveUncached(request, options));
  }

  private async resolveUncached(request: GitRequest, options: ResolveOptions): Promise<GitCheckout> {
    const { repoURL, revision } = request;
    const label = redactURL(repoURL.trim());
    checkRevisionSyntax(label, revision);
    const canFetch = !options.offline || isLocalRepoURL(repoURL);
    const gitDir = this.mirrors.mirrorPath(repoURL);
    if (!(await this.mirrors.exists(repoURL))) {
      if (!canFetch) throw new OfflineSkipError(label);
      await this.mirrors.refresh(repoURL);
    }
    const resolved = await this.resolveRevision({ repoURL, revision, gitDir, canFetch });
    const dir = await this.snapshots.materialise(gitDir, resolved.sha, label);
    return {
      repoURL: request.reportAs ?? repoURL,
      requestedRevision: request.requestedRevision ?? revision,
      sha: resolved.sha,
      dir,
      workingTree: false,
      gitDir,
    };
  }

  private async resolveRevision(target: { repoURL: string; revision: string; gitDir: string; canFetch: boolean }): Promise<ResolvedRevision> {
    const { repoURL, revision, gitDir, canFetch } = target;
    let resolved = await resolveInMirror(gitDir, revision);
    // A commit named by SHA never changes: a mirror that has it needs no fetch. Anything else may have moved.
    if (resolved?.bySha !== true && canFetch) {
      await this.mirrors.refresh(repoURL);
      resolved = await resolveInMirror(gitDir, revision);
    }
    const extra = fetchableExtra(revision);
    if (resolved === undefined && canFetch && extra !== undefined && (await this.mirrors.fetchExtra(repoURL, extra))) {
      resolved = await resolveInMirror(gitDir, revision);
    }
    if (resolved !== undefined) return resolved;
    const refs = await describeRefs(gitDir);
    const stale = canFetch ? '' : ' (offline: the cached copy was not refreshed)';
    throw new SourceError(`revision "${revision}" not found in ${redactURL(repoURL.trim())}${stale}; ${refs}`, {
      fix: canFetch ? 'set targetRevision to an existing branch, tag or commit SHA' : 'run once without --offline to refresh the cache, or fix targetRevision',
    });
  }
}

/** A revision a plain fetch of branches and tags may not bring: a full SHA, or a ref such as refs/pull/7/head. */
function fetchableExtra(revision: string): string | undefined {
  const trimmed = revision.trim();
  if (isFullSha(trimmed)) return trimmed.toLowerCase();
  if (trimmed.startsWith('refs/') && !trimmed.startsWith('refs/heads/') && !trimmed.startsWith('refs/tags/')) return trimmed;
  return undefined;
}
