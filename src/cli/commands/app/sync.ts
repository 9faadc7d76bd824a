/**
 * `launchpad app sync <name>`: asks the controller to sync an Application by writing `operation` as Argo CD's CLI does
 * — `{sync: {revision?, prune?, dryRun?, resources?, syncOptions?}, initiatedBy: {username}}` — then follows it to
 * its end (unless --async). Refused (exit 1) while another operation is in progress.
 */
import type { Command } from 'commander';
import { LaunchpadError } from '../../../errors.js';
import type { KubeObject } from '../../../model/resource.js';
import type { AppContext, AppFlags } from './context.js';
import { addAppOptions, durationFlag, requireApp, withApps, write } from './context.js';
import { isMultiSource, records, text } from './fields.js';
import { followOperation, requestSync } from './operation.js';
import { kubeWaiter } from './wait.js';
import type { ApiClient } from '../../api-client.js';
import type { RemoteSummary } from './remote.js';
import { appPath, beforeOf, isRemote, requireRemoteApp, withApi } from './remote.js';
import { remoteWaiter } from './remote-wait.js';

interface SyncFlags extends AppFlags {
  readonly revision?: string;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly resource: string[];
  readonly syncOption: string[];
  readonly timeout: string;
  readonly async?: boolean;
}

export interface ResourceSelector {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `group:kind:name`, `group:kind:name@namespace` or Argo CD's `group:kind:namespace/name`; the core group is empty. */
export function parseResourceSelector(spec: string): ResourceSelector {
  const parts = spec.split(':');
  const [group, kind, rest] = parts;
  if (parts.length !== 3 || group === undefined || kind === undefined || rest === undefined || kind === '' || rest === '') {
    throw new LaunchpadError(`--resource ${spec}: expected group:kind:name[@namespace]`, { fix: 'e.g. --resource apps:Deployment:web or --resource :ConfigMap:settings@shop (the core group is empty)' });
  }
  const at = rest.indexOf('@');
  const slash = rest.indexOf('/');
  if (at !== -1) return { group, kind, name: rest.slice(0, at), namespace: rest.slice(at + 1) };
  if (slash !== -1) return { group, kind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
  return { group, kind, name: rest };
}

const describeResource = (resource: Readonly<Record<string, unknown>>): string =>
  `${text(resource, 'group')}:${text(resource, 'kind')}:${text(resource, 'name')}${text(resource, 'namespace') === '' ? '' : `@${text(resource, 'namespace')}`}`;

/**
 * The `operation.sync.resources` entries for the selectors: each matched against the app's `status.resources`, so a
 * typo is an error here rather than a sync of nothing, and a selector without a namespace gets the resource's own.
 */
export function selectResources(app: KubeObject, specs: readonly string[]): Record<string, string>[] {
  const known = records(app.status, 'resources');
  return specs.flatMap((spec) => {
    const selector = parseResourceSelector(spec);
    const matches = known.filter((resource) => text(resource, 'group') === selector.group && text(resource, 'kind') === selector.kind
      && text(resource, 'name') === selector.name && (selector.namespace === undefined || text(resource, 'namespace') === selector.namespace));
    if (matches.length === 0) {
      const list = known.slice(0, 20).map(describeResource).join(', ');
      throw new LaunchpadError(`--resource ${spec}: application "${app.metadata.name ?? ''}" has no such resource`, {
        fix: known.length === 0 ? 'it lists no resources yet; wait for the controller to compare it, or run launchpad app refresh' : `its resources are: ${list}${known.length > 20 ? ', …' : ''}`,
      });
    }
    return matches.map((resource) => ({
      group: text(resource, 'group'), kind: text(resource, 'kind'), name: text(resource, 'name'),
      ...(text(resource, 'namespace') === '' ? {} : { namespace: text(resource, 'namespace') }),
    }));
  });
}

function syncOptions(options: readonly string[]): string[] {
  for (const option of options) {
    if (!/^[A-Za-z][A-Za-z0-9]*=.+$/.test(option)) throw new LaunchpadError(`--sync-option ${option}: expected Key=Value`, { fix: 'e.g. --sync-option CreateNamespace=true --sync-option ServerSideApply=true' });
  }
  return [...options];
}

function syncRequest(app: KubeObject, flags: SyncFlags): Record<string, unknown> {
  if (flags.revision !== undefined && isMultiSource(app)) {
    throw new LaunchpadError(`--revision: application "${app.metadata.name ?? ''}" has several sources`, { fix: 'sync it without --revision (each source at its targetRevision), or roll back to a history entry' });
  }
  const resources = selectResources(app, flags.resource);
  const options = syncOptions(flags.syncOption);
  return {
    ...(flags.revision === undefined ? {} : { revision: flags.revision }),
    ...(flags.prune === true ? { prune: true } : {}),
    ...(flags.dryRun === true ? { dryRun: true } : {}),
    ...(resources.length === 0 ? {} : { resources }),
    ...(options.length === 0 ? {} : { syncOptions: options }),
  };
}

export function describeRequest(sync: Readonly<Record<string, unknown>>): string {
  const parts = [
    typeof sync.revision === 'string' ? `revision ${sync.revision}` : '',
    sync.prune === true ? 'prune' : '',
    sync.dryRun === true ? 'dry run' : '',
    Array.isArray(sync.resources) ? `${sync.resources.length} resource${sync.resources.length === 1 ? '' : 's'}` : '',
    Array.isArray(sync.syncOptions) ? sync.syncOptions.join(', ') : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

async function sync(context: AppContext, name: string, flags: SyncFlags, timeoutMs: number): Promise<void> {
  const request = syncRequest(await requireApp(context, name), flags);
  const before = await requestSync(context, name, request);
  write(`${name}: sync requested${describeRequest(request)}\n`);
  if (flags.async === true) {
    write(`${name}: not following it (--async); see it with: launchpad app get ${name}\n`);
    return;
  }
  await followOperation(kubeWaiter(context), name, before, { timeoutMs, timeoutText: flags.timeout });
}

/**
 * The same through the API: the request is built and checked against the application as the API shows it (same
 * errors as the direct path), then `POST …/sync`; the operation is followed on the API's event stream.
 */
async function syncRemote(api: ApiClient, name: string, flags: SyncFlags, timeoutMs: number): Promise<void> {
  const request = syncRequest(await requireRemoteApp(api, name), flags);
  const accepted = await api.json<{ application: RemoteSummary & { operation: { finishedAt: string } } }>('POST', appPath(name, '/sync'), request);
  write(`${name}: sync requested${describeRequest(request)}\n`);
  if (flags.async === true) {
    write(`${name}: not following it (--async); see it with: launchpad app get ${name} --server ${api.server}\n`);
    return;
  }
  await followOperation(remoteWaiter(api), name, beforeOf(accepted.application), { timeoutMs, timeoutText: flags.timeout });
}

export function registerAppSync(app: Command): void {
  addAppOptions(app.command('sync'))
    .description('sync an Application in the cluster through its controller, and follow the operation to its end')
    .argument('<name>', 'the Application')
    .option('--revision <revision>', 'sync to this revision (branch, tag or commit) instead of the targetRevision')
    .option('--prune', 'delete resources that are no longer desired')
    .option('--dry-run', 'validate and report; change nothing')
    .option('--resource <group:kind:name[@namespace]>', 'sync only this resource (repeatable; the core group is empty: :ConfigMap:web)', collect, [])
    .option('--sync-option <Key=Value>', 'an extra sync option for this operation, e.g. CreateNamespace=true (repeatable)', collect, [])
    .option('--timeout <duration>', 'how long to follow the operation', '5m')
    .option('--async', 'write the operation and return without following it')
    .action(async (name: string, flags: SyncFlags) => {
      const timeoutMs = durationFlag('--timeout', flags.timeout);
      if (isRemote(flags)) {
        await withApi(flags, (api) => syncRemote(api, name, flags, timeoutMs));
        return;
      }
      await withApps(flags, (context) => sync(context, name, flags, timeoutMs));
    });
}
