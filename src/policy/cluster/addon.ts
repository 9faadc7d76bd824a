/**
 * Policies in the cluster, as a controller add-on (`launchpad controller`, `launchpad up`): Kyverno's policy kinds
 * are watched and loaded into the engine; an HTTPS admission webhook answers for validate and mutate rules, registered
 * in webhook configurations rebuilt from the policies; background scans write PolicyReports; the generate and cleanup
 * controllers act on their triggers and schedules. See docs/adr/0024-policies-in-the-cluster.md.
 */
import { setMaxListeners } from 'node:events';
import { Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { describeError } from '../../errors.js';
import type { AddonContext, ControllerAddon } from '../../controller/addon.js';
import type { KubeClient, ResourceInfo } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { SELECTOR_LABELS } from '../../install/names.js';
import type { EvaluationEnvironment, LoadedPolicy, PolicyEngine } from '../api.js';
import { answerAdmission } from './admission.js';
import { BackgroundScanner } from './background-scan.js';
import { ensureWebhookTls } from './certificates.js';
import { CleanupController } from './cleanup-controller.js';
import { ensurePolicyCrds } from './crds.js';
import { GenerateController } from './generate-controller.js';
import { kubeApiCaller, perRequestApiCalls } from './api-call.js';
import { MutateExistingController } from './mutate-existing-controller.js';
import { Informer } from '../../controller/informer.js';
import { PolicyStore } from './policy-store.js';
import { RoleBindingIndex } from './role-bindings.js';
import type { WebhookEndpoint, WebhookPath } from './webhook-config.js';
import { MUTATING_CONFIGURATION, VALIDATING_CONFIGURATION, admissionBudgetMs, parseWebhookPath, policiesByPath, webhookConfigurations } from './webhook-config.js';
import type { RunningWebhookServer } from './webhook-server.js';
import { parseListen, startWebhookServer } from './webhook-server.js';

/** The Service in front of the webhook when the controller runs in the cluster. */
export const WEBHOOK_SERVICE_NAME = 'launchpad-policy-webhook';
const FIELD_MANAGER = 'launchpad-policies';

/** How the API server reaches the webhook. */
export type WebhookReach =
  /** Dial a URL: the listener's own address (`launchpad up`, a controller beside the cluster) or `url` when given. */
  | { readonly mode: 'url'; readonly url?: string }
  /** Through the Service `launchpad-policy-webhook` on port 443 to the listener's port (in the cluster). */
  | { readonly mode: 'service' };

export interface PolicyAddonOptions {
  readonly engine: PolicyEngine;
  /** `host:port` of the HTTPS listener; port 0 picks a free one (URL mode only). */
  readonly listen: string;
  readonly reach: WebhookReach;
  /** The API server's timeout per webhook call for policies without `spec.webhookTimeoutSeconds`, seconds. @default 10 */
  readonly timeoutSeconds?: number;
  /** How long the handler waits for the engine before answering without it, at most (see admissionBudgetMs). @default 2000 */
  readonly budgetMs?: number;
  /** Full background rescan and generate resync period. @default 1 hour */
  readonly resyncMs?: number;
}

interface Metrics {
  readonly admission: Histogram;
  readonly loaded: Gauge;
  readonly failed: Gauge;
}

function metricsOn(registry: Registry): Metrics {
  const existing = (name: string): unknown => registry.getSingleMetric(name);
  return {
    admission: (existing('launchpad_policy_admission_seconds') as Histogram | undefined) ?? new Histogram({ name: 'launchpad_policy_admission_seconds', help: 'Time to answer one admission review.', labelNames: ['endpoint', 'allowed'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] }),
    loaded: (existing('launchpad_policies_loaded') as Gauge | undefined) ?? new Gauge({ name: 'launchpad_policies_loaded', help: 'Policies loaded and in force.', registers: [registry] }),
    failed: (existing('launchpad_policies_failed') as Gauge | undefined) ?? new Gauge({ name: 'launchpad_policies_failed', help: 'Policies the engine refused (see their status and events).', registers: [registry] }),
  };
}

/** DNS names the API server may use for the webhook Service. */
function serviceNames(namespace: string): string[] {
  return [WEBHOOK_SERVICE_NAME, `${WEBHOOK_SERVICE_NAME}.${namespace}`, `${WEBHOOK_SERVICE_NAME}.${namespace}.svc`, `${WEBHOOK_SERVICE_NAME}.${namespace}.svc.cluster.local`];
}

function webhookService(namespace: string, targetPort: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: WEBHOOK_SERVICE_NAME, namespace, labels: { 'app.kubernetes.io/part-of': 'launchpad', 'app.kubernetes.io/component': 'policies' } },
    spec: { selector: { ...SELECTOR_LABELS }, ports: [{ name: 'https', port: 443, targetPort, protocol: 'TCP' }] },
  };
}

/** Read through a call: after an await the signal may have fired, which TypeScript's narrowing cannot know. */
const stopped = (running: { readonly stop: AbortController }): boolean => running.stop.signal.aborted;

/** The running parts, made in start() and dropped in stop(). */
interface Running {
  readonly stop: AbortController;
  readonly server: RunningWebhookServer;
  readonly store: PolicyStore;
  readonly scanner: BackgroundScanner;
  readonly generate: GenerateController;
  readonly mutateExisting: MutateExistingController;
  readonly cleanup: CleanupController;
  readonly client: KubeClient;
}

export class PolicyAddon implements ControllerAddon {
  readonly name = 'policies';
  private running: Running | undefined;
  private byPath = new Map<WebhookPath, LoadedPolicy[]>();
  private applied = new Map<string, string>();
  /** Reloads run one after another: two overlapping rebuilds could register an older set last. */
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly options: PolicyAddonOptions) {}

  /** The loaded policies (tests, diagnostics). */
  policies(): LoadedPolicy[] {
    return this.running?.store.policies() ?? [];
  }

  /** The webhook listener's URL once started. */
  get url(): string | undefined {
    return this.running?.server.url;
  }

  /** The cleanup controller, to run a policy now (tests, diagnostics). */
  get cleanup(): CleanupController | undefined {
    return this.running?.cleanup;
  }

  /** Resolves once reports and generated objects reflect everything seen so far (tests). */
  async settled(): Promise<void> {
    await this.running?.scanner.settled();
    await this.running?.generate.settled();
    await this.running?.mutateExisting.settled();
  }

  async start(context: AddonContext): Promise<void> {
    const { client, namespace, log } = context;
    const stop = new AbortController();
    // Every watch (one per kind the policies touch) listens for the stop: more than Node's default of 10.
    setMaxListeners(500, stop.signal);
    context.signal.addEventListener('abort', () => { stop.abort(); }, { once: true });
    const created = await ensurePolicyCrds(client);
    if (created.created.length > 0) log.info({ crds: created.created.join(', ') }, 'policies: installed the policy and report CRDs');
    const { host, port } = parseListen(this.options.listen);
    const reach = this.options.reach;
    const names = reach.mode === 'service' ? serviceNames(namespace) : [new URL(reach.url ?? `https://${host.includes(':') ? `[${host}]` : host}`).hostname.replace(/^\[|\]$/g, '').replace(/^0\.0\.0\.0$/, '127.0.0.1')];
    const tls = await ensureWebhookTls({ client, namespace, names });
    const metrics = metricsOn(context.registry);
    const namespaces = new Informer({ client, apiVersion: 'v1', kind: 'Namespace', signal: stop.signal });
    const apiCaller = kubeApiCaller(client, async () => (await client.apiResources?.()) ?? []);
    const readConfigMap = (ns: string, name: string): Promise<KubeObject | undefined> => client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name });
    const environment: EvaluationEnvironment = {
      namespaceLabels: (name) => namespaces.get(name)?.metadata.labels,
      contextLoader: { configMap: readConfigMap, apiCall: apiCaller },
    };
    // Each admission request (and each background trigger) gets its own apiCall cache: identical calls in one
    // evaluation go out once, and the next one sees the cluster as it is then.
    const fresh = (): EvaluationEnvironment => ({ ...environment, contextLoader: { configMap: readConfigMap, apiCall: perRequestApiCalls(apiCaller) } });
    const budgetCapMs = this.options.budgetMs ?? 2000;
    const defaultTimeout = this.options.timeoutSeconds ?? 10;
    const budgetFor = (path: WebhookPath): number => admissionBudgetMs(parseWebhookPath(path)?.timeoutSeconds ?? defaultTimeout, budgetCapMs);
    const bindings = new RoleBindingIndex({ client, signal: stop.signal, log });
    const server = await startWebhookServer({
      listen: `${host.includes(':') ? `[${host}]` : host}:${port}`,
      tls: tls.serving,
      answer: async (path, request) => {
        const response = await answerAdmission(path, request, {
          ...fresh(), engine: this.options.engine, policies: this.byPath.get(path) ?? [], budgetMs: budgetFor(path),
          rolesOf: (user, requestNamespace) => bindings.rolesOf(user, requestNamespace),
        });
        // Mutate-existing rules act after the answer, in the background, on requests that were let through.
        if (response.allowed && parseWebhookPath(path)?.type === 'validate') this.running?.mutateExisting.onAdmission(request);
        return response;
      },
      observe: (path, allowed, seconds) => { metrics.admission.observe({ endpoint: path, allowed: String(allowed) }, seconds); },
      onError: (message) => { log.error({}, message); },
    });
    const resources = async (): Promise<readonly ResourceInfo[]> => (await client.apiResources?.()) ?? [];
    const resyncMs = this.options.resyncMs ?? 60 * 60 * 1000;
    const common = { client, log, signal: stop.signal, environment, resources };
    const running: Running = {
      stop, server, client,
      store: new PolicyStore({ client, engine: this.options.engine, log, signal: stop.signal }),
      scanner: new BackgroundScanner({ ...common, engine: this.options.engine, intervalMs: resyncMs }),
      generate: new GenerateController({ ...common, engine: this.options.engine, resyncMs }),
      mutateExisting: new MutateExistingController({ ...common, fresh, engine: this.options.engine, resyncMs }),
      cleanup: new CleanupController({ ...common, engine: this.options.engine }),
    };
    this.running = running;
    try {
      if (reach.mode === 'service') await client.apply(webhookService(namespace, server.port), { fieldManager: FIELD_MANAGER, force: true });
      const endpoint: WebhookEndpoint = reach.mode === 'service'
        ? { service: { namespace, name: WEBHOOK_SERVICE_NAME, port: 443 }, caPem: tls.caPem }
        : { url: reach.url ?? server.url, caPem: tls.caPem };
      const reload = (policies: readonly LoadedPolicy[]): Promise<void> => {
        this.reloading = this.reloading.then(() => this.reload(running, policies, endpoint, { namespace, log, metrics }));
        return this.reloading;
      };
      running.store.onPolicies((policies) => { void reload(policies); });
      await Promise.all([running.store.synced, namespaces.synced, bindings.synced]);
      await reload(running.store.policies());
      log.info({ url: server.url, policies: running.store.policies().length }, 'policies: admission webhook serving');
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async reload(running: Running, policies: readonly LoadedPolicy[], endpoint: WebhookEndpoint, context: { readonly namespace: string; readonly log: AddonContext['log']; readonly metrics: Metrics }): Promise<void> {
    if (running.stop.signal.aborted) return;
    const { log, metrics, namespace } = context;
    metrics.loaded.set(policies.length);
    metrics.failed.set(running.store.errors().length);
    this.byPath = policiesByPath(policies, this.options.timeoutSeconds ?? 10);
    try {
      running.client.invalidateDiscovery();
      const resources = (await running.client.apiResources?.()) ?? [];
      const { validating, mutating } = webhookConfigurations(policies, resources, { endpoint, excludedNamespaces: [namespace, 'kube-system'], timeoutSeconds: this.options.timeoutSeconds ?? 10 });
      for (const configuration of [validating, mutating]) {
        const text = JSON.stringify(configuration);
        if (this.applied.get(configuration.kind) === text || stopped(running)) continue;
        await running.client.apply(configuration, { fieldManager: FIELD_MANAGER, force: true });
        this.applied.set(configuration.kind, text);
      }
    } catch (error) {
      log.error({}, `policies: could not register the admission webhooks: ${describeError(error)}`);
    }
    const parts: [string, () => Promise<void> | void][] = [
      ['background scan', () => running.scanner.setPolicies(policies)],
      ['generate', () => running.generate.setPolicies(policies, running.store.unloaded())],
      ['cleanup', () => { running.cleanup.setPolicies(policies); }],
      ['mutate existing', () => running.mutateExisting.setPolicies(policies)],
    ];
    for (const [name, apply] of parts) {
      try {
        await apply();
      } catch (error) {
        log.error({}, `policies: ${name}: ${describeError(error)}`);
      }
    }
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    running.stop.abort();
    // A rebuild under way must not register the webhooks again after they are removed below.
    await this.reloading;
    // Out of the cluster nobody serves the URL once this process stops: fail-closed webhooks pointing at it would
    // refuse every matching request. Remove them; the next start registers them again.
    if (this.options.reach.mode === 'url') {
      for (const [kind, name] of [['ValidatingWebhookConfiguration', VALIDATING_CONFIGURATION], ['MutatingWebhookConfiguration', MUTATING_CONFIGURATION]] as const) {
        await running.client.delete({ apiVersion: 'admissionregistration.k8s.io/v1', kind, name }).catch(() => undefined);
      }
    }
    this.applied.clear();
    await running.cleanup.idle();
    await running.mutateExisting.idle();
    await running.server.close();
  }
}
