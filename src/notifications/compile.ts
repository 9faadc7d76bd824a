/**
 * A parsed configuration made ready to run: the built-in catalog under the ConfigMap's own entries, every trigger
 * condition and oncePer compiled by the expression evaluator, every template by the Go template engine, every
 * service built. Anything that cannot run is an error here — at start or when the ConfigMap changes — naming the
 * trigger, template or service and the construct, never a silent miss at delivery time.
 */
import { BUILTIN_TEMPLATES, BUILTIN_TRIGGERS } from './catalog.js';
import { NotificationsConfigError } from './config.js';
import { compileExpression } from './expr/compile.js';
import type { CompiledExpression } from './expr/compile.js';
import { DEFAULT_REPO_URL_PATH, DEFAULT_REVISION_PATH } from './services/github.js';
import { createService } from './services/index.js';
import type { NotificationService, ServiceDeps } from './services/index.js';
import { conditionKey } from './state.js';
import { compileTemplate } from './templates.js';
import type { CompiledTemplate } from './templates.js';
import type { NotificationTemplate, NotificationsConfig, TriggerCondition } from './types.js';
import { UNSUPPORTED_HELPERS } from './vars.js';

export interface CompiledCondition {
  readonly source: TriggerCondition;
  /** `[index].sha1(when)`: this condition's part of the notified-state key. */
  readonly key: string;
  readonly when: CompiledExpression;
  readonly oncePer: CompiledExpression | undefined;
}

export interface CompiledNotifications {
  readonly config: NotificationsConfig;
  readonly triggers: ReadonlyMap<string, readonly CompiledCondition[]>;
  readonly templates: ReadonlyMap<string, CompiledTemplate>;
  /** A service, or why it cannot send (its Secret key is missing). */
  readonly services: ReadonlyMap<string, NotificationService | { readonly unavailable: string }>;
}

function expression(source: string, where: string): CompiledExpression {
  const helper = UNSUPPORTED_HELPERS.find((name) => source.includes(name));
  if (helper !== undefined) throw new NotificationsConfigError(`${where}: ${helper} is not supported by Launchpad`, { fix: 'read the revision from app.status instead' });
  try {
    return compileExpression(source);
  } catch (error) {
    throw new NotificationsConfigError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function compileTrigger(name: string, conditions: readonly TriggerCondition[], templates: ReadonlyMap<string, NotificationTemplate>): CompiledCondition[] {
  return conditions.map((condition, index) => {
    const where = `trigger.${name}[${index}]`;
    for (const template of condition.send) {
      if (!templates.has(template)) throw new NotificationsConfigError(`${where}.send: template "${template}" is not defined`, { fix: `add template.${template} to argocd-notifications-cm or use a built-in template (${[...BUILTIN_TEMPLATES.keys()].join(', ')})` });
    }
    return {
      source: condition,
      key: conditionKey(index, condition.when),
      when: expression(condition.when, `${where}.when`),
      oncePer: condition.oncePer === undefined ? undefined : expression(condition.oncePer, `${where}.oncePer`),
    };
  });
}

/** A template with a github section gets Argo CD's default repository and revision paths. */
function withDefaults(template: NotificationTemplate): NotificationTemplate {
  if (template.github === undefined) return template;
  return { ...template, github: { repoURLPath: DEFAULT_REPO_URL_PATH, revisionPath: DEFAULT_REVISION_PATH, ...template.github } };
}

/**
 * Compiles `config` over the built-in catalog; throws NotificationsConfigError naming `where` (the ConfigMap) and
 * the trigger, template or service that cannot run.
 */
export function compileNotifications(config: NotificationsConfig, deps: ServiceDeps = {}, where = 'argocd-notifications-cm'): CompiledNotifications {
  try {
    return compileAll(config, deps);
  } catch (error) {
    if (error instanceof NotificationsConfigError) throw new NotificationsConfigError(`${where} ${error.message}`, { cause: error });
    throw error;
  }
}

function compileAll(config: NotificationsConfig, deps: ServiceDeps): CompiledNotifications {
  const templateSources = new Map([...BUILTIN_TEMPLATES, ...config.templates]);
  const triggerSources = new Map([...BUILTIN_TRIGGERS, ...config.triggers]);
  const templates = new Map<string, CompiledTemplate>();
  for (const [name, template] of templateSources) templates.set(name, compileTemplate(`template.${name}`, withDefaults(template)));
  const triggers = new Map<string, CompiledCondition[]>();
  for (const [name, conditions] of triggerSources) triggers.set(name, compileTrigger(name, conditions, templateSources));
  const services = new Map<string, NotificationService | { readonly unavailable: string }>();
  for (const [name, service] of config.services) services.set(name, service.unavailable === undefined ? createService(service, deps) : { unavailable: service.unavailable });
  return { config: { ...config, templates: templateSources, triggers: triggerSources }, triggers, templates, services };
}
