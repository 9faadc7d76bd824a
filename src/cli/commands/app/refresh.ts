/**
 * `launchpad app refresh <name> [--hard]`: sets `argocd.argoproj.io/refresh` (normal, or hard: manifests rendered
 * again, caches bypassed), waits until the controller has handled it — the annotation removed, then the status it
 * writes settled — and prints sync and health. Bounded: a controller that does not answer in 60s is an exit 1.
 */
import type { Command } from 'commander';
import { REFRESH_ANNOTATION } from '../../../controller/reconcile.js';
import type { KubeObject } from '../../../model/resource.js';
import type { AppContext, AppFlags } from './context.js';
import { addAppOptions, appRef, refuse, requireApp, withApps, write } from './context.js';
import { healthStatus, syncStatus, syncedRevision, text } from './fields.js';
import type { ApiClient } from '../../api-client.js';
import { appPath, asObject, isRemote, requireRemoteApp, withApi } from './remote.js';
import { remoteWaiter } from './remote-wait.js';
import type { AppWaiter } from './wait.js';
import { kubeWaiter } from './wait.js';

export const REFRESH_TIMEOUT_MS = 60_000;
/** After the annotation is gone, the status the refresh produced may follow; this much quiet means it has. */
const SETTLE_QUIET_MS = 1_000;
const SETTLE_MAX_MS = 10_000;

/** Requests a refresh and waits until it was handled; returns the Application as it is then. */
export async function refreshApp(context: AppContext, name: string, hard: boolean): Promise<KubeObject> {
  await requireApp(context, name);
  await context.client.patch(appRef(context, name), { metadata: { annotations: { [REFRESH_ANNOTATION]: hard ? 'hard' : 'normal' } } });
  return (await awaitRefresh(kubeWaiter(context), name, `namespace ${context.namespace}`)) ?? (await requireApp(context, name));
}

/**
 * Waits until the controller has handled a requested refresh — the annotation removed, then the status it writes
 * settled — and returns the Application as it is then (undefined if it went away). `where` names what the
 * controller must watch, for the message when it does not answer.
 */
export async function awaitRefresh(wait: AppWaiter, name: string, where: string): Promise<KubeObject | undefined> {
  const handled = await wait(name, (object) => object?.metadata.annotations?.[REFRESH_ANNOTATION] === undefined, { timeoutMs: REFRESH_TIMEOUT_MS });
  if (handled.outcome === 'timeout') refuse(`${name}: the controller did not handle the refresh within ${REFRESH_TIMEOUT_MS / 1000}s — is it running and watching ${where}?`);
  if (handled.outcome === 'interrupted') refuse(`${name}: stopped waiting for the refresh`);
  // The controller removes the annotation when it starts comparing; the new status follows when the comparison ends.
  const settled = await wait(name, () => false, { timeoutMs: SETTLE_MAX_MS, quietMs: SETTLE_QUIET_MS });
  return settled.object ?? handled.object;
}

/** The same through the API: `POST …/refresh`, then its event stream until the controller has handled it. */
export async function refreshRemote(api: ApiClient, name: string, hard: boolean): Promise<KubeObject> {
  await requireRemoteApp(api, name);
  await api.json('POST', appPath(name, '/refresh'), { type: hard ? 'hard' : 'normal' });
  const object = await awaitRefresh(remoteWaiter(api), name, `the namespace the API at ${api.server} serves`);
  return object === undefined ? requireRemoteApp(api, name) : asObject(object);
}

export function syncHealthLine(app: KubeObject): string {
  const revision = syncedRevision(app);
  const message = text(app.status, 'health', 'message');
  return `${app.metadata.name ?? ''}: ${syncStatus(app)}${revision === '' ? '' : ` to ${revision}`}, ${healthStatus(app)}${message === '' ? '' : ` — ${message}`}`;
}

interface RefreshFlags extends AppFlags {
  readonly hard?: boolean;
}

export function registerAppRefresh(app: Command): void {
  addAppOptions(app.command('refresh'))
    .description('have the controller compare an Application with Git and the cluster now, then show its sync and health')
    .argument('<name>', 'the Application')
    .option('--hard', 'render the manifests again, bypassing the controller\'s caches')
    .action(async (name: string, flags: RefreshFlags) => {
      if (isRemote(flags)) {
        await withApi(flags, async (api) => { write(`${syncHealthLine(await refreshRemote(api, name, flags.hard === true))}\n`); });
        return;
      }
      await withApps(flags, async (context) => {
        const object = await refreshApp(context, name, flags.hard === true);
        write(`${syncHealthLine(object)}\n`);
      });
    });
}
