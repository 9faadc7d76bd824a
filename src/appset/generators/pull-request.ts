/**
 * The pull request generator: the open pull requests of a GitHub, Gitea or GitLab repository (labels, then
 * `filters` on branch, target branch and title — any filter matching keeps a pull request), each giving Argo CD's
 * parameters: number, title, branch, branch_slug, target_branch, target_branch_slug, head_sha, head_short_sha,
 * head_short_sha_7, author, and `labels` with goTemplate.
 */
import { LaunchpadError } from '../../errors.js';
import { isPlainObject } from '../../model/values.js';
import { GeneratorSkipped } from '../context.js';
import type { GeneratorContext } from '../context.js';
import { slugify } from '../names.js';
import type { Params } from '../params.js';
import type { TemplateMode } from '../render.js';
import { githubPullRequests } from '../scm/github.js';
import { giteaPullRequests } from '../scm/gitea.js';
import { gitlabPullRequests } from '../scm/gitlab.js';
import { ScmNotFoundError } from '../scm/http.js';
import type { PullRequest, PullRequestService } from '../scm/types.js';
import { compileFilterRegExp, optionalString, readToken, requiredString, stringList } from './tokens.js';
import { appendValues, readValues } from './values.js';

async function service(spec: Readonly<Record<string, unknown>>, context: GeneratorContext, where: string): Promise<PullRequestService> {
  const { github, gitea, gitlab } = spec;
  if (isPlainObject(github)) {
    const at = `${where}.github`;
    return githubPullRequests({ api: optionalString(github, 'api'), token: await readToken(github.tokenRef, context, at), owner: requiredString(github, 'owner', at), repo: requiredString(github, 'repo', at), labels: stringList(github, 'labels') });
  }
  if (isPlainObject(gitea)) {
    const at = `${where}.gitea`;
    return giteaPullRequests({ api: requiredString(gitea, 'api', at), token: await readToken(gitea.tokenRef, context, at), owner: requiredString(gitea, 'owner', at), repo: requiredString(gitea, 'repo', at), labels: stringList(gitea, 'labels') });
  }
  if (isPlainObject(gitlab)) {
    const at = `${where}.gitlab`;
    return gitlabPullRequests({ api: optionalString(gitlab, 'api'), token: await readToken(gitlab.tokenRef, context, at), project: requiredString(gitlab, 'project', at), labels: stringList(gitlab, 'labels'), state: optionalString(gitlab, 'pullRequestState') });
  }
  const other = Object.keys(spec).find((key) => ['bitbucket', 'bitbucketServer', 'azuredevops'].includes(key));
  throw new LaunchpadError(other === undefined ? `${where}: no pull request provider configured` : `${where}.${other}: this provider is not supported by Launchpad`, { fix: 'use github, gitea or gitlab' });
}

function filtersOf(spec: Readonly<Record<string, unknown>>): ((pull: PullRequest) => boolean)[] {
  const filters = Array.isArray(spec.filters) ? spec.filters : [];
  return filters.filter(isPlainObject).map((filter) => {
    const branch = compileFilterRegExp(filter.branchMatch, 'BranchMatch');
    const target = compileFilterRegExp(filter.targetBranchMatch, 'TargetBranchMatch');
    const title = compileFilterRegExp(filter.titleMatch, 'TitleMatch');
    return (pull) => (branch?.test(pull.branch) ?? true) && (target?.test(pull.targetBranch) ?? true) && (title?.test(pull.title) ?? true);
  });
}

function paramsOf(pull: PullRequest, goTemplate: boolean): Params {
  return {
    number: String(pull.number), title: pull.title, branch: pull.branch, branch_slug: slugify(pull.branch), target_branch: pull.targetBranch,
    target_branch_slug: slugify(pull.targetBranch), head_sha: pull.headSha, head_short_sha: pull.headSha.slice(0, 8), head_short_sha_7: pull.headSha.slice(0, 7),
    author: pull.author, ...(goTemplate ? { labels: [...pull.labels] } : {}),
  };
}

export async function pullRequestParams(spec: Readonly<Record<string, unknown>>, context: GeneratorContext, mode: TemplateMode, where: string): Promise<Params[]> {
  if (context.offline) throw new GeneratorSkipped(`${where}: pull request generator skipped (offline: it needs the provider's API)`);
  const filters = filtersOf(spec);
  const values = readValues(spec.values, where);
  let pulls: PullRequest[];
  try {
    pulls = await (await service(spec, context, where)).list();
  } catch (error) {
    if (error instanceof ScmNotFoundError && spec.continueOnRepoNotFoundError === true) return [];
    throw error;
  }
  return pulls.filter((pull) => filters.length === 0 || filters.some((matches) => matches(pull))).map((pull) => {
    const params = paramsOf(pull, mode.goTemplate);
    appendValues(values, params, mode);
    return params;
  });
}
