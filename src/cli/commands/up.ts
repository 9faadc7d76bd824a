/**
 * `launchpad up`: a local Kubernetes, Launchpad's controller and the example platform's upc-dev tree, converged and
 * summarised, kept running until Ctrl-C or `launchpad down`. `launchpad down` stops it, keeping its state
 * (`--reset` wipes it). See src/local/up.ts.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { LaunchpadError } from '../../errors.js';
import { createKubeClient } from '../../kube/index.js';
import { KUBERNETES_VERSION, startControlPlane } from '../../local/control-plane/index.js';
import type { ControlPlane } from '../../local/control-plane/index.js';
import type { AppState } from '../../local/converge.js';
import { waitConverged } from '../../local/converge.js';
import { applyRoot, bundledExample, defaultStateDir, installCore, installDemoSealingKey, readUpRecord, removeUpRecord, resetState, stopRunningUp, writeUpRecord } from '../../local/up.js';
import { parseGoDuration } from '../../model/duration.js';
import { loadConfig } from '../../source/config.js';
import { createLogger } from '../../controller/log.js';
import { installExampleNotifications } from '../../notifications/example-setup.js';
import { convergenceLines } from '../output/convergence.js';
import { controllerAddons } from '../controller-addons.js';
import { runController } from './controller.js';
import type { RunningController } from './controller.js';

interface UpFlags {
  readonly root?: string;
  readonly config?: string;
  readonly reset?: boolean;
  readonly stateDir?: string;
  readonly listen: string;
  readonly timeout: string;
  readonly namespace: string;
  readonly slackApiUrl?: string;
}

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function summary(apps: readonly AppState[], context: { plane: ControlPlane; running: RunningController; converged: boolean; seconds: number }): string {
  return [
    '',
    ...convergenceLines({ apps, converged: context.converged, seconds: context.seconds, simulated: true }),
    '',
    `  kubeconfig: ${context.plane.kubeconfigPath}    (export KUBECONFIG=${context.plane.kubeconfigPath}; kubectl get applications -n argocd)`,
    `  controller: ${context.running.server.url}/metrics  ${context.running.server.url}/api/webhook  ${context.running.server.url}/readyz`,
    `  web UI: ${context.running.server.url}/   API: ${context.running.server.url}/api/v1 (OpenAPI: /api/v1/openapi.json) — log in as admin with the password "launchpad admin password --kubeconfig ${context.plane.kubeconfigPath}" prints`,
    '',
    'Launchpad keeps the cluster equal to Git until you press Ctrl-C (or run "launchpad down"); the state is kept for the next "launchpad up".',
    '',
  ].join('\n');
}

function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

async function runUp(flags: UpFlags): Promise<void> {
  const stateDir = flags.stateDir ?? defaultStateDir();
  if (flags.reset === true) await resetState(stateDir);
  const existing = await readUpRecord(stateDir);
  if (existing !== undefined) throw new LaunchpadError(`launchpad up is already running (pid ${existing.pid}, kubeconfig ${existing.kubeconfig})`, { fix: 'use it, or stop it with "launchpad down"' });
  const example = bundledExample();
  const root = flags.root ?? example.root;
  const configFile = flags.config ?? (flags.root === undefined ? example.config : join(root, '..', '..', 'launchpad.yaml'));
  const config = await loadConfig(configFile);
  const timeoutMs = parseGoDuration(flags.timeout) ?? 600_000;
  say(`starting a local Kubernetes v${KUBERNETES_VERSION} (tier 2, state in ${stateDir})…`);
  const plane = await startControlPlane({ tier: 2, stateDir: join(stateDir, 'cluster') });
  const client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
  let running: RunningController | undefined;
  try {
    say(`  ready in ${(plane.startMs / 1000).toFixed(1)} s: ${plane.server}`);
    await installCore(client, flags.namespace);
    say(`  Launchpad CRDs and the "${flags.namespace}" namespace installed`);
    if (await installDemoSealingKey(client, root, flags.namespace)) say('  the example\'s INSECURE demo sealing key installed (local cluster only), so its SealedSecrets decrypt');
    for (const line of await installExampleNotifications(client, root, flags.namespace, { standInSlack: flags.slackApiUrl !== undefined })) say(`  ${line}`);
    running = await runController({
      client, namespace: flags.namespace, listen: flags.listen, leaderElect: false, processors: 10, appResyncMs: 180_000, selfHealTimeoutMs: 5_000,
      webhookInsecure: false, offline: false, config, log: createLogger({ level: 'warn' }), addons: await controllerAddons({ config: configFile, slackApiUrl: flags.slackApiUrl }),
    });
    await writeUpRecord(stateDir, { pid: process.pid, startedAt: new Date().toISOString(), kubeconfig: plane.kubeconfigPath, url: running.server.url });
    const names = await applyRoot(client, root, flags.namespace);
    say(`  applied ${names.join(', ')} from ${root}; waiting for the tree to converge (up to ${Math.round(timeoutMs / 60_000)} min)…`);
    const stop = untilStopped();
    const abort = new AbortController();
    void stop.then(() => { abort.abort(); });
    let shown = '';
    const result = await waitConverged({ client, namespace: flags.namespace, timeoutMs, signal: abort.signal, onProgress: (apps) => {
      const line = `  ${apps.length} applications: ${apps.filter((app) => app.sync === 'Synced').length} Synced, ${apps.filter((app) => app.health === 'Healthy').length} Healthy, ${apps.filter((app) => app.operationPending).length} syncing`;
      if (line !== shown) say(line);
      shown = line;
    } });
    process.stdout.write(summary(result.apps, { plane, running, converged: result.converged, seconds: result.elapsedMs / 1000 }));
    const signal = abort.signal.aborted ? 'SIGINT' : await stop;
    say(`${signal}: stopping (state kept in ${stateDir}; "launchpad up" resumes, "launchpad down --reset" wipes it)…`);
  } finally {
    await running?.stop();
    client.close?.();
    await plane.stop().catch(() => undefined);
    await removeUpRecord(stateDir);
  }
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('run Launchpad locally: a local Kubernetes, the controller and the example platform (upc-dev), until Ctrl-C')
    .option('--root <file>', 'root Application to apply (default: the bundled example\'s _app-of-apps-upc-dev.yaml)')
    .option('--config <file>', 'launchpad.yaml mapping repositories to local folders or mirrors (default: the example\'s)')
    .option('--reset', 'wipe the local cluster\'s state first')
    .option('--state-dir <dir>', 'where the local cluster keeps its state (default: $XDG_STATE_HOME/launchpad/local)')
    .option('--listen <host:port>', 'controller address for webhooks and metrics', '127.0.0.1:8080')
    .option('--timeout <duration>', 'how long to wait for the tree to converge before showing the summary', '10m')
    .option('-n, --namespace <name>', 'namespace of the Applications', 'argocd')
    .option('--slack-api-url <url>', 'send the Slack notifications to this Slack-compatible Web API (a stand-in, e.g. http://127.0.0.1:9000/api/); creates argocd-notifications-secret with a stand-in token when there is none')
    .action(async (flags: UpFlags) => {
      await runUp(flags);
      // Everything is stopped; requests still waiting on unreachable chart repositories must not keep the process.
      process.exit(0);
    });
  program
    .command('down')
    .description('stop a running "launchpad up" (its state is kept unless --reset)')
    .option('--reset', 'also wipe the local cluster\'s state')
    .option('--state-dir <dir>', 'the state folder of "launchpad up"')
    .action(async (flags: { reset?: boolean; stateDir?: string }) => {
      const stateDir = flags.stateDir ?? defaultStateDir();
      const stopped = await stopRunningUp(stateDir);
      say(stopped ? 'stopped launchpad up' : 'launchpad up is not running');
      if (flags.reset === true) {
        await resetState(stateDir);
        say(`wiped ${stateDir}`);
      }
    });
}
