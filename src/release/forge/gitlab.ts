/** Opens or updates a merge request on GitLab: an opened one from the same source branch is updated, else created. */
import { callApi } from './http.js';
import type { Forge, OpenedPullRequest, PullRequestDraft } from './types.js';

interface MergeRequest {
  readonly iid: number;
  readonly web_url: string;
}

export async function upsertGitlabMerge(forge: Forge, draft: PullRequestDraft): Promise<OpenedPullRequest> {
  const project = `/projects/${encodeURIComponent(forge.project)}`;
  const headers = { 'private-token': forge.token };
  const query = new URLSearchParams({ state: 'opened', source_branch: draft.source, target_branch: draft.target });
  const [open] = await callApi<MergeRequest[]>(forge, { method: 'GET', path: `${project}/merge_requests?${query.toString()}`, headers });
  if (open !== undefined) {
    const updated = await callApi<MergeRequest>(forge, { method: 'PUT', path: `${project}/merge_requests/${open.iid}`, body: { title: draft.title, description: draft.body }, headers });
    return { number: updated.iid, url: updated.web_url, action: 'updated' };
  }
  const body = { source_branch: draft.source, target_branch: draft.target, title: draft.title, description: draft.body, remove_source_branch: true };
  const created = await callApi<MergeRequest>(forge, { method: 'POST', path: `${project}/merge_requests`, body, headers });
  return { number: created.iid, url: created.web_url, action: 'created' };
}
