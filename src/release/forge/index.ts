/** Pull/merge requests on GitHub, Gitea and GitLab: one call, dispatched on the forge. */
import { upsertGithubPull } from './github.js';
import { upsertGitlabMerge } from './gitlab.js';
import type { Forge, OpenedPullRequest, PullRequestDraft } from './types.js';

export type * from './types.js';
export { FORGE_KINDS } from './types.js';
export { resolveForge, remoteParts } from './resolve.js';

const UPSERT: Readonly<Record<Forge['kind'], (forge: Forge, draft: PullRequestDraft) => Promise<OpenedPullRequest>>> = {
  github: upsertGithubPull,
  gitea: upsertGithubPull,
  gitlab: upsertGitlabMerge,
};

/** Opens a pull request from `draft.source` into `draft.target`, or updates the open one. */
export function upsertPullRequest(forge: Forge, draft: PullRequestDraft): Promise<OpenedPullRequest> {
  return UPSERT[forge.kind](forge, draft);
}
