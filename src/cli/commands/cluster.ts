/**
 * `launchpad cluster add|list|rm`: the clusters the controller deploys to, kept as Argo CD keeps them (Secrets
 * labelled `argocd.argoproj.io/secret-type: cluster` in the controller's namespace), so `argocd cluster add` and
 * `launchpad cluster add` are interchangeable.
 *   add <context>      a ServiceAccount with full (or --namespaced) access in the context's cluster, its long-lived
 *                      token, and the cluster Secret in the controller's cluster; one line per object, never the token
 *   list               NAME and SERVER of every cluster (in-cluster first)
 *   rm <name|server>   deletes the cluster Secret (the ServiceAccount and RBAC in that cluster stay)
 * Exit 0 on success, 1 when a confirmation is declined, 2 on a usage error or a failed request.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { LaunchpadError } from '../../errors.js';
import { DEFAULT_CONTROLLER_NAMESPACE, DEFAULT_SERVICE_ACCOUNT, DEFAULT_SYSTEM_NAMESPACE, addCluster, listClusters, removeCluster } from '../../controller/cluster-add.js';
import { parseGoDuration } from '../../model/duration.js';
import type { ClusterAddOptions } from '../../controller/cluster-add.js';
import { EXIT, ExitCode } from '../exit.js';
import { addKubeOptions, kubeClientFor } from '../kube-options.js';
import type { KubeFlags } from '../kube-options.js';
import { formatTable } from '../output/table.js';

interface AddFlags {
  readonly kubeconfig?: string;
  readonly name?: string;
  readonly namespace: string;
  readonly controllerKubeconfig?: string;
  readonly controllerContext?: string;
  readonly serviceAccount: string;
  readonly systemNamespace: string;
  readonly clusterAdmin?: boolean;
  readonly namespaced?: readonly string[];
  readonly insecure?: boolean;
  readonly tokenTimeout: string;
  readonly yes?: boolean;
}

interface ListFlags extends KubeFlags {
  readonly namespace: string;
  readonly output: 'table' | 'json';
}

interface RemoveFlags extends KubeFlags {
  readonly namespace: string;
  readonly yes?: boolean;
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function parseNamespaces(text: string): string[] {
  const namespaces = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const invalid = namespaces.find((entry) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(entry));
  if (namespaces.length === 0 || invalid !== undefined) {
    throw new LaunchpadError(`--namespaced ${text}: ${invalid === undefined ? 'names no namespace' : `"${invalid}" is not a namespace name`}`, { fix: 'pass a comma-separated list such as --namespaced shop,billing' });
  }
  return [...new Set(namespaces)];
}

/** Asks on a terminal; without one, `--yes` is required (a script must say so). Declining ends with exit 1. */
async function confirm(question: string, yes: boolean | undefined): Promise<void> {
  if (yes === true) return;
  if (!process.stdin.isTTY) throw new LaunchpadError(`${question} — not confirmed (no terminal to ask on)`, { fix: 'pass --yes' });
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    if (/^y(es)?$/i.test(answer.trim())) return;
  } finally {
    prompt.close();
  }
  process.stderr.write('aborted\n');
  throw new ExitCode(EXIT.failed);
}

function parseTimeout(text: string): number {
  const parsed = parseGoDuration(text);
  if (parsed === undefined || parsed <= 0) throw new LaunchpadError(`--token-timeout ${text} is not a duration`, { fix: 'use a Go duration such as 30s or 2m' });
  return parsed;
}

export function addOptionsOf(context: string, flags: AddFlags): ClusterAddOptions {
  return {
    context, namespace: flags.namespace, serviceAccount: flags.serviceAccount, systemNamespace: flags.systemNamespace, insecure: flags.insecure === true, report: out,
    tokenTimeoutMs: parseTimeout(flags.tokenTimeout),
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    ...(flags.name === undefined ? {} : { name: flags.name }),
    ...(flags.controllerKubeconfig === undefined ? {} : { controllerKubeconfig: flags.controllerKubeconfig }),
    ...(flags.controllerContext === undefined ? {} : { controllerContext: flags.controllerContext }),
    ...(flags.namespaced === undefined ? {} : { namespaces: flags.namespaced }),
  };
}

function registerAdd(cluster: Command): void {
  cluster.command('add <context>')
    .description('give the controller access to the cluster of a kubeconfig context (as argocd cluster add): a ServiceAccount, its RBAC and token there, a cluster Secret in the controller\'s namespace')
    .option('--kubeconfig <file>', 'kubeconfig with the context (default: $KUBECONFIG, ~/.kube/config)')
    .option('--name <name>', 'the cluster\'s name for destination.name (default: the context name)')
    .option('-n, --namespace <name>', 'the controller\'s namespace, where the cluster Secret goes', DEFAULT_CONTROLLER_NAMESPACE)
    .option('--controller-kubeconfig <file>', 'kubeconfig of the controller\'s cluster (default: --kubeconfig)')
    .option('--controller-context <name>', 'context of the controller\'s cluster (default: that kubeconfig\'s current context)')
    .option('--service-account <name>', 'the ServiceAccount the controller acts as in the cluster', DEFAULT_SERVICE_ACCOUNT)
    .option('--system-namespace <name>', 'namespace of the ServiceAccount and its token Secret', DEFAULT_SYSTEM_NAMESPACE)
    .addOption(new Option('--cluster-admin', 'full access to the whole cluster, like argocd-manager-role (the default)').conflicts('namespaced'))
    .addOption(new Option('--namespaced <namespaces>', 'access to these namespaces only (comma-separated): a Role and RoleBinding in each').argParser(parseNamespaces))
    .option('--insecure', 'do not verify the cluster\'s TLS certificate (no CA is stored)')
    .option('--token-timeout <duration>', 'wait this long for the token controller, then use a TokenRequest token (valid up to a year)', '30s')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (context: string, flags: AddFlags) => {
      const scope = flags.namespaced === undefined ? 'full cluster-level privileges' : `privileges in namespaces ${flags.namespaced.join(', ')}`;
      const options = addOptionsOf(context, flags);
      await confirm(`WARNING: this creates ServiceAccount "${flags.serviceAccount}" in ${flags.systemNamespace} on the cluster of context "${context}" with ${scope}. Continue?`, flags.yes);
      await addCluster(options);
    });
}

function registerList(cluster: Command): void {
  addKubeOptions(cluster.command('list'))
    .description('list the clusters the controller knows: in-cluster and one per cluster Secret')
    .option('-n, --namespace <name>', 'the controller\'s namespace', DEFAULT_CONTROLLER_NAMESPACE)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (flags: ListFlags) => {
      const client = await kubeClientFor(flags);
      try {
        const clusters = await listClusters(client, flags.namespace);
        if (flags.output === 'json') {
          process.stdout.write(`${JSON.stringify({ clusters }, null, 2)}\n`);
          return;
        }
        process.stdout.write(formatTable(['NAME', 'SERVER'], clusters.filter((entry) => entry.problem === undefined).map((entry) => [entry.name, entry.server])));
        for (const entry of clusters) {
          if (entry.problem !== undefined) process.stderr.write(`warning: ${entry.problem}\n`);
        }
      } finally {
        client.close?.();
      }
    });
}

function registerRemove(cluster: Command): void {
  addKubeOptions(cluster.command('rm <name-or-server>'))
    .description('remove a cluster: delete its cluster Secret (the ServiceAccount and RBAC in that cluster are left)')
    .option('-n, --namespace <name>', 'the controller\'s namespace', DEFAULT_CONTROLLER_NAMESPACE)
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (nameOrServer: string, flags: RemoveFlags) => {
      await confirm(`Remove cluster "${nameOrServer}"? Applications deploying there will report an InvalidSpecError.`, flags.yes);
      const client = await kubeClientFor(flags);
      try {
        for (const entry of await removeCluster(client, flags.namespace, nameOrServer)) {
          out(`removed cluster "${entry.name}" (${entry.server}): deleted Secret/${flags.namespace}/${entry.secretName ?? ''}`);
        }
      } finally {
        client.close?.();
      }
    });
}

export function registerCluster(program: Command): void {
  const cluster = program.command('cluster').description('manage the clusters the controller deploys to (Argo CD cluster Secrets)');
  registerAdd(cluster);
  registerList(cluster);
  registerRemove(cluster);
}
