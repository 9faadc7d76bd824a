/**
 * A release through a pull request: the edit is made on the target branch's tip and pushed to one branch per app
 * (and cluster), `launchpad/release/<app>[-<cluster>]`, then the pull request from it is opened or updated with the
 * preview of what the change deploys as its body. A later release of the same app moves the same branch forward
 * without force: when the branch does not contain the target's tip any more, the new commit has two parents (the
 * branch's tip and the target's tip) and the target's tree plus the edit, so the request always shows exactly the
 * one-line change against the current target.
 */
import { SourceError } from '../errors.js';
import { fileDiff, planAttempt, subjectText } from './attempt.js';
import type { Planned, Prepared } from './attempt.js';
import { backoffDelay, sleep } from './backoff.js';
import { resolveForge, upsertPullRequest } from './forge/index.js';
import type { Forge } from './forge/index.js';
import { previewRelease } from './preview.js';
import { DEFAULT_MAX_ATTEMPTS, fetchRequired, messageFor, resultBase, settledWithoutWriting } from './settle.js';
import type { PullRequestRequest, SetImageRequest, SetImageResult } from './types.js';
import type { ValuesRepo } from './values-repo.js';

export const BODY_MARKER = '<!-- launchpad-release -->';

export interface PullRequestContext {
  readonly request: SetImageRequest;
  /** The branch the request goes into. */
  readonly target: string;
  readonly pullRequest: PullRequestRequest;
}

export function pullRequestBranch(prepared: Prepared, request: PullRequestRequest): string {
  return request.branch ?? `launchpad/release/${prepared.app}${prepared.cluster === undefined ? '' : `-${prepared.cluster}`}`;
}

interface Landed {
  readonly planned: Planned;
  readonly commit: string;
  readonly attempts: number;
  /** False when the branch already held exactly this change (nothing pushed). */
  readonly pushedNow: boolean;
}

async function parentsFor(repo: ValuesRepo, targetTip: string, branchTip: string | undefined): Promise<string[]> {
  if (branchTip === undefined) return [targetTip];
  return (await repo.contains(branchTip, targetTip)) ? [branchTip] : [branchTip, targetTip];
}

/** The new commit is already the branch's content: keep the branch as it is. */
async function alreadyThere(repo: ValuesRepo, commit: string, branchTip: string | undefined, targetTip: string): Promise<boolean> {
  if (branchTip === undefined) return false;
  return (await repo.treeOf(commit)) === (await repo.treeOf(branchTip)) && (await repo.contains(branchTip, targetTip));
}

type Step = { readonly done: SetImageResult } | { readonly landed: Landed } | { readonly retry: true };

async function attempt(repo: ValuesRepo, prepared: Prepared, context: PullRequestContext & { readonly branch: string; readonly attempt: number }): Promise<Step> {
  const targetTip = await fetchRequired(repo, context.target);
  const branchTip = await repo.fetchTip(context.branch);
  const planned = await planAttempt(repo, prepared, { tip: targetTip, firstSeen: undefined, historyFrom: branchTip ?? targetTip, ...(branchTip === undefined ? {} : { historySince: targetTip }) });
  const settled = settledWithoutWriting(prepared, planned, { branch: context.target, attempts: context.attempt });
  if (settled !== undefined) return { done: settled };
  const { request } = context;
  const commit = await repo.writeCommit({
    base: targetTip, parents: await parentsFor(repo, targetTip, branchTip), path: prepared.file, file: { ...planned.file, text: planned.edit.text },
    message: messageFor(prepared, planned, request), ...(request.author === undefined ? {} : { author: request.author }),
  });
  if (request.dryRun === true) return { landed: { planned, commit, attempts: 0, pushedNow: false } };
  if (branchTip !== undefined && (await alreadyThere(repo, commit, branchTip, targetTip))) return { landed: { planned, commit: branchTip, attempts: context.attempt, pushedNow: false } };
  if ((await repo.push(commit, context.branch)) === 'pushed') return { landed: { planned, commit, attempts: context.attempt, pushedNow: true } };
  return { retry: true };
}

function body(prepared: Prepared, planned: Planned, details: { readonly ciURL: string | undefined; readonly preview: string | undefined }): string {
  const where = prepared.cluster === undefined ? `\`${prepared.app}\`` : `\`${prepared.app}\` on \`${prepared.cluster}\``;
  const lines = [BODY_MARKER, `**Release** ${where}: \`${prepared.key}\` ${planned.edit.previous || '(empty)'} → **${prepared.value}** in \`${prepared.file}\``];
  if (details.ciURL !== undefined) lines.push('', `Built by ${details.ciURL}`);
  lines.push('', details.preview ?? ['```diff', fileDiff(prepared.file, planned.file.text, planned.edit.text).trimEnd(), '```'].join('\n'));
  return `${lines.join('\n')}\n`;
}

async function pushBranch(repo: ValuesRepo, prepared: Prepared, context: PullRequestContext & { readonly branch: string }): Promise<{ readonly done: SetImageResult } | Landed> {
  const maxAttempts = context.request.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  for (let number = 1; number <= maxAttempts; number++) {
    const step = await attempt(repo, prepared, { ...context, attempt: number });
    if ('done' in step) return step;
    if ('landed' in step) return step.landed;
    const delay = backoffDelay(number, context.request.backoffMs === undefined ? {} : { baseMs: context.request.backoffMs });
    context.request.onEvent?.(`${context.branch} moved while pushing (attempt ${number}/${maxAttempts}); again in ${delay} ms`);
    await sleep(delay);
  }
  throw new SourceError(`${subjectText(prepared)}: ${context.branch} of ${repo.display} kept moving; gave up after ${maxAttempts} push attempts`, { errorClass: 'retryable', fix: 'run again, or raise --max-attempts' });
}

export async function releaseThroughPullRequest(repo: ValuesRepo, prepared: Prepared, context: PullRequestContext): Promise<SetImageResult> {
  const branch = pullRequestBranch(prepared, context.pullRequest);
  // Before anything is pushed: a missing token or an unknown forge fails the release with nothing half-done.
  const forge: Forge | undefined = context.request.dryRun === true ? undefined : resolveForge(repo.url, context.pullRequest, process.env);
  const outcome = await pushBranch(repo, prepared, { ...context, branch });
  if ('done' in outcome) return outcome.done;
  const { planned, commit } = outcome;
  const preview = context.request.preview === undefined ? undefined : await previewRelease(repo, context.request.preview, { base: planned.tip, head: commit });
  const text = body(prepared, planned, { ciURL: context.request.ciURL, preview: preview?.markdown });
  const base = { ...resultBase(prepared, planned, branch), commit, attempts: outcome.attempts, fileDiff: fileDiff(prepared.file, planned.file.text, planned.edit.text), ...(preview === undefined ? {} : { preview: preview.markdown }) };
  if (forge === undefined) {
    return { ...base, outcome: 'dry-run', message: `${subjectText(prepared)}: would push ${prepared.key} ${planned.edit.previous} → ${prepared.value} to ${branch} and open a pull request into ${context.target} (dry run, nothing written)` };
  }
  const title = `release: ${subjectText(prepared)} ${planned.edit.previous || '(empty)'} → ${prepared.value}`;
  const opened = await upsertPullRequest(forge, { source: branch, target: context.target, title, body: text });
  return {
    ...base,
    outcome: 'pull-request',
    pullRequest: opened,
    message: `${subjectText(prepared)}: ${prepared.key} ${planned.edit.previous} → ${prepared.value} ${outcome.pushedNow ? 'pushed' : 'already'} on ${branch}; pull request #${opened.number} ${opened.action}: ${opened.url}`,
  };
}
