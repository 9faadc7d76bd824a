/**
 * `launchpad controller`: the long-running controller — in a cluster (service account) or beside one
 * (`--kubeconfig/--context`). It serves webhooks, metrics and health on `--listen`, competes for the leader Lease
 * (unless `--no-leader-elect`) and reconciles while it leads. SIGTERM drains: no new work, running syncs stop
 * between waves, the Lease is released so a standby takes over at once. A process that loses the Lease stops writing
 * immediately and exits, to be restarted as a standby.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { LaunchpadError, describeError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import { parseGoDuration } from '../../model/duration.js';
import { loadPluginCatalog } from '../../render/plugin/catalog.js';
import { loadConfig } from '../../source/config.js';
import { loadLuaHealthDir, setCustomHealthChecks } from '../../health/lua/index.js';
import type { LaunchpadConfig } from '../../source/config.js';
import { Controller } from '../../controller/controller.js';
import type { ControllerAddon } from '../../controller/addon.js';
import { LeaderPodLabel, ownPodFromEnv } from '../../controller/leader-pod-label.js';
import { createLeaderElector } from '../../controller/leader.js';
import { createLogger } from '../../controller/log.js';
import type { LogLevel } from '../../controller/log.js';
import { startServer } from '../../controller/server.js';
import type { RunningServer } from '../../controller/server.js';
import type { Logger } from '../../controller/services.js';
import { addAddonOptions, controllerAddons } from '../controller-addons.js';
import { addKubeOptions, kubeClientFor } from '../kube-options.js';
import type { KubeFlags } from '../kube-options.js';

interface ControllerFlags extends KubeFlags {
  readonly namespace: string;
  readonly processors: string;
  readonly appResync: string;
  readonly selfHealTimeout: string;
  readonly listen: string;
  readonly webhookInsecure?: boolean;
  readonly childHealthGates?: boolean;
  readonly leaderElect: boolean;
  readonly config?: string;
  readonly plugin: string[];
  readonly offline?: boolean;
  readonly logLevel: LogLevel;
  readonly logFormat: 'text' | 'json';
}

function durationMs(flag: string, value: string): number {
  const ms = parseGoDuration(value);
  if (ms === undefined || ms <= 0) throw new LaunchpadError(`${flag} ${value}: not a duration`, { fix: 'use Go duration syntax such as 5s, 3m or 1h' });
  return ms;
}

async function requireCRDs(client: KubeClient, namespace: string): Promise<void> {
  const info = await client.resourceFor('argoproj.io/v1alpha1', 'Application');
  if (info !== undefined) return;
  throw new LaunchpadError('the cluster does not serve argoproj.io/v1alpha1 Applications', { fix: `install Launchpad first: launchpad install --apply --namespace ${namespace}` });
}

export interface RunningController {
  readonly controller: Controller;
  readonly server: RunningServer;
  /** Drains and stops everything (SIGTERM). */
  stop(): Promise<void>;
  /** Resolves when leadership is lost (the process should exit). */
  readonly lost: Promise<string>;
}

export interface RunControllerOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly listen: string;
  readonly leaderElect: boolean;
  readonly processors: number;
  readonly appResyncMs: number;
  readonly selfHealTimeoutMs: number;
  readonly webhookInsecure: boolean;
  readonly offline: boolean;
  /** @default false (see ControllerOptions.childHealthGates) */
  readonly childHealthGates?: boolean;
  readonly config?: LaunchpadConfig;
  readonly cacheDir?: string;
  readonly log: Logger;
  /** Parts that run beside the Application controller while this process leads (unsealer, policies…). */
  readonly addons?: readonly ControllerAddon[];
}

/** Starts every add-on; one that fails to start is logged and left stopped, the rest run. */
async function startAddons(addons: readonly ControllerAddon[], options: RunControllerOptions, controller: Controller, signal: AbortSignal): Promise<void> {
  await Promise.all(addons.map(async (addon) => {
    try {
      const informers = controller.informers();
      await addon.start({ client: options.client, namespace: options.namespace, log: options.log, signal, registry: controller.metrics.registry, ...(informers === undefined ? {} : { informers }) });
      options.log.info({ addon: addon.name }, 'started');
    } catch (error) {
      options.log.error({ addon: addon.name }, `could not start: ${describeError(error)}`);
    }
  }));
}

/** Starts the controller with its server and leader election; used by `launchpad controller` and `launchpad up`. */
export async function runController(options: RunControllerOptions): Promise<RunningController> {
  await requireCRDs(options.client, options.namespace);
  const controller = new Controller({
    client: options.client, namespace: options.namespace, processors: options.processors, appResyncMs: options.appResyncMs,
    selfHealTimeoutMs: options.selfHealTimeoutMs, webhookInsecure: options.webhookInsecure, offline: options.offline, log: options.log,
    childHealthGates: options.childHealthGates === true,
    ...(options.config === undefined ? {} : { config: options.config }), ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  });
  const addons = options.addons ?? [];
  const server = await startServer({ listen: options.listen, metrics: controller.metrics, ready: () => controller.serving(), webhook: (request) => controller.webhook(request), addons });
  const stopping = new AbortController();
  const addonsStop = new AbortController();
  let markLost: (reason: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => {
    markLost = resolve;
  });
  const ownPod = ownPodFromEnv(process.env, options.namespace);
  const podLabel = ownPod === undefined ? undefined : new LeaderPodLabel(options.client, ownPod, options.log);
  if (!options.leaderElect) {
    await controller.start();
    controller.metrics.leader.set(1);
    await podLabel?.markLeader();
    await startAddons(addons, options, controller, addonsStop.signal);
  } else {
    await podLabel?.clearOwn();
    const identity = `${process.env.POD_NAME ?? hostname()}-${randomBytes(4).toString('hex')}`;
    const elector = createLeaderElector({
      client: options.client, namespace: options.namespace, identity,
      log: (message) => { options.log.warn({}, `leader election: ${message}`); },
      onNewLeader: (leader) => { options.log.info({ leader }, leader === identity ? 'this process leads' : 'another process leads'); },
      onStartedLeading: () => {
        controller.metrics.leader.set(1);
        void podLabel?.markLeader();
        void controller.start()
          .then(() => startAddons(addons, options, controller, addonsStop.signal))
          .catch((error: unknown) => { options.log.error({}, `controller failed to start: ${String(error)}`); markLost('start failed'); });
      },
      onStoppedLeading: (reason) => {
        controller.metrics.leader.set(0);
        void podLabel?.clearOwn();
        if (stopping.signal.aborted) return;
        addonsStop.abort();
        void Promise.all(addons.map((addon) => addon.stop()));
        void controller.stop({ lost: true });
        markLost(reason);
      },
    });
    void elector.run(stopping.signal);
    stopping.signal.addEventListener('abort', () => { void elector.release(); }, { once: true });
  }
  return {
    controller,
    server,
    lost,
    async stop() {
      addonsStop.abort();
      await Promise.all(addons.map((addon) => addon.stop().catch((error: unknown) => { options.log.warn({ addon: addon.name }, `stop: ${describeError(error)}`); })));
      await controller.stop();
      stopping.abort();
      await server.close();
    },
  };
}

export function registerController(program: Command): void {
  addAddonOptions(addKubeOptions(program.command('controller')))
    .description('run the controller: keep every Application in the namespace synced with Git (webhooks, metrics and health on --listen)')
    .option('-n, --namespace <name>', 'namespace of the Applications, AppProjects and cluster Secrets', 'argocd')
    .option('--processors <n>', 'applications reconciled in parallel', '10')
    .option('--app-resync <duration>', 'refresh every application this often (with jitter)', '3m')
    .option('--self-heal-timeout <duration>', 'heal drift this long after the last sync at the earliest', '5s')
    .option('--listen <host:port>', 'address for /api/webhook, /metrics, /healthz, /readyz', '127.0.0.1:8080')
    .option('--webhook-insecure', 'accept git webhooks without a configured secret (argocd-secret webhook.*.secret)')
    .option('--no-leader-elect', 'do not compete for the leader Lease (a single replica)')
    .option('--child-health-gates', "let child Applications' health gate their parent's sync waves (Argo CD needs a Lua customization for this)")
    .option('--config <file>', 'launchpad.yaml with repository substitutions (local folders, mirrors)')
    .option('--plugin <path>', 'a Config Management Plugin (plugin.yaml, or a folder of them) Applications may use; repeatable', (value: string, previous: string[]) => [...previous, value], [])
    .option('--offline', 'never fetch from the network; unavailable sources are reported per application')
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .addOption(new Option('--log-format <format>', 'log format (text on a terminal by default)').choices(['text', 'json']).default('text'))
    .action(async (flags: ControllerFlags) => {
      const processors = Number(flags.processors);
      if (!Number.isInteger(processors) || processors < 1) throw new LaunchpadError(`--processors ${flags.processors}: not a positive whole number`);
      const log = createLogger({ level: flags.logLevel, json: flags.logFormat === 'json' });
      const client = await kubeClientFor(flags);
      const running = await runController({
        client, namespace: flags.namespace, listen: flags.listen, leaderElect: flags.leaderElect, processors,
        appResyncMs: durationMs('--app-resync', flags.appResync), selfHealTimeoutMs: durationMs('--self-heal-timeout', flags.selfHealTimeout),
        webhookInsecure: flags.webhookInsecure === true, offline: flags.offline === true, log, childHealthGates: flags.childHealthGates === true,
        ...(await controllerConfig(flags)), addons: await controllerAddons(flags as unknown as Readonly<Record<string, unknown>>),
      });
      log.info({ url: running.server.url }, 'serving /api/webhook, /metrics, /healthz, /readyz');
      const reason = await Promise.race([running.lost, signalled()]);
      log.info({}, reason === 'lost' ? 'leadership lost: stopping' : `${reason}: draining`);
      await running.stop();
      client.close?.();
      // Work still waiting on an unreachable API server or repository must not keep a stopped controller alive.
      process.exit(reason === 'SIGTERM' || reason === 'SIGINT' ? 0 : 1);
    });
}

function signalled(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

/** launchpad.yaml (--config) with the --plugin paths added to its `plugins:`; the plugins are checked now, not at the first render. */
async function controllerConfig(flags: ControllerFlags): Promise<{ config?: LaunchpadConfig }> {
  const config = flags.config === undefined ? undefined : await loadConfig(flags.config);
  if (config?.health?.luaDir !== undefined) setCustomHealthChecks({ folder: await loadLuaHealthDir(config.health.luaDir, `as health.luaDir in ${config.file}`) });
  const fromFlags = flags.plugin.map((path) => ({ path: resolve(path), position: { file: `--plugin ${path}` } }));
  const plugins = [...(config?.plugins ?? []), ...fromFlags];
  await loadPluginCatalog(plugins);
  if (fromFlags.length === 0) return config === undefined ? {} : { config };
  return { config: { ...(config ?? { file: '--plugin', repositories: [], warnings: [] }), plugins } };
}
