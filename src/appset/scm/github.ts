/**
 * GitHub (and GitHub Enterprise: an `api` URL gets `/api/v3/` as go-github adds it) for the pull request and SCM
 * provider generators, with Argo CD's requests: 100 per page, pages followed by the Link header, labels filtered
 * after listing, `Authorization: Bearer <token>`.
 */
import { apiURL, getJson, MAX_PAGES, nextLink, ScmNotFoundError } from './http.js';
import { field, list, str } from './types.js';
import type { PullRequest, PullRequestService, Repository, ScmProviderService } from './types.js';

const PUBLIC_API = 'https://api.github.com/';

/** go-github's WithEnterpriseURLs: `https://ghe.example.com` → `https://ghe.example.com/api/v3/`. */
export function githubBase(api: string | undefined): string {
  if (api === undefined || api === '') return PUBLIC_API;
  const url = new URL(api);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  if (!url.pathname.endsWith('/api/v3/') && !url.host.startsWith('api.') && !url.host.includes('.api.')) url.pathname += 'api/v3/';
  return url.toString();
}

function headers(token: string): Record<string, string> {
  return { Accept: 'application/vnd.github.v3+json', 'X-GitHub-Api-Version': '2022-11-28', ...(token === '' ? {} : { Authorization: `Bearer ${token}` }) };
}

async function allPages(first: URL, token: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let url: URL | undefined = first;
  for (let page = 0; url !== undefined && page < MAX_PAGES; page += 1) {
    const response = await getJson(url, headers(token));
    items.push(...list(response.body));
    url = nextLink(response.headers);
  }
  return items;
}

export function githubPullRequests(options: { readonly api?: string; readonly token: string; readonly owner: string; readonly repo: string; readonly labels: readonly string[] }): PullRequestService {
  const base = githubBase(options.api);
  return {
    async list(): Promise<PullRequest[]> {
      const pulls = await allPages(apiURL(base, `repos/${encodeURIComponent(options.owner)}/${encodeURIComponent(options.repo)}/pulls`, { per_page: '100' }), options.token);
      return pulls.flatMap((pull) => {
        const labels = list(field(pull, 'labels')).map((label) => str(field(label, 'name')));
        if (!options.labels.every((wanted) => labels.includes(wanted))) return [];
        return [{
          number: Number(field(pull, 'number')), title: str(field(pull, 'title')), branch: str(field(pull, 'head', 'ref')), targetBranch: str(field(pull, 'base', 'ref')),
          headSha: str(field(pull, 'head', 'sha')), labels, author: str(field(pull, 'user', 'login')),
        }];
      });
    },
  };
}

export function githubProvider(options: { readonly api?: string; readonly token: string; readonly organization: string; readonly allBranches: boolean; readonly excludeArchivedRepos: boolean }): ScmProviderService {
  const base = githubBase(options.api);
  const repoPath = (repo: Repository): string => `repos/${encodeURIComponent(repo.organization)}/${encodeURIComponent(repo.repository)}`;
  const withBranch = (repo: Repository, branch: unknown): Repository => ({ ...repo, branch: str(field(branch, 'name')), sha: str(field(branch, 'commit', 'sha')) });
  return {
    async listRepos(cloneProtocol) {
      if (!['', 'ssh', 'https'].includes(cloneProtocol)) throw new Error(`unknown clone protocol for GitHub ${cloneProtocol}`);
      const repos = await allPages(apiURL(base, `orgs/${encodeURIComponent(options.organization)}/repos`, { per_page: '100' }), options.token);
      return repos.filter((repo) => !(options.excludeArchivedRepos && field(repo, 'archived') === true)).map((repo) => ({
        organization: str(field(repo, 'owner', 'login')), repository: str(field(repo, 'name')), branch: str(field(repo, 'default_branch')),
        url: str(field(repo, cloneProtocol === 'https' ? 'clone_url' : 'ssh_url')), sha: '', labels: list(field(repo, 'topics')).map(str), repositoryId: field(repo, 'id'),
      }));
    },
    async repoHasPath(repo, path) {
      try {
        await getJson(apiURL(base, `${repoPath(repo)}/contents/${path.split('/').map(encodeURIComponent).join('/')}`, { ref: repo.branch }), headers(options.token));
        return true;
      } catch (error) {
        if (error instanceof ScmNotFoundError) return false;
        throw error;
      }
    },
    async getBranches(repo) {
      if (!options.allBranches) {
        try {
          const branch = await getJson(apiURL(base, `${repoPath(repo)}/branches/${encodeURIComponent(repo.branch)}`), headers(options.token));
          return [withBranch(repo, branch.body)];
        } catch (error) {
          if (error instanceof ScmNotFoundError) return [];
          throw error;
        }
      }
      const branches = await allPages(apiURL(base, `${repoPath(repo)}/branches`, { per_page: '100' }), options.token);
      return branches.map((branch) => withBranch(repo, branch));
    },
  };
}
