/**
 * Operations from the command line, as Argo CD's CLI writes them: `{operation: {sync: {…}, initiatedBy: {username}}}`
 * by a merge patch — refused while another operation is requested or running — then followed on a watch of the
 * Application until the controller records its end. Exit 0 when it Succeeded, 1 when it Failed or Errored, or when
 * following ended first (timeout, Ctrl-C: the operation goes on in the controller).
 */
import type { KubeObject } from '../../../model/resource.js';
import { EXIT, ExitCode } from '../../exit.js';
import type { AppContext } from './context.js';
import { currentUser, patchDecided, refuse, write } from './context.js';
import { hasRequestedOperation, isActivePhase, operationPhase, operationState, text } from './fields.js';
import { createProgressView } from './progress.js';
import type { AppWaiter } from './wait.js';

/** Refuses (exit 1) when an operation is written and not finished yet. */
export function refuseWhenBusy(object: KubeObject): void {
  const name = object.metadata.name ?? '';
  const phase = operationPhase(object);
  if (!isActivePhase(phase) && !hasRequestedOperation(object)) return;
  const what = isActivePhase(phase) ? `${phase}${text(operationState(object), 'message') === '' ? '' : `: ${text(operationState(object), 'message')}`}` : 'requested, not started yet';
  refuse(`${name}: another operation is already in progress (${what}) — wait for it to end, or stop it with: launchpad app terminate ${name}`);
}

/**
 * Writes the sync operation (after `check` accepted the Application) and returns the Application as it was just
 * before, so the end of *this* operation can be told from the last one's.
 */
export async function requestSync(context: AppContext, name: string, sync: Readonly<Record<string, unknown>>, check?: (object: KubeObject) => void): Promise<KubeObject> {
  const { before } = await patchDecided(context, name, (object) => {
    check?.(object);
    refuseWhenBusy(object);
    return { operation: { sync, initiatedBy: { username: currentUser() } } };
  });
  return before;
}

/** True once the operation written after `before` has ended (or the Application is gone). */
export function operationEnded(before: KubeObject): (object: KubeObject | undefined) => boolean {
  const previousFinish = text(operationState(before), 'finishedAt');
  return (object) => {
    if (object === undefined) return true;
    const phase = operationPhase(object);
    if (phase === '' || isActivePhase(phase) || hasRequestedOperation(object)) return false;
    return text(operationState(object), 'finishedAt') !== previousFinish;
  };
}

export interface FollowOptions {
  readonly timeoutMs: number;
  /** As the user wrote it, for messages. */
  readonly timeoutText: string;
}

/** Shows the operation's progress until it ends; throws ExitCode(1) unless it Succeeded. */
export async function followOperation(wait: AppWaiter, name: string, before: KubeObject, options: FollowOptions): Promise<void> {
  const started = Date.now();
  const ended = operationEnded(before);
  const view = createProgressView({ tty: process.stdout.isTTY, write });
  const result = await wait(name, ended, {
    timeoutMs: options.timeoutMs,
    // Until the controller takes the operation, the state shown is the previous operation's: not ours to report.
    onUpdate: (object) => { if (isActivePhase(operationPhase(object))) view.update(object); },
  });
  view.interrupt();
  const object = result.object;
  if (result.outcome === 'done' && object === undefined) refuse(`${name}: the Application was deleted while its operation ran`);
  if (result.outcome !== 'done' || object === undefined) {
    const phase = object === undefined ? 'requested' : operationPhase(object) || 'requested';
    const why = result.outcome === 'timeout' ? `still ${phase} after ${options.timeoutText}` : `stopped following (still ${phase})`;
    refuse(`${name}: ${why}; the operation goes on in the controller — see it with: launchpad app get ${name}, or stop it with: launchpad app terminate ${name}`);
  }
  view.done(object, Date.now() - started);
  if (operationPhase(object) !== 'Succeeded') throw new ExitCode(EXIT.failed);
}
