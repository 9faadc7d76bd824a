/**
 * One attempt of a release against the branch as it is now: read the values file at the tip, apply the edit, and
 * judge it against the newest change of that file (conflict rules in conflict.ts). Shared by the direct push and
 * the pull-request flow; every attempt starts from a fresh tip, so a retry re-applies the one-line change on top
 * of whatever landed meanwhile instead of rebasing a stale commit.
 */
import { createTwoFilesPatch } from 'diff';
import { InputError } from '../errors.js';
import { TRAILER_RELEASE, releaseId } from './commit-message.js';
import type { ReleaseSubject } from './commit-message.js';
import { judge } from './conflict.js';
import type { Verdict } from './conflict.js';
import type { KeyPath } from './key-path.js';
import { setScalar } from './values-edit.js';
import type { ScalarEdit } from './values-edit.js';
import type { FileAt, ValuesRepo } from './values-repo.js';

/** Everything about the request that does not depend on the branch. */
export interface Prepared extends ReleaseSubject {
  readonly keyPath: KeyPath;
  readonly value: string;
  readonly requestedAt: Date;
  readonly noOverwrite: boolean;
}

export interface Planned {
  readonly tip: string;
  readonly file: FileAt;
  readonly edit: ScalarEdit;
  readonly verdict: Verdict;
}

export interface AttemptInput {
  /** The commit whose values file is edited. */
  readonly tip: string;
  /** The value this release saw at its first attempt (undefined on the first). */
  readonly firstSeen: string | undefined;
  /** Look for the last change of the file from here (the pull request's branch, or the tip). */
  readonly historyFrom: string;
  /** …but not in this commit's history (the target branch, for a pull request's own changes). */
  readonly historySince?: string;
}

export async function planAttempt(repo: ValuesRepo, prepared: Prepared, input: AttemptInput): Promise<Planned> {
  const file = await repo.readFile(input.tip, prepared.file);
  if (file === undefined) {
    throw new InputError({ file: prepared.file }, `not found in ${repo.display} at ${input.tip.slice(0, 7)}`, {
      fix: `check --app${prepared.cluster === undefined ? '' : '/--cluster'}/--file (the values file of ${prepared.app}${prepared.cluster === undefined ? '' : ` on ${prepared.cluster}`})`,
    });
  }
  const edit = setScalar(file.text, prepared.file, prepared.keyPath, prepared.value);
  const change = await repo.lastChange(input.historyFrom, prepared.file, input.historySince);
  const landed = change === undefined ? undefined : { ...change, value: edit.previous };
  const sameRelease = change !== undefined && change.message.includes(`${TRAILER_RELEASE}: ${releaseId(prepared)}\n`);
  const concurrent = input.firstSeen !== undefined && input.firstSeen !== edit.previous;
  const verdict = judge({ ours: { value: prepared.value, requestedAt: prepared.requestedAt }, landed, concurrent, sameRelease, noOverwrite: prepared.noOverwrite });
  return { tip: input.tip, file, edit, verdict };
}

export function fileDiff(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
  // Starts with jsdiff's "=====" separator line; a unified diff starts at its "---" header.
  return patch.slice(Math.max(0, patch.indexOf('--- ')));
}

/** `mcp10x on upc-prod` / `mcp10x`. */
export function subjectText(prepared: ReleaseSubject): string {
  return prepared.cluster === undefined ? prepared.app : `${prepared.app} on ${prepared.cluster}`;
}
