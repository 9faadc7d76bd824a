/**
 * `launchpad dev cluster`: a throwaway local Kubernetes (the tier-2 test control plane) in the foreground, for
 * trying Launchpad without a real cluster. Prints the kubeconfig path; Ctrl-C stops it and removes everything.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ToolError } from '../../errors.js';
import { KUBERNETES_VERSION, startControlPlane } from '../../local/control-plane/index.js';
import type { ControlPlane } from '../../local/control-plane/index.js';

interface DevClusterOptions {
  readonly tier: 1 | 2;
  readonly startTimeout: number;
}

function parseTier(value: string): 1 | 2 {
  if (value === '1' || value === '2') return value === '1' ? 1 : 2;
  throw new InvalidArgumentError('use 1 (etcd + kube-apiserver) or 2 (adds controllers, scheduler and a fake node)');
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('give a positive number of seconds');
  return seconds;
}

function describePlane(plane: ControlPlane): string {
  const components = plane.tier === 2 ? `etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok (node ${plane.nodeName ?? '?'})` : 'etcd, kube-apiserver';
  return [
    `Kubernetes v${KUBERNETES_VERSION} is ready (tier ${plane.tier}: ${components}) after ${(plane.startMs / 1000).toFixed(1)} s`,
    `  server:     ${plane.server}`,
    `  kubeconfig: ${plane.kubeconfigPath}`,
    `  logs:       ${plane.logDir}`,
    '',
    `  export KUBECONFIG=${plane.kubeconfigPath}`,
    '',
    'Press Ctrl-C to stop; the cluster and its data are removed.',
    '',
  ].join('\n');
}

/** Resolves with the signal's name on the first SIGINT or SIGTERM; a second one ends the process at once. */
function untilSignal(): { readonly signal: Promise<string>; readonly dispose: () => void } {
  let received = false;
  let resolveSignal: (name: string) => void = () => undefined;
  const signal = new Promise<string>((resolve) => {
    resolveSignal = resolve;
  });
  const handler = (name: NodeJS.Signals): void => {
    if (received) process.exit(130); // the 'exit' handler still kills every component
    received = true;
    resolveSignal(name);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  // Signal listeners and the (unref'd) components do not keep Node running; this timer does, until disposed.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  return {
    signal,
    dispose: () => {
      clearInterval(keepAlive);
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
    },
  };
}

async function runDevCluster(options: DevClusterOptions): Promise<void> {
  const stop = untilSignal();
  try {
    process.stderr.write(`starting a local Kubernetes v${KUBERNETES_VERSION} control plane (tier ${options.tier})…\n`);
    const plane = await Promise.race([
      startControlPlane({ tier: options.tier, startTimeoutMs: options.startTimeout * 1000 }),
      stop.signal.then((name) => {
        throw new ToolError(`interrupted (${name}) while starting the control plane`);
      }),
    ]);
    process.stdout.write(describePlane(plane));
    const outcome = await Promise.race([stop.signal.then(() => undefined), plane.failed]);
    process.stderr.write('stopping…\n');
    await plane.stop();
    if (outcome !== undefined) throw new ToolError(`the local cluster failed: ${outcome}`, { fix: 'read the log it names, then run "launchpad dev cluster" again' });
    process.stderr.write('stopped and cleaned up\n');
  } finally {
    stop.dispose();
  }
}

export function registerDevCluster(program: Command): void {
  const dev = program.commands.find((command) => command.name() === 'dev') ?? program.command('dev').description('local development helpers');
  dev
    .command('cluster')
    .description('run a local Kubernetes control plane (kube-apiserver, etcd, controllers, a kwok fake node) until Ctrl-C')
    .option('--tier <tier>', '1: etcd + kube-apiserver only; 2: also controller-manager, scheduler and a fake node', parseTier, 2)
    .option('--start-timeout <seconds>', 'give up if not ready by then', parseSeconds, 180)
    .action(async (options: DevClusterOptions) => {
      await runDevCluster(options);
    });
}
