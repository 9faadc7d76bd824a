/**
 * The controller: Applications, AppProjects and cluster Secrets watched in one namespace; a work queue of
 * application names fed by every trigger (a change to the Application, to a managed object in any cluster, to its
 * project, a git webhook, and a periodic resync with jitter); `processors` reconciles in parallel; operations run
 * beside the queue. It composes the render, sync, diff and health libraries — never a second copy of them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { assessHealth } from '../health/index.js';
import type { HealthResult } from '../health/types.js';
import { describeError } from '../errors.js';
import type { KubeClient, WatchEvent } from '../kube/types.js';
import type { Application } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';
import type { LaunchpadConfig } from '../source/config.js';
import type { ArgoCdSettings } from '../model/argocd-cm.js';
import { DEFAULT_ARGOCD_SETTINGS } from '../model/argocd-cm.js';
import { CLUSTER_SECRETS_SELECTOR, ClusterRegistry, REPOSITORY_SECRETS_SELECTOR, readClusterSecret } from './clusters.js';
import { eventFor, recordEvent } from './events.js';
import type { Informer } from './informer.js';
import { SharedInformers } from './shared-informers.js';
import type { LiveChange } from './live-cache.js';
import { ControllerMetrics, instrumentClient } from './metrics.js';
import { OperationRunner } from './operation.js';
import { createProjectGate } from './project-gate.js';
import { WorkQueue } from './queue.js';
import { REFRESH_ANNOTATION, reconcileApplication } from './reconcile.js';
import type { ReconcileDeps } from './reconcile.js';
import { Renderer } from './renderer.js';
import { CredentialStore } from '../source/credentials.js';
import { APPLICATION_API_VERSION } from './services.js';
import type { ControllerServices, Logger } from './services.js';
import { handleWebhook, isPushedRepository, pushMatchesSource } from './webhook.js';
import { SettingsFollower } from '../settings/follow.js';
import { luaHealthFromArgoCdSettings, setCustomHealthChecks } from '../health/lua/index.js';
import type { WebhookRequest, WebhookResult, WebhookSecrets } from './webhook.js';

export interface ControllerOptions {
  /** The cluster holding the Applications (and the in-cluster destination). */
  readonly client: KubeClient;
  /** @default 'argocd' */
  readonly namespace?: string;
  /** Reconciles in parallel. @default 10 */
  readonly processors?: number;
  /** Periodic refresh of every application (±10% jitter). @default 180_000 (Argo CD's 3 minutes) */
  readonly appResyncMs?: number;
  /** Drift is healed this long after the last sync at the earliest. @default 5_000 */
  readonly selfHealTimeoutMs?: number;
  /** Repository substitutions (launchpad.yaml). @default none */
  readonly config?: LaunchpadConfig;
  /** @default ~/.cache/launchpad */
  readonly cacheDir?: string;
  /** @default false */
  readonly offline?: boolean;
  /** Accept webhooks without a configured secret. @default false */
  readonly webhookInsecure?: boolean;
  /**
   * Let a child Application's health gate its parent's sync waves (what Argo CD does only with a Lua health
   * customization for Applications). Off, child Applications count as Healthy once written, as in Argo CD by
   * default: a child that cannot be rendered does not hold back the rest of the tree. @default false
   */
  readonly childHealthGates?: boolean;
  /**
   * How often argocd-cm (in `namespace`) is read again; a change re-compares every application with the new
   * exclusions, customizations and tracking. @default 10_000
   */
  readonly settingsRefreshMs?: number;
  readonly log: Logger;
  readonly metrics?: ControllerMetrics;
}

/** Argo CD's Secret with the webhook secrets, and the keys it reads (`webhook.gogs.secret` for Gitea too). */
export const WEBHOOK_SECRET = 'argocd-secret';

/** Fields whose change means "reconcile now"; the controller's own status writes change none of them. */
function triggerOf(object: KubeObject | undefined): unknown {
  if (object === undefined) return undefined;
  const status = isPlainObject(object.status) ? object.status : {};
  const operationState = isPlainObject(status.operationState) ? status.operationState : {};
  return [object.spec, object.operation, object.metadata.annotations, object.metadata.labels, object.metadata.finalizers, object.metadata.deletionTimestamp, operationState.phase];
}

/** Changes to managed objects within this window cost one reconcile. */
const LIVE_CHANGE_DELAY_MS = 300;
/** How long stop() waits for running syncs to reach the end of a wave. */
const DRAIN_GRACE_MS = 20_000;
/** How long stop() waits for reconciles in flight. */
const STOP_GRACE_MS = 5_000;

function jitter(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2));
}

export class Controller {
  readonly metrics: ControllerMetrics;
  private readonly queue: WorkQueue;
  private readonly namespace: string;
  private readonly abort = new AbortController();
  private apps: Informer | undefined;
  private projects: Informer | undefined;
  private secrets: Informer | undefined;
  private repoSecrets: Informer | undefined;
  private sharedInformers: SharedInformers | undefined;
  private credentialProblems = '';
  private registry: ClusterRegistry | undefined;
  private renderer: Renderer | undefined;
  private runner: OperationRunner | undefined;
  private writing = true;
  private readonly client: KubeClient;
  /** Callers of refreshAll waiting for applications to be reconciled. */
  private readonly waiters = new Map<string, (() => void)[]>();
  private readyFlag = false;
  private resyncTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private settings: SettingsFollower | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.namespace = options.namespace ?? 'argocd';
    this.metrics = options.metrics ?? new ControllerMetrics();
    this.client = instrumentClient(options.client, this.metrics);
    this.queue = new WorkQueue({ processors: options.processors ?? 10 });
  }

  /** The watches this controller reads from, shared with the add-ons that run beside it (while it leads). */
  informers(): SharedInformers | undefined {
    return this.sharedInformers;
  }

  /** True once every informer has listed and reconciling has started. */
  ready(): boolean {
    return this.readyFlag;
  }

  /** Starts watching and reconciling; resolves when the first lists are in and the queue runs. */
  async start(): Promise<void> {
    const { client } = this;
    const signal = this.abort.signal;
    const informers = new SharedInformers(client, signal, this.options.log);
    this.sharedInformers = informers;
    const { namespace } = this;
    this.apps = informers.informer({ apiVersion: APPLICATION_API_VERSION, kind: 'Application', namespace });
    this.apps.subscribe((event, previous) => { this.onApplication(event, previous); });
    this.projects = informers.informer({ apiVersion: APPLICATION_API_VERSION, kind: 'AppProject', namespace });
    this.projects.subscribe(() => { this.enqueueAll(); });
    // A cluster Secret added, rotated or removed changes where applications deploy: all are looked at again.
    this.secrets = informers.informer({ apiVersion: 'v1', kind: 'Secret', namespace, labelSelector: CLUSTER_SECRETS_SELECTOR });
    this.secrets.subscribe(() => { this.enqueueAll(); });
    this.repoSecrets = informers.informer({ apiVersion: 'v1', kind: 'Secret', namespace, labelSelector: REPOSITORY_SECRETS_SELECTOR });
    this.repoSecrets.subscribe(() => { this.renderer?.renew(); });
    const memory: ReconcileDeps['memory'] = new Map();
    this.settings = new SettingsFollower({
      client, namespace: this.namespace, signal, ...(this.options.settingsRefreshMs === undefined ? {} : { intervalMs: this.options.settingsRefreshMs }),
      warn: (message) => { this.options.log.warn({}, message); },
      error: (message) => { this.options.log.error({}, message); },
      // New exclusions, ignore rules or tracking: earlier comparisons no longer hold.
      onChange: (settings) => {
        setCustomHealthChecks({ argoCdConfigMap: luaHealthFromArgoCdSettings(settings) });
        memory.clear();
        this.options.log.info({ origin: settings.origin }, 'argocd-cm changed: comparing every application again');
        this.enqueueAll();
      },
    });
    await Promise.all([this.apps.synced, this.projects.synced, this.secrets.synced, this.repoSecrets.synced, this.settings.start()]);
    // argocd-cm's Lua health checks (resource.customizations.health.*) judge every app from the first reconcile on.
    setCustomHealthChecks({ argoCdConfigMap: luaHealthFromArgoCdSettings(this.currentSettings()) });
    this.registry = new ClusterRegistry({ inCluster: client, wrap: (made) => instrumentClient(made, this.metrics), secrets: this.secrets, signal, onChange: (_server, change) => { this.onLiveChange(change); }, log: (message) => { this.options.log.warn({}, message); }, tracking: () => this.currentSettings() });
    const registry = this.registry;
    this.renderer = new Renderer({ metrics: this.metrics, credentials: () => this.credentials(), capabilities: (destination) => registry.capabilities(destination), ...(this.options.config === undefined ? {} : { config: this.options.config }), ...(this.options.cacheDir === undefined ? {} : { cacheDir: this.options.cacheDir }), ...(this.options.offline === undefined ? {} : { offline: this.options.offline }) });
    const services = this.services();
    this.runner = new OperationRunner(services);
    const deps: ReconcileDeps = {
      services, runner: this.runner, memory, selfHealTimeoutMs: this.options.selfHealTimeoutMs ?? 5_000,
      projects: createProjectGate({ projects: this.projects, clusterNameToServer: (name) => this.clusterServer(name), tracking: () => this.currentSettings() }),
    };
    this.loop = this.queue.run((name) => this.reconcile(deps, name), signal);
    // Every resync period: fetch repositories again (once each) and refresh every application.
    const resync = this.options.appResyncMs ?? 180_000;
    this.resyncTimer = setInterval(() => { this.renderer?.renew(); }, resync);
    this.resyncTimer.unref();
    this.enqueueAll();
    this.readyFlag = true;
    this.options.log.info({ namespace: this.namespace, applications: this.apps.list().length }, 'controller started');
  }

  /**
   * Stops taking work, lets running syncs stop between waves and record their end, then ends every watch. With
   * `lost`, leadership is gone: nothing may be written any more, not even the end of a sync.
   */
  async stop(options: { readonly lost?: boolean } = {}): Promise<void> {
    this.readyFlag = false;
    if (options.lost === true) this.writing = false;
    if (this.resyncTimer !== undefined) clearInterval(this.resyncTimer);
    // Syncs stop between waves; one still rendering (a slow repository) is left to the next controller.
    await Promise.race([this.runner?.drain(), sleep(DRAIN_GRACE_MS)]);
    // Reconciles in flight may be waiting on a slow repository: they finish without writing, and are not awaited long.
    this.writing = false;
    this.abort.abort();
    await Promise.race([this.loop, sleep(STOP_GRACE_MS)]);
  }

  /**
   * A git push: the applications whose sources use that repository and branch are refreshed now. A standby (not
   * leading, so not watching) asks the leader through the refresh annotation, as `argocd app get --refresh` does.
   */
  async webhook(request: WebhookRequest): Promise<{ readonly result: WebhookResult; readonly refreshed: readonly string[] }> {
    const secrets = await this.webhookSecrets();
    const result = handleWebhook(request, secrets, { insecure: this.options.webhookInsecure === true });
    if (result.kind !== 'push') return { result, refreshed: [] };
    const apps = this.apps ?? (await this.client.list(APPLICATION_API_VERSION, 'Application', { namespace: this.namespace }));
    const refreshed = (Array.isArray(apps) ? apps : apps.list()).filter((object) => sourcesOf(object).some((source) => pushMatchesSource(result, source))).map((object) => object.metadata.name ?? '');
    if (refreshed.length > 0 && this.apps !== undefined) {
      this.renderer?.renew();
      // Every app of the repository is refreshed (its revision moved), but the ones whose last render read a changed
      // file go first: with 1,000 apps on one repository, the app a push is about does not wait behind 999 others.
      const files = result.changedFiles;
      const renderer = this.renderer;
      const first = files === undefined || renderer === undefined ? refreshed : refreshed.filter((name) => renderer.touchedBy(name, (url) => isPushedRepository(result, url), files));
      for (const name of refreshed) this.queue.add(name);
      for (const name of [...first].reverse()) this.queue.addFirst(name);
    } else {
      for (const name of refreshed) await this.requestRefresh(name);
    }
    this.options.log.info({ provider: result.provider, branch: result.branch ?? result.tag ?? '', refreshed: refreshed.length }, 'webhook push');
    return { result, refreshed };
  }

  /** Repository credentials from the labelled Secrets; what cannot be used is logged once (never a value). */
  private credentials(): CredentialStore {
    const store = new CredentialStore(this.repoSecrets?.list() ?? []);
    const problems = store.problems().join('; ');
    if (problems !== '' && problems !== this.credentialProblems) this.options.log.warn({}, `repository Secrets: ${problems}`);
    this.credentialProblems = problems;
    return store;
  }

  private async requestRefresh(name: string): Promise<void> {
    await this.client.patch({ apiVersion: APPLICATION_API_VERSION, kind: 'Application', namespace: this.namespace, name }, { metadata: { annotations: { [REFRESH_ANNOTATION]: 'normal' } } })
      .catch((error: unknown) => { this.options.log.warn({ app: name }, `could not request a refresh: ${describeError(error)}`); });
  }

  /** Ready to serve: a leader once its informers have listed; a standby always (it forwards webhooks). */
  serving(): boolean {
    return this.readyFlag || this.apps === undefined;
  }

  private async webhookSecrets(): Promise<WebhookSecrets> {
    const secret = await this.client.get({ apiVersion: 'v1', kind: 'Secret', namespace: this.namespace, name: WEBHOOK_SECRET }).catch(() => undefined);
    const data = isPlainObject(secret?.data) ? secret.data : {};
    const read = (key: string): string | undefined => (typeof data[key] === 'string' ? Buffer.from(data[key], 'base64').toString('utf8') : undefined);
    const github = read('webhook.github.secret');
    const gitlab = read('webhook.gitlab.secret');
    const gitea = read('webhook.gitea.secret') ?? read('webhook.gogs.secret');
    return { ...(github === undefined ? {} : { github }), ...(gitlab === undefined ? {} : { gitlab }), ...(gitea === undefined ? {} : { gitea }) };
  }

  /**
   * Refreshes every application now (repositories fetched again) and resolves when each has been reconciled once:
   * one full refresh cycle, as the resync timer runs it (benchmarks and tests measure it).
   */
  async refreshAll(): Promise<number> {
    const names = (this.apps?.list() ?? []).map((object) => object.metadata.name ?? '');
    this.renderer?.renew();
    const done = names.map((name) => new Promise<void>((resolve) => {
      this.waiters.set(name, [...(this.waiters.get(name) ?? []), resolve]);
    }));
    for (const name of names) this.queue.add(name);
    await Promise.all(done);
    return names.length;
  }

  private currentSettings(): ArgoCdSettings {
    return this.settings?.current() ?? DEFAULT_ARGOCD_SETTINGS;
  }

  private services(): ControllerServices {
    const { client } = this;
    const { log } = this.options;
    return {
      namespace: this.namespace,
      client,
      clusterFor: async (destination) => {
        if (this.registry === undefined) return { error: 'the controller is not started' };
        return this.registry.resolve(destination);
      },
      renewSources: () => {
        this.renderer?.renew();
      },
      render: (app: Application, request) => {
        if (this.renderer === undefined) throw new Error('the controller is not started');
        return this.renderer.render(app, request);
      },
      assessHealth: this.options.childHealthGates === true ? assessHealth : assessWithoutChildApps,
      settings: () => this.currentSettings(),
      log,
      metrics: this.metrics,
      enqueue: (name, delayMs) => {
        this.queue.add(name, delayMs);
      },
      enqueueFirst: (name) => {
        this.queue.addFirst(name);
      },
      writesAllowed: () => this.writing,
      event: (app, reason, message, type = 'Normal') => {
        if (!this.writing) return;
        recordEvent(client, eventFor(app, reason, message, type), (problem) => {
          log.debug({ app: app.metadata.name }, problem);
        });
      },
    };
  }

  private async reconcile(deps: ReconcileDeps, name: string): Promise<void> {
    this.metrics.queueDepth.set(this.queue.depth());
    const object = this.apps?.get(name);
    if (object === undefined || !this.writing) {
      deps.memory.delete(name);
      this.renderer?.forget(name);
      this.metrics.removeApp(this.namespace, name);
      return;
    }
    const timer = this.metrics.reconcileSeconds.startTimer();
    try {
      const result = await reconcileApplication(deps, object);
      this.queue.forget(name);
      this.queue.add(name, result.requeueAfterMs ?? jitter(this.options.appResyncMs ?? 180_000));
    } catch (error) {
      const delay = this.queue.addAfterFailure(name);
      this.options.log.warn({ app: name }, `reconcile failed, retrying in ${Math.round(delay / 1000)}s: ${describeError(error)}`);
    } finally {
      timer();
      const waiting = this.waiters.get(name);
      this.waiters.delete(name);
      for (const resolve of waiting ?? []) resolve();
    }
  }

  private onApplication(event: WatchEvent, previous: KubeObject | undefined): void {
    const name = event.object.metadata.name ?? '';
    if (event.type === 'DELETED' || !isDeepStrictEqual(triggerOf(previous), triggerOf(event.object))) this.queue.add(name);
  }

  /**
   * A managed object changed. Changes made while the app's own sync runs are its sync's (it enqueues the app when it
   * ends); the rest are gathered for a moment, so a Deployment rolling out (many status updates) costs one reconcile.
   */
  private onLiveChange(change: LiveChange): void {
    for (const app of change.apps) {
      if (this.runner?.isRunning(app) === true) continue;
      // Drift goes ahead of periodic and webhook refreshes: it is what self-heal and `status` must show in seconds.
      this.queue.addFirst(app, LIVE_CHANGE_DELAY_MS);
    }
  }

  private enqueueAll(): void {
    for (const object of this.apps?.list() ?? []) this.queue.add(object.metadata.name ?? '');
  }

  private clusterServer(name: string): string | undefined {
    if (name === 'in-cluster') return 'https://kubernetes.default.svc';
    for (const secret of this.secrets?.list() ?? []) {
      const cluster = readClusterSecret(secret);
      if (typeof cluster !== 'string' && cluster.name === name) return cluster.server;
    }
    return undefined;
  }
}

/** Argo CD's default: an Application resource has no health check of its own (children are watched on their own). */
function assessWithoutChildApps(object: KubeObject | undefined): HealthResult {
  if (object?.kind === 'Application' && object.apiVersion.startsWith('argoproj.io/')) return { status: 'Healthy', message: '' };
  return assessHealth(object);
}

function sourcesOf(object: KubeObject): { repoURL: string; targetRevision?: string }[] {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const list = Array.isArray(spec.sources) ? spec.sources : isPlainObject(spec.source) ? [spec.source] : [];
  return list.filter(isPlainObject).flatMap((source) => (typeof source.repoURL === 'string'
    ? [{ repoURL: source.repoURL, ...(typeof source.targetRevision === 'string' ? { targetRevision: source.targetRevision } : {}) }]
    : []));
}
