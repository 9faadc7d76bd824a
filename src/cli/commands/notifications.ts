/**
 * `launchpad notify trigger run <trigger> <app>` and `launchpad notify template render <template> <app>`: evaluate
 * a trigger's conditions or render a template against an Application — live from the cluster, or from files
 * (`--app-file`, `--status-file`) — with the configuration of argocd-notifications-cm/-secret (live, or
 * `--config-map`/`--secret` files), and print what would be sent. Nothing is sent and no state is written.
 * Exit 0 when done (for `trigger run`: 0 also when no condition is true), 2 on bad input or configuration.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { parse, stringify } from 'yaml';
import { InputError, LaunchpadError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import { isPlainObject } from '../../model/values.js';
import type { KubeObject } from '../../model/resource.js';
import { compileNotifications } from '../../notifications/compile.js';
import type { CompiledNotifications } from '../../notifications/compile.js';
import { CONFIG_MAP_NAME, SECRET_NAME, parseNotificationsConfig } from '../../notifications/config.js';
import { renderDelivery } from '../../notifications/deliver.js';
import { formatOncePer } from '../../notifications/engine.js';
import { createRedactor } from '../../notifications/redact.js';
import { notificationVars } from '../../notifications/vars.js';
import { readTextFile } from '../../source/read-text.js';
import { addKubeOptions, kubeClientFor } from '../kube-options.js';
import type { KubeFlags } from '../kube-options.js';

interface NotifyFlags extends KubeFlags {
  readonly namespace: string;
  readonly configMap?: string;
  readonly secret?: string;
  readonly appFile?: string;
  readonly statusFile?: string;
  readonly service?: string;
  readonly output: 'text' | 'json';
}

async function readYamlObject(file: string, what: string): Promise<Record<string, unknown>> {
  const text = await readTextFile(file, `check the path given to ${what}`);
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new InputError({ file }, `not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}`);
  }
  if (!isPlainObject(value)) throw new InputError({ file }, `expected a YAML map (${what})`);
  return value;
}

function secretValues(secret: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (secret === undefined) return undefined;
  const data = Object.entries((secret.data ?? {}) as Record<string, string>).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]);
  return { ...Object.fromEntries(data) as Record<string, string>, ...((secret.stringData ?? {}) as Record<string, string>) };
}

interface Loaded {
  readonly compiled: CompiledNotifications;
  readonly app: KubeObject;
  readonly redact: (text: string) => string;
}

/** Connects only when something is read live (files alone need no cluster). */
function lazyClient(flags: NotifyFlags): { readonly get: () => Promise<KubeClient>; readonly close: () => Promise<void> } {
  let client: Promise<KubeClient> | undefined;
  return {
    get: () => (client ??= kubeClientFor(flags)),
    close: async () => { (await client)?.close?.(); },
  };
}

async function loadApp(flags: NotifyFlags, name: string, clientFor: () => Promise<KubeClient>): Promise<KubeObject> {
  let app: Record<string, unknown>;
  if (flags.appFile !== undefined) app = await readYamlObject(flags.appFile, '--app-file');
  else {
    const live = await (await clientFor()).get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: flags.namespace, name });
    if (live === undefined) throw new LaunchpadError(`Application/${flags.namespace}/${name} not found`, { fix: 'check the name and -n, or give --app-file' });
    app = live;
  }
  if (flags.statusFile !== undefined) app = { ...app, status: await readYamlObject(flags.statusFile, '--status-file') };
  return app as unknown as KubeObject;
}

async function loadConfig(flags: NotifyFlags, clientFor: () => Promise<KubeClient>): Promise<{ data: Record<string, string> | undefined; secret: Record<string, unknown> | undefined; where: string }> {
  if (flags.configMap !== undefined) {
    const configMap = await readYamlObject(flags.configMap, '--config-map');
    return { data: configMap.data as Record<string, string> | undefined, secret: flags.secret === undefined ? undefined : await readYamlObject(flags.secret, '--secret'), where: flags.configMap };
  }
  const client = await clientFor();
  const configMap = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: flags.namespace, name: CONFIG_MAP_NAME });
  const secret = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: flags.namespace, name: SECRET_NAME });
  return { data: configMap?.data as Record<string, string> | undefined, secret, where: `ConfigMap/${flags.namespace}/${CONFIG_MAP_NAME}` };
}

async function load(flags: NotifyFlags, appName: string): Promise<Loaded> {
  const client = lazyClient(flags);
  try {
    const source = await loadConfig(flags, client.get);
    const secret = secretValues(source.secret);
    const config = parseNotificationsConfig({ data: source.data, secret, where: source.where });
    return { compiled: compileNotifications(config, {}, source.where), app: await loadApp(flags, appName, client.get), redact: createRedactor(Object.values(secret ?? {})) };
  } finally {
    await client.close();
  }
}

function print(flags: NotifyFlags, value: unknown, text: string): void {
  process.stdout.write(flags.output === 'json' ? `${JSON.stringify(value, null, 2)}\n` : text);
}

async function runTrigger(trigger: string, appName: string, flags: NotifyFlags): Promise<void> {
  const { compiled, app, redact } = await load(flags, appName);
  const conditions = compiled.triggers.get(trigger);
  if (conditions === undefined) throw new LaunchpadError(`trigger "${trigger}" is not configured`, { fix: `use one of ${[...compiled.triggers.keys()].join(', ')}` });
  const vars = notificationVars({ app, context: compiled.config.context });
  const rows = conditions.map((condition) => {
    let result: string;
    let oncePer = '';
    try {
      const value = condition.when.evaluate(vars) === true;
      result = String(value);
      if (value && condition.oncePer !== undefined) oncePer = formatOncePer(condition.oncePer.evaluate(vars));
    } catch (error) {
      result = `false (error: ${redact(error instanceof Error ? error.message : String(error))})`;
    }
    return { condition: condition.source.when, result, oncePer, templates: condition.source.send };
  });
  const lines = rows.map((row) => `${row.condition}\n  result: ${row.result}${row.oncePer === '' ? '' : `  oncePer: ${row.oncePer}`}  templates: ${row.templates.join(', ')}\n`);
  print(flags, rows, lines.join(''));
}

async function renderTemplate(template: string, appName: string, flags: NotifyFlags): Promise<void> {
  const { compiled, app, redact } = await load(flags, appName);
  if (!compiled.templates.has(template)) throw new LaunchpadError(`template "${template}" is not defined`, { fix: `use one of ${[...compiled.templates.keys()].join(', ')}` });
  const [rendered] = renderDelivery(compiled, { templates: [template], destination: { service: flags.service ?? '', recipient: '' } }, app, redact);
  print(flags, rendered?.notification, stringify(rendered?.notification ?? {}));
}

function notifyOptions(command: Command): Command {
  return addKubeOptions(command)
    .option('-n, --namespace <name>', 'namespace of the Application and of argocd-notifications-cm', 'argocd')
    .option('--config-map <file>', 'read argocd-notifications-cm from this file instead of the cluster')
    .option('--secret <file>', 'with --config-map: argocd-notifications-secret from this file')
    .option('--app-file <file>', 'read the Application from this file instead of the cluster')
    .option('--status-file <file>', 'use this status (YAML) instead of the Application\'s')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'));
}

export function registerNotifications(program: Command): void {
  const notify = program.command('notify').description('evaluate notification triggers and render templates against an Application without sending');
  notifyOptions(notify.command('trigger').command('run <trigger> <app>'))
    .description('evaluate a trigger\'s conditions against an Application and show which would fire')
    .action(async (trigger: string, app: string, flags: NotifyFlags) => { await runTrigger(trigger, app, flags); });
  notifyOptions(notify.command('template').command('render <template> <app>'))
    .description('render a notification template for an Application and print every part of it')
    .option('--service <name>', 'render for this service (sets .context.notificationType)')
    .action(async (template: string, app: string, flags: NotifyFlags) => { await renderTemplate(template, app, flags); });
}
