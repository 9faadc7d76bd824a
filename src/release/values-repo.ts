/**
 * The values repository as a release uses it, through git plumbing only: fetch a branch's tip into a private ref,
 * read a file from a commit, write a commit that changes one file, push it without force. Nothing touches a
 * working tree, an index or a branch of the user's clone, so it is safe on a developer's checkout and several
 * releases can run in one clone at once (each uses its own temporary refs and index).
 *
 * - A local clone (a folder whose repository has the remote, `origin` by default): git runs in it, so its remote
 *   URL, credentials, `insteadOf` and `http.extraheader` (as actions/checkout leaves them) all apply, and the new
 *   commit's objects are there for `launchpad diff` to render.
 * - A URL, or a bare repository on disk (pushed to directly): a private bare repository in a temporary folder, removed at close().
 * Credentials come from git's own mechanisms (credential helpers, the ssh agent, a token in the URL); git never
 * prompts, and URL secrets are scrubbed from every message.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '../errors.js';
import { NETWORK_GIT_TIMEOUT_MS, gitFailureText, isAuthFailure, runGit } from '../source/git-run.js';
import { isLocalRepoURL, localRepoPath, redactURL, urlSecrets } from '../source/url.js';

export interface OpenOptions {
  /** A local clone's folder, or the repository URL. */
  readonly repo: string;
  /** The remote of a local clone. @default 'origin' */
  readonly remote?: string;
}

/** Who a commit is by; undefined fields come from git config / GIT_AUTHOR_* as git decides. */
export interface Identity {
  readonly name: string;
  readonly email: string;
}

export interface FileAt {
  readonly text: string;
  /** git's file mode (`100644`, `100755`). */
  readonly mode: string;
}

export interface NewCommit {
  /** The commit whose tree is changed (its files, plus the one edited). */
  readonly base: string;
  readonly parents: readonly string[];
  readonly path: string;
  readonly file: FileAt;
  readonly message: string;
  readonly author?: Identity;
}

export interface Change {
  readonly sha: string;
  readonly message: string;
  /** Committer date. */
  readonly date: Date;
}

/** `pushed`; `rejected`: someone else moved the branch first (fetch, re-apply, retry). */
export type PushOutcome = 'pushed' | 'rejected';

export interface ValuesRepo {
  /** Where git runs (the clone, or the private bare repository). */
  readonly gitDir: string;
  /** The remote as messages show it (credentials removed). */
  readonly display: string;
  /** The remote's URL as git has it (may hold credentials: never print it; for matching launchpad.yaml entries). */
  readonly url: string;
  /** True for a local clone (its objects are the user's repository's). */
  readonly local: boolean;
  /** The branch's tip on the remote, or undefined when it has no such branch. */
  fetchTip(branch: string): Promise<string | undefined>;
  /** The remote's default branch (what its HEAD points at). */
  defaultBranch(): Promise<string>;
  readFile(commit: string, path: string): Promise<FileAt | undefined>;
  writeCommit(commit: NewCommit): Promise<string>;
  push(commit: string, branch: string): Promise<PushOutcome>;
  /** The newest commit reachable from `to` (and not from `since`) that touched `path`. */
  lastChange(to: string, path: string, since?: string): Promise<Change | undefined>;
  /** `ancestor` is `commit` or one of its ancestors. */
  contains(commit: string, ancestor: string): Promise<boolean>;
  treeOf(commit: string): Promise<string>;
  /** Keeps a commit reachable under a private ref until close() (for launchpad diff to resolve it). */
  hold(commit: string): Promise<string>;
  close(): Promise<void>;
}

/** Rejections that mean "the branch moved": retry after fetching. Others (hooks, protection) are final. */
const RACE = /\[rejected\]|fetch first|non-fast-forward|cannot lock ref|failed to update ref|incorrect old value|stale info|reference already exists/i;

async function isClone(folder: string, remote: string): Promise<boolean> {
  const info = await stat(folder).catch(() => undefined);
  if (info?.isDirectory() !== true) return false;
  // A bare repository is a remote itself (`git clone --bare` even leaves it an "origin"): it is pushed to directly.
  const bare = await runGit(['-C', folder, 'rev-parse', '--is-bare-repository']);
  if (bare.exitCode !== 0 || bare.stdout.trim() !== 'false') return false;
  const result = await runGit(['-C', folder, 'remote', 'get-url', remote]);
  return result.exitCode === 0;
}

function gitError(what: string, display: string, text: string): SourceError {
  if (isAuthFailure(text)) {
    return new SourceError(`${what} ${display} was refused: ${text}`, { fix: 'give git credentials for it (a credential helper, the ssh agent, or actions/checkout with a token that may push)' });
  }
  return new SourceError(`${what} ${display} failed: ${text}`, { errorClass: 'retryable', fix: 'check the URL and the network, then run again' });
}

/** Opens the values repository for one release; close() it afterwards. */
export async function openValuesRepo(options: OpenOptions): Promise<ValuesRepo> {
  const remoteName = options.remote ?? 'origin';
  const folder = isLocalRepoURL(options.repo) || !options.repo.includes(':') ? localRepoPath(options.repo) : undefined;
  if (folder !== undefined && (await isClone(folder, remoteName))) {
    const url = (await runGit(['-C', folder, 'remote', 'get-url', remoteName])).stdout.trim();
    return createRepo({ gitDir: folder, remote: remoteName, url, display: `${redactURL(url)} (remote ${remoteName} of ${folder})`, secrets: urlSecrets(url), local: true });
  }
  const url = folder ?? options.repo;
  const scratch = await mkdtemp(join(tmpdir(), 'launchpad-release-'));
  const init = await runGit(['init', '--bare', '--quiet', scratch]);
  if (init.exitCode !== 0) throw new SourceError(`could not create a scratch repository in ${scratch}: ${gitFailureText(init)}`, { fix: 'TMPDIR must be writable' });
  return createRepo({ gitDir: scratch, remote: url, url, display: redactURL(url), secrets: urlSecrets(url), local: false, scratch });
}

interface RepoSetup {
  readonly gitDir: string;
  /** A remote name (local clone) or URL (scratch). */
  readonly remote: string;
  readonly url: string;
  readonly display: string;
  readonly secrets: readonly string[];
  readonly local: boolean;
  readonly scratch?: string;
}

function createRepo(setup: RepoSetup): ValuesRepo {
  const prefix = `refs/launchpad-release/${process.pid}-${randomBytes(4).toString('hex')}`;
  const refs: string[] = [];
  let counter = 0;
  const git = (args: readonly string[], extra: { readonly input?: string; readonly env?: Record<string, string>; readonly network?: boolean } = {}) =>
    runGit(['-C', setup.gitDir, ...args], {
      secrets: setup.secrets,
      ...(extra.input === undefined ? {} : { input: extra.input }),
      ...(extra.env === undefined ? {} : { env: extra.env }),
      ...(extra.network === true ? { timeoutMs: NETWORK_GIT_TIMEOUT_MS } : {}),
    });
  const failure = (result: Awaited<ReturnType<typeof git>>): string => gitFailureText(result, setup.secrets);
  const newRef = (): string => {
    const ref = `${prefix}/${counter++}`;
    refs.push(ref);
    return ref;
  };

  return {
    gitDir: setup.gitDir,
    display: setup.display,
    url: setup.url,
    local: setup.local,

    async fetchTip(branch) {
      const ref = newRef();
      const result = await git(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', setup.remote, `+refs/heads/${branch}:${ref}`], { network: true });
      if (result.exitCode !== 0) {
        const text = failure(result);
        if (/couldn't find remote ref/i.test(text)) return undefined;
        throw gitError(`fetching branch ${branch} from`, setup.display, text);
      }
      return (await git(['rev-parse', '--verify', `${ref}^{commit}`])).stdout.trim();
    },

    async defaultBranch() {
      const result = await git(['ls-remote', '--symref', setup.remote, 'HEAD'], { network: true });
      if (result.exitCode !== 0) throw gitError('reading the default branch of', setup.display, failure(result));
      const match = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(result.stdout);
      if (match?.[1] === undefined) throw new SourceError(`${setup.display} does not say which branch is its default`, { fix: 'pass --branch <name>' });
      return match[1];
    },

    async readFile(commit, path) {
      const listing = await git(['ls-tree', '-z', commit, '--', path]);
      const entry = /^(\d{6}) (\w+) ([0-9a-f]+)\t/.exec(listing.stdout);
      if (listing.exitCode !== 0 || entry === null) return undefined;
      const [, mode = '', type = ''] = entry;
      if (type !== 'blob' || mode === '120000') throw new SourceError(`${path} at ${commit.slice(0, 7)} is ${mode === '120000' ? 'a symbolic link' : 'not a file'}`, { fix: 'give the path of the values file itself' });
      const blob = await git(['cat-file', 'blob', `${commit}:${path}`]);
      if (blob.exitCode !== 0) throw new SourceError(`could not read ${path} at ${commit.slice(0, 7)}: ${failure(blob)}`);
      if (blob.stdout.includes('\uFFFD')) throw new SourceError(`${path} is not UTF-8 text`, { fix: 'save it as UTF-8; the release only edits text files' });
      return { text: blob.stdout, mode };
    },

    async writeCommit(commit) {
      const index = await mkdtemp(join(tmpdir(), 'launchpad-release-index-'));
      try {
        const env: Record<string, string> = { GIT_INDEX_FILE: join(index, 'index'), ...identityEnv(commit.author) };
        const blob = await git(['hash-object', '-w', '--no-filters', '--stdin'], { input: commit.file.text });
        const steps = [
          await git(['read-tree', commit.base], { env }),
          await git(['update-index', '--add', '--cacheinfo', `${commit.file.mode},${blob.stdout.trim()},${commit.path}`], { env }),
        ];
        const failed = [blob, ...steps].find((step) => step.exitCode !== 0);
        if (failed !== undefined) throw new SourceError(`could not write the commit in ${setup.gitDir}: ${failure(failed)}`);
        const tree = await git(['write-tree'], { env });
        const args = ['commit-tree', tree.stdout.trim(), ...commit.parents.flatMap((sha) => ['-p', sha]), '-F', '-'];
        const created = await git(args, { env, input: commit.message });
        if (created.exitCode !== 0) throw commitError(failure(created));
        return created.stdout.trim();
      } finally {
        await rm(index, { recursive: true, force: true });
      }
    },

    async push(commit, branch) {
      const result = await git(['push', '--porcelain', setup.remote, `${commit}:refs/heads/${branch}`], { network: true });
      if (result.exitCode === 0) return 'pushed';
      // The remote took it even if git then failed locally (say, updating a remote-tracking ref another release holds).
      const own = result.stdout.split('\n').find((line) => line.includes(`:refs/heads/${branch}\t`));
      if (own !== undefined && /^[ *+=]\t/.test(own)) return 'pushed';
      const status = result.stdout.split('\n').find((line) => line.startsWith('!'));
      const text = status ?? failure(result);
      if (RACE.test(text) || (status === undefined && RACE.test(result.stderr))) return 'rejected';
      if (status !== undefined) throw new SourceError(`${setup.display} refused the push to ${branch}: ${status.split('\t').pop() ?? status}`, { fix: 'a hook or branch protection said no: push through --pull-request, or allow this identity to push' });
      throw gitError(`pushing to ${branch} of`, setup.display, text);
    },

    async lastChange(to, path, since) {
      const result = await git(['log', '-1', '-z', '--format=%H%x00%cI%x00%B', since === undefined ? to : `${since}..${to}`, '--', path]);
      const [sha, date, message] = result.stdout.split('\0');
      if (result.exitCode !== 0 || sha === undefined || sha === '' || date === undefined) return undefined;
      return { sha, message: message ?? '', date: new Date(date) };
    },

    async contains(commit, ancestor) {
      return (await git(['merge-base', '--is-ancestor', ancestor, commit])).exitCode === 0;
    },

    async treeOf(commit) {
      return (await git(['rev-parse', `${commit}^{tree}`])).stdout.trim();
    },

    async hold(commit) {
      const ref = newRef();
      const result = await git(['update-ref', ref, commit]);
      if (result.exitCode !== 0) throw new SourceError(`could not keep ${commit.slice(0, 7)} in ${setup.gitDir}: ${failure(result)}`);
      return ref;
    },

    async close() {
      if (setup.scratch !== undefined) {
        await rm(setup.scratch, { recursive: true, force: true });
        return;
      }
      if (refs.length > 0) await git(['update-ref', '--stdin'], { input: refs.map((ref) => `delete ${ref}\n`).join('') });
    },
  };
}

function identityEnv(author: Identity | undefined): Record<string, string> {
  if (author === undefined) return {};
  return { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email };
}

function commitError(text: string): SourceError {
  if (/identity unknown|empty ident|unable to auto-detect email/i.test(text)) {
    return new SourceError('git does not know who the commit is by', { fix: 'pass --author "Name <email>", or set git config user.name and user.email (in CI: the bot\'s name and e-mail)' });
  }
  return new SourceError(`could not create the commit: ${text}`);
}
