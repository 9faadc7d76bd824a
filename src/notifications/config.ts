/**
 * Reads argocd-notifications-cm and argocd-notifications-secret the way Argo CD's notifications do: keys
 * `service.<type>[.<name>]`, `template.<name>`, `trigger.<name>`, `subscriptions`, `defaultTriggers`,
 * `defaultTriggers.<service>` and `context`; `$key` in any string of a service's options is replaced with that key of
 * the Secret. Every error names the ConfigMap key and says what is wrong; Secret values never appear in one.
 */
import { parse } from 'yaml';
import { LaunchpadError } from '../errors.js';
import { isPlainObject } from '../model/values.js';
import type { DefaultSubscription, NotificationTemplate, NotificationsConfig, ServiceConfig, TriggerCondition } from './types.js';

export const CONFIG_MAP_NAME = 'argocd-notifications-cm';
export const SECRET_NAME = 'argocd-notifications-secret';

/** A configuration that cannot be used; names the ConfigMap key. Never retried until the ConfigMap changes. */
export class NotificationsConfigError extends LaunchpadError {}

export interface ConfigSources {
  /** The ConfigMap's `data` (undefined: no ConfigMap). */
  readonly data: Readonly<Record<string, string>> | undefined;
  /** The Secret's values, decoded (undefined: no Secret). */
  readonly secret: Readonly<Record<string, string>> | undefined;
  /** Names the ConfigMap in errors: `ConfigMap/argocd/argocd-notifications-cm`. */
  readonly where: string;
}

function fail(where: string, key: string, message: string, fix?: string): never {
  throw new NotificationsConfigError(`${where} ${key}: ${message}`, fix === undefined ? {} : { fix });
}

function parseYaml(where: string, key: string, text: string): unknown {
  try {
    return parse(text) as unknown;
  } catch (error) {
    return fail(where, key, `not valid YAML (${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)})`);
  }
}

function stringList(where: string, key: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) fail(where, key, 'must be a list of names');
  return value as string[];
}

/** `$name` references as Argo CD finds them (a `$` then word characters or dashes). */
const SECRET_REFERENCE = /\$[\w-]+/g;

function replaceSecrets(value: unknown, secret: Readonly<Record<string, string>>, missing: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(SECRET_REFERENCE, (reference) => {
      const key = reference.slice(1);
      if (Object.hasOwn(secret, key)) return secret[key] ?? '';
      missing.add(key);
      return reference;
    });
  }
  if (Array.isArray(value)) return value.map((item) => replaceSecrets(item, secret, missing));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceSecrets(item, secret, missing)]));
  return value;
}

function parseService(sources: ConfigSources, key: string, text: string): ServiceConfig {
  const parts = key.split('.');
  if (parts.length !== 2 && parts.length !== 3) fail(sources.where, key, "invalid service key: expected service.<type> or service.<type>.<name>");
  const type = parts[1] ?? '';
  const name = parts[2] ?? type;
  const options = parseYaml(sources.where, key, text) ?? {};
  if (!isPlainObject(options)) fail(sources.where, key, 'must be a map of options');
  const missing = new Set<string>();
  const replaced = replaceSecrets(options, sources.secret ?? {}, missing) as Record<string, unknown>;
  if (missing.size > 0) {
    // One service waiting for its Secret must not silence the others: it is reported and skipped.
    const keys = [...missing].map((item) => `$${item}`).join(', ');
    return { name, type, options: {}, unavailable: `${sources.where} ${key} references ${keys}, which Secret ${SECRET_NAME} does not hold — add ${missing.size === 1 ? 'the key' : 'the keys'} to that Secret in the same namespace` };
  }
  return { name, type, options: replaced };
}

function parseTrigger(where: string, key: string, text: string): TriggerCondition[] {
  const value = parseYaml(where, key, text);
  if (!Array.isArray(value)) fail(where, key, 'must be a list of conditions (- when: …, send: […])');
  return value.map((item: unknown, index) => {
    if (!isPlainObject(item)) return fail(where, `${key}[${index}]`, 'must be a map with when and send');
    const { when, send, oncePer, description } = item;
    if (when !== undefined && typeof when !== 'string') fail(where, `${key}[${index}].when`, 'must be an expression string');
    if (oncePer !== undefined && typeof oncePer !== 'string') fail(where, `${key}[${index}].oncePer`, 'must be an expression string');
    return {
      // An empty condition never fires, as Argo CD compiles it as `false`.
      when: when === undefined || when.trim() === '' ? 'false' : when,
      send: stringList(where, `${key}[${index}].send`, send),
      ...(oncePer === undefined || oncePer === '' ? {} : { oncePer }),
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}

function parseTemplate(where: string, key: string, text: string): NotificationTemplate {
  const value = parseYaml(where, key, text);
  if (!isPlainObject(value)) fail(where, key, 'must be a map (message, slack, webhook, github, email)');
  return value;
}

function parseSubscriptions(where: string, text: string): DefaultSubscription[] {
  const value = parseYaml(where, 'subscriptions', text) ?? [];
  if (!Array.isArray(value)) fail(where, 'subscriptions', 'must be a list of {recipients, triggers, selector}');
  return value.map((item: unknown, index) => {
    const key = `subscriptions[${index}]`;
    if (!isPlainObject(item)) return fail(where, key, 'must be a map');
    if (item.selector !== undefined && typeof item.selector !== 'string') fail(where, `${key}.selector`, 'must be a label selector string');
    return { recipients: stringList(where, `${key}.recipients`, item.recipients), triggers: stringList(where, `${key}.triggers`, item.triggers), selector: item.selector ?? '' };
  });
}

function parseContext(where: string, text: string): Record<string, string> {
  const value = parseYaml(where, 'context', text) ?? {};
  if (!isPlainObject(value)) fail(where, 'context', 'must be a map of names to strings');
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, typeof item === 'string' ? item : JSON.stringify(item)]));
}

/** Parses the ConfigMap and Secret; an absent ConfigMap is an empty configuration (nothing is ever sent). */
export function parseNotificationsConfig(sources: ConfigSources): NotificationsConfig {
  const data = sources.data ?? {};
  const services = new Map<string, ServiceConfig>();
  const templates = new Map<string, NotificationTemplate>();
  const triggers = new Map<string, TriggerCondition[]>();
  const serviceDefaultTriggers = new Map<string, string[]>();
  for (const [key, text] of Object.entries(data).sort(([a], [b]) => a.localeCompare(b))) {
    if (key.startsWith('service.')) {
      const service = parseService(sources, key, text);
      services.set(service.name, service);
    } else if (key.startsWith('template.')) templates.set(key.slice('template.'.length), parseTemplate(sources.where, key, text));
    else if (key.startsWith('trigger.')) triggers.set(key.slice('trigger.'.length), parseTrigger(sources.where, key, text));
    else if (key.startsWith('defaultTriggers.')) serviceDefaultTriggers.set(key.slice('defaultTriggers.'.length), stringList(sources.where, key, parseYaml(sources.where, key, text)));
  }
  return {
    services,
    templates,
    triggers,
    serviceDefaultTriggers,
    subscriptions: data.subscriptions === undefined ? [] : parseSubscriptions(sources.where, data.subscriptions),
    defaultTriggers: data.defaultTriggers === undefined ? [] : stringList(sources.where, 'defaultTriggers', parseYaml(sources.where, 'defaultTriggers', data.defaultTriggers)),
    context: { argocdUrl: 'https://localhost:4000', ...(data.context === undefined ? {} : parseContext(sources.where, data.context)) },
    secretValues: Object.values(sources.secret ?? {}).filter((value) => value.length >= 4),
  };
}
