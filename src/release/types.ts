/** What a release is asked to do and what it did. */
import type { ForgeOptions } from './forge/types.js';
import type { Identity } from './values-repo.js';

export interface PreviewRequest {
  /** launchpad.yaml mapping the values repository (and the config and chart repositories) to local folders. */
  readonly configFile: string;
  /** Root Application files; @default found under the launchpad.yaml's folder */
  readonly roots?: readonly string[];
  /** @default false */
  readonly offline?: boolean;
  readonly cacheDir?: string;
  /** Markdown size limit. */
  readonly maxChars?: number;
}

export interface PullRequestRequest extends ForgeOptions {
  /** The branch the pull request comes from. @default `launchpad/release/<app>[-<cluster>]` */
  readonly branch?: string;
}

export interface SetImageRequest {
  /** A local clone's folder or the repository URL. */
  readonly repo: string;
  /** Remote of a local clone. @default 'origin' */
  readonly remote?: string;
  /** Branch to change (or the pull request's target). @default the remote's default branch */
  readonly branch?: string;
  readonly app: string;
  readonly cluster?: string;
  /** Values file layout, `{app}`/`{cluster}` filled in. @default see values-file.ts */
  readonly file?: string;
  /** @default DEFAULT_KEY */
  readonly key?: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly allowTags?: string;
  readonly ciURL?: string;
  readonly author?: Identity;
  /** When the bump was requested (the newer request wins a conflict). @default now */
  readonly requestedAt?: Date;
  /** Fail instead of overwriting a bump of the same app that landed while this one was pushing. @default false */
  readonly noOverwrite?: boolean;
  /** Push attempts in all. @default 10 */
  readonly maxAttempts?: number;
  /** First retry delay (doubles, with jitter). @default 100 */
  readonly backoffMs?: number;
  readonly dryRun?: boolean;
  readonly pullRequest?: PullRequestRequest;
  readonly preview?: PreviewRequest;
  /** One line per step worth telling (retries, conflicts). */
  readonly onEvent?: (message: string) => void;
}

/**
 * - updated: pushed to the branch;
 * - pull-request: pushed to the pull request's branch and opened or updated it;
 * - dry-run: what would change, nothing written;
 * - unchanged: the value already is the requested one (exit 1);
 * - superseded: a newer request for the same app already set another value (exit 1).
 */
export type ReleaseOutcome = 'updated' | 'pull-request' | 'dry-run' | 'unchanged' | 'superseded';

export interface PullRequestInfo {
  readonly number: number;
  readonly url: string;
  readonly action: 'created' | 'updated';
}

export interface SetImageResult {
  readonly outcome: ReleaseOutcome;
  readonly app: string;
  readonly cluster?: string;
  /** Repository-relative values file. */
  readonly file: string;
  readonly key: string;
  readonly previous: string;
  readonly next: string;
  /** The branch written (the pull request's branch for pull-request). */
  readonly branch: string;
  /** The commit pushed (or made, for dry-run). */
  readonly commit?: string;
  /** Push attempts made (1 when the first one landed). */
  readonly attempts: number;
  /** The values file's unified diff. */
  readonly fileDiff?: string;
  /** `launchpad diff` of the change as markdown, when a preview was asked for. */
  readonly preview?: string;
  readonly pullRequest?: PullRequestInfo;
  /** A concurrent bump of the same app this one overwrote (it was older), or the newer one that won. */
  readonly concurrent?: { readonly value: string; readonly commit: string; readonly requestedAt?: string };
  /** Human-readable one-line summary. */
  readonly message: string;
}
