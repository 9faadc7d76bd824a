/**
 * Two bumps of the same app (same file and key) resolve the same way whichever process runs first: the newer
 * request wins. A request's time is `--requested-at` (CI passes the build's commit time, so a slow pipeline for
 * an older commit cannot undo a newer one) or the moment the command started; a release commit records it in a
 * trailer, and a commit without one (a hand edit) counts from its committer date. Equal times: the greater version
 * (numeric-aware order) wins, so the answer never depends on timing. `--no-overwrite` turns a bump that landed
 * while this one was pushing into an error instead. Pure.
 */
import { requestedAtOf } from './commit-message.js';

export interface Request {
  readonly value: string;
  readonly requestedAt: Date;
}

export interface LandedChange {
  /** The value at the branch tip now. */
  readonly value: string;
  readonly sha: string;
  readonly message: string;
  readonly date: Date;
}

export type Verdict =
  | { readonly kind: 'proceed'; readonly replaces?: LandedChange }
  | { readonly kind: 'superseded'; readonly by: LandedChange; readonly requestedAt: Date }
  | { readonly kind: 'conflict'; readonly by: LandedChange };

export interface JudgeInput {
  readonly ours: Request;
  /** The newest commit that touched the file at the tip; undefined when none is known. */
  readonly landed: LandedChange | undefined;
  /** The value changed since this release first read the branch (another bump landed meanwhile). */
  readonly concurrent: boolean;
  /** Both commits are releases of this file and key (the trailer says so), or the change is concurrent. */
  readonly sameRelease: boolean;
  readonly noOverwrite: boolean;
}

function theirTime(landed: LandedChange): Date {
  return requestedAtOf(landed.message) ?? landed.date;
}

/** True when the landed request is newer than ours (ties broken by version order). */
function landedIsNewer(ours: Request, landed: LandedChange): boolean {
  const difference = theirTime(landed).getTime() - ours.requestedAt.getTime();
  if (difference !== 0) return difference > 0;
  return landed.value.localeCompare(ours.value, 'en', { numeric: true }) > 0;
}

export function judge(input: JudgeInput): Verdict {
  const { landed } = input;
  if (landed === undefined) return { kind: 'proceed' };
  if (input.concurrent && input.noOverwrite) return { kind: 'conflict', by: landed };
  if (!input.concurrent && !input.sameRelease) return { kind: 'proceed' };
  if (landedIsNewer(input.ours, landed)) return { kind: 'superseded', by: landed, requestedAt: theirTime(landed) };
  return input.concurrent ? { kind: 'proceed', replaces: landed } : { kind: 'proceed' };
}
