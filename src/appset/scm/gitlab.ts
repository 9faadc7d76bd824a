/**
 * GitLab for the pull request and SCM provider generators: `<api>/api/v4/…` with `PRIVATE-TOKEN`, 100 per page,
 * pages followed by `X-Next-Page`; merge request labels and state filtered by the API, as Argo CD asks for them.
 */
import { apiURL, getJson, MAX_PAGES, ScmNotFoundError } from './http.js';
import { field, list, str } from './types.js';
import type { PullRequest, PullRequestService, Repository, ScmProviderService } from './types.js';

const PUBLIC_API = 'https://gitlab.com/';

function headers(token: string): Record<string, string> {
  return token === '' ? {} : { 'PRIVATE-TOKEN': token };
}

async function allPages(base: string, path: string, token: string, query: Readonly<Record<string, string>>): Promise<unknown[]> {
  const items: unknown[] = [];
  let page = '1';
  for (let count = 0; count < MAX_PAGES && page !== ''; count += 1) {
    const response = await getJson(apiURL(base, `api/v4/${path}`, { ...query, per_page: '100', page }), headers(token));
    items.push(...list(response.body));
    page = response.headers.get('x-next-page') ?? '';
  }
  return items;
}

export function gitlabPullRequests(options: { readonly api?: string; readonly token: string; readonly project: string; readonly labels: readonly string[]; readonly state: string }): PullRequestService {
  const base = options.api === undefined || options.api === '' ? PUBLIC_API : options.api;
  return {
    async list(): Promise<PullRequest[]> {
      const query = { ...(options.labels.length > 0 ? { labels: options.labels.join(',') } : {}), ...(options.state === '' ? {} : { state: options.state }) };
      const requests = await allPages(base, `projects/${encodeURIComponent(options.project)}/merge_requests`, options.token, query);
      return requests.map((mr) => ({
        number: Number(field(mr, 'iid')), title: str(field(mr, 'title')), branch: str(field(mr, 'source_branch')), targetBranch: str(field(mr, 'target_branch')),
        headSha: str(field(mr, 'sha')), labels: list(field(mr, 'labels')).map(str), author: str(field(mr, 'author', 'username')),
      }));
    },
  };
}

export interface GitlabProviderOptions {
  readonly api?: string;
  readonly token: string;
  readonly group: string;
  readonly allBranches: boolean;
  readonly includeSubgroups: boolean;
  readonly includeSharedProjects: boolean;
  readonly includeArchivedRepos: boolean;
  readonly topic: string;
}

export function gitlabProvider(options: GitlabProviderOptions): ScmProviderService {
  const base = options.api === undefined || options.api === '' ? PUBLIC_API : options.api;
  const { token } = options;
  const notFoundIsFalse = async (request: Promise<unknown>): Promise<boolean> => request.then(() => true, (error: unknown) => {
    if (error instanceof ScmNotFoundError) return false;
    throw error;
  });
  return {
    async listRepos(cloneProtocol) {
      if (!['', 'ssh', 'https'].includes(cloneProtocol)) throw new Error(`unknown clone protocol for Gitlab ${cloneProtocol}`);
      const query = {
        include_subgroups: String(options.includeSubgroups), with_shared: String(options.includeSharedProjects),
        ...(options.topic === '' ? {} : { topic: options.topic }), ...(options.includeArchivedRepos ? { archived: 'true' } : {}),
      };
      const projects = await allPages(base, `groups/${encodeURIComponent(options.group)}/projects`, token, query);
      return projects.map((project) => {
        const topics = list(field(project, 'topics')).map(str);
        return {
          organization: str(field(project, 'namespace', 'full_path')), repository: str(field(project, 'path')), branch: str(field(project, 'default_branch')),
          url: str(field(project, cloneProtocol === 'https' ? 'http_url_to_repo' : 'ssh_url_to_repo')), sha: '',
          labels: topics.length > 0 ? topics : list(field(project, 'tag_list')).map(str), repositoryId: field(project, 'id'),
        };
      });
    },
    async repoHasPath(repo: Repository, path: string) {
      const project = await getJson(apiURL(base, `api/v4/projects/${encodeURIComponent(`${repo.organization}/${repo.repository}`)}`), headers(token));
      const id = str(field(project.body, 'id'));
      if (await notFoundIsFalse(getJson(apiURL(base, `api/v4/projects/${id}/repository/files/${encodeURIComponent(path)}`, { ref: repo.branch }), headers(token)))) return true;
      return notFoundIsFalse(getJson(apiURL(base, `api/v4/projects/${id}/repository/tree`, { path, ref: repo.branch }), headers(token)));
    },
    async getBranches(repo) {
      const id = str(repo.repositoryId);
      const withBranch = (branch: unknown): Repository => ({ ...repo, branch: str(field(branch, 'name')), sha: str(field(branch, 'commit', 'id')) });
      try {
        if (!options.allBranches) return [withBranch((await getJson(apiURL(base, `api/v4/projects/${id}/repository/branches/${encodeURIComponent(repo.branch)}`), headers(token))).body)];
        return (await allPages(base, `projects/${id}/repository/branches`, token, {})).map(withBranch);
      } catch (error) {
        if (error instanceof ScmNotFoundError) return [];
        throw error;
      }
    },
  };
}
