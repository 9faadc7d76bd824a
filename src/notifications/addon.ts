/**
 * Notifications as a controller add-on — Argo CD's notifications controller inside `launchpad controller` and
 * `launchpad up`. It watches Applications, AppProjects, argocd-notifications-cm and argocd-notifications-secret in
 * the controller's namespace; on every change of an Application it evaluates the subscribed triggers
 * (engine.ts), sends what is due (deliver.ts), records failures as Warning events and in
 * `launchpad_notifications_deliveries_total`, and writes the notified state back to the Application's annotation.
 * It never touches reconciliation: a slow or failing Slack only delays the next message.
 */
import type { AddonContext, ControllerAddon } from '../controller/addon.js';
import { eventFor, recordEvent } from '../controller/events.js';
import { Informer } from '../controller/informer.js';
import { informersFor } from '../controller/shared-informers.js';
import { APPLICATION_API_VERSION } from '../controller/services.js';
import type { Logger } from '../controller/services.js';
import { describeError } from '../errors.js';
import type { KubeClient } from '../kube/types.js';
import type { KubeObject } from '../model/resource.js';
import { compileNotifications } from './compile.js';
import type { CompiledNotifications } from './compile.js';
import { CONFIG_MAP_NAME, SECRET_NAME, parseNotificationsConfig } from './config.js';
import { deliver } from './deliver.js';
import { evaluateApp, statusRefreshed } from './engine.js';
import type { PlannedDelivery } from './engine.js';
import { NotificationsMetrics } from './metrics.js';
import { createRedactor } from './redact.js';
import type { Redactor } from './redact.js';
import type { ServiceDeps } from './services/index.js';
import { NOTIFIED_ANNOTATION } from './state.js';

const ADDON = 'notifications';

export interface NotificationsOptions {
  /** Every Slack service posts here instead of its apiURL (`--slack-api-url`). */
  readonly slackApiUrl?: string;
  /** Retries of each HTTP delivery. @default 4 tries, 500 ms doubling, at most 30 s */
  readonly retry?: ServiceDeps['retry'];
}

function decodeSecret(secret: KubeObject | undefined): Record<string, string> | undefined {
  if (secret === undefined) return undefined;
  const data = (secret.data ?? {}) as Record<string, string>;
  const values = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
  return { ...values, ...((secret.stringData ?? {}) as Record<string, string>) };
}

export class NotificationsAddon implements ControllerAddon {
  readonly name = ADDON;
  private compiled: CompiledNotifications | undefined;
  private redact: Redactor = (text) => text;
  private configVersion = '';
  private readonly busy = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** The Application as our last state write returned it, until the watch has caught up with that write. */
  private readonly written = new Map<string, KubeObject>();
  /** Messages already logged, so a broken condition or a missing token is said once, not on every change. */
  private readonly said = new Set<string>();
  private stopping: AbortController | undefined;
  private context: AddonContext | undefined;
  private metrics: NotificationsMetrics | undefined;
  private apps: Informer | undefined;
  private projects: Informer | undefined;
  private configMaps: Informer | undefined;
  private secrets: Informer | undefined;

  constructor(private readonly options: NotificationsOptions = {}) {}

  async start(context: AddonContext): Promise<void> {
    const stopping = new AbortController();
    this.stopping = stopping;
    this.context = context;
    this.metrics = new NotificationsMetrics(context.registry);
    const signal = AbortSignal.any([context.signal, stopping.signal]);
    const informer = (apiVersion: string, kind: string, onChange?: (object: KubeObject) => void): Informer => new Informer({
      client: context.client, apiVersion, kind, namespace: context.namespace, signal,
      ...(onChange === undefined ? {} : { onChange: (event) => { onChange(event.object); } }),
      onError: (error) => { context.log.error({ addon: ADDON }, `watch of ${kind}s failed: ${describeError(error)}`); },
    });
    // The initial lists arrive as changes too; until both informers have listed, the ConfigMap may be read without
    // its Secret (a false "key missing" warning), so the first load waits for them below.
    let listed = false;
    const onConfig = (object: KubeObject): void => {
      if (listed && (object.metadata.name === CONFIG_MAP_NAME || object.metadata.name === SECRET_NAME)) this.reloadConfig(false);
    };
    this.configMaps = informer('v1', 'ConfigMap', onConfig);
    this.secrets = informer('v1', 'Secret', onConfig);
    const shared = informersFor({ ...context, signal });
    this.projects = shared.informer({ apiVersion: APPLICATION_API_VERSION, kind: 'AppProject', namespace: context.namespace });
    await Promise.all([this.configMaps.synced, this.secrets.synced, this.projects.synced]);
    listed = true;
    // A configuration that cannot run stops the add-on here, naming the trigger, template or service.
    this.reloadConfig(true);
    this.apps = shared.informer({ apiVersion: APPLICATION_API_VERSION, kind: 'Application', namespace: context.namespace });
    this.apps.subscribe((event) => { this.schedule(event.object.metadata.name ?? ''); }, signal);
    await this.apps.synced;
  }

  async stop(): Promise<void> {
    this.stopping?.abort();
    await Promise.all([...this.busy.values()]);
  }

  private get log(): Logger | undefined {
    return this.context?.log;
  }

  private sayOnce(level: 'info' | 'warn' | 'error', fields: Readonly<Record<string, unknown>>, message: string, key = message): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.log?.[level]({ addon: ADDON, ...fields }, message);
  }

  /** Reads and compiles the configuration; at start an error is thrown, later the last good one stays in force. */
  private reloadConfig(atStart: boolean): void {
    const configMap = this.configMaps?.get(CONFIG_MAP_NAME);
    const secret = this.secrets?.get(SECRET_NAME);
    const version = [configMap, secret].map((object) => String(object?.metadata.resourceVersion)).join('/');
    if (!atStart && version === this.configVersion) return;
    this.configVersion = version;
    const secretValues = decodeSecret(secret);
    const redact = createRedactor(Object.values(secretValues ?? {}));
    try {
      this.compiled = this.compile(configMap, secretValues, redact);
      this.redact = redact;
      this.said.clear();
    } catch (error) {
      const message = redact(describeError(error));
      if (atStart) throw new Error(message, { cause: error });
      this.log?.error({ addon: ADDON }, `${message} (the previous configuration stays in force)`);
    }
    if (!atStart) this.scheduleAll();
  }

  private compile(configMap: KubeObject | undefined, secretValues: Record<string, string> | undefined, redact: Redactor): CompiledNotifications {
    const namespace = this.context?.namespace ?? '';
    const where = `ConfigMap/${namespace}/${CONFIG_MAP_NAME}`;
    const config = parseNotificationsConfig({ data: configMap?.data as Record<string, string> | undefined, secret: secretValues, where });
    const deps = { ...(this.options.slackApiUrl === undefined ? {} : { slackApiUrl: this.options.slackApiUrl }), ...(this.options.retry === undefined ? {} : { retry: this.options.retry }) };
    const compiled = compileNotifications(config, deps, where);
    if (configMap === undefined) this.log?.info({ addon: ADDON }, `no ConfigMap ${CONFIG_MAP_NAME} in namespace ${namespace}: nothing will be sent until one is applied`);
    else this.log?.info({ addon: ADDON, services: [...config.services.keys()].join(',') }, 'configuration loaded');
    for (const [name, service] of compiled.services) {
      if ('unavailable' in service) this.log?.warn({ addon: ADDON, service: name }, `${redact(service.unavailable)}; nothing is sent to ${name} until then`);
    }
    return compiled;
  }

  private scheduleAll(): void {
    for (const app of this.apps?.list() ?? []) this.schedule(app.metadata.name ?? '');
  }

  /** Processes an app; changes arriving meanwhile make one more pass afterwards (never two at once per app). */
  private schedule(name: string): void {
    if (name === '' || this.stopping?.signal.aborted !== false) return;
    if (this.busy.has(name)) {
      this.again.add(name);
      return;
    }
    const run = this.process(name)
      .catch((error: unknown) => { this.log?.error({ addon: ADDON, app: name }, this.redact(describeError(error))); })
      .finally(() => {
        this.busy.delete(name);
        if (this.again.delete(name)) this.schedule(name);
      });
    this.busy.set(name, run);
  }

  private async process(name: string): Promise<void> {
    const compiled = this.compiled;
    const app = this.latest(name);
    const context = this.context;
    if (compiled === undefined || app === undefined || context === undefined) return;
    if (!statusRefreshed(app)) return;
    const evaluation = evaluateApp(compiled, app, this.projectAnnotations(app));
    for (const problem of evaluation.problems) {
      this.metrics?.triggerErrors.inc({ trigger: problem.trigger });
      this.sayOnce('warn', { app: name, trigger: problem.trigger }, this.redact(problem.message), problem.once);
    }
    for (const delivery of evaluation.deliveries) {
      if (!(await this.send(compiled, delivery, app))) evaluation.state.forget(delivery.stateKey);
    }
    if (evaluation.state.isChanged && this.stopping?.signal.aborted === false) await this.saveState(context.client, app, evaluation.state.serialize());
  }

  private projectAnnotations(app: KubeObject): Readonly<Record<string, string>> | undefined {
    const project = (app.spec as { project?: string } | undefined)?.project;
    return this.projects?.get(project === undefined || project === '' ? 'default' : project)?.metadata.annotations;
  }

  /**
   * The newest copy of an app: the watch's, unless our own state write is newer than what the watch has delivered
   * so far — evaluating the older copy would send again what was just sent.
   */
  private latest(name: string): KubeObject | undefined {
    const watched = this.apps?.get(name);
    const written = this.written.get(name);
    if (written === undefined || watched === undefined) return watched;
    if (Number(watched.metadata.resourceVersion) >= Number(written.metadata.resourceVersion)) {
      this.written.delete(name);
      return watched;
    }
    return written;
  }

  /** Sends one delivery; false when it must be tried again on a later change. */
  private async send(compiled: CompiledNotifications, delivery: PlannedDelivery, app: KubeObject): Promise<boolean> {
    const name = app.metadata.name ?? '';
    const service = compiled.services.get(delivery.destination.service);
    if (service === undefined || 'unavailable' in service) {
      // Not configured (yet): said once; the notification is sent when the service is configured.
      this.sayOnce('warn', { service: delivery.destination.service }, service === undefined ? `service "${delivery.destination.service}" is subscribed to but not configured in ${CONFIG_MAP_NAME}: nothing is sent to it` : this.redact(service.unavailable));
      return false;
    }
    const signal = this.stopping?.signal;
    const outcome = await deliver(compiled, delivery, app, { redact: this.redact, ...(signal === undefined ? {} : { signal }) });
    const recipient = `${delivery.destination.service}${delivery.destination.recipient === '' ? '' : `:${delivery.destination.recipient}`}`;
    this.metrics?.deliveries.inc({ service: delivery.destination.service, trigger: delivery.trigger, succeeded: String(outcome.error === undefined) });
    if (outcome.error === undefined) {
      this.log?.info({ addon: ADDON, app: name, trigger: delivery.trigger, to: recipient }, 'notification sent');
      return true;
    }
    const message = `notification ${delivery.trigger} to ${recipient} failed: ${outcome.error}`;
    this.log?.warn({ addon: ADDON, app: name }, message);
    const client = this.context?.client;
    if (client !== undefined) recordEvent(client, eventFor(app, 'NotificationFailed', message, 'Warning'), (text) => { this.log?.warn({ addon: ADDON, app: name }, text); });
    return false;
  }

  private async saveState(client: KubeClient, app: KubeObject, value: string | undefined): Promise<void> {
    try {
      const patched = await client.patch({ apiVersion: APPLICATION_API_VERSION, kind: 'Application', namespace: app.metadata.namespace ?? this.context?.namespace ?? '', name: app.metadata.name ?? '' }, { metadata: { annotations: { [NOTIFIED_ANNOTATION]: value ?? null } } }, { type: 'merge' });
      this.written.set(app.metadata.name ?? '', patched);
    } catch (error) {
      // A deleted app has nothing left to remember; anything else is retried on the next change.
      this.log?.debug({ addon: ADDON, app: app.metadata.name }, `could not save the notified state: ${describeError(error)}`);
    }
  }
}
