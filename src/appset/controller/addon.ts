/**
 * The ApplicationSet controller as an add-on of `launchpad controller`: it watches ApplicationSets, the
 * Applications they own and cluster Secrets in the controller's namespace, and reconciles a set when its spec
 * changes, when one of its Applications changes or disappears, when clusters change, and every
 * `requeueAfterSeconds`. Status-only updates of a set (its own writes) do not trigger a reconcile.
 */
import { Counter } from 'prom-client';
import type { AddonContext, ControllerAddon } from '../../controller/addon.js';
import { CLUSTER_SECRETS_SELECTOR } from '../../controller/clusters.js';
import { Informer } from '../../controller/informer.js';
import { APPLICATION_API_VERSION } from '../../controller/services.js';
import { informersFor } from '../../controller/shared-informers.js';
import { WorkQueue } from '../../controller/queue.js';
import { describeError } from '../../errors.js';
import type { WatchEvent } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import { loadConfig } from '../../source/config.js';
import type { LaunchpadConfig } from '../../source/config.js';
import { GoTemplateCache } from '../go-template.js';
import { APPLICATION_SET_API_VERSION, APPLICATION_SET_KIND } from '../spec.js';
import { clusterGeneratorContext } from './cluster-context.js';
import { controllingSet } from './owned.js';
import { reconcileApplicationSet } from './reconcile.js';
import type { ReconcileResult } from './reconcile.js';

const RECONCILE_METRIC = 'launchpad_applicationset_reconcile_total';

export interface ApplicationSetAddonOptions {
  /** launchpad.yaml (repository substitutions for the git generator). @default none */
  readonly config?: LaunchpadConfig;
  /** A launchpad.yaml to load at start (the controller's --config), when `config` is not given. @default none */
  readonly configFile?: string;
  /** @default ~/.cache/launchpad */
  readonly cacheDir?: string;
  /** Never fetch git repositories (sources must be substituted or cached). @default false */
  readonly offline?: boolean;
  /** Sets reconciled in parallel. @default 2 */
  readonly processors?: number;
  /** Called after each reconcile (tests and the benchmark count writes). */
  readonly onReconciled?: (name: string, result: ReconcileResult) => void;
}

/** Changes of an owned Application that matter to its set: anything but status, and status that RollingSync and `resources` read. */
function appFingerprint(app: KubeObject): string {
  const status = isPlainObject(app.status) ? app.status : {};
  const sync = isPlainObject(status.sync) ? [status.sync.status, status.sync.revision] : [];
  const health = isPlainObject(status.health) ? status.health.status : undefined;
  const operation = isPlainObject(status.operationState) ? [status.operationState.phase, status.operationState.startedAt] : [];
  return JSON.stringify([app.metadata.labels, app.metadata.annotations, app.metadata.finalizers, app.spec, app.operation, sync, health, operation]);
}

function setFingerprint(set: KubeObject): string {
  return JSON.stringify([set.metadata.generation, set.metadata.annotations, set.metadata.uid, set.metadata.deletionTimestamp]);
}

export class ApplicationSetAddon implements ControllerAddon {
  readonly name = 'applicationsets';
  private stopController: AbortController | undefined;
  private running: Promise<void> | undefined;
  private config: LaunchpadConfig | undefined;
  private readonly goCaches = new Map<string, { readonly generation: unknown; readonly cache: GoTemplateCache }>();

  constructor(private readonly options: ApplicationSetAddonOptions = {}) {}

  async start(context: AddonContext): Promise<void> {
    this.config = this.options.config ?? (this.options.configFile === undefined ? undefined : await loadConfig(this.options.configFile));
    const stop = new AbortController();
    this.stopController = stop;
    const signal = AbortSignal.any([context.signal, stop.signal]);
    const { client, namespace, log } = context;
    const queue = new WorkQueue({ processors: this.options.processors ?? 2 });
    // Leadership can be lost and won again: the counter is registered once per registry.
    const metric = context.registry.getSingleMetric(RECONCILE_METRIC);
    const reconciles = metric instanceof Counter ? metric : new Counter({ name: RECONCILE_METRIC, help: 'ApplicationSet reconciles by result', labelNames: ['result'], registers: [context.registry] });
    const onError = (error: unknown): void => { log.error({ addon: this.name }, `watch failed: ${describeError(error)}`); };
    const sets = new Informer({ client, apiVersion: APPLICATION_SET_API_VERSION, kind: APPLICATION_SET_KIND, namespace, signal, onError, onChange: (event, previous) => {
      if (event.type === 'DELETED') this.goCaches.delete(event.object.metadata.name ?? '');
      else if (previous === undefined || setFingerprint(previous) !== setFingerprint(event.object)) queue.add(event.object.metadata.name ?? '');
    } });
    const shared = informersFor({ ...context, signal });
    const apps = shared.informer({ apiVersion: APPLICATION_API_VERSION, kind: 'Application', namespace });
    apps.subscribe((event: WatchEvent, previous) => {
      const owner = controllingSet(event.object) ?? (previous === undefined ? undefined : controllingSet(previous));
      if (owner === undefined) return;
      if (event.type === 'DELETED' || previous === undefined || appFingerprint(previous) !== appFingerprint(event.object)) queue.add(owner, 250);
    }, signal);
    const clusters = shared.informer({ apiVersion: 'v1', kind: 'Secret', namespace, labelSelector: CLUSTER_SECRETS_SELECTOR });
    clusters.subscribe(() => {
      for (const set of sets.list()) queue.add(set.metadata.name ?? '', 250);
    }, signal);
    await Promise.all([sets.synced, apps.synced, clusters.synced]);
    const deps = {
      client, namespace, log,
      applications: () => apps.list(),
      clusterSecrets: () => clusters.list(),
      context: () => clusterGeneratorContext({ client, namespace, clusterSecrets: () => clusters.list(), ...this.sourceOptions() }),
      goCache: (ref: string) => this.goCache(ref, sets),
    };
    this.running = queue.run(async (name) => {
      // The informer can lag behind the status this add-on just wrote; RollingSync must build on the latest one.
      const object = sets.get(name) === undefined ? undefined : await client.get({ apiVersion: APPLICATION_SET_API_VERSION, kind: APPLICATION_SET_KIND, namespace, name });
      if (object === undefined) return;
      try {
        const result = await reconcileApplicationSet(object, deps);
        reconciles.inc({ result: 'ok' });
        queue.forget(name);
        if (result.requeueAfterMs !== undefined) queue.add(name, result.requeueAfterMs);
        if (result.created + result.updated + result.deleted > 0) log.info({ applicationset: name, created: result.created, updated: result.updated, deleted: result.deleted }, 'applications written');
        this.options.onReconciled?.(name, result);
      } catch (error) {
        reconciles.inc({ result: 'error' });
        const delay = queue.addAfterFailure(name);
        log.warn({ applicationset: name, retryInMs: delay }, `reconcile failed: ${describeError(error)}`);
      }
    }, signal);
    for (const set of sets.list()) queue.add(set.metadata.name ?? '');
  }

  async stop(): Promise<void> {
    this.stopController?.abort();
    await this.running;
  }

  private sourceOptions(): { config?: LaunchpadConfig; cacheDir?: string; offline?: boolean } {
    const { cacheDir, offline } = this.options;
    const { config } = this;
    return { ...(config === undefined ? {} : { config }), ...(cacheDir === undefined ? {} : { cacheDir }), ...(offline === undefined ? {} : { offline }) };
  }

  /** One Go template cache per set and spec generation: a changed spec starts afresh (no growth without bound). */
  private goCache(ref: string, sets: Informer): GoTemplateCache {
    const name = ref.split('/').at(-1) ?? '';
    const generation = sets.get(name)?.metadata.generation;
    const found = this.goCaches.get(name);
    if (found !== undefined && found.generation === generation) return found.cache;
    const cache = new GoTemplateCache(ref);
    this.goCaches.set(name, { generation, cache });
    return cache;
  }
}
