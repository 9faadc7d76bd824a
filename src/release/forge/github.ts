/**
 * Opens or updates a pull request on GitHub (or GitHub Enterprise) and on Gitea, whose pull-request API follows
 * GitHub's: an open request from the same branch is updated (title and body), else one is created. They differ in
 * the auth header and in how the open request of a branch is found (GitHub filters by `head`, Gitea lists).
 */
import { callApi } from './http.js';
import type { Forge, OpenedPullRequest, PullRequestDraft } from './types.js';

interface PullSummary {
  readonly number: number;
  readonly html_url: string;
  readonly head: { readonly ref: string };
  readonly base: { readonly ref: string };
}

const GITEA_PAGE = 50;
const GITEA_MAX_PAGES = 20;

function headers(forge: Forge): Record<string, string> {
  return forge.kind === 'github'
    ? { authorization: `Bearer ${forge.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' }
    : { authorization: `token ${forge.token}` };
}

function repoPath(forge: Forge): string {
  const [owner = '', ...name] = forge.project.split('/');
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name.join('/'))}`;
}

async function findOpen(forge: Forge, draft: PullRequestDraft): Promise<PullSummary | undefined> {
  const base = repoPath(forge);
  if (forge.kind === 'github') {
    const owner = forge.project.split('/')[0] ?? '';
    const query = new URLSearchParams({ state: 'open', head: `${owner}:${draft.source}`, base: draft.target });
    const found = await callApi<PullSummary[]>(forge, { method: 'GET', path: `${base}/pulls?${query.toString()}`, headers: headers(forge) });
    return found[0];
  }
  for (let page = 1; page <= GITEA_MAX_PAGES; page++) {
    const query = new URLSearchParams({ state: 'open', page: String(page), limit: String(GITEA_PAGE) });
    const found = await callApi<PullSummary[]>(forge, { method: 'GET', path: `${base}/pulls?${query.toString()}`, headers: headers(forge) });
    const match = found.find((pull) => pull.head.ref === draft.source && pull.base.ref === draft.target);
    if (match !== undefined || found.length < GITEA_PAGE) return match;
  }
  return undefined;
}

export async function upsertGithubPull(forge: Forge, draft: PullRequestDraft): Promise<OpenedPullRequest> {
  const base = repoPath(forge);
  const open = await findOpen(forge, draft);
  if (open !== undefined) {
    const updated = await callApi<PullSummary>(forge, { method: 'PATCH', path: `${base}/pulls/${open.number}`, body: { title: draft.title, body: draft.body }, headers: headers(forge) });
    return { number: updated.number, url: updated.html_url, action: 'updated' };
  }
  const created = await callApi<PullSummary>(forge, { method: 'POST', path: `${base}/pulls`, body: { title: draft.title, body: draft.body, head: draft.source, base: draft.target }, headers: headers(forge) });
  return { number: created.number, url: created.html_url, action: 'created' };
}
