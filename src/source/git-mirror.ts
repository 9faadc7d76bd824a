/**
 * One bare mirror per repository under `<cache>/git/<slug>/mirror.git`, created once (init + fetch in a temporary
 * directory, then renamed into place) and fetched at most once per resolver instance. The repository URL is
 * passed on each fetch rather than stored as a remote, so credentials in it never land in the cache's config.
 * Credentials from repository Secrets (a CredentialStore) reach git through git-auth.ts — askpass environment or a
 * temporary ssh key — never through the URL, the argv or the config; every value of the store is redacted.
 */
import { join } from 'node:path';
import { SourceError, ToolError } from '../errors.js';
import type { RunResult } from '../process/run.js';
import { OncePerKey, createOnce, pathExists } from './cache-dir.js';
import type { CredentialStore, RepoCredentials } from './credentials.js';
import { redactSecrets } from './credentials.js';
import { withGitAuth } from './git-auth.js';
import { NETWORK_GIT_TIMEOUT_MS, gitFailureText, isAuthFailure, runGit } from './git-run.js';
import { FETCHED_COMMITS_PREFIX, REMOTE_HEAD_REF } from './git-revision.js';
import { cacheSlug, isLocalRepoURL, localRepoPath, redactURL, urlSecrets } from './url.js';

const BRANCHES_AND_TAGS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];
const LOCK_RETRIES = 3;

export class GitMirrors {
  /** One clone-or-fetch per mirror per instance; concurrent callers share the promise. */
  private readonly refreshed = new OncePerKey<void>();
  private readonly fetchedExtras = new OncePerKey<boolean>();

  constructor(
    private readonly cacheDir: string,
    private readonly credentials?: CredentialStore,
  ) {}

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
    const remote = this.remote(repoURL);
    return this.refreshed.run(gitDir, async () => {
      if (await pathExists(gitDir)) {
        await fetchWithRetry(gitDir, remote);
        return;
      }
      await createOnce(gitDir, async (temp) => {
        await git(remote, ['init', '--bare', '--quiet', temp], { verb: 'create the cache mirror for', local: true });
        await fetchInto(temp, remote);
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
      const result = await runRemote(this.remote(repoURL), args, NETWORK_GIT_TIMEOUT_MS);
      return result.exitCode === 0;
    });
  }

  private remote(repoURL: string): Remote {
    const credentials = isLocalRepoURL(repoURL) ? undefined : this.credentials?.lookup(repoURL);
    const secrets = [...urlSecrets(repoURL), ...(this.credentials?.secretValues() ?? [])].sort((a, b) => b.length - a.length);
    return { url: repoURL, secrets, ...(credentials === undefined ? {} : { credentials }) };
  }
}

/** A repository as git reaches it: its URL, the credentials a repository Secret gives it, what to redact. */
interface Remote {
  readonly url: string;
  readonly credentials?: RepoCredentials;
  readonly secrets: readonly string[];
}

/** Runs git against a remote with its credentials; never throws for a non-zero exit. */
function runRemote(remote: Remote, args: readonly string[], timeoutMs: number): Promise<RunResult> {
  return withGitAuth(remote.url, remote.credentials, (auth) => runGit([...auth.config, ...args], { timeoutMs, env: auth.env, secrets: remote.secrets }));
}

/** The URL as git should see it: local paths made absolute, everything else as written. */
function gitURL(repoURL: string): string {
  return isLocalRepoURL(repoURL) && !/^file:/i.test(repoURL.trim()) ? localRepoPath(repoURL) : repoURL.trim();
}

async function fetchWithRetry(gitDir: string, remote: Remote): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fetchInto(gitDir, remote);
      return;
    } catch (error) {
      // Another process fetching into the same mirror holds a ref lock; wait for it rather than fail.
      const locked = error instanceof SourceError && /\.lock|unable to (lock|update local ref)/i.test(error.message);
      if (!locked || attempt >= LOCK_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

async function fetchInto(gitDir: string, remote: Remote): Promise<void> {
  const base = ['--git-dir', gitDir, 'fetch', '--quiet', '--prune', '--no-tags', gitURL(remote.url), ...BRANCHES_AND_TAGS];
  const step = { verb: 'fetch', timeoutMs: NETWORK_GIT_TIMEOUT_MS };
  try {
    await git(remote, [...base, `+HEAD:${REMOTE_HEAD_REF}`], step);
  } catch (error) {
    // An empty repository, or one whose HEAD names a deleted branch, has no HEAD to fetch; branches and tags still work.
    if (!(error instanceof SourceError && /couldn't find remote ref HEAD/i.test(error.message))) throw error;
    await git(remote, base, step);
  }
}

interface GitStep {
  /** What failed, for the message: `could not <verb> <repository>`. */
  readonly verb: string;
  readonly timeoutMs?: number;
  /** A local command (init): no credentials needed. */
  readonly local?: boolean;
}

/** Runs a network-facing git command and turns its failure into a SourceError that names the repository. */
async function git(remote: Remote, args: readonly string[], step: GitStep): Promise<void> {
  const { secrets } = remote;
  const label = redactURL(remote.url.trim());
  const { verb } = step;
  let detail: string;
  try {
    const result = step.local === true ? await runGit(args, { secrets }) : await runRemote(remote, args, step.timeoutMs ?? NETWORK_GIT_TIMEOUT_MS);
    if (result.exitCode === 0) return;
    detail = gitFailureText(result, secrets);
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    const reason = redactSecrets(redactURL(error.message), secrets);
    throw new SourceError(`could not ${verb} ${label}: ${reason}`, { errorClass: 'retryable', cause: error, fix: 'check the network and retry' });
  }
  if (isAuthFailure(detail)) throw authFailure(`could not ${verb} ${label}`, detail, remote.credentials);
  throw new SourceError(`could not ${verb} ${label}: ${detail}`, {
    errorClass: 'retryable',
    fix: 'check that the URL is right and the server is reachable, then retry (or map it to a local folder in launchpad.yaml)',
  });
}

/** The server said no: name the Secret whose credentials were refused, or say where credentials come from. */
function authFailure(what: string, detail: string, credentials: RepoCredentials | undefined): SourceError {
  if (credentials?.source !== undefined) {
    return new SourceError(`${what}: authentication failed with the credentials of ${credentials.source}, access denied (${detail})`, {
      fix: `check the username and password (https) or sshPrivateKey (ssh) in ${credentials.source}`,
    });
  }
  return new SourceError(`${what}: authentication failed, access denied (${detail})`, {
    fix: 'configure credentials for it: a repository Secret (label argocd.argoproj.io/secret-type: repository or repo-creds), or git\'s own (a credential helper for https, the ssh agent for ssh URLs), and retry',
  });
}
