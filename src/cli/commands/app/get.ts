/**
 * `launchpad app get <name> [-o table|json|yaml] [--refresh|--hard-refresh]`: the Application's summary — project,
 * sources, target and synced revisions, destination, sync and health, conditions, the last operation — then its
 * resource tree: the managed resources of `status.resources` by sync wave, then kind (in apply order), then name,
 * each with its sync status and health; then the hooks the last operation ran. `-o json|yaml` prints the object.
 * Read from the cluster, the summary also says whether the project's sync windows allow a sync now.
 */
import type { Command } from 'commander';
import { LaunchpadError } from '../../../errors.js';
import type { KubeObject } from '../../../model/resource.js';
import { kindRank } from '../../../sync/plan.js';
import { formatTable } from '../../output/table.js';
import type { AppFlags } from './context.js';
import { addAppOptions, requireApp, withApps, write } from './context.js';
import {
  clusterOf, describeSource, forOutput, healthStatus, isMultiSource, operationColumn, operationState, project, record, records, sourcesOf, syncStatus, syncedRevision, text,
} from './fields.js';
import type { OutputFormat } from './list.js';
import { formatData, outputOption } from './list.js';
import { refreshApp, refreshRemote } from './refresh.js';
import { syncWindowLinesFromCluster } from './sync-window-lines.js';
import { isRemote, requireRemoteApp, withApi } from './remote.js';

type Json = Readonly<Record<string, unknown>>;

interface GetFlags extends AppFlags {
  readonly output: OutputFormat;
  readonly refresh?: boolean;
  readonly hardRefresh?: boolean;
}

const withMessage = (status: string, message: string): string => (message === '' ? status : `${status} — ${message}`);

function sourceLines(app: KubeObject): [string, string][] {
  const sources = sourcesOf(app);
  if (!isMultiSource(app)) {
    const source = sources[0] ?? {};
    return [['Source', describeSource(source)], ['Target Revision', text(source, 'targetRevision') || 'HEAD']];
  }
  return sources.map((source, index) => [`Source ${index + 1}`, `${describeSource(source)} @ ${text(source, 'targetRevision') || 'HEAD'}`]);
}

function operationLines(app: KubeObject): [string, string][] {
  const state = operationState(app);
  const phase = operationColumn(app);
  if (phase === '') return [];
  const initiator = record(state, 'operation', 'initiatedBy');
  const by = initiator.automated === true ? 'automated' : text(initiator, 'username');
  return [
    ['Last Operation', withMessage(phase, phase === 'Pending' ? 'requested, not started yet' : text(state, 'message'))],
    ...(by === '' ? [] : [['Initiated By', by] as [string, string]]),
    ...(text(state, 'finishedAt') === '' ? [] : [['Finished At', text(state, 'finishedAt')] as [string, string]]),
  ];
}

/** `windows`: the sync-window lines (sync-window-lines.ts), when the project was read. */
export function summaryLines(app: KubeObject, windows: readonly [string, string][] = []): string {
  const destination = record(app.spec, 'destination');
  const conditions = records(app.status, 'conditions').map((condition) => `${text(condition, 'type')}: ${text(condition, 'message')}`);
  const lines: [string, string][] = [
    ['Name', `${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''}`],
    ['Project', project(app)],
    ...sourceLines(app),
    ['Synced Revision', syncedRevision(app, false) || '(none yet)'],
    ['Destination', `${clusterOf(destination)}${text(destination, 'namespace') === '' ? '' : `, namespace ${text(destination, 'namespace')}`}`],
    ['Sync Status', syncStatus(app)],
    ...windows,
    ['Health Status', withMessage(healthStatus(app), text(app.status, 'health', 'message'))],
    ...conditions.map((condition, index): [string, string] => [index === 0 ? 'Conditions' : '', condition]),
    ...operationLines(app),
  ];
  const width = Math.max(...lines.map(([key]) => key.length)) + 2;
  return lines.map(([key, value]) => `${(key === '' ? '' : `${key}:`).padEnd(width)}${value}`.trimEnd()).join('\n') + '\n';
}

const waveOf = (resource: Json): number => (typeof resource.syncWave === 'number' ? resource.syncWave : 0);

function compareResources(a: Json, b: Json): number {
  return waveOf(a) - waveOf(b) || kindRank(text(a, 'kind')) - kindRank(text(b, 'kind')) || text(a, 'kind').localeCompare(text(b, 'kind'))
    || text(a, 'name').localeCompare(text(b, 'name')) || text(a, 'namespace').localeCompare(text(b, 'namespace'));
}

/** The managed resources: WAVE, KIND, NAMESPACE, NAME, STATUS (requires pruning marked), HEALTH, MESSAGE. */
export function resourceTable(app: KubeObject): string {
  const resources = records(app.status, 'resources').sort(compareResources);
  if (resources.length === 0) return 'No resources (not compared yet, or the render is empty).\n';
  const rows = resources.map((resource) => [
    String(waveOf(resource)), text(resource, 'kind'), text(resource, 'namespace'), text(resource, 'name'),
    `${text(resource, 'status') || 'Unknown'}${resource.requiresPruning === true ? ' (requires pruning)' : ''}`,
    text(resource, 'health', 'status'), text(resource, 'health', 'message'),
  ]);
  return formatTable(['WAVE', 'KIND', 'NAMESPACE', 'NAME', 'STATUS', 'HEALTH', 'MESSAGE'], rows);
}

/** The hooks of the last operation: PHASE, KIND, NAMESPACE, NAME, HOOK (its phase), STATUS, MESSAGE. */
export function hookTable(app: KubeObject): string {
  const hooks = records(operationState(app), 'syncResult', 'resources').filter((resource) => text(resource, 'hookPhase') !== '');
  if (hooks.length === 0) return '';
  const rows = hooks.map((hook) => [text(hook, 'syncPhase'), text(hook, 'kind'), text(hook, 'namespace'), text(hook, 'name'), text(hook, 'hookPhase'), text(hook, 'status'), text(hook, 'message')]);
  return `\nHooks of the last operation:\n${formatTable(['PHASE', 'KIND', 'NAMESPACE', 'NAME', 'HOOK', 'STATUS', 'MESSAGE'], rows)}`;
}

export function describeApp(app: KubeObject, windows: readonly [string, string][] = []): string {
  return `${summaryLines(app, windows)}\n${resourceTable(app)}${hookTable(app)}`;
}

export function registerAppGet(app: Command): void {
  addAppOptions(app.command('get'))
    .description('show an Application: its sources, sync and health, last operation and resource tree')
    .argument('<name>', 'the Application')
    .addOption(outputOption())
    .option('--refresh', 'have the controller compare it with Git and the cluster first (and wait for that)')
    .option('--hard-refresh', 'as --refresh, rendering the manifests again and bypassing caches')
    .action(async (name: string, flags: GetFlags) => {
      if (flags.refresh === true && flags.hardRefresh === true) throw new LaunchpadError('--refresh and --hard-refresh cannot both be given', { fix: 'use one; --hard-refresh includes a refresh' });
      const refresh = flags.refresh === true || flags.hardRefresh === true;
      if (isRemote(flags)) {
        await withApi(flags, async (api) => {
          const object = refresh ? await refreshRemote(api, name, flags.hardRefresh === true) : await requireRemoteApp(api, name);
          write(flags.output === 'table' ? describeApp(object) : formatData(object, flags.output));
        });
        return;
      }
      await withApps(flags, async (context) => {
        const object = refresh ? await refreshApp(context, name, flags.hardRefresh === true) : await requireApp(context, name);
        write(flags.output === 'table' ? describeApp(object, await syncWindowLinesFromCluster(context, object)) : formatData(forOutput(object), flags.output));
      });
    });
}
