/**
 * `launchpad bootstrap <root.yaml>`: what the seed's bootstrap.sh does for a real cluster, in one command — install
 * Launchpad (CRDs, RBAC, the controller Deployment, the default AppProject), apply the root Application, wait until
 * the tree has converged, and report. With `--run-controller` the controller runs in this process until then (for a
 * cluster that cannot pull the controller image yet), and only the CRDs and the project are installed.
 * Exit 0 when every application is Synced and Healthy, 1 when the tree converged otherwise or not in time.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LaunchpadError } from '../../errors.js';
import { applyInstall } from '../../install/apply.js';
import { installManifests } from '../../install/manifests.js';
import { waitConverged } from '../../local/converge.js';
import { applyRoot, installCore } from '../../local/up.js';
import { parseGoDuration } from '../../model/duration.js';
import { loadConfig } from '../../source/config.js';
import { createLogger } from '../../controller/log.js';
import { EXIT, ExitCode } from '../exit.js';
import { addKubeOptions, kubeClientFor } from '../kube-options.js';
import type { KubeFlags } from '../kube-options.js';
import { convergenceLines } from '../output/convergence.js';
import { runController } from './controller.js';
import type { RunningController } from './controller.js';

interface BootstrapFlags extends KubeFlags {
  readonly namespace: string;
  readonly image?: string;
  readonly clusterAdmin?: boolean;
  readonly runController?: boolean;
  readonly config?: string;
  readonly timeout: string;
}

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export function registerBootstrap(program: Command): void {
  addKubeOptions(program.command('bootstrap'))
    .description('install Launchpad into a cluster, apply a root Application and wait until its tree has converged')
    .argument('<root>', 'the root (app-of-apps) Application file')
    .option('-n, --namespace <name>', 'namespace of Launchpad and the Applications', 'argocd')
    .option('--image <image>', 'controller image (default: the release matching this CLI)')
    .option('--cluster-admin', 'bind cluster-admin instead of the least-privilege ClusterRole')
    .option('--run-controller', 'run the controller in this process until converged (installs only the CRDs and the project)')
    .option('--config <file>', 'with --run-controller: launchpad.yaml mapping repositories to local folders or mirrors')
    .option('--timeout <duration>', 'how long to wait for the tree to converge', '15m')
    .action(async (root: string, flags: BootstrapFlags) => {
      const timeoutMs = parseGoDuration(flags.timeout);
      if (timeoutMs === undefined || timeoutMs <= 0) throw new LaunchpadError(`--timeout ${flags.timeout}: not a duration`, { fix: 'use e.g. 15m' });
      const client = await kubeClientFor(flags);
      let running: RunningController | undefined;
      try {
        if (flags.runController === true) {
          await installCore(client, flags.namespace);
          say(`installed Launchpad's CRDs and the "${flags.namespace}" namespace; running the controller here until the tree converges`);
          running = await runController({
            client, namespace: flags.namespace, listen: '127.0.0.1:0', leaderElect: false, processors: 10, appResyncMs: 180_000, selfHealTimeoutMs: 5_000,
            webhookInsecure: false, offline: false, log: createLogger({ level: 'warn' }), ...(flags.config === undefined ? {} : { config: await loadConfig(flags.config) }),
          });
        } else {
          const objects = installManifests({ namespace: flags.namespace, ...(flags.image === undefined ? {} : { image: flags.image }), ...(flags.clusterAdmin === true ? { clusterAdmin: true } : {}) });
          await applyInstall(objects, { client, onApplied: (applied) => { say(`${applied.action} ${applied.kind}/${applied.name}`); } });
        }
        const names = await applyRoot(client, resolve(root), flags.namespace);
        say(`applied ${names.join(', ')}; waiting for the tree to converge (up to ${flags.timeout})…`);
        const result = await waitConverged({ client, namespace: flags.namespace, timeoutMs });
        process.stdout.write(`${convergenceLines({ apps: result.apps, converged: result.converged, seconds: result.elapsedMs / 1000, simulated: false }).join('\n')}\n`);
        const allGood = result.converged && result.apps.every((app) => app.sync === 'Synced' && app.health === 'Healthy');
        if (!allGood) throw new ExitCode(EXIT.failed);
      } finally {
        await running?.stop();
        client.close?.();
      }
    });
}
