/**
 * `launchpad app history <name> [-o table|json|yaml]`: what the Application deployed, newest first — the ids
 * `launchpad app rollback` takes — from `status.history` (directly, or through the API with --server). The table:
 * ID, DATE (when it was deployed), REVISION (each source's, for a multi-source app), SOURCE, INITIATED BY.
 */
import type { Command } from 'commander';
import { formatTable } from '../../output/table.js';
import type { AppFlags } from './context.js';
import { addAppOptions, requireApp, withApps, write } from './context.js';
import { describeSource, record, records, strings, text } from './fields.js';
import type { OutputFormat } from './list.js';
import { formatData, outputOption } from './list.js';
import { appPath, isRemote, requireRemoteApp, withApi } from './remote.js';

type Json = Readonly<Record<string, unknown>>;

interface HistoryFlags extends AppFlags {
  readonly output: OutputFormat;
}

function revisionOf(entry: Json): string {
  const revisions = strings(entry, 'revisions');
  return revisions.length > 0 ? revisions.join(', ') : text(entry, 'revision');
}

function sourceOf(entry: Json): string {
  const sources = records(entry, 'sources');
  if (sources.length > 0) return `${describeSource(sources[0] ?? {})}${sources.length > 1 ? ` (+${sources.length - 1} more)` : ''}`;
  return describeSource(record(entry, 'source'));
}

function initiator(entry: Json): string {
  const by = record(entry, 'initiatedBy');
  return by.automated === true ? 'automated' : text(by, 'username');
}

export function historyTable(entries: readonly Json[]): string {
  const rows = entries.map((entry) => [text(entry, 'id'), text(entry, 'deployedAt'), revisionOf(entry), sourceOf(entry), initiator(entry)]);
  return formatTable(['ID', 'DATE', 'REVISION', 'SOURCE', 'INITIATED BY'], rows);
}

function show(name: string, entries: readonly Json[], output: OutputFormat): void {
  if (output !== 'table') {
    write(formatData(entries, output));
    return;
  }
  if (entries.length === 0) {
    process.stderr.write(`${name}: no history yet (an entry is added by every successful full sync)\n`);
    return;
  }
  write(historyTable(entries));
}

export function registerAppHistory(app: Command): void {
  addAppOptions(app.command('history'))
    .description('show what an Application deployed, newest first (the ids launchpad app rollback takes)')
    .argument('<name>', 'the Application')
    .addOption(outputOption())
    .action(async (name: string, flags: HistoryFlags) => {
      if (isRemote(flags)) {
        await withApi(flags, async (api) => {
          await requireRemoteApp(api, name);
          show(name, (await api.json<{ items: Json[] }>('GET', appPath(name, '/history'))).items, flags.output);
        });
        return;
      }
      await withApps(flags, async (context) => {
        show(name, records((await requireApp(context, name)).status, 'history').reverse(), flags.output);
      });
    });
}
