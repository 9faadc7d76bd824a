/**
 * `launchpad sealed-secrets-controller`: only the unsealer, for teams that want Bitnami's controller without the
 * rest of Launchpad. The same add-on `launchpad controller` runs (src/sealed/controller/), with its own listener for
 * `/v1/cert.pem`, `/v1/verify`, `/v1/rotate`, `/healthz` and `/metrics`. One replica: it does not elect a leader.
 * The keys' namespace defaults to the Pod's (POD_NAMESPACE or the service account's), else `kube-system`, where
 * kubeseal looks for the controller by default.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import Fastify from 'fastify';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createLogger } from '../../controller/log.js';
import type { LogLevel } from '../../controller/log.js';
import { splitListen } from '../../controller/server.js';
import { describeError } from '../../errors.js';
import { DEFAULT_CONTROLLER_NAMESPACE } from '../../sealed/controller-proxy.js';
import { addSealedSecretsOptions, sealedSecretsAddonFromFlags } from '../../sealed/controller/flags.js';
import type { SealedSecretsFlags } from '../../sealed/controller/flags.js';
import { addKubeOptions, kubeClientFor } from '../kube-options.js';
import type { KubeFlags } from '../kube-options.js';

interface Flags extends KubeFlags, SealedSecretsFlags {
  readonly listen: string;
  readonly logLevel: LogLevel;
  readonly logFormat: 'text' | 'json';
}

/** Bitnami's myNamespace(), ending in kubeseal's default rather than `default`. */
function podNamespace(): string {
  if (process.env.POD_NAMESPACE) return process.env.POD_NAMESPACE;
  try {
    const namespace = readFileSync('/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'utf8').trim();
    if (namespace !== '') return namespace;
  } catch {
    // not in a Pod
  }
  return DEFAULT_CONTROLLER_NAMESPACE;
}

function untilSignal(): Promise<NodeJS.Signals> {
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

async function run(flags: Flags): Promise<void> {
  const log = createLogger({ level: flags.logLevel, json: flags.logFormat === 'json' });
  const addon = sealedSecretsAddonFromFlags({ ...flags, sealedSecrets: true }, { namespace: podNamespace() });
  if (addon === undefined) return;
  const client = await kubeClientFor(flags);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sealed_secrets_controller_' });
  const app = Fastify({ logger: false });
  await app.register((scope, _options, done) => {
    addon.routes(scope);
    done();
  });
  app.get('/healthz', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('ok\n'));
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  const { host, port } = splitListen(flags.listen);
  const url = await app.listen({ host, port });
  const stop = new AbortController();
  try {
    await addon.start({ client, namespace: podNamespace(), log, signal: stop.signal, registry });
    log.info({ url, keys: addon.registry.size() }, 'serving /v1/cert.pem, /v1/verify, /v1/rotate, /healthz, /metrics');
    const signal = await untilSignal();
    log.info({}, `${signal}: stopping`);
  } finally {
    stop.abort();
    await addon.stop().catch((error: unknown) => { log.warn({}, `stop: ${describeError(error)}`); });
    await app.close();
    client.close?.();
  }
}

export function registerSealedSecretsController(program: Command): void {
  addSealedSecretsOptions(addKubeOptions(program.command('sealed-secrets-controller')), { toggle: false })
    .description('run only the sealed-secrets unsealer (Bitnami-compatible keys, SealedSecrets → Secrets, kubeseal\'s /v1 endpoints)')
    .option('--listen <host:port>', 'address for /v1/cert.pem, /v1/verify, /v1/rotate, /healthz and /metrics', '127.0.0.1:8080')
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .addOption(new Option('--log-format <format>', 'log format (text on a terminal by default)').choices(['text', 'json']).default('text'))
    .action(async (flags: Flags) => {
      await run(flags);
      // Requests still waiting on an unreachable API server must not keep a stopped process alive.
      process.exit(0);
    });
}
