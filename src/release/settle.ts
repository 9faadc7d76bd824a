/**
 * What the direct push and the pull-request flow share: turning the request into the prepared edit (all input
 * checks happen here, before anything is fetched), the answers that end a release without writing (unchanged,
 * superseded, a conflict), the commit message and the branch tip lookup.
 */
import { LaunchpadError, SourceError } from '../errors.js';
import { subjectText } from './attempt.js';
import type { Planned, Prepared } from './attempt.js';
import { commitMessage } from './commit-message.js';
import { imageVersion } from './image-version.js';
import { DEFAULT_KEY, formatKeyPath, parseKeyPath } from './key-path.js';
import type { SetImageRequest, SetImageResult } from './types.js';
import { valuesFilePath } from './values-file.js';
import type { ValuesRepo } from './values-repo.js';

export const DEFAULT_MAX_ATTEMPTS = 10;

/** A bump of the same app landed while this one was pushing, and --no-overwrite forbids replacing it. */
export class ReleaseConflictError extends LaunchpadError {}

export function prepare(request: SetImageRequest): Prepared {
  const key = request.key ?? DEFAULT_KEY;
  const keyPath = parseKeyPath(key);
  const file = valuesFilePath({ app: request.app, ...(request.cluster === undefined ? {} : { cluster: request.cluster }), ...(request.file === undefined ? {} : { file: request.file }) });
  const value = imageVersion({
    ...(request.tag === undefined ? {} : { tag: request.tag }),
    ...(request.digest === undefined ? {} : { digest: request.digest }),
    ...(request.allowTags === undefined ? {} : { allowTags: request.allowTags }),
  }, formatKeyPath(keyPath) === DEFAULT_KEY);
  return {
    app: request.app,
    ...(request.cluster === undefined ? {} : { cluster: request.cluster }),
    file,
    key: formatKeyPath(keyPath),
    keyPath,
    value,
    requestedAt: request.requestedAt ?? new Date(),
    noOverwrite: request.noOverwrite === true,
  };
}

/** The fields every result shares. */
export function resultBase(prepared: Prepared, planned: Planned, branch: string): Pick<SetImageResult, 'app' | 'cluster' | 'file' | 'key' | 'previous' | 'next' | 'branch'> {
  return { app: prepared.app, ...(prepared.cluster === undefined ? {} : { cluster: prepared.cluster }), file: prepared.file, key: prepared.key, previous: planned.edit.previous, next: prepared.value, branch };
}

/** Unchanged, superseded or a conflict: the answer when the attempt must not write. */
export function settledWithoutWriting(prepared: Prepared, planned: Planned, context: { readonly branch: string; readonly attempts: number }): SetImageResult | undefined {
  const base = { ...resultBase(prepared, planned, context.branch), attempts: context.attempts };
  const { verdict } = planned;
  const subject = subjectText(prepared);
  if (verdict.kind === 'conflict') {
    throw new ReleaseConflictError(`${subject}: ${prepared.key} was changed to ${verdict.by.value} by ${verdict.by.sha.slice(0, 7)} while this release (${prepared.value}) was pushing`, {
      fix: 'run again without --no-overwrite to let the newer request win, or decide which version to deploy and run again',
    });
  }
  if (!planned.edit.changed) return { ...base, outcome: 'unchanged', message: `${subject}: ${prepared.key} already is ${prepared.value} in ${prepared.file} on ${context.branch}; nothing to do` };
  if (verdict.kind === 'superseded') {
    return {
      ...base,
      outcome: 'superseded',
      concurrent: { value: verdict.by.value, commit: verdict.by.sha, requestedAt: verdict.requestedAt.toISOString() },
      message: `${subject}: not set to ${prepared.value}: a newer request (${verdict.requestedAt.toISOString()}) already set ${verdict.by.value} in ${verdict.by.sha.slice(0, 7)}`,
    };
  }
  return undefined;
}

export function messageFor(prepared: Prepared, planned: Planned, request: SetImageRequest): string {
  return commitMessage({ ...prepared, previous: planned.edit.previous, next: prepared.value, ...(request.ciURL === undefined ? {} : { ciURL: request.ciURL }) });
}

export async function fetchRequired(repo: ValuesRepo, branch: string): Promise<string> {
  const tip = await repo.fetchTip(branch);
  if (tip === undefined) throw new SourceError(`${repo.display} has no branch ${branch}`, { fix: 'pass --branch <the branch Argo CD deploys from>' });
  return tip;
}
