/**
 * GIVEN stand-in GitHub, Gitea and GitLab APIs (real HTTP servers on 127.0.0.1 that check the token header) WHEN
 * pull request and SCM provider generators run THEN they ask what Argo CD asks (paths, pages, filters) and give
 * Argo CD's parameters; a refused token or an outage fails generation with a message that never shows the token.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { generateApplications } from '../../../src/appset/generate.js';
import { readApplicationSet } from '../../../src/appset/spec.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { testContext } from './helpers.js';
import { startStandIn } from './scm-stand-in.js';
import type { StandIn } from './scm-stand-in.js';

const TOKEN = 'tok-3f9a-secret';
const tokens = { 'scm-token/token': TOKEN };
const SHA = '0123456789abcdef0123456789abcdef01234567';

function appSet(generator: Record<string, unknown>, name = '{{branch_slug}}-{{number}}-{{head_short_sha}}', goTemplate = false): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'previews', namespace: 'argocd' },
    spec: { goTemplate, generators: [generator], template: { metadata: { name }, spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'x' } } } },
  };
}

async function names(object: KubeObject): Promise<string[]> {
  const result = await generateApplications(readApplicationSet(object, 'argocd'), testContext({ tokens }));
  return result.applications.map((app) => app.metadata.name ?? '');
}

const servers: StandIn[] = [];
after(async () => { await Promise.all(servers.map((server) => server.close())); });

const githubPull = (number: number, branch: string, labels: string[], title = 'change'): unknown => ({ number, title, head: { ref: branch, sha: SHA }, base: { ref: 'main' }, labels: labels.map((name) => ({ name })), user: { login: 'dev' } });

describe('pull request generator', () => {
  test('GitHub Enterprise: /api/v3, 100 per page, Link pages followed, labels then filters applied', async () => {
    const table: Record<string, { body: unknown; headers?: Record<string, string> }> = {};
    const github = await startStandIn({ header: 'authorization', value: `Bearer ${TOKEN}` }, table);
    const routes = (): typeof table => ({
      '/api/v3/repos/acme/shop/pulls?per_page=100': { body: [githubPull(7, 'feature/Login_Page', ['preview']), githubPull(8, 'fix/x', [])], headers: { link: `<${github.url}/api/v3/repos/acme/shop/pulls?per_page=100&page=2>; rel="next"` } },
      '/api/v3/repos/acme/shop/pulls?per_page=100&page=2': { body: [githubPull(9, 'wip/y', ['preview'], 'WIP: y')] },
    });
    Object.assign(table, routes());
    servers.push(github);
    const generator = { pullRequest: { github: { api: github.url, owner: 'acme', repo: 'shop', labels: ['preview'], tokenRef: { secretName: 'scm-token', key: 'token' } }, filters: [{ titleMatch: '^change$' }] } };
    assert.deepEqual(await names(appSet(generator)), ['feature-login-page-7-01234567']);
    assert.deepEqual(github.requests, ['/api/v3/repos/acme/shop/pulls?per_page=100', '/api/v3/repos/acme/shop/pulls?per_page=100&page=2']);
  });

  test('Gitea: open pull requests, goTemplate gets labels and head_short_sha_7', async () => {
    const gitea = await startStandIn({ header: 'authorization', value: `token ${TOKEN}` }, {
      '/api/v1/repos/acme/shop/pulls?state=open&page=1&limit=50': { body: [{ number: 3, title: 't', head: { ref: 'feat', sha: SHA }, base: { ref: 'main' }, labels: [{ name: 'ok' }], user: { login: 'a' } }] },
    });
    servers.push(gitea);
    const generator = { pullRequest: { gitea: { api: gitea.url, owner: 'acme', repo: 'shop', tokenRef: { secretName: 'scm-token', key: 'token' } } } };
    assert.deepEqual(await names(appSet(generator, '{{.branch}}-{{.head_short_sha_7}}-{{index .labels 0}}', true)), ['feat-0123456-ok']);
  });

  test('GitLab: labels and state passed to the API, X-Next-Page followed', async () => {
    const mr = (iid: number, branch: string): unknown => ({ iid, title: 't', source_branch: branch, target_branch: 'main', sha: SHA, labels: ['preview'], author: { username: 'u' } });
    const gitlab = await startStandIn({ header: 'private-token', value: TOKEN }, {
      '/api/v4/projects/group%2Fshop/merge_requests?labels=preview&state=opened&per_page=100&page=1': { body: [mr(1, 'one')], headers: { 'x-next-page': '2' } },
      '/api/v4/projects/group%2Fshop/merge_requests?labels=preview&state=opened&per_page=100&page=2': { body: [mr(2, 'two')], headers: { 'x-next-page': '' } },
    });
    servers.push(gitlab);
    const generator = { pullRequest: { gitlab: { api: gitlab.url, project: 'group/shop', labels: ['preview'], pullRequestState: 'opened', tokenRef: { secretName: 'scm-token', key: 'token' } }, filters: [{ branchMatch: '^t' }, { branchMatch: '^o' }] } };
    assert.deepEqual(await names(appSet(generator)), ['one-1-01234567', 'two-2-01234567']);
  });

  test('a refused token fails generation, naming the URL and the fix, never the token', async () => {
    const github = await startStandIn({ header: 'authorization', value: 'Bearer other' }, {});
    servers.push(github);
    const generator = { pullRequest: { github: { api: github.url, owner: 'acme', repo: 'shop', tokenRef: { secretName: 'scm-token', key: 'token' } } } };
    await assert.rejects(names(appSet(generator)), (error: Error) => {
      assert.match(error.message, /GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/repos\/acme\/shop\/pulls: HTTP 401 — check the token Secret/);
      assert.doesNotMatch(error.message, new RegExp(TOKEN));
      return true;
    });
  });

  test('an API outage fails generation (so nothing is deleted); a missing repo with continueOnRepoNotFoundError gives no sets', async () => {
    await assert.rejects(names(appSet({ pullRequest: { github: { api: 'http://127.0.0.1:9', owner: 'a', repo: 'b' } } })), /GET http:\/\/127\.0\.0\.1:9\/api\/v3\/repos\/a\/b\/pulls failed/);
    const github = await startStandIn({ header: 'authorization', value: `Bearer ${TOKEN}` }, {});
    servers.push(github);
    assert.deepEqual(await names(appSet({ pullRequest: { continueOnRepoNotFoundError: true, github: { api: github.url, owner: 'a', repo: 'gone', tokenRef: { secretName: 'scm-token', key: 'token' } } } })), []);
  });
});

describe('SCM provider generator', () => {
  test('GitHub organization: repo filters, then default branches and paths', async () => {
    const repo = (name: string, topics: string[], archived = false): unknown => ({ id: name.length, name, owner: { login: 'acme' }, default_branch: 'main', ssh_url: `git@github.com:acme/${name}.git`, clone_url: `https://github.com/acme/${name}.git`, topics, archived });
    const github = await startStandIn({ header: 'authorization', value: `Bearer ${TOKEN}` }, {
      '/api/v3/orgs/acme/repos?per_page=100': { body: [repo('shop', ['deploy']), repo('docs', []), repo('old', ['deploy'], true), repo('nochart', ['deploy'])] },
      '/api/v3/repos/acme/shop/branches/main': { body: { name: 'main', commit: { sha: SHA } } },
      '/api/v3/repos/acme/nochart/branches/main': { body: { name: 'main', commit: { sha: SHA } } },
      '/api/v3/repos/acme/shop/contents/deploy?ref=main': { body: [] },
    });
    servers.push(github);
    const generator = { scmProvider: { cloneProtocol: 'https', github: { api: github.url, organization: 'acme', excludeArchivedRepos: true, tokenRef: { secretName: 'scm-token', key: 'token' } }, filters: [{ labelMatch: 'deploy', pathsExist: ['deploy/'] }] } };
    const result = await generateApplications(readApplicationSet(appSet(generator, '{{repository}}-{{branchNormalized}}-{{short_sha_7}}'), 'argocd'), testContext({ tokens }));
    assert.deepEqual(result.applications.map((app) => app.metadata.name), ['shop-main-0123456']);
    assert.ok(github.requests.includes('/api/v3/repos/acme/nochart/contents/deploy?ref=main'));
  });

  test('Gitea owner: labels read per repository, all branches', async () => {
    const gitea = await startStandIn({ header: 'authorization', value: `token ${TOKEN}` }, {
      '/api/v1/orgs/acme/repos?page=1&limit=50': { body: [{ id: 1, name: 'shop', default_branch: 'main', ssh_url: 'ssh://x', html_url: 'https://x' }] },
      '/api/v1/repos/acme/shop/labels?page=1&limit=50': { body: [{ name: 'team-a' }] },
      '/api/v1/repos/acme/shop/branches?page=1&limit=50': { body: [{ name: 'main', commit: { id: SHA } }, { name: 'release/1', commit: { id: SHA } }] },
    });
    servers.push(gitea);
    const generator = { scmProvider: { gitea: { api: gitea.url, owner: 'acme', allBranches: true, tokenRef: { secretName: 'scm-token', key: 'token' } }, filters: [{ branchMatch: '^release' }] } };
    const result = await generateApplications(readApplicationSet(appSet(generator, '{{repository}}-{{branchNormalized}}-{{labels}}'), 'argocd'), testContext({ tokens }));
    assert.deepEqual(result.applications.map((app) => app.metadata.name), ['shop-release-1-team-a']);
  });

  test('GitLab group: subgroups and topics', async () => {
    const gitlab = await startStandIn({ header: 'private-token', value: TOKEN }, {
      '/api/v4/groups/acme/projects?include_subgroups=true&with_shared=true&per_page=100&page=1': { body: [{ id: 42, path: 'shop', namespace: { full_path: 'acme/team' }, default_branch: 'main', ssh_url_to_repo: 'git@x', http_url_to_repo: 'https://x', topics: ['k8s'] }] },
      '/api/v4/projects/42/repository/branches/main': { body: { name: 'main', commit: { id: SHA } } },
    });
    servers.push(gitlab);
    const generator = { scmProvider: { gitlab: { api: gitlab.url, group: 'acme', includeSubgroups: true, tokenRef: { secretName: 'scm-token', key: 'token' } } } };
    const result = await generateApplications(readApplicationSet(appSet(generator, '{{repository}}-{{labels}}-{{short_sha}}'), 'argocd'), testContext({ tokens }));
    assert.deepEqual(result.applications.map((app) => app.metadata.name), ['shop-k8s-01234567']);
  });
});
