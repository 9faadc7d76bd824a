/**
 * Who is subscribed to what, as Argo CD reads it: `notifications.argoproj.io/subscribe.<trigger>.<service>: a;b`
 * annotations on the Application and on its AppProject, `subscribe.<service>` with the service's (or the global)
 * default triggers, and the ConfigMap's `subscriptions` by label selector. An empty annotation value is one
 * subscription with an empty recipient, as in Argo CD.
 */
import type { Destination, NotificationsConfig } from './types.js';

export const ANNOTATION_PREFIX = 'notifications.argoproj.io/subscribe.';

/** trigger name → destinations, without duplicates. */
export type DestinationsByTrigger = Map<string, Destination[]>;

function add(target: DestinationsByTrigger, trigger: string, destination: Destination): void {
  const list = target.get(trigger) ?? [];
  if (!list.some((item) => item.service === destination.service && item.recipient === destination.recipient)) list.push(destination);
  target.set(trigger, list);
}

function recipientsOf(value: string): string[] {
  if (value === '') return [''];
  return value.split(';').map((item) => item.trim()).filter((item) => item !== '');
}

/** Subscriptions written as annotations (an Application's or an AppProject's). */
export function annotationDestinations(annotations: Readonly<Record<string, string>> | undefined, config: NotificationsConfig, target: DestinationsByTrigger = new Map()): DestinationsByTrigger {
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const parts = key.slice(ANNOTATION_PREFIX.length).split('.');
    const [first = '', second] = parts;
    const service = second ?? first;
    const triggers = second === undefined ? config.serviceDefaultTriggers.get(service) ?? config.defaultTriggers : [first];
    for (const recipient of recipientsOf(value)) {
      for (const trigger of triggers) add(target, trigger, { service, recipient });
    }
  }
  return target;
}

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

/** One requirement of a label selector: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. */
function requirement(text: string): Requirement {
  const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set !== null) {
    const values = (set[3] ?? '').split(',').map((item) => item.trim());
    const key = set[1] ?? '';
    return set[2] === 'in' ? (labels) => values.includes(labels[key] ?? '\0') : (labels) => !values.includes(labels[key] ?? '\0');
  }
  const comparison = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(text);
  if (comparison !== null) {
    const [, key = '', operator, value = ''] = comparison;
    return operator === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
  }
  const exists = /^(!?)([\w./-]+)$/.exec(text);
  if (exists !== null) {
    const key = exists[2] ?? '';
    return exists[1] === '!' ? (labels) => !Object.hasOwn(labels, key) : (labels) => Object.hasOwn(labels, key);
  }
  throw new Error(`label selector requirement ${JSON.stringify(text)} is not understood`);
}

/** Splits on commas outside `( … )`. */
function requirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** Compiles a label selector string; throws naming the requirement it cannot read. */
export function compileSelector(selector: string): Requirement {
  const checks = requirements(selector).map(requirement);
  return (labels) => checks.every((check) => check(labels));
}

/** The ConfigMap's `subscriptions` that select these labels. */
export function globalDestinations(labels: Readonly<Record<string, string>>, config: NotificationsConfig, target: DestinationsByTrigger = new Map()): DestinationsByTrigger {
  for (const subscription of config.subscriptions) {
    if (!compileSelector(subscription.selector)(labels)) continue;
    const triggers = subscription.triggers.length > 0 ? subscription.triggers : config.defaultTriggers;
    for (const recipient of subscription.recipients) {
      const [service = '', ...rest] = recipient.split(':');
      for (const trigger of triggers) add(target, trigger, { service, recipient: rest.join(':') });
    }
  }
  return target;
}

export interface SubscriptionSources {
  readonly appAnnotations: Readonly<Record<string, string>> | undefined;
  readonly appLabels: Readonly<Record<string, string>> | undefined;
  readonly projectAnnotations: Readonly<Record<string, string>> | undefined;
}

/** Every destination of every trigger for one Application: its own, its project's and the global ones. */
export function destinationsFor(sources: SubscriptionSources, config: NotificationsConfig): DestinationsByTrigger {
  const target: DestinationsByTrigger = new Map();
  annotationDestinations(sources.appAnnotations, config, target);
  globalDestinations(sources.appLabels ?? {}, config, target);
  annotationDestinations(sources.projectAnnotations, config, target);
  return target;
}
