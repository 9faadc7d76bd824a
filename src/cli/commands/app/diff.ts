/**
 * `launchpad app diff <name> [-o text|json]`: per resource, how the live object differs from what a sync would make
 * of it — the same comparison as `launchpad diff --live` (server-side dry-run, owned fields, ignoreDifferences,
 * Secret values `<hidden>`), for an Application already in the cluster: rendered here with the repository Secrets of
 * its namespace, or by the controller's API with --server. Exit 0 in sync, 1 differences, 2 a resource could not be
 * compared (or a usage error), as `launchpad diff --live`.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ApiClusters } from '../../../api/clusters.js';
import { DesiredState } from '../../../api/desired.js';
import type { ResourceDiffView } from '../../../api/desired.js';
import { CLUSTER_SECRETS_SELECTOR, REPOSITORY_SECRETS_SELECTOR } from '../../../controller/clusters.js';
import { formatResourceKey } from '../../../model/resource.js';
import { isPlainObject } from '../../../model/values.js';
import { EXIT, ExitCode } from '../../exit.js';
import type { AppContext, AppFlags } from './context.js';
import { addAppOptions, requireApp, withApps, write } from './context.js';
import { appPath, isRemote, requireRemoteApp, withApi } from './remote.js';

interface DiffFlags extends AppFlags {
  readonly output: 'text' | 'json';
}

const keyOf = (item: ResourceDiffView): string => formatResourceKey(item);

/** The text `launchpad diff --live` prints for one application ('' when it is in sync). */
export function formatAppDiff(name: string, items: readonly ResourceDiffView[]): string {
  const parts = items.flatMap((item) => {
    if (item.status === 'error') return [`# ${keyOf(item)}: cannot compare — ${(item.error ?? '').replace(`${keyOf(item)}: `, '')}\n`];
    if (item.status === 'extraneous') return [`# ${keyOf(item)} (extraneous: would be pruned)\n${item.diff}`];
    return item.status === 'in-sync' ? [] : [`# ${keyOf(item)} (${item.status})\n${item.diff}`];
  });
  return parts.length === 0 ? '' : `=== ${name}\n${parts.join('\n')}`;
}

export function diffExitCode(items: readonly ResourceDiffView[]): number {
  if (items.some((item) => item.status === 'error')) return EXIT.usage;
  return items.some((item) => item.status !== 'in-sync') ? EXIT.failed : EXIT.ok;
}

/** Renders and compares here, as the API does, with the namespace's repository and cluster Secrets. */
async function diffDirect(context: AppContext, name: string): Promise<ResourceDiffView[]> {
  const object = await requireApp(context, name);
  const { client, namespace } = context;
  const [repositories, clusterSecrets] = await Promise.all([
    client.list('v1', 'Secret', { namespace, labelSelector: REPOSITORY_SECRETS_SELECTOR }),
    client.list('v1', 'Secret', { namespace, labelSelector: CLUSTER_SECRETS_SELECTOR }),
  ]);
  const clusters = new ApiClusters(client, { clusterSecrets: () => clusterSecrets });
  try {
    const destination = isPlainObject(object.spec) && isPlainObject(object.spec.destination) ? object.spec.destination : {};
    const target = await clusters.clientFor({ ...(typeof destination.server === 'string' ? { server: destination.server } : {}), ...(typeof destination.name === 'string' ? { name: destination.name } : {}) });
    return await new DesiredState({ repositorySecrets: () => repositories }).diff(object, target, client, namespace);
  } finally {
    clusters.close();
  }
}

function show(name: string, items: readonly ResourceDiffView[], output: DiffFlags['output']): void {
  write(output === 'json' ? `${JSON.stringify({ application: name, items }, null, 2)}\n` : formatAppDiff(name, items));
  const code = diffExitCode(items);
  if (code !== EXIT.ok) throw new ExitCode(code);
}

export function registerAppDiff(app: Command): void {
  addAppOptions(app.command('diff'))
    .description('show how the live resources of an Application differ from what a sync would make of them (Secret values hidden)')
    .argument('<name>', 'the Application')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (name: string, flags: DiffFlags) => {
      if (isRemote(flags)) {
        await withApi(flags, async (api) => {
          await requireRemoteApp(api, name);
          show(name, (await api.json<{ items: ResourceDiffView[] }>('GET', appPath(name, '/diff'))).items, flags.output);
        });
        return;
      }
      await withApps(flags, async (context) => { show(name, await diffDirect(context, name), flags.output); });
    });
}
