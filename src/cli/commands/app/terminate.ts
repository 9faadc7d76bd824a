/**
 * `launchpad app terminate <name>`: stops the running operation as Argo CD's terminate-op does — a merge patch of
 * `status.operationState.phase` to `Terminating` — then waits (bounded) until the controller has recorded its end.
 * The controller stops a sync between waves (or while it waits for a wave's health), never in the middle of one.
 * Nothing running: exit 1.
 */
import type { Command } from 'commander';
import type { AppContext, AppFlags } from './context.js';
import { addAppOptions, durationFlag, patchDecided, refuse, withApps, write } from './context.js';
import { operationPhase, operationState, text } from './fields.js';
import type { ApiClient } from '../../api-client.js';
import { appPath, isRemote, requireRemoteApp, withApi } from './remote.js';
import { remoteWaiter } from './remote-wait.js';
import type { AppWaiter } from './wait.js';
import { kubeWaiter } from './wait.js';

interface TerminateFlags extends AppFlags {
  readonly timeout: string;
}

async function terminate(context: AppContext, name: string, flags: TerminateFlags): Promise<void> {
  await patchDecided(context, name, (object) => {
    const phase = operationPhase(object);
    if (phase !== 'Running' && phase !== 'Terminating') refuse(`${name}: no operation is running — nothing to terminate${phase === '' ? '' : ` (the last one ${phase})`}`);
    return { status: { operationState: { phase: 'Terminating' } } };
  });
  await awaitTermination(kubeWaiter(context), name, flags);
}

/** The same through the API: `POST …/terminate` (a 409 when nothing runs), then its event stream. */
async function terminateRemote(api: ApiClient, name: string, flags: TerminateFlags): Promise<void> {
  await requireRemoteApp(api, name);
  await api.json('POST', appPath(name, '/terminate'));
  await awaitTermination(remoteWaiter(api), name, flags);
}

async function awaitTermination(wait: AppWaiter, name: string, flags: TerminateFlags): Promise<void> {
  const timeoutMs = durationFlag('--timeout', flags.timeout);
  write(`${name}: terminating the running operation\n`);
  const result = await wait(name, (object) => object === undefined || !['Running', 'Terminating'].includes(operationPhase(object)), { timeoutMs });
  if (result.outcome === 'timeout') refuse(`${name}: the operation is still ${result.object === undefined ? 'Terminating' : operationPhase(result.object)} after ${flags.timeout} — is the controller running?`);
  if (result.outcome === 'interrupted') refuse(`${name}: stopped waiting; the controller still stops the operation`);
  if (result.object === undefined) {
    write(`${name}: the Application was deleted\n`);
    return;
  }
  const state = operationState(result.object);
  write(`${name}: operation ${text(state, 'phase')}${text(state, 'message') === '' ? '' : ` — ${text(state, 'message')}`}\n`);
}

export function registerAppTerminate(app: Command): void {
  addAppOptions(app.command('terminate'))
    .description('stop the operation an Application is running (between waves), and wait until it has stopped')
    .argument('<name>', 'the Application')
    .option('--timeout <duration>', 'how long to wait for the operation to stop', '1m')
    .action(async (name: string, flags: TerminateFlags) => {
      durationFlag('--timeout', flags.timeout);
      if (isRemote(flags)) {
        await withApi(flags, (api) => terminateRemote(api, name, flags));
        return;
      }
      await withApps(flags, (context) => terminate(context, name, flags));
    });
}
