/**
 * Reading a git provider's push payload (already verified) into "which repository, which ref, which commit". Every
 * field is type-checked: a field of the wrong type is treated as absent, never trusted and never thrown on. Pure.
 */

export type WebhookProvider = 'github' | 'gitea' | 'gitlab';

/** What a push payload says; `repoURLs` is empty when the payload names no repository. */
export interface PushFacts {
  readonly repoURLs: readonly string[];
  readonly branch: string | undefined;
  readonly tag: string | undefined;
  readonly commit: string | undefined;
  readonly defaultBranch: string | undefined;
  /**
   * Paths the pushed commits added, modified or removed (`commits[]`, as GitHub, Gitea and GitLab send them); undefined
   * when the payload lists no commits. Providers cap the list on large pushes, so it only orders work, never skips it.
   */
  readonly changedFiles?: readonly string[];
}

type JsonRecord = Readonly<Record<string, unknown>>;

/**
 * The keys under which each provider's payload lists the URLs of the pushed repository.
 * - GitHub: `repository.clone_url` (https), `ssh_url` (scp-like), `git_url` (git://), `html_url` and `url`.
 * - Gitea/Gogs: `repository.clone_url`, `ssh_url`, `html_url`.
 * - GitLab: `project.git_http_url`, `git_ssh_url`, `web_url`, and the deprecated `http_url`, `ssh_url`, `url`,
 *   `homepage`; older payloads have the same under `repository`.
 */
const URL_KEYS: Readonly<Record<WebhookProvider, readonly string[]>> = {
  github: ['clone_url', 'ssh_url', 'git_url', 'html_url', 'url'],
  gitea: ['clone_url', 'ssh_url', 'html_url'],
  gitlab: ['git_http_url', 'git_ssh_url', 'web_url', 'http_url', 'ssh_url', 'url', 'homepage'],
};

/** Where the repository object sits: GitLab's is `project` (newer) and `repository` (older); the others' is `repository`. */
const HOLDER_KEYS: Readonly<Record<WebhookProvider, readonly string[]>> = {
  github: ['repository'],
  gitea: ['repository'],
  gitlab: ['project', 'repository'],
};

/** A commit id: SHA-1 (40 hex) or SHA-256 (64 hex); abbreviated ids are not sent by any provider. */
const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
/** GitHub, Gitea and GitLab send `after` as all zeros when the ref was deleted. */
const ZERO_COMMIT = /^0+$/;
/** Longer strings are not URLs or ref names anyone configures; ignoring them keeps results (and logs) small. */
const MAX_FIELD_LENGTH = 2048;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own, non-empty string field (trimmed), or undefined for anything else. */
export function stringField(holder: JsonRecord | undefined, key: string): string | undefined {
  if (holder === undefined || !Object.hasOwn(holder, key)) return undefined;
  const value = holder[key];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.length > MAX_FIELD_LENGTH ? undefined : trimmed;
}

function recordField(holder: JsonRecord, key: string): JsonRecord | undefined {
  if (!Object.hasOwn(holder, key)) return undefined;
  const value = holder[key];
  return isRecord(value) ? value : undefined;
}

/** `refs/heads/<name>` → name, for one prefix; undefined for other refs and for an empty name. */
function refName(ref: string | undefined, prefix: string): string | undefined {
  if (ref === undefined || !ref.startsWith(prefix)) return undefined;
  const name = ref.slice(prefix.length);
  return name === '' ? undefined : name;
}

/**
 * The pushed commit: `after` (GitLab tag pushes: `checkout_sha` when `after` is missing). Undefined when the ref was
 * deleted (all zeros) — still a push that refreshes, there is just no new commit — or when it is not a commit id.
 */
function pushedCommit(payload: JsonRecord): string | undefined {
  const after = stringField(payload, 'after') ?? stringField(payload, 'checkout_sha');
  if (after === undefined || ZERO_COMMIT.test(after) || !COMMIT_ID.test(after)) return undefined;
  return after.toLowerCase();
}

/** Reads a push payload; never throws. */
export function readPushPayload(provider: WebhookProvider, payload: JsonRecord): PushFacts {
  const holders = HOLDER_KEYS[provider].map((key) => recordField(payload, key)).filter((holder) => holder !== undefined);
  const urls: string[] = [];
  for (const holder of holders) {
    for (const key of URL_KEYS[provider]) {
      const url = stringField(holder, key);
      if (url !== undefined && !urls.includes(url)) urls.push(url);
    }
  }
  // GitHub push payloads also carry the deprecated `master_branch`, equal to the default branch.
  const defaultBranch = holders.map((holder) => stringField(holder, 'default_branch') ?? stringField(holder, 'master_branch')).find((name) => name !== undefined);
  const ref = stringField(payload, 'ref');
  const changedFiles = changedFilesOf(payload);
  return {
    repoURLs: urls,
    branch: refName(ref, 'refs/heads/'),
    tag: refName(ref, 'refs/tags/'),
    commit: pushedCommit(payload),
    defaultBranch,
    ...(changedFiles === undefined ? {} : { changedFiles }),
  };
}

const CHANGE_KEYS = ['added', 'modified', 'removed'] as const;

/** Every path in `commits[].added/modified/removed` (strings only, at most 10,000), or undefined without `commits`. */
function changedFilesOf(payload: JsonRecord): string[] | undefined {
  const commits = payload.commits;
  if (!Array.isArray(commits) || commits.length === 0) return undefined;
  const files = new Set<string>();
  for (const commit of commits) {
    if (!isRecord(commit)) continue;
    for (const key of CHANGE_KEYS) {
      const list = commit[key];
      if (!Array.isArray(list)) continue;
      for (const file of list) if (typeof file === 'string' && files.size < 10_000) files.add(file.replace(/^\/+/, ''));
    }
  }
  return [...files];
}

/**
 * The JSON document in the body: raw JSON, or (GitHub and Gitea's `application/x-www-form-urlencoded` content type)
 * the `payload` form field. Undefined when it is not JSON.
 */
export function parsePayload(body: Buffer, contentType: string | undefined): unknown {
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (contentType !== undefined && /^\s*application\/x-www-form-urlencoded/i.test(contentType)) {
    const field = new URLSearchParams(text).get('payload');
    if (field === null) return undefined;
    text = field;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
