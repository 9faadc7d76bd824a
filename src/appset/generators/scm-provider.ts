/**
 * The SCM provider generator: every repository of a GitHub organization, Gitea owner or GitLab group, at its default
 * branch or every branch, through Argo CD's filters (repository and label filters first, then branch and path
 * filters; a filter's kind is set by the last kind of condition it holds, as in Argo CD), each giving organization,
 * repository, repository_id, url, branch, branchNormalized, sha, short_sha, short_sha_7 and labels.
 */
import { LaunchpadError } from '../../errors.js';
import { isPlainObject } from '../../model/values.js';
import { GeneratorSkipped } from '../context.js';
import type { GeneratorContext } from '../context.js';
import { sanitizeName } from '../names.js';
import type { Params } from '../params.js';
import type { TemplateMode } from '../render.js';
import { githubProvider } from '../scm/github.js';
import { giteaProvider } from '../scm/gitea.js';
import { gitlabProvider } from '../scm/gitlab.js';
import type { Repository, ScmProviderService } from '../scm/types.js';
import { compileFilterRegExp, optionalString, readToken, requiredString } from './tokens.js';
import { appendValues, readValues } from './values.js';

async function provider(spec: Readonly<Record<string, unknown>>, context: GeneratorContext, where: string): Promise<ScmProviderService> {
  const { github, gitea, gitlab } = spec;
  if (isPlainObject(github)) {
    const at = `${where}.github`;
    return githubProvider({ api: optionalString(github, 'api'), token: await readToken(github.tokenRef, context, at), organization: requiredString(github, 'organization', at), allBranches: github.allBranches === true, excludeArchivedRepos: github.excludeArchivedRepos === true });
  }
  if (isPlainObject(gitea)) {
    const at = `${where}.gitea`;
    return giteaProvider({ api: requiredString(gitea, 'api', at), token: await readToken(gitea.tokenRef, context, at), owner: requiredString(gitea, 'owner', at), allBranches: gitea.allBranches === true, excludeArchivedRepos: gitea.excludeArchivedRepos === true });
  }
  if (isPlainObject(gitlab)) {
    const at = `${where}.gitlab`;
    return gitlabProvider({
      api: optionalString(gitlab, 'api'), token: await readToken(gitlab.tokenRef, context, at), group: requiredString(gitlab, 'group', at), allBranches: gitlab.allBranches === true,
      includeSubgroups: gitlab.includeSubgroups === true, includeSharedProjects: gitlab.includeSharedProjects !== false, includeArchivedRepos: gitlab.includeArchivedRepos === true, topic: optionalString(gitlab, 'topic'),
    });
  }
  const other = Object.keys(spec).find((key) => ['bitbucket', 'bitbucketServer', 'azureDevOps', 'awsCodeCommit'].includes(key));
  throw new LaunchpadError(other === undefined ? `${where}: no SCM provider configured` : `${where}.${other}: this provider is not supported by Launchpad`, { fix: 'use github, gitea or gitlab' });
}

interface Filter {
  readonly kind: 'repo' | 'branch' | 'none';
  readonly repositoryMatch?: RegExp;
  readonly labelMatch?: RegExp;
  readonly branchMatch?: RegExp;
  readonly pathsExist: readonly string[];
  readonly pathsDoNotExist: readonly string[];
}

function readFilter(filter: Readonly<Record<string, unknown>>): Filter {
  const pathsExist = Array.isArray(filter.pathsExist) ? filter.pathsExist.map(String) : undefined;
  const pathsDoNotExist = Array.isArray(filter.pathsDoNotExist) ? filter.pathsDoNotExist.map(String) : undefined;
  const repositoryMatch = compileFilterRegExp(filter.repositoryMatch, 'RepositoryMatch');
  const labelMatch = compileFilterRegExp(filter.labelMatch, 'LabelMatch');
  const branchMatch = compileFilterRegExp(filter.branchMatch, 'BranchMatch');
  let kind: Filter['kind'] = 'none';
  if (repositoryMatch !== undefined || labelMatch !== undefined) kind = 'repo';
  if (pathsExist !== undefined || pathsDoNotExist !== undefined || branchMatch !== undefined) kind = 'branch';
  return {
    kind, pathsExist: pathsExist ?? [], pathsDoNotExist: pathsDoNotExist ?? [],
    ...(repositoryMatch === undefined ? {} : { repositoryMatch }), ...(labelMatch === undefined ? {} : { labelMatch }), ...(branchMatch === undefined ? {} : { branchMatch }),
  };
}

async function matches(scm: ScmProviderService, repo: Repository, filter: Filter): Promise<boolean> {
  if (filter.repositoryMatch !== undefined && !filter.repositoryMatch.test(repo.repository)) return false;
  if (filter.branchMatch !== undefined && !filter.branchMatch.test(repo.branch)) return false;
  const { labelMatch } = filter;
  if (labelMatch !== undefined && !repo.labels.some((label) => labelMatch.test(label))) return false;
  for (const path of filter.pathsExist) if (!(await scm.repoHasPath(repo, path.replace(/\/+$/, '')))) return false;
  for (const path of filter.pathsDoNotExist) if (await scm.repoHasPath(repo, path.replace(/\/+$/, ''))) return false;
  return true;
}

async function filtered(scm: ScmProviderService, repos: readonly Repository[], filters: readonly Filter[]): Promise<Repository[]> {
  if (filters.length === 0) return [...repos];
  const kept: Repository[] = [];
  for (const repo of repos) {
    for (const filter of filters) {
      if (await matches(scm, repo, filter)) {
        kept.push(repo);
        break;
      }
    }
  }
  return kept;
}

export async function scmProviderParams(spec: Readonly<Record<string, unknown>>, context: GeneratorContext, mode: TemplateMode, where: string): Promise<Params[]> {
  if (context.offline) throw new GeneratorSkipped(`${where}: SCM provider generator skipped (offline: it needs the provider's API)`);
  const filters = (Array.isArray(spec.filters) ? spec.filters : []).filter(isPlainObject).map(readFilter);
  const values = readValues(spec.values, where);
  const scm = await provider(spec, context, where);
  const repos = await filtered(scm, await scm.listRepos(typeof spec.cloneProtocol === 'string' ? spec.cloneProtocol : ''), filters.filter((filter) => filter.kind === 'repo'));
  const branches: Repository[] = [];
  for (const repo of repos) branches.push(...(await scm.getBranches(repo)));
  const selected = await filtered(scm, branches, filters.filter((filter) => filter.kind === 'branch'));
  return selected.map((repo) => {
    const params: Params = {
      organization: repo.organization, repository: repo.repository, repository_id: repo.repositoryId, url: repo.url, branch: repo.branch, sha: repo.sha,
      short_sha: repo.sha.slice(0, 8), short_sha_7: repo.sha.slice(0, 7), labels: repo.labels.join(','), branchNormalized: sanitizeName(repo.branch),
    };
    appendValues(values, params, mode);
    return params;
  });
}
