/**
 * `launchpad install`: the manifests of a Launchpad controller — Namespace, Application and AppProject CRDs, RBAC,
 * Deployment, Service, the `default` AppProject. Without --apply they are printed (one YAML stream, or a JSON `List`)
 * for `kubectl apply -f -` or a GitOps repository; with --apply they are applied in order with server-side apply,
 * after the CRDs are Established, one line per object (`created CustomResourceDefinition/applications.argoproj.io`).
 * Exit 0 on success, 2 on a usage error or a failed apply.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { LaunchpadError } from '../../errors.js';
import { applyInstall, DEFAULT_ESTABLISH_TIMEOUT_MS, installManifests } from '../../install/index.js';
import type { AppliedObject, InstallOptions } from '../../install/index.js';
import { parseGoDuration } from '../../model/duration.js';
import { formatResourceKey, groupOf } from '../../model/resource.js';
import type { KubeObject } from '../../model/resource.js';
import { addKubeOptions, kubeClientFor } from '../kube-options.js';
import type { KubeFlags } from '../kube-options.js';
import { toYaml } from '../output/yaml.js';

interface InstallFlags extends KubeFlags {
  readonly namespace: string;
  readonly image?: string;
  readonly replicas: string;
  readonly clusterAdmin?: boolean;
  readonly crds: boolean;
  readonly apply?: boolean;
  readonly timeout: string;
  readonly output: 'yaml' | 'json';
}

function parseReplicas(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new LaunchpadError(`--replicas ${text} is not a whole number of at least 1`, { fix: 'use 1, or 2 for a standby controller (leader election)' });
  }
  return Number(text);
}

function parseTimeout(text: string): number {
  const parsed = parseGoDuration(text);
  if (parsed === undefined || parsed <= 0) throw new LaunchpadError(`--timeout ${text} is not a duration`, { fix: 'use a Go duration such as 90s, 5m or 1h' });
  return parsed;
}

export function installOptionsOf(flags: InstallFlags): InstallOptions {
  return {
    namespace: flags.namespace,
    replicas: parseReplicas(flags.replicas),
    clusterAdmin: flags.clusterAdmin === true,
    includeCRDs: flags.crds,
    ...(flags.image === undefined ? {} : { image: flags.image }),
  };
}

/** One YAML stream (documents separated by `---`) or a JSON `v1/List`; both are what `kubectl apply -f -` reads. */
export function formatManifests(objects: readonly KubeObject[], output: 'yaml' | 'json'): string {
  if (output === 'json') return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
  return objects.map((object) => `---\n${toYaml(object)}`).join('');
}

export function appliedLine(applied: AppliedObject): string {
  const key = formatResourceKey({ group: groupOf(applied.apiVersion), kind: applied.kind, namespace: applied.namespace ?? '', name: applied.name });
  return applied.action === 'kept' ? `kept ${key} (it exists; install does not overwrite it)` : `${applied.action} ${key}`;
}

async function apply(objects: readonly KubeObject[], flags: InstallFlags): Promise<void> {
  const establishTimeoutMs = parseTimeout(flags.timeout);
  const client = await kubeClientFor(flags);
  try {
    const json = flags.output === 'json';
    const onApplied = json ? undefined : (applied: AppliedObject): void => { process.stdout.write(`${appliedLine(applied)}\n`); };
    const results = await applyInstall(objects, { client, establishTimeoutMs, ...(onApplied === undefined ? {} : { onApplied }) });
    if (json) process.stdout.write(`${JSON.stringify({ objects: results }, null, 2)}\n`);
  } finally {
    client.close?.();
  }
}

export function registerInstall(program: Command): void {
  addKubeOptions(program.command('install'))
    .description('print (or, with --apply, apply) the manifests that install a Launchpad controller in a cluster')
    .option('-n, --namespace <namespace>', 'namespace of the controller and of the Applications it watches', 'argocd')
    .option('--image <image>', 'controller image (default: ghcr.io/launchpad-gitops/launchpad:<this version>)')
    .option('--replicas <count>', 'controller replicas; 2 or more elect a leader and keep a standby', '1')
    .option('--cluster-admin', 'bind cluster-admin instead of Launchpad\'s ClusterRole (read and write, no RBAC escalation)')
    .option('--no-crds', 'leave out the Application and AppProject CRDs (e.g. where Argo CD\'s are installed)')
    .option('--apply', 'apply the manifests to the cluster with server-side apply instead of printing them')
    .option('--timeout <duration>', 'with --apply: how long to wait for the CRDs to be Established', `${DEFAULT_ESTABLISH_TIMEOUT_MS / 1000}s`)
    .addOption(new Option('-o, --output <format>', 'output format (with --apply: json gives a summary of what was applied)').choices(['yaml', 'json']).default('yaml'))
    .action(async (flags: InstallFlags) => {
      const objects = installManifests(installOptionsOf(flags));
      if (flags.apply === true) await apply(objects, flags);
      else process.stdout.write(formatManifests(objects, flags.output));
    });
}
