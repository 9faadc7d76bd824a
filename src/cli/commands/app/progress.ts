/**
 * How `launchpad app sync` and `rollback` show an operation the controller runs. Its progress arrives as changes of
 * `status.operationState` (phase and message), not as ChangeSet events, so this is `output/sync-view.ts` adapted:
 * elsewhere than a terminal one line per change of phase or message; on a terminal the message line is redrawn in
 * place and only phase changes stay. At the end: one line per resource of `syncResult.resources`, then a summary in
 * `launchpad sync`'s form — `web: sync Succeeded in 3.2s — 4 synced, 1 pruned`.
 */
import { formatResourceKey } from '../../../model/resource.js';
import type { KubeObject } from '../../../model/resource.js';
import { operationState, record, records, text } from './fields.js';

type Json = Readonly<Record<string, unknown>>;

export interface ProgressView {
  /** A state of the Application while the operation runs. */
  update(object: KubeObject): void;
  /** The operation ended with this state. */
  done(object: KubeObject, elapsedMs: number): void;
  /** Closes a redrawn line before something else is printed. */
  interrupt(): void;
}

const COUNT_LABELS: readonly (readonly [string, string])[] = [['Synced', 'synced'], ['Pruned', 'pruned'], ['PruneSkipped', 'prune skipped'], ['SyncFailed', 'failed']];

export function resourceLine(resource: Json): string {
  const key = formatResourceKey({ group: text(resource, 'group'), kind: text(resource, 'kind'), namespace: text(resource, 'namespace'), name: text(resource, 'name') });
  const hook = text(resource, 'hookPhase') === '' ? '' : ` (${text(resource, 'syncPhase') || 'Sync'} hook ${text(resource, 'hookPhase')})`;
  const message = text(resource, 'message');
  return `${key} ${text(resource, 'status') || 'Unknown'}${hook}${message === '' ? '' : ` — ${message}`}`;
}

function durationMs(state: Json, fallbackMs: number): number {
  const started = Date.parse(text(state, 'startedAt'));
  const finished = Date.parse(text(state, 'finishedAt'));
  return Number.isFinite(started) && Number.isFinite(finished) && finished >= started ? finished - started : fallbackMs;
}

/** `web: sync Succeeded (dry run) in 3.2s — 4 synced, 1 pruned`, with the message when it did not succeed. */
export function summarizeOperation(app: string, state: Json, elapsedMs: number): string {
  const resources = records(state, 'syncResult', 'resources');
  const counts = COUNT_LABELS.flatMap(([status, label]) => {
    const count = resources.filter((resource) => text(resource, 'status') === status).length;
    return count === 0 ? [] : [`${count} ${label}`];
  }).join(', ');
  const phase = text(state, 'phase') || 'Unknown';
  const dryRun = record(state, 'operation', 'sync').dryRun === true ? ' (dry run)' : '';
  const retries = typeof state.retryCount === 'number' ? state.retryCount : 0;
  const attempts = retries > 0 ? ` after ${retries + 1} attempts` : '';
  const message = phase === 'Succeeded' || text(state, 'message') === '' ? '' : `: ${text(state, 'message')}`;
  return `${app}: sync ${phase}${dryRun}${attempts} in ${(durationMs(state, elapsedMs) / 1000).toFixed(1)}s — ${counts || 'nothing to do'}${message}`;
}

export function createProgressView(options: { readonly tty: boolean; readonly write: (text: string) => void }): ProgressView {
  const { write, tty } = options;
  let phase = '';
  let message = '';
  let open = false;
  const close = (): void => {
    if (open) write('\r\x1b[K');
    open = false;
  };
  return {
    update(object) {
      const state = operationState(object);
      const nextPhase = text(state, 'phase');
      const nextMessage = text(state, 'message');
      if (nextPhase === '' || (nextPhase === phase && nextMessage === message)) return;
      const phaseChanged = nextPhase !== phase;
      phase = nextPhase;
      message = nextMessage;
      const line = `  ${phase}${message === '' ? '' : ` — ${message}`}`;
      if (!tty) {
        write(`${line}\n`);
        return;
      }
      close();
      write(phaseChanged ? `${line}\n` : line);
      open = !phaseChanged;
    },
    done(object, elapsedMs) {
      close();
      const state = operationState(object);
      for (const resource of records(state, 'syncResult', 'resources')) write(`  ${resourceLine(resource)}\n`);
      write(`${summarizeOperation(object.metadata.name ?? '', state, elapsedMs)}\n`);
    },
    interrupt: close,
  };
}
