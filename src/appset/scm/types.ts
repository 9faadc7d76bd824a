/** What the pull request and SCM provider generators read from GitHub, Gitea and GitLab, in Argo CD's terms. */

export interface PullRequest {
  readonly number: number;
  readonly title: string;
  readonly branch: string;
  readonly targetBranch: string;
  readonly headSha: string;
  readonly labels: readonly string[];
  readonly author: string;
}

export interface PullRequestService {
  list(): Promise<PullRequest[]>;
}

export interface Repository {
  readonly organization: string;
  readonly repository: string;
  readonly url: string;
  readonly branch: string;
  readonly sha: string;
  readonly labels: readonly string[];
  readonly repositoryId: unknown;
}

export interface ScmProviderService {
  listRepos(cloneProtocol: string): Promise<Repository[]>;
  repoHasPath(repo: Repository, path: string): Promise<boolean>;
  /** The repository at its default branch, or at every branch (`allBranches`), with each branch's head SHA. */
  getBranches(repo: Repository): Promise<Repository[]>;
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
