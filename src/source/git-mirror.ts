/**
 * One bare mirror per repository under `<cache>/git/<slug>/mirror.git`, created once (init + fetch in a temporary
 * directory, then renamed into place) and fetched at most once per resolver instance. The repository URL is
 * passed on each fetch rather than stored as a remote, so credentials in it never land in the cache's config.
 */
import { join } from 'node:path';
import { SourceError, ToolError } from '../errors.js';
import { OncePerKey, createOnce, pathExists } from './cache-dir.js';
import { NETWORK_GIT_TIMEOUT_MS, gitFailureText, isAuthFailure, runGit } from './git-run.js';
import { FETCHED_COMMITS_PREFIX, REMOTE_HEAD_REF } from './git-revision.js';
import { cacheSlug, isLocalRepoURL, localRepoPath, redactURL, urlSecrets } from './url.js';

const BRANCHES_AND_TAGS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];
const LOCK_RETRIES = 3;

export class GitMirrors {
  /** One clone-or-fetch per mirror per instance; concurrent callers share the promise. */
  private readonly refreshed = new OncePerKey<void>();
  private readonly fetchedExtras = new OncePerKey<boolean>();

  constructor(private readonly cacheDir: string) {}

  /** The mirror's git directory for a repo URL (it may not exist yet). */
  mirrorPath(repoURL: string): string {
    return join(this.cacheDir, 'git', cacheSlug(repoURL), 'mirror.git');
  }

  exists(repoURL: string): Promise<boolean> {
    return pathExists(this.mirrorPath(repoURL));
  }

  /** Clones the mirror, or fetches it if it exists; at most once per instance. */
  refresh(repoURL: string): Promise<void> {
    const gitDir = this.mirrorPath(repoURL);
    return this.refreshed.run(gitDir, async () => {
      if (await pathExists(gitDir)) {
        await fetchWithRetry(gitDir, repoURL);
        return;
      }
      await createOnce(gitDir, async (temp) => {
        await git(repoURL, ['init', '--bare', '--quiet', temp], 'create the cache mirror for');
        await fetchInto(temp, repoURL);
      });
    });
  }

  /** Makes sure the mirror exists, cloning it if not; does not fetch an existing one. */
  async ensure(repoURL: string): Promise<void> {
    if (!(await this.exists(repoURL))) await this.refresh(repoURL);
  }

  /**
   * Fetches what a plain fetch does not bring: one commit by its full SHA (servers that allow it: GitHub, GitLab,
   * local repositories), or a ref outside branches and tags (`refs/pull/7/head`). Returns false when the server
   * has no such thing or refuses; the caller reports "not found".
   */
  fetchExtra(repoURL: string, revision: string): Promise<boolean> {
    const gitDir = this.mirrorPath(repoURL);
    const destination = revision.startsWith('refs/') ? revision : `${FETCHED_COMMITS_PREFIX}${revision}`;
    return this.fetchedExtras.run(`${gitDir}@${revision}`, async () => {
      const args = ['--git-dir', gitDir, 'fetch', '--quiet', '--no-tags', gitURL(repoURL), `+${revision}:${destination}`];
      const result = await runGit(args, { timeoutMs: NETWORK_GIT_TIMEOUT_MS, secrets: urlSecrets(repoURL) });
      return result.exitCode === 0;
    });
  }
}

/** The URL as git should see it: local paths made absolute, everything else as written. */
function gitURL(repoURL: string): string {
  return isLocalRepoURL(repoURL) && !/^file:/i.test(repoURL.trim()) ? localRepoPath(repoURL) : repoURL.trim();
}

async function fetchWithRetry(gitDir: string, repoURL: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fetchInto(gitDir, repoURL);
      return;
    } catch (error) {
      // Another process fetching into the same mirror holds a ref lock; wait for it rather than fail.
      const locked = error instanceof SourceError && /\.lock|unable to (lock|update local ref)/i.test(error.message);
      if (!locked || attempt >= LOCK_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

async function fetchInto(gitDir: string, repoURL: string): Promise<void> {
  const base = ['--git-dir', gitDir, 'fetch', '--quiet', '--prune', '--no-tags', gitURL(repoURL), ...BRANCHES_AND_TAGS];
  try {
    await git(repoURL, [...base, `+HEAD:${REMOTE_HEAD_REF}`], 'fetch', NETWORK_GIT_TIMEOUT_MS);
  } catch (error) {
    // An empty repository, or one whose HEAD names a deleted branch, has no HEAD to fetch; branches and tags still work.
    if (!(error instanceof SourceError && /couldn't find remote ref HEAD/i.test(error.message))) throw error;
    await git(repoURL, base, 'fetch', NETWORK_GIT_TIMEOUT_MS);
  }
}

/** Runs a network-facing git command and turns its failure into a SourceError that names the repository. */
async function git(repoURL: string, args: readonly string[], verb: string, timeoutMs?: number): Promise<void> {
  const secrets = urlSecrets(repoURL);
  const label = redactURL(repoURL.trim());
  let detail: string;
  try {
    const result = await runGit(args, { secrets, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    if (result.exitCode === 0) return;
    detail = gitFailureText(result, secrets);
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    throw new SourceError(`could not ${verb} ${label}: ${redactURL(error.message)}`, { errorClass: 'retryable', cause: error, fix: 'check the network and retry' });
  }
  if (isAuthFailure(detail)) {
    throw new SourceError(`could not ${verb} ${label}: access denied (${detail})`, {
      fix: 'configure credentials for it in git (a credential helper for https, the ssh agent for ssh URLs) and retry',
    });
  }
  throw new SourceError(`could not ${verb} ${label}: ${detail}`, {
    errorClass: 'retryable',
    fix: 'check that the URL is right and the server is reachable, then retry (or map it to a local folder in launchpad.yaml)',
  });
}
