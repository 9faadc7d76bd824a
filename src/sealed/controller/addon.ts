/**
 * The in-cluster unsealer as a controller add-on (src/controller/addon.ts) — Bitnami's sealed-secrets controller
 * inside `launchpad controller`, `launchpad up` and `launchpad sealed-secrets-controller`:
 *   1. sealing keys from the namespace's key Secrets (key-store.ts); a first key made when there is none;
 *   2. renewal every `keyRenewPeriodMs` (key-rotation.ts), old keys kept;
 *   3. a watch of every SealedSecret in the cluster; each new or changed one is unsealed into its Secret
 *      (reconcile.ts) by a small work queue; a deleted owned Secret is written again;
 *   4. `/v1/cert.pem`, `/v1/verify`, `/v1/rotate` on the controller's listener (http.ts).
 * When the SealedSecret kind is not served yet (its CRD comes later, from an Application), the watch is retried.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { AddonContext, ControllerAddon } from '../../controller/addon.js';
import { WorkQueue } from '../../controller/queue.js';
import type { Logger } from '../../controller/services.js';
import { describeError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND } from '../types.js';
import type { SealedSecret } from '../types.js';
import { registerSealedSecretsRoutes } from './http.js';
import { KeyRegistry } from './key-registry.js';
import { firstRenewalDelayMs, needsKeyAtStart, runKeyRenewal } from './key-rotation.js';
import { KeyStore } from './key-store.js';
import { SealedSecretsMetrics } from './metrics.js';
import { MANAGED_ANNOTATION } from './names.js';
import { RateLimiter } from './rate-limit.js';
import type { RateLimitOptions } from './rate-limit.js';
import { reconcileSealedSecret } from './reconcile.js';
import type { UnsealerDeps } from './reconcile.js';

export interface SealedSecretsOptions {
  /** Where the sealing keys live. @default the controller's namespace */
  readonly namespace?: string;
  /** New key this often; 0 = never. @default 720h */
  readonly keyRenewPeriodMs?: number;
  /** Make a new key at start when the newest is older than this. @default none */
  readonly keyCutoff?: Date;
  /** @default 4096 */
  readonly keySize?: number;
  /** Certificate CN. @default '' (Bitnami's) */
  readonly commonName?: string;
  /** /v1/verify limit per client. @default 2 per second, burst 2 */
  readonly verifyRateLimit?: RateLimitOptions;
  /** SealedSecrets unsealed in parallel. @default 4 */
  readonly processors?: number;
}

const DEFAULT_RENEW_PERIOD_MS = 720 * 3_600_000;
/** How often the SealedSecret watch is tried again while its kind is not served or the watch broke. */
const WATCH_RETRY_MS = 5_000;
const ADDON = 'sealed-secrets';

const keyOf = (object: { readonly metadata?: { readonly namespace?: string | undefined; readonly name?: string | undefined } }): string =>
  `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

/** Whether a Secret was written for a SealedSecret (so its deletion means "write it again"). */
function isUnsealedSecret(secret: KubeObject): boolean {
  const references = (secret.metadata.ownerReferences ?? []) as readonly { kind?: unknown; apiVersion?: unknown; controller?: unknown }[];
  const owned = references.some((reference) => reference.kind === SEALED_SECRET_KIND && reference.apiVersion === SEALED_SECRET_API_VERSION && reference.controller === true);
  return owned || secret.metadata.annotations?.[MANAGED_ANNOTATION] === 'true';
}

export class SealedSecretsAddon implements ControllerAddon {
  readonly name = ADDON;
  readonly registry = new KeyRegistry();
  readonly metrics = new SealedSecretsMetrics();
  private readonly verifyLimit: RateLimiter;
  private readonly sealedSecrets = new Map<string, SealedSecret>();
  /** Generation last queued per SealedSecret: status writes (no new generation) do not queue it again. */
  private readonly queuedGeneration = new Map<string, unknown>();
  /** SealedSecrets whose last attempt failed: a new key may open them. */
  private readonly failed = new Set<string>();
  private queue = new WorkQueue();
  private keyStore: KeyStore | undefined;
  private stopping: AbortController | undefined;
  private running: Promise<unknown> | undefined;
  private log: Logger | undefined;

  constructor(private readonly options: SealedSecretsOptions = {}) {
    this.verifyLimit = new RateLimiter(options.verifyRateLimit);
  }

  routes(app: FastifyInstance): void {
    registerSealedSecretsRoutes(app, { registry: this.registry, metrics: this.metrics, verifyLimit: this.verifyLimit });
  }

  async start(context: AddonContext): Promise<void> {
    const stopping = new AbortController();
    this.stopping = stopping;
    const signal = AbortSignal.any([context.signal, stopping.signal]);
    const namespace = this.options.namespace ?? context.namespace;
    this.log = context.log;
    this.metrics.registerWith(context.registry);
    this.queue = new WorkQueue({ processors: this.options.processors ?? 4, baseDelayMs: 1_000, maxDelayMs: 300_000 });
    const keyStore = new KeyStore({
      client: context.client, namespace, registry: this.registry, log: context.log,
      ...(this.options.keySize === undefined ? {} : { keySize: this.options.keySize }),
      ...(this.options.commonName === undefined ? {} : { commonName: this.options.commonName }),
      onNewKey: () => {
        this.metrics.keys.set(this.registry.size());
        for (const key of this.failed) this.queue.add(key);
      },
    });
    this.keyStore = keyStore;
    await keyStore.start(signal);
    if (needsKeyAtStart(this.registry.latest()?.orderingTime, this.options.keyCutoff)) await keyStore.generate();
    const deps: UnsealerDeps = { client: context.client, registry: this.registry, metrics: this.metrics, log: context.log };
    const periodMs = this.options.keyRenewPeriodMs ?? DEFAULT_RENEW_PERIOD_MS;
    this.running = Promise.all([
      runKeyRenewal({
        periodMs, signal, initialDelayMs: firstRenewalDelayMs(this.registry.latest()?.orderingTime ?? new Date(), periodMs), renew: () => keyStore.generate(),
        onError: (error) => { context.log.error({ addon: ADDON }, `sealing key renewal failed: ${describeError(error)}`); },
      }),
      this.queue.run((key) => this.process(deps, key), signal),
      this.watchSealedSecrets(context.client, signal),
      this.watchSecrets(context.client, signal),
    ]);
  }

  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.running?.catch(() => undefined);
  }

  /** Makes a new sealing key now (Bitnami's SIGUSR1); returns its Secret's name. */
  async renewKey(): Promise<string> {
    if (this.keyStore === undefined) throw new Error('the sealed-secrets add-on is not started');
    return this.keyStore.generate();
  }

  private async process(deps: UnsealerDeps, key: string): Promise<void> {
    const sealed = this.sealedSecrets.get(key);
    if (sealed === undefined) return;
    let outcome;
    try {
      outcome = await reconcileSealedSecret(deps, sealed);
    } catch (error) {
      deps.log.error({ addon: ADDON }, `SealedSecret/${key}: ${describeError(error)}`);
      outcome = 'retry' as const;
    }
    if (outcome === 'retry') {
      this.queue.addAfterFailure(key);
      return;
    }
    this.queue.forget(key);
    if (outcome === 'failed') this.failed.add(key);
    else this.failed.delete(key);
  }

  private onSealedSecret(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: SealedSecret): void {
    const key = keyOf(object);
    if (type === 'DELETED') {
      // Its Secret goes with it: the API server's garbage collector follows the owner reference.
      this.sealedSecrets.delete(key);
      this.queuedGeneration.delete(key);
      this.failed.delete(key);
      this.metrics.observeCondition(object.metadata?.namespace ?? '', object.metadata?.name ?? '', undefined);
      return;
    }
    this.sealedSecrets.set(key, object);
    const generation = object.metadata?.['generation'];
    if (type === 'MODIFIED' && this.queuedGeneration.get(key) === generation) return;
    this.queuedGeneration.set(key, generation);
    this.queue.add(key);
  }

  /** Watches SealedSecrets in every namespace until `signal` aborts, starting again after a failure. */
  private async watchSealedSecrets(client: KubeClient, signal: AbortSignal): Promise<void> {
    let reported = '';
    while (!signal.aborted) {
      try {
        await client.watch(SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND, { signal }, (event) => {
          this.onSealedSecret(event.type, event.object);
        });
      } catch (error) {
        const message = describeError(error);
        // Said once, not every few seconds while the CRD is simply not installed yet.
        if (message !== reported) this.log?.warn({ addon: ADDON }, `watch of SealedSecrets stopped, retrying: ${message}`);
        reported = message;
        client.invalidateDiscovery();
      }
      await sleep(WATCH_RETRY_MS, undefined, { signal }).catch(() => undefined);
    }
  }

  /** A Secret written for a SealedSecret that is deleted is written again (Bitnami's behaviour without --skip-recreate). */
  private async watchSecrets(client: KubeClient, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await client.watch('v1', 'Secret', { signal }, (event) => {
          if (event.type !== 'DELETED' || !isUnsealedSecret(event.object)) return;
          const key = keyOf(event.object);
          if (this.sealedSecrets.has(key)) this.queue.add(key);
        });
      } catch (error) {
        this.log?.warn({ addon: ADDON }, `watch of Secrets stopped, retrying: ${describeError(error)}`);
      }
      await sleep(WATCH_RETRY_MS, undefined, { signal }).catch(() => undefined);
    }
  }
}
