/**
 * What every `launchpad app` subcommand shares: the kubectl-style options (`-n/--namespace`, `--kubeconfig`,
 * `--context`), the client, the check that the cluster serves Applications at all, looking an Application up (a
 * missing one is named, with the ones that exist), refusals (exit 1) and patches guarded by the resourceVersion the
 * decision was made on.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { KubeError, LaunchpadError } from '../../../errors.js';
import type { KubeClient, ObjectRef } from '../../../kube/types.js';
import { parseGoDuration } from '../../../model/duration.js';
import type { KubeObject } from '../../../model/resource.js';
import { EXIT, ExitCode } from '../../exit.js';
import { addKubeOptions, kubeClientFor } from '../../kube-options.js';
import type { KubeFlags } from '../../kube-options.js';

export const APP_API_VERSION = 'argoproj.io/v1alpha1';
export const APP_KIND = 'Application';

export interface AppFlags extends KubeFlags {
  readonly namespace: string;
  /** Go through the Launchpad API at this URL instead of the cluster. */
  readonly server?: string;
  readonly authToken?: string;
  readonly insecure?: boolean;
}

export interface AppContext {
  readonly client: KubeClient;
  readonly namespace: string;
}

export function addAppOptions(command: Command): Command {
  return addKubeOptions(command.option('-n, --namespace <namespace>', 'namespace of the Applications (where the controller runs)', 'argocd'))
    .option('--server <url>', 'go through the Launchpad API at this URL (e.g. http://127.0.0.1:8080) instead of the cluster; -n and the kube options are then the server\'s')
    .option('--auth-token <token>', 'with --server: an API token (default: $LAUNCHPAD_AUTH_TOKEN; create one with launchpad admin token create)')
    .option('--insecure', 'with --server https://…: do not verify the server\'s TLS certificate');
}

/** Opens a client, checks that Applications are served, runs `work` and lets go of the client. */
export async function withApps<T>(flags: AppFlags, work: (context: AppContext) => Promise<T>): Promise<T> {
  const client = await kubeClientFor(flags);
  try {
    if ((await client.resourceFor(APP_API_VERSION, APP_KIND)) === undefined) {
      throw new LaunchpadError(`the cluster does not serve ${APP_API_VERSION} Applications`, {
        fix: `install Launchpad first: launchpad install --apply${flags.namespace === 'argocd' ? '' : ` --namespace ${flags.namespace}`}`,
      });
    }
    return await work({ client, namespace: flags.namespace });
  } finally {
    client.close?.();
  }
}

export function appRef(context: AppContext, name: string): ObjectRef {
  return { apiVersion: APP_API_VERSION, kind: APP_KIND, namespace: context.namespace, name };
}

export async function appNames(context: AppContext): Promise<string[]> {
  const apps = await context.client.list(APP_API_VERSION, APP_KIND, { namespace: context.namespace });
  return apps.map((app) => app.metadata.name ?? '').sort();
}

/** A usage error naming the missing application and listing the ones there are. */
export async function notFound(context: AppContext, name: string): Promise<LaunchpadError> {
  const names = await appNames(context);
  return new LaunchpadError(`application "${name}" not found in namespace ${context.namespace}`, {
    fix: names.length === 0 ? `there are no Applications in namespace ${context.namespace} (another namespace? use -n)` : `the Applications there are: ${names.join(', ')}`,
  });
}

export async function requireApp(context: AppContext, name: string): Promise<KubeObject> {
  const object = await context.client.get(appRef(context, name));
  if (object === undefined) throw await notFound(context, name);
  return object;
}

/** Says why nothing was done and ends with exit 1 (a refusal is not a usage error). */
export function refuse(message: string): never {
  process.stderr.write(`launchpad: ${message}\n`);
  throw new ExitCode(EXIT.failed);
}

const CONFLICT_RETRIES = 5;

/**
 * Reads the Application, lets `decide` check it (throwing or refusing) and build a merge patch, and writes that patch
 * with the resourceVersion it was decided on — so a change in between (the controller starting an operation) is a
 * conflict, read again and decided again, never overwritten. Returns the object as read and as patched.
 */
export async function patchDecided(context: AppContext, name: string, decide: (object: KubeObject) => Record<string, unknown>): Promise<{ before: KubeObject; after: KubeObject }> {
  for (let attempt = 1; ; attempt += 1) {
    const before = await requireApp(context, name);
    const patch = decide(before);
    const metadata = typeof patch.metadata === 'object' && patch.metadata !== null ? patch.metadata : {};
    try {
      const after = await context.client.patch(appRef(context, name), { ...patch, metadata: { ...metadata, resourceVersion: before.metadata.resourceVersion } });
      return { before, after };
    } catch (error) {
      const conflict = error instanceof KubeError && error.status === 409;
      if (!conflict || attempt >= CONFLICT_RETRIES) throw error;
    }
  }
}

export function durationFlag(flag: string, text: string): number {
  const parsed = parseGoDuration(text);
  if (parsed === undefined || parsed <= 0) throw new LaunchpadError(`${flag} ${text} is not a duration`, { fix: 'use a Go duration such as 90s, 5m or 1h' });
  return parsed;
}

/** Who initiated an operation, as Argo CD's CLI records it (`initiatedBy.username`). */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export function write(text: string): void {
  process.stdout.write(text);
}
