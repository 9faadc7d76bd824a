/**
 * Notification templates compiled once per configuration: every string of a `template.<name>` (message, email
 * subject, Slack parts, webhook method/path/body, GitHub fields) through Launchpad's Go template engine with
 * Sprig. A syntax error or an unknown function is a startup error naming the template, the field and the construct;
 * rendering fills the same shape with strings.
 */
import { SPRIG_FUNCTIONS, compileGoTemplate } from '../gotemplate/index.js';
import type { CompiledGoTemplate, GoTemplateFunction } from '../gotemplate/types.js';
import { NotificationsConfigError } from './config.js';
import { secretsReference } from './template-secrets.js';
import type { NotificationTemplate } from './types.js';

/** A template's shape with every string replaced by T (a compiled template, then its output). */
export type TemplateShape<T> = {
  readonly [K in keyof NotificationTemplate]?: Shape<NonNullable<NotificationTemplate[K]>, T>;
};
type Shape<V, T> = V extends string ? T : V extends boolean ? V : V extends readonly string[] ? readonly T[] : { readonly [K in keyof V]?: Shape<NonNullable<V[K]>, T> };

export type CompiledTemplate = TemplateShape<CompiledGoTemplate>;
export type RenderedTemplate = TemplateShape<string>;

/**
 * Sprig, plus Go's `call` (Go has it built in) for the helper namespaces: `{{call .repo.RepoURLToHTTPS .app.spec.source.repoURL}}`.
 */
const FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = {
  ...SPRIG_FUNCTIONS,
  call: (fn: unknown, ...args: unknown[]) => {
    if (typeof fn !== 'function') throw new Error('call of a value that is not a function');
    return (fn as GoTemplateFunction)(...args);
  },
};

/** Fields whose template helpers Argo CD offers but Launchpad cannot (they need Argo CD's repo server). */
const UNSUPPORTED_CALLS = /\.repo\.(GetCommitMetadata|GetAppDetails)\b/;

function compileValue(value: unknown, name: string, path: string): unknown {
  if (typeof value === 'string') {
    const unsupported = UNSUPPORTED_CALLS.exec(value);
    if (unsupported !== null) {
      throw new NotificationsConfigError(`${name} ${path}: repo.${unsupported[1] ?? ''} is not supported by Launchpad`, { fix: 'read the commit or the app details from .app.status instead (sync.revision, operationState.syncResult)' });
    }
    let compiled;
    try {
      compiled = compileGoTemplate(value, { name: `${name}.${path}`, missingKey: 'default', functions: FUNCTIONS });
    } catch (error) {
      throw new NotificationsConfigError(`${name} ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const secrets = secretsReference(value);
    if (secrets !== undefined) {
      throw new NotificationsConfigError(`${name} ${path}: {{${secrets}}} reads .secrets, which Launchpad does not offer to templates (a Secret value must never reach a message)`, { fix: 'remove it; a service reads its credentials from argocd-notifications-secret with $key in service.<type>' });
    }
    return compiled;
  }
  if (typeof value === 'boolean' || value === undefined || value === null) return value ?? undefined;
  if (Array.isArray(value)) return value.map((item, index) => compileValue(item, name, `${path}[${index}]`));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, compileValue(item, name, path === '' ? key : `${path}.${key}`)]));
  }
  // Numbers where a string is expected (a YAML `label: 1`) render as written.
  return compileValue(typeof value === 'number' || typeof value === 'bigint' ? value.toString() : '', name, path);
}

/** Compiles every string of the template; `name` is `template.<name>` for errors. */
export function compileTemplate(name: string, template: NotificationTemplate): CompiledTemplate {
  return compileValue(template, name, '') as CompiledTemplate;
}

function renderValue(value: unknown, vars: unknown): unknown {
  if (value === undefined || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => renderValue(item, vars));
  if (isCompiled(value)) return value.execute(vars);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, vars)]));
}

function isCompiled(value: unknown): value is CompiledGoTemplate {
  return typeof value === 'object' && value !== null && typeof (value as { execute?: unknown }).execute === 'function';
}

/** Runs every compiled string against `vars`; a GoTemplateError names the template and field. */
export function renderTemplate(template: CompiledTemplate, vars: unknown): RenderedTemplate {
  return renderValue(template, vars) as RenderedTemplate;
}
