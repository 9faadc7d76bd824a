/**
 * `launchpad release set-image` as a library call: validate, then edit one scalar of the values file, commit and
 * push — to the branch (race-free: a rejected push fetches the new tip, re-applies the edit there and tries again
 * with backoff, never forcing) or to a pull request's branch (pull-request.ts). Returns what happened; throws
 * LaunchpadErrors for bad input and for failures (a same-app conflict under --no-overwrite included).
 */
import { SourceError } from '../errors.js';
import { fileDiff, planAttempt, subjectText } from './attempt.js';
import type { Planned, Prepared } from './attempt.js';
import { backoffDelay, sleep } from './backoff.js';
import { previewRelease } from './preview.js';
import { releaseThroughPullRequest } from './pull-request.js';
import { DEFAULT_MAX_ATTEMPTS, fetchRequired, messageFor, prepare, resultBase, settledWithoutWriting } from './settle.js';
import type { SetImageRequest, SetImageResult } from './types.js';
import { openValuesRepo } from './values-repo.js';
import type { ValuesRepo } from './values-repo.js';

async function dryRun(repo: ValuesRepo, prepared: Prepared, planned: Planned, context: { readonly request: SetImageRequest; readonly branch: string }): Promise<SetImageResult> {
  const commit = await repo.writeCommit({ base: planned.tip, parents: [planned.tip], path: prepared.file, file: { ...planned.file, text: planned.edit.text }, message: messageFor(prepared, planned, context.request), ...(context.request.author === undefined ? {} : { author: context.request.author }) });
  const preview = context.request.preview === undefined ? undefined : await previewRelease(repo, context.request.preview, { base: planned.tip, head: commit });
  return {
    ...resultBase(prepared, planned, context.branch),
    outcome: 'dry-run',
    attempts: 0,
    fileDiff: fileDiff(prepared.file, planned.file.text, planned.edit.text),
    ...(preview === undefined ? {} : { preview: preview.markdown }),
    message: `${subjectText(prepared)}: would set ${prepared.key} ${planned.edit.previous} → ${prepared.value} in ${prepared.file} on ${context.branch} (dry run, nothing written)`,
  };
}

async function pushToBranch(repo: ValuesRepo, prepared: Prepared, request: SetImageRequest, branch: string): Promise<SetImageResult> {
  const maxAttempts = request.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  let firstSeen: string | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const tip = await fetchRequired(repo, branch);
    const planned = await planAttempt(repo, prepared, { tip, firstSeen, historyFrom: tip });
    firstSeen ??= planned.edit.previous;
    const settled = settledWithoutWriting(prepared, planned, { branch, attempts: attempt });
    if (settled !== undefined) return settled;
    if (request.dryRun === true) return dryRun(repo, prepared, planned, { request, branch });
    const commit = await repo.writeCommit({ base: tip, parents: [tip], path: prepared.file, file: { ...planned.file, text: planned.edit.text }, message: messageFor(prepared, planned, request), ...(request.author === undefined ? {} : { author: request.author }) });
    if ((await repo.push(commit, branch)) === 'pushed') return pushed(prepared, planned, { branch, commit, attempt });
    const delay = backoffDelay(attempt, request.backoffMs === undefined ? {} : { baseMs: request.backoffMs });
    request.onEvent?.(`${branch} moved while pushing (attempt ${attempt}/${maxAttempts}); re-applying on the new tip in ${delay} ms`);
    await sleep(delay);
  }
  throw new SourceError(`${subjectText(prepared)}: ${branch} of ${repo.display} kept moving; gave up after ${maxAttempts} push attempts`, { errorClass: 'retryable', fix: 'run again, or raise --max-attempts' });
}

function pushed(prepared: Prepared, planned: Planned, context: { readonly branch: string; readonly commit: string; readonly attempt: number }): SetImageResult {
  const replaced = planned.verdict.kind === 'proceed' ? planned.verdict.replaces : undefined;
  const note = replaced === undefined ? '' : ` (replacing ${replaced.value}, set meanwhile by an older request in ${replaced.sha.slice(0, 7)})`;
  return {
    ...resultBase(prepared, planned, context.branch),
    outcome: 'updated',
    commit: context.commit,
    attempts: context.attempt,
    fileDiff: fileDiff(prepared.file, planned.file.text, planned.edit.text),
    ...(replaced === undefined ? {} : { concurrent: { value: replaced.value, commit: replaced.sha } }),
    message: `${subjectText(prepared)}: ${prepared.key} ${planned.edit.previous} → ${prepared.value} pushed to ${context.branch} as ${context.commit.slice(0, 7)}${context.attempt > 1 ? ` after ${context.attempt} attempts` : ''}${note}`,
  };
}

/** Runs a release; the values repository is opened and closed here. */
export async function setImage(request: SetImageRequest): Promise<SetImageResult> {
  const prepared = prepare(request);
  const repo = await openValuesRepo({ repo: request.repo, ...(request.remote === undefined ? {} : { remote: request.remote }) });
  try {
    const branch = request.branch ?? (await repo.defaultBranch());
    if (request.pullRequest !== undefined) return await releaseThroughPullRequest(repo, prepared, { request, target: branch, pullRequest: request.pullRequest });
    return await pushToBranch(repo, prepared, request, branch);
  } finally {
    await repo.close();
  }
}
