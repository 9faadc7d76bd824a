/**
 * Gitea for the pull request and SCM provider generators: `<api>/api/v1/…` with `Authorization: token <token>`,
 * open pull requests only, labels filtered after listing, each repository's labels read for `labelMatch`. Pages are
 * followed until one comes back short (Argo CD's Gitea client reads only the first page: a documented improvement).
 */
import { apiURL, getJson, MAX_PAGES, ScmNotFoundError } from './http.js';
import { field, list, str } from './types.js';
import type { PullRequest, PullRequestService, Repository, ScmProviderService } from './types.js';

const PAGE = 50;

function headers(token: string): Record<string, string> {
  return token === '' ? {} : { Authorization: `token ${token}` };
}

async function allPages(base: string, path: string, token: string, query: Readonly<Record<string, string>> = {}): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const response = await getJson(apiURL(base, `api/v1/${path}`, { ...query, page: String(page), limit: String(PAGE) }), headers(token));
    const batch = list(response.body);
    items.push(...batch);
    if (batch.length < PAGE) break;
  }
  return items;
}

const seg = (text: string): string => encodeURIComponent(text);

export function giteaPullRequests(options: { readonly api: string; readonly token: string; readonly owner: string; readonly repo: string; readonly labels: readonly string[] }): PullRequestService {
  return {
    async list(): Promise<PullRequest[]> {
      const pulls = await allPages(options.api, `repos/${seg(options.owner)}/${seg(options.repo)}/pulls`, options.token, { state: 'open' });
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

export function giteaProvider(options: { readonly api: string; readonly token: string; readonly owner: string; readonly allBranches: boolean; readonly excludeArchivedRepos: boolean }): ScmProviderService {
  const { api, token, owner } = options;
  return {
    async listRepos(cloneProtocol) {
      if (!['', 'ssh', 'https'].includes(cloneProtocol)) throw new Error(`unknown clone protocol for Gitea ${cloneProtocol}`);
      const repos = await allPages(api, `orgs/${seg(owner)}/repos`, token);
      const result: Repository[] = [];
      for (const repo of repos) {
        const name = str(field(repo, 'name'));
        const labels = (await allPages(api, `repos/${seg(owner)}/${seg(name)}/labels`, token)).map((label) => str(field(label, 'name')));
        if (options.excludeArchivedRepos && field(repo, 'archived') === true) continue;
        result.push({ organization: owner, repository: name, branch: str(field(repo, 'default_branch')), url: str(field(repo, cloneProtocol === 'https' ? 'html_url' : 'ssh_url')), sha: '', labels, repositoryId: field(repo, 'id') });
      }
      return result;
    },
    async repoHasPath(repo, path) {
      try {
        await getJson(apiURL(api, `api/v1/repos/${seg(repo.organization)}/${seg(repo.repository)}/contents/${path.split('/').map(seg).join('/')}`, { ref: repo.branch }), headers(token));
        return true;
      } catch (error) {
        if (error instanceof ScmNotFoundError) return false;
        throw error;
      }
    },
    async getBranches(repo) {
      if (!options.allBranches) {
        const branch = await getJson(apiURL(api, `api/v1/repos/${seg(owner)}/${seg(repo.repository)}/branches/${seg(repo.branch)}`), headers(token)).catch((error: unknown) => {
          if (error instanceof ScmNotFoundError) throw new Error(`got 404 while getting default branch "${repo.branch}" for repo "${repo.repository}" - check your repo config`);
          throw error;
        });
        return [{ ...repo, sha: str(field(branch.body, 'commit', 'id')) }];
      }
      const branches = await allPages(api, `repos/${seg(owner)}/${seg(repo.repository)}/branches`, token);
      return branches.map((branch) => ({ ...repo, branch: str(field(branch, 'name')), sha: str(field(branch, 'commit', 'id')) }));
    },
  };
}
