/**
 * The environment a plugin's commands see, built as Argo CD's repo-server builds it: the build environment
 * (`ARGOCD_APP_*`), `KUBE_VERSION` and `KUBE_API_VERSIONS`, then — for a source with a plugin block — each `env`
 * entry as `ARGOCD_ENV_<name>` (its value expanded against the build environment, `$$` for a literal `$`), the
 * parameters as one JSON array in `ARGOCD_APP_PARAMETERS` and one variable per value (`PARAM_<NAME>`,
 * `PARAM_<NAME>_<index>`, `PARAM_<NAME>_<KEY>`, names upper-cased with anything but A-Z, 0-9 and _ turned into _).
 */
import { RenderError } from '../../errors.js';
import type { Application, ApplicationSource } from '../../model/application.js';
import type { AppPlugin, PluginParameter } from './app-plugin.js';

export type PluginEnv = Readonly<Record<string, string>>;

export interface BuildEnvInput {
  readonly app: Application;
  readonly source: ApplicationSource;
  /** The commit the source resolved to ("" for a working tree outside git). */
  readonly revision: string;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
}

/** ARGOCD_APP_*: Argo CD's build environment, in its order. */
export function buildEnvironment(input: BuildEnvInput): Record<string, string> {
  return {
    ARGOCD_APP_NAME: input.app.metadata.name,
    ARGOCD_APP_NAMESPACE: input.app.spec.destination.namespace ?? '',
    ARGOCD_APP_PROJECT_NAME: input.app.spec.project,
    ARGOCD_APP_REVISION: input.revision,
    ARGOCD_APP_REVISION_SHORT: input.revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: input.revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: input.source.repoURL,
    ARGOCD_APP_SOURCE_PATH: input.source.path ?? '',
    ARGOCD_APP_SOURCE_TARGET_REVISION: input.source.targetRevision ?? '',
  };
}

/**
 * Kubernetes' generic version form, as Argo CD hands it to plugins: "v1.29.3-gke.100" → "1.29.3"; at least two
 * numeric fields, an optional leading "v", anything after the numbers dropped.
 */
export function genericKubeVersion(version: string | undefined): string {
  if (version === undefined || version.trim() === '') return '';
  const match = /^v?((?:0|[1-9]\d*)(?:\.\d+)+)/.exec(version.trim());
  if (match?.[1] === undefined) {
    throw new RenderError(`could not parse the Kubernetes version "${version}" for the plugin's KUBE_VERSION`, { fix: 'write it like 1.29.0' });
  }
  return match[1].split('.').map((part) => String(Number(part))).join('.');
}

function isNameChar(char: string, first: boolean): boolean {
  return char === '_' || /[A-Za-z]/.test(char) || (!first && /[0-9]/.test(char));
}

/**
 * Go's os.Expand: `$NAME` and `${NAME}` are replaced (unknown names by ""), `$$` is a literal `$` (Argo CD's
 * escape), a `$` before anything else stays, and malformed `${…` is dropped.
 */
export function expandVariables(text: string, variables: Readonly<Record<string, string>>): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char !== '$' || index + 1 >= text.length) {
      out += char;
      index += 1;
      continue;
    }
    const next = text[index + 1] ?? '';
    if (next === '{') {
      const close = text.indexOf('}', index + 2);
      if (close === -1 || close === index + 2) {
        index = close === -1 ? text.length : close + 1;
        continue;
      }
      out += lookup(text.slice(index + 2, close), variables);
      index = close + 1;
    } else if ('*#$@!?-0123456789'.includes(next)) {
      out += lookup(next, variables);
      index += 2;
    } else if (isNameChar(next, true)) {
      let end = index + 1;
      while (end < text.length && isNameChar(text[end] ?? '', false)) end += 1;
      out += lookup(text.slice(index + 1, end), variables);
      index = end;
    } else {
      out += char;
      index += 1;
    }
  }
  return out;
}

function lookup(name: string, variables: Readonly<Record<string, string>>): string {
  if (name === '$') return '$';
  return Object.hasOwn(variables, name) ? (variables[name] ?? '') : '';
}

export function escapeParameterName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** Go's encoding/json output: keys in the order given, and <, >, & and U+2028/9 escaped as Go escapes them. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortedRecord(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(map).sort(compareBytes).map((key) => [key, map[key] ?? '']));
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** One parameter as Argo CD marshals it: map keys sorted, so array, map, name, string. */
function parameterJson(parameter: PluginParameter): Record<string, unknown> {
  return {
    ...(parameter.array === undefined ? {} : { array: parameter.array }),
    ...(parameter.map === undefined ? {} : { map: sortedRecord(parameter.map) }),
    name: parameter.name,
    ...(parameter.string === undefined ? {} : { string: parameter.string }),
  };
}

export function parameterEnvironment(parameters: readonly PluginParameter[] | undefined): Record<string, string> {
  const env: Record<string, string> = { ARGOCD_APP_PARAMETERS: parameters === undefined ? 'null' : goJson(parameters.map(parameterJson)) };
  for (const parameter of parameters ?? []) {
    const base = `PARAM_${escapeParameterName(parameter.name)}`;
    if (parameter.string !== undefined) env[base] = parameter.string;
    for (const [key, value] of Object.entries(parameter.map ?? {})) env[`${base}_${escapeParameterName(key)}`] = value;
    for (const [index, value] of (parameter.array ?? []).entries()) env[`${base}_${index}`] = value;
  }
  return env;
}

/**
 * Everything a plugin's generate (and init) command gets on top of Launchpad's own environment. `appPlugin` is
 * undefined for a source without a plugin block (a plugin chosen by discovery): no ARGOCD_ENV_ or parameters then.
 */
export function pluginEnvironment(input: BuildEnvInput, appPlugin: AppPlugin | undefined): Record<string, string> {
  const build = buildEnvironment(input);
  const base: Record<string, string> = { ...build, KUBE_VERSION: genericKubeVersion(input.kubeVersion), KUBE_API_VERSIONS: (input.apiVersions ?? []).join(',') };
  if (appPlugin === undefined) return base;
  const env: Record<string, string> = { ...base };
  for (const entry of appPlugin.env) env[`ARGOCD_ENV_${entry.name}`] = expandVariables(entry.value, base);
  return { ...env, ...parameterEnvironment(appPlugin.parameters) };
}
