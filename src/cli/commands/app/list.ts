/**
 * `launchpad app list [-l selector] [-o table|json|yaml]`: one row per Application of the namespace, from its status —
 * NAME, PROJECT, SYNC STATUS, HEALTH STATUS, REVISION (short sha), DESTINATION, OPERATION (the last one's phase).
 * `-o json|yaml` prints the Application objects themselves (a list, without managedFields as kubectl shows them), as
 * `argocd app list -o json` does.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { KubeObject } from '../../../model/resource.js';
import { formatTable } from '../../output/table.js';
import { toYaml } from '../../output/yaml.js';
import type { AppFlags } from './context.js';
import { APP_API_VERSION, APP_KIND, addAppOptions, withApps, write } from './context.js';
import { destinationOf, forOutput, healthStatus, operationColumn, project, syncStatus, syncedRevision } from './fields.js';
import type { ApiClient } from '../../api-client.js';
import type { RemoteSummary } from './remote.js';
import { fetchApps, isRemote, summaryAsApp, withApi } from './remote.js';

export type OutputFormat = 'table' | 'json' | 'yaml';

interface ListFlags extends AppFlags {
  readonly selector?: string;
  readonly output: OutputFormat;
}

export function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'yaml']).default('table');
}

/** Data output: pretty JSON or YAML of `value`. */
export function formatData(value: unknown, output: 'json' | 'yaml'): string {
  return output === 'json' ? `${JSON.stringify(value, null, 2)}\n` : toYaml(value);
}

export function listTable(apps: readonly KubeObject[]): string {
  const rows = apps.map((app) => [app.metadata.name ?? '', project(app), syncStatus(app), healthStatus(app), syncedRevision(app), destinationOf(app), operationColumn(app)]);
  return formatTable(['NAME', 'PROJECT', 'SYNC STATUS', 'HEALTH STATUS', 'REVISION', 'DESTINATION', 'OPERATION'], rows);
}

/** The same list through the API: the table from its summaries, data output from the Applications read in full. */
async function listRemote(api: ApiClient, flags: ListFlags): Promise<void> {
  const query = flags.selector === undefined ? '' : `?labels=${encodeURIComponent(flags.selector)}`;
  const { items } = await api.json<{ items: RemoteSummary[] }>('GET', `/api/v1/applications${query}`);
  if (flags.output !== 'table') {
    write(formatData(await fetchApps(api, items.map((item) => item.name)), flags.output));
    return;
  }
  if (items.length === 0) {
    process.stderr.write(`no Applications you may read on ${api.server}${flags.selector === undefined ? '' : ` matching ${flags.selector}`}\n`);
    return;
  }
  write(listTable(items.map(summaryAsApp)));
}

export function registerAppList(app: Command): void {
  addAppOptions(app.command('list'))
    .description('list the Applications of a namespace with their sync, health and last operation')
    .option('-l, --selector <selector>', 'only Applications with these labels (kubectl label selector, e.g. team=web)')
    .addOption(outputOption())
    .action(async (flags: ListFlags) => {
      if (isRemote(flags)) {
        await withApi(flags, (api) => listRemote(api, flags));
        return;
      }
      await withApps(flags, async (context) => {
        const apps = await context.client.list(APP_API_VERSION, APP_KIND, { namespace: context.namespace, ...(flags.selector === undefined ? {} : { labelSelector: flags.selector }) });
        const sorted = [...apps].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
        if (flags.output !== 'table') {
          write(formatData(sorted.map(forOutput), flags.output));
          return;
        }
        if (sorted.length === 0) {
          process.stderr.write(`no Applications in namespace ${context.namespace}${flags.selector === undefined ? '' : ` matching ${flags.selector}`}\n`);
          return;
        }
        write(listTable(sorted));
      });
    });
}
