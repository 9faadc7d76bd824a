/** The options of commands that talk to a cluster, and the client they build. */
import type { Command } from 'commander';
import { createKubeClient } from '../kube/index.js';
import type { KubeClient } from '../kube/types.js';

export interface KubeFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
}

export function addKubeOptions(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current context)');
}

export function kubeClientFor(flags: KubeFlags): Promise<KubeClient> {
  return createKubeClient({
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    ...(flags.context === undefined ? {} : { context: flags.context }),
  });
}
