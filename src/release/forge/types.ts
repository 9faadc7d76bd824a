/** The pull/merge request APIs a release can open requests through. */

export type ForgeKind = 'github' | 'gitea' | 'gitlab';

export const FORGE_KINDS: readonly ForgeKind[] = ['github', 'gitea', 'gitlab'];

export interface ForgeOptions {
  /** @default from the remote's host: github.com → github, gitlab.com → gitlab; others must say */
  readonly forge?: ForgeKind;
  /** API root, e.g. https://api.github.com, https://git.example.com/api/v1, https://gitlab.example.com/api/v4 */
  readonly apiURL?: string;
  /** `owner/name` (GitLab: the full project path); @default from the remote URL */
  readonly project?: string;
}

export interface Forge {
  readonly kind: ForgeKind;
  readonly apiURL: string;
  readonly project: string;
  /** Never printed. */
  readonly token: string;
}

export interface PullRequestDraft {
  /** Branch with the change. */
  readonly source: string;
  /** Branch it goes into. */
  readonly target: string;
  readonly title: string;
  readonly body: string;
}

export interface OpenedPullRequest {
  readonly number: number;
  readonly url: string;
  readonly action: 'created' | 'updated';
}
