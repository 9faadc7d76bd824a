/**
 * `launchpad app delete <name>`: deletes an Application as Argo CD's CLI does. With cascade (the default) the
 * resources finalizer (`resources-finalizer.argocd.argoproj.io`, or its `/background` form) is put on the Application
 * first, so the controller deletes the resources it manages before the Application goes; `--cascade=false` takes
 * that finalizer away first, so the resources stay. Other finalizers are kept. On a terminal it asks first (unless
 * --yes); elsewhere --yes is required. `--wait` waits (bounded) until the Application is gone.
 */
import { createInterface } from 'node:readline/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { Option } from 'commander';
import { RESOURCES_FINALIZER } from '../../../controller/deletion.js';
import { LaunchpadError } from '../../../errors.js';
import { EXIT, ExitCode } from '../../exit.js';
import type { AppContext, AppFlags } from './context.js';
import { addAppOptions, appRef, durationFlag, patchDecided, refuse, requireApp, withApps, write } from './context.js';
import { strings } from './fields.js';
import type { ApiClient } from '../../api-client.js';
import { appPath, isRemote, requireRemoteApp, withApi } from './remote.js';
import { remoteWaiter } from './remote-wait.js';
import type { AppWaiter } from './wait.js';
import { kubeWaiter } from './wait.js';

type Policy = 'foreground' | 'background';

interface DeleteFlags extends AppFlags {
  readonly cascade: string | boolean;
  readonly propagationPolicy?: Policy;
  readonly yes?: boolean;
  readonly wait?: boolean;
  readonly timeout: string;
}

const RESOURCE_FINALIZERS = [RESOURCES_FINALIZER, `${RESOURCES_FINALIZER}/foreground`, `${RESOURCES_FINALIZER}/background`];

const policyOf = (finalizer: string): Policy => (finalizer.endsWith('/background') ? 'background' : 'foreground');

/**
 * The finalizers the Application must have before it is deleted. Without cascade: none of the resources finalizers.
 * With cascade: one of them — the one it has when no policy is asked for (or it matches), else the policy's own.
 */
export function finalizersFor(current: readonly string[], cascade: boolean, policy: Policy | undefined): string[] {
  const others = current.filter((finalizer) => !RESOURCE_FINALIZERS.includes(finalizer));
  if (!cascade) return others;
  const kept = current.find((finalizer) => RESOURCE_FINALIZERS.includes(finalizer) && (policy === undefined || policyOf(finalizer) === policy));
  if (kept !== undefined) return current.filter((finalizer) => !RESOURCE_FINALIZERS.includes(finalizer) || finalizer === kept);
  return [...others, policy === 'background' ? `${RESOURCES_FINALIZER}/background` : RESOURCES_FINALIZER];
}

function parseCascade(value: string | boolean): boolean {
  if (value === true || value === 'true') return true;
  if (value === 'false') return false;
  throw new LaunchpadError(`--cascade=${String(value)}: expected true or false`, { fix: 'use --cascade=false to keep the resources, or leave it out to delete them' });
}

async function confirmed(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

/** Unless --yes: asks on the terminal, and ends with exit 1 when the answer is not yes. */
async function askFirst(app: string, flags: DeleteFlags, cascade: boolean): Promise<void> {
  if (flags.yes === true) return;
  const what = cascade ? 'and every resource it manages' : '(its resources stay)';
  if (await confirmed(`Delete application ${app} ${what}? [y/N] `)) return;
  process.stderr.write(`${app.slice(app.indexOf('/') + 1)}: not deleted\n`);
  throw new ExitCode(EXIT.failed);
}

async function setFinalizers(context: AppContext, name: string, cascade: boolean, policy: Policy | undefined): Promise<void> {
  const current = strings((await requireApp(context, name)).metadata, 'finalizers');
  if (isDeepStrictEqual(current, finalizersFor(current, cascade, policy))) return;
  // Merge patches replace lists whole: the list is decided on the resourceVersion it is written with.
  await patchDecided(context, name, (object) => ({ metadata: { finalizers: finalizersFor(strings(object.metadata, 'finalizers'), cascade, policy) } }));
}

async function remove(context: AppContext, name: string, flags: DeleteFlags, cascade: boolean): Promise<void> {
  const object = await requireApp(context, name);
  await askFirst(`${object.metadata.namespace ?? context.namespace}/${name}`, flags, cascade);
  await setFinalizers(context, name, cascade, flags.propagationPolicy);
  await context.client.delete(appRef(context, name), { propagationPolicy: 'Background' });
  await reportDeleted(kubeWaiter(context), name, flags, cascade);
}

/** The cascade the API takes: orphan without cascade, else the policy (foreground by default). */
export function apiCascade(cascade: boolean, policy: Policy | undefined): 'foreground' | 'background' | 'orphan' {
  if (!cascade) return 'orphan';
  return policy ?? 'foreground';
}

/** The same through the API: `DELETE …?cascade=`, then (with --wait) its event stream until the app is gone. */
async function removeRemote(api: ApiClient, name: string, flags: DeleteFlags, cascade: boolean): Promise<void> {
  const object = await requireRemoteApp(api, name);
  await askFirst(`${object.metadata.namespace ?? ''}/${name}`, flags, cascade);
  await api.json('DELETE', appPath(name, `?cascade=${apiCascade(cascade, flags.propagationPolicy)}`));
  await reportDeleted(remoteWaiter(api), name, flags, cascade);
}

async function reportDeleted(wait: AppWaiter, name: string, flags: DeleteFlags, cascade: boolean): Promise<void> {
  write(`${name}: deleted${cascade ? ' — the controller deletes its resources first' : ' — its resources stay in the cluster'}\n`);
  if (flags.wait !== true) return;
  const result = await wait(name, (current) => current === undefined, { timeoutMs: durationFlag('--timeout', flags.timeout) });
  if (result.outcome !== 'done') refuse(`${name}: still there ${result.outcome === 'timeout' ? `after ${flags.timeout}` : 'when waiting stopped'}${cascade ? ' — the controller may still be deleting its resources (see launchpad app get)' : ''}`);
  write(`${name}: gone\n`);
}

export function registerAppDelete(app: Command): void {
  addAppOptions(app.command('delete'))
    .description('delete an Application and (by default) the resources it manages')
    .argument('<name>', 'the Application')
    .option('--cascade [bool]', 'delete the resources too (true), or leave them in the cluster (false)', 'true')
    .addOption(new Option('--propagation-policy <policy>', 'how the controller deletes the resources (default foreground, or the finalizer the app has)').choices(['foreground', 'background']))
    .option('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--wait', 'wait until the Application is gone')
    .option('--timeout <duration>', 'with --wait: how long to wait', '5m')
    .action(async (name: string, flags: DeleteFlags) => {
      const cascade = parseCascade(flags.cascade);
      durationFlag('--timeout', flags.timeout);
      if (flags.yes !== true && !process.stdin.isTTY) {
        throw new LaunchpadError(`not deleting application "${name}" without confirmation: stdin is not a terminal to ask on`, { fix: 'pass --yes to delete without asking' });
      }
      if (isRemote(flags)) {
        await withApi(flags, (api) => removeRemote(api, name, flags, cascade));
        return;
      }
      await withApps(flags, (context) => remove(context, name, flags, cascade));
    });
}
