/**
 * `launchpad app rollback <name> <id>`: syncs the Application to what history entry `id` deployed — its revision and
 * source (or revisions and sources of a multi-source app) — as Argo CD's rollback does, and follows the operation.
 * Refused (exit 1) while automated sync is on, which would undo it at once, and while an operation is in progress.
 */
import type { Command } from 'commander';
import { historyEntry } from '../../../controller/history.js';
import { LaunchpadError } from '../../../errors.js';
import type { KubeObject } from '../../../model/resource.js';
import type { AppContext, AppFlags } from './context.js';
import { addAppOptions, durationFlag, refuse, requireApp, withApps, write } from './context.js';
import { isAutomated, record, records, shortSha, strings, text } from './fields.js';
import { followOperation, requestSync } from './operation.js';
import { kubeWaiter } from './wait.js';
import type { ApiClient } from '../../api-client.js';
import type { RemoteSummary } from './remote.js';
import { appPath, beforeOf, isRemote, requireRemoteApp, withApi } from './remote.js';
import { remoteWaiter } from './remote-wait.js';

interface RollbackFlags extends AppFlags {
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly timeout: string;
  readonly async?: boolean;
}

function parseId(text: string): number {
  if (!/^\d+$/.test(text)) throw new LaunchpadError(`history id ${text} is not a whole number`, { fix: 'see the ids with: launchpad app get <name> -o yaml (status.history[].id)' });
  return Number(text);
}

function refuseAutomated(object: KubeObject): void {
  if (isAutomated(object)) refuse(`${object.metadata.name ?? ''}: rollback cannot be initiated when auto-sync is enabled — turn off spec.syncPolicy.automated first`);
}

/** The operation's sync for history entry `id`, or a usage error listing the ids there are. */
export function rollbackSync(object: KubeObject, id: number, flags: RollbackFlags): Record<string, unknown> {
  const entry = historyEntry(record(object.status).history, id);
  if (entry === undefined) {
    const ids = records(object.status, 'history').map((item) => text(item, 'id'));
    throw new LaunchpadError(`application "${object.metadata.name ?? ''}" has no history entry ${id}`, {
      fix: ids.length === 0 ? 'it has no history yet (an entry is added by every successful sync)' : `its history ids are: ${ids.join(', ')}`,
    });
  }
  const multi = Array.isArray(entry.revisions) || Array.isArray(entry.sources);
  const target = multi ? { revisions: strings(entry, 'revisions'), sources: records(entry, 'sources') } : { revision: text(entry, 'revision'), source: record(entry.source) };
  return { ...target, ...(flags.prune === true ? { prune: true } : {}), ...(flags.dryRun === true ? { dryRun: true } : {}) };
}

async function rollback(context: AppContext, name: string, id: number, flags: RollbackFlags): Promise<void> {
  const current = await requireApp(context, name);
  refuseAutomated(current);
  const sync = rollbackSync(current, id, flags);
  const before = await requestSync(context, name, sync, refuseAutomated);
  const revisions = typeof sync.revision === 'string' ? [sync.revision] : strings(sync, 'revisions');
  write(`${name}: rollback to history entry ${id} requested (${revisions.map(shortSha).join(', ') || 'its revision'}${flags.prune === true ? ', prune' : ''}${flags.dryRun === true ? ', dry run' : ''})\n`);
  if (flags.async === true) {
    write(`${name}: not following it (--async); see it with: launchpad app get ${name}\n`);
    return;
  }
  await followOperation(kubeWaiter(context), name, before, { timeoutMs: durationFlag('--timeout', flags.timeout), timeoutText: flags.timeout });
}

/** The same through the API: checked against the application as the API shows it, then `POST …/rollback`. */
async function rollbackRemote(api: ApiClient, name: string, id: number, flags: RollbackFlags): Promise<void> {
  const current = await requireRemoteApp(api, name);
  refuseAutomated(current);
  const sync = rollbackSync(current, id, flags);
  const accepted = await api.json<{ application: RemoteSummary & { operation: { finishedAt: string } } }>('POST', appPath(name, '/rollback'), {
    id, ...(flags.prune === true ? { prune: true } : {}), ...(flags.dryRun === true ? { dryRun: true } : {}),
  });
  const revisions = typeof sync.revision === 'string' ? [sync.revision] : strings(sync, 'revisions');
  write(`${name}: rollback to history entry ${id} requested (${revisions.map(shortSha).join(', ') || 'its revision'}${flags.prune === true ? ', prune' : ''}${flags.dryRun === true ? ', dry run' : ''})\n`);
  if (flags.async === true) {
    write(`${name}: not following it (--async); see it with: launchpad app get ${name} --server ${api.server}\n`);
    return;
  }
  await followOperation(remoteWaiter(api), name, beforeOf(accepted.application), { timeoutMs: durationFlag('--timeout', flags.timeout), timeoutText: flags.timeout });
}

export function registerAppRollback(app: Command): void {
  addAppOptions(app.command('rollback'))
    .description('sync an Application back to what one of its history entries deployed, and follow the operation')
    .argument('<name>', 'the Application')
    .argument('<id>', 'the history entry (status.history[].id)')
    .option('--prune', 'delete resources that the entry\'s revision does not have')
    .option('--dry-run', 'validate and report; change nothing')
    .option('--timeout <duration>', 'how long to follow the operation', '5m')
    .option('--async', 'write the operation and return without following it')
    .action(async (name: string, idText: string, flags: RollbackFlags) => {
      const id = parseId(idText);
      durationFlag('--timeout', flags.timeout);
      if (isRemote(flags)) {
        await withApi(flags, (api) => rollbackRemote(api, name, id, flags));
        return;
      }
      await withApps(flags, (context) => rollback(context, name, id, flags));
    });
}
