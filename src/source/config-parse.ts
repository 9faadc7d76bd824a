/**
 * Parsing and validating `launchpad.yaml` text into repository mappings, with every problem pointing at its
 * file:line:col and field path. Pure: checks that need the file system (does the folder exist?) are in config.ts.
 */
import { dirname, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import { InputError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import { formatPosition } from '../errors.js';
import { LIMIT_NAMES, inputLimits, parseLimitValue } from '../model/limits.js';
import { checkYamlText } from '../model/yaml-guard.js';
import { checkDocumentTree } from '../model/yaml-checks.js';
import type { InputLimits } from '../model/limits.js';
import { parseGoDuration } from '../model/duration.js';
import { normaliseRepoURL } from './url.js';

/** One `repositories[]` entry: how to obtain the repository an Application names as `url`. */
export interface RepositoryMapping {
  /** The URL as written in launchpad.yaml (and, up to normalisation, in Applications). */
  readonly url: string;
  /** normaliseRepoURL(url): what Application repoURLs are matched against. */
  readonly normalisedURL: string;
  /** Absolute path of the local folder that stands in for the repository. */
  readonly path?: string;
  /** Another URL to fetch instead (a mirror). */
  readonly replaceWith?: string;
  /** A revision (git) or chart version to use instead of the Application's own. */
  readonly revision?: string;
  /**
   * `charts:` — the entry stands in for these charts of a Helm repository only; Applications that name another
   * chart of the URL get it as if the entry were not there (fetched, or skipped offline). For a local folder that
   * holds some of a repository's charts. @default every chart
   */
  readonly charts?: readonly string[];
  /** Where the entry is, for messages. */
  readonly position: SourcePosition;
  /** Where its `path` value is, for "folder not found". */
  readonly pathPosition?: SourcePosition;
  /**
   * The folder symlinks under `path` must stay in. Not read from launchpad.yaml: the preview sets it when it maps a
   * folder to its copy inside a commit's snapshot. @default the top of the git repository holding `path`
   */
  readonly root?: string;
}

export interface LaunchpadConfig {
  /** Absolute path of the launchpad.yaml file. */
  readonly file: string;
  readonly repositories: readonly RepositoryMapping[];
  /** `limits:` — input limits raised or lowered from their defaults (see model/limits.ts). */
  readonly limits?: Partial<InputLimits>;
  /** `clusters:` — the Kubernetes version and API versions of destination clusters, for renders that cannot ask them. */
  readonly clusters?: readonly ClusterSettings[];
  /** `plugins:` — the Config Management Plugins renders may run (opt-in; see render/plugin). @default none */
  readonly plugins?: readonly PluginReference[];
  /** `health:` — where Lua health checks come from (see health/lua). */
  readonly health?: HealthSettings;
  /** Problems that do not stop a render (unknown keys), each with file:line:col. */
  readonly warnings: readonly string[];
}

export interface HealthSettings {
  /** `luaDir:` a folder of `<group>/<Kind>/health.lua`, absolute (written relative to launchpad.yaml). */
  readonly luaDir?: string;
}

/** One `plugins[]` entry: a plugin.yaml, or a folder of them, and how long its commands may run. */
export interface PluginReference {
  /** Absolute (written relative to launchpad.yaml). */
  readonly path: string;
  /** @default 90 s, Argo CD's exec timeout */
  readonly timeoutMs?: number;
  readonly position: SourcePosition;
}

const TOP_LEVEL_KEYS = ['repositories', 'limits', 'clusters', 'plugins', 'health'];
const ENTRY_KEYS = ['url', 'path', 'revision', 'replaceWith', 'charts'];

interface Context {
  readonly file: string;
  readonly lines: LineCounter;
  readonly warnings: string[];
}

function positionOf(context: Context, node: Node | null | undefined): SourcePosition {
  const offset = node?.range?.[0];
  if (offset === undefined) return { file: context.file };
  const { line, col } = context.lines.linePos(offset);
  return { file: context.file, line, column: col };
}

/** Parses launchpad.yaml text; `file` is its absolute path (relative `path` entries are resolved against its folder). */
export function parseConfig(text: string, file: string): LaunchpadConfig {
  const context: Context = { file, lines: new LineCounter(), warnings: [] };
  checkYamlText(text, { file });
  const document = parseDocument(text, { lineCounter: context.lines, uniqueKeys: false, logLevel: 'error' });
  const syntax = document.errors[0];
  if (syntax !== undefined) {
    const at = syntax.linePos?.[0];
    const position = at === undefined ? { file } : { file, line: at.line, column: at.col };
    throw new InputError(position, `not valid YAML: ${(syntax.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`, { fix: 'fix the YAML syntax' });
  }
  const problem = checkDocumentTree(document, inputLimits());
  if (problem !== undefined) {
    const { line, col } = context.lines.linePos(problem.offset);
    throw new InputError({ file, line, column: col }, problem.code === 'DUPLICATE_KEY' ? `not valid YAML: ${problem.message}` : problem.message, { fix: problem.code === 'DUPLICATE_KEY' ? 'remove or rename the repeated key' : 'simplify the file' });
  }
  const root = document.contents;
  if (root === null) return { file, repositories: [], warnings: [] };
  if (!isMap(root)) throw new InputError(positionOf(context, root), 'launchpad.yaml must be a map with a "repositories" list', { fix: 'start the file with "repositories:"' });
  warnUnknownKeys(context, root, TOP_LEVEL_KEYS, '');
  const limits = parseLimits(context, root.get('limits', true));
  const clusters = parseClusters(context, root.get('clusters', true));
  const plugins = parsePlugins(context, root.get('plugins', true));
  const health = parseHealth(context, root.get('health', true));
  const list = root.get('repositories', true);
  if (list === undefined || (isScalar(list) && list.value === null)) return { file, repositories: [], warnings: context.warnings, ...limits, ...clusters, ...plugins, ...health };
  if (!isSeq(list)) throw new InputError(positionOf(context, list), 'must be a list of {url, path | replaceWith, revision?} entries', { fieldPath: 'repositories', fix: 'write each entry as "- url: …"' });
  const repositories = list.items.map((item, index) => parseEntry(context, item as Node, index));
  rejectDuplicates(repositories);
  return { file, repositories, warnings: context.warnings, ...limits, ...clusters, ...plugins, ...health };
}

/** `health: {luaDir: folder}` — the folder is resolved against launchpad.yaml's; config.ts need not check it exists. */
function parseHealth(context: Context, node: Node | undefined): { health?: HealthSettings } {
  if (node === undefined || (isScalar(node) && node.value === null)) return {};
  if (!isMap(node)) throw new InputError(positionOf(context, node), 'must be a map', { fieldPath: 'health', fix: 'e.g. "health: {luaDir: health-checks}"' });
  warnUnknownKeys(context, node, ['luaDir'], 'health.');
  const luaDir = node.get('luaDir', true) as Node | undefined;
  if (luaDir === undefined) return { health: {} };
  if (!isScalar(luaDir) || typeof luaDir.value !== 'string' || luaDir.value.trim() === '') {
    throw new InputError(positionOf(context, luaDir), 'must be a folder path', { fieldPath: 'health.luaDir', fix: 'write the folder holding <group>/<Kind>/health.lua, relative to launchpad.yaml' });
  }
  return { health: { luaDir: resolve(dirname(context.file), luaDir.value) } };
}

/** `limits:` — each a positive whole number; sizes may be written `32Mi`. */
function parseLimits(context: Context, node: Node | undefined): { limits?: Partial<InputLimits> } {
  if (node === undefined || (isScalar(node) && node.value === null)) return {};
  if (!isMap(node)) throw new InputError(positionOf(context, node), 'must be a map of limit names to numbers', { fieldPath: 'limits', fix: `e.g. "limits: {maxFileSize: 32Mi}"; names: ${LIMIT_NAMES.join(', ')}` });
  warnUnknownKeys(context, node, LIMIT_NAMES, 'limits.');
  const limits: Partial<Record<keyof InputLimits, number>> = {};
  for (const name of LIMIT_NAMES) {
    const value = node.get(name, true) as Node | undefined;
    if (value === undefined) continue;
    const parsed = isScalar(value) ? parseLimitValue(String(value.value)) : undefined;
    if (parsed === undefined) throw new InputError(positionOf(context, value), 'must be a positive whole number', { fieldPath: `limits.${name}`, fix: 'write e.g. 20000, or a size such as 32Mi' });
    limits[name] = parsed;
  }
  return { limits };
}

function warnUnknownKeys(context: Context, map: YAMLMap, known: readonly string[], fieldPrefix: string): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (known.includes(key)) continue;
    const where = formatPosition(positionOf(context, pair.key as Node));
    context.warnings.push(`${where}: ${fieldPrefix}${key}: unknown key, ignored — known keys: ${known.join(', ')}`);
  }
}

function parseEntry(context: Context, node: Node, index: number): RepositoryMapping {
  const field = `repositories[${index}]`;
  if (!isMap(node)) throw new InputError(positionOf(context, node), 'must be a map with "url" and "path" or "replaceWith"', { fieldPath: field, fix: 'write the entry as "- url: …" followed by "path: …"' });
  warnUnknownKeys(context, node, ENTRY_KEYS, `${field}.`);
  const text = (key: string): { value?: string; node?: Node } => stringField(context, node, key, field);
  const url = text('url');
  const path = text('path');
  const replaceWith = text('replaceWith');
  const revision = text('revision');
  const charts = chartsField(context, node, field);
  const position = positionOf(context, node);
  if (url.value === undefined) throw new InputError(position, 'has no url', { fieldPath: field, fix: 'add "url:" with the repoURL as Applications write it' });
  if (path.value !== undefined && replaceWith.value !== undefined) {
    throw new InputError(positionOf(context, replaceWith.node), 'has both "path" and "replaceWith"', { fieldPath: field, fix: 'keep one: a local folder (path) or another URL (replaceWith)' });
  }
  if (path.value === undefined && replaceWith.value === undefined) {
    throw new InputError(position, `says nothing to do with ${url.value}`, { fieldPath: field, fix: 'add "path:" (a local folder) or "replaceWith:" (another URL)' });
  }
  return {
    url: url.value,
    normalisedURL: normaliseRepoURL(url.value),
    ...(path.value === undefined ? {} : { path: resolve(dirname(context.file), path.value), pathPosition: positionOf(context, path.node) }),
    ...(replaceWith.value === undefined ? {} : { replaceWith: resolveRelative(context.file, replaceWith.value) }),
    ...(revision.value === undefined ? {} : { revision: revision.value }),
    ...(charts === undefined ? {} : { charts }),
    position,
  };
}

/** `charts:` — a non-empty list of chart names. */
function chartsField(context: Context, map: YAMLMap, field: string): string[] | undefined {
  const node = map.get('charts', true) as Node | undefined;
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  const fix = 'write the chart names as a list, e.g. "charts: [gitea]"';
  if (!isSeq(node) || node.items.length === 0) throw new InputError(positionOf(context, node), 'must be a non-empty list of chart names', { fieldPath: `${field}.charts`, fix });
  return node.items.map((item, index) => {
    if (!isScalar(item) || typeof item.value !== 'string' || item.value.trim() === '') {
      throw new InputError(positionOf(context, item as Node), 'must be a chart name', { fieldPath: `${field}.charts[${index}]`, fix });
    }
    return item.value.trim();
  });
}

/** A replacement written as a relative path (`./mirror`) is relative to launchpad.yaml, like `path`. */
function resolveRelative(file: string, url: string): string {
  return url.startsWith('./') || url.startsWith('../') ? resolve(dirname(file), url) : url;
}

/** A non-empty string field; numbers and booleans are refused (`revision: 1.10` would silently become 1.1). */
function stringField(context: Context, map: YAMLMap, key: string, field: string): { value?: string; node?: Node } {
  const node = map.get(key, true) as Node | undefined;
  if (node === undefined || (isScalar(node) && node.value === null)) return {};
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
    throw new InputError(positionOf(context, node), 'must be a non-empty string', { fieldPath: `${field}.${key}`, fix: 'write it as a quoted string, e.g. "1.10"' });
  }
  return { value: node.value.trim(), node };
}

function rejectDuplicates(repositories: readonly RepositoryMapping[]): void {
  const seen = new Map<string, RepositoryMapping>();
  for (const [index, entry] of repositories.entries()) {
    const first = seen.get(entry.normalisedURL);
    if (first !== undefined) {
      throw new InputError(entry.position, `maps ${entry.url} again (first at ${formatPosition(first.position)})`, { fieldPath: `repositories[${index}]`, fix: 'keep one entry per repository' });
    }
    seen.set(entry.normalisedURL, entry);
  }
}

/** One `clusters[]` entry: a destination (by server URL or name) and the capabilities helm renders its apps for. */
export interface ClusterSettings {
  readonly server?: string;
  readonly name?: string;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  readonly position: SourcePosition;
}

const CLUSTER_KEYS = ['server', 'name', 'kubeVersion', 'apiVersions'];
const KUBE_VERSION = /^\s*v?[0-9]+(\.[0-9]+)+/;
const API_VERSION = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?v[0-9][a-z0-9]*(\/[A-Za-z][A-Za-z0-9]*)?$/;

/** `clusters:` — a list of {server | name, kubeVersion?, apiVersions?}. */
function parseClusters(context: Context, node: Node | undefined): { clusters?: ClusterSettings[] } {
  if (node === undefined || (isScalar(node) && node.value === null)) return {};
  if (!isSeq(node)) throw new InputError(positionOf(context, node), 'must be a list of {server | name, kubeVersion, apiVersions} entries', { fieldPath: 'clusters', fix: 'write each entry as "- server: https://…" followed by \'kubeVersion: "1.35"\'' });
  return { clusters: node.items.map((item, index) => parseCluster(context, item as Node, index)) };
}

function parseCluster(context: Context, node: Node, index: number): ClusterSettings {
  const field = `clusters[${index}]`;
  const position = positionOf(context, node);
  if (!isMap(node)) throw new InputError(position, 'must be a map with "server" or "name"', { fieldPath: field, fix: 'write the entry as "- server: https://…" or "- name: …"' });
  warnUnknownKeys(context, node, CLUSTER_KEYS, `${field}.`);
  const server = stringField(context, node, 'server', field);
  const name = stringField(context, node, 'name', field);
  const kubeVersion = stringField(context, node, 'kubeVersion', field);
  if (server.value === undefined && name.value === undefined) throw new InputError(position, 'names no cluster', { fieldPath: field, fix: 'add "server:" (the destination server URL) or "name:" (the destination name)' });
  if (kubeVersion.value !== undefined && !KUBE_VERSION.test(kubeVersion.value)) {
    throw new InputError(positionOf(context, kubeVersion.node), `"${kubeVersion.value}" is not a Kubernetes version`, { fieldPath: `${field}.kubeVersion`, fix: 'write it as a quoted version, e.g. "1.35" or "v1.35.4"' });
  }
  const apiVersions = apiVersionsField(context, node, field);
  return {
    ...(server.value === undefined ? {} : { server: server.value.replace(/\/+$/, '') }),
    ...(name.value === undefined ? {} : { name: name.value }),
    ...(kubeVersion.value === undefined ? {} : { kubeVersion: kubeVersion.value }),
    ...(apiVersions === undefined ? {} : { apiVersions }),
    position,
  };
}

/** `apiVersions:` — `group/version` or `group/version/Kind` strings, as helm's --api-versions takes them. */
function apiVersionsField(context: Context, map: YAMLMap, field: string): string[] | undefined {
  const node = map.get('apiVersions', true) as Node | undefined;
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  const fix = 'write a list such as ["v1", "apps/v1", "apps/v1/Deployment", "monitoring.coreos.com/v1"]';
  if (!isSeq(node)) throw new InputError(positionOf(context, node), 'must be a list of API versions', { fieldPath: `${field}.apiVersions`, fix });
  return node.items.map((item, index) => {
    if (!isScalar(item) || typeof item.value !== 'string' || !API_VERSION.test(item.value.trim())) {
      throw new InputError(positionOf(context, item as Node), 'must be an API version such as "apps/v1" or "apps/v1/Deployment"', { fieldPath: `${field}.apiVersions[${index}]`, fix });
    }
    return item.value.trim();
  });
}

/** `plugins:` — each entry a path (relative to launchpad.yaml) or {path, timeout}. */
function parsePlugins(context: Context, node: Node | undefined): { plugins?: PluginReference[] } {
  if (node === undefined || (isScalar(node) && node.value === null)) return {};
  const fix = 'write e.g. "plugins: [plugins/kustomize-helm/plugin.yaml]" or "- {path: plugins/, timeout: 3m}"';
  if (!isSeq(node)) throw new InputError(positionOf(context, node), 'must be a list of plugin.yaml paths', { fieldPath: 'plugins', fix });
  return { plugins: node.items.map((item, index) => parsePluginReference(context, item as Node, `plugins[${index}]`, fix)) };
}

function parsePluginReference(context: Context, node: Node, field: string, fix: string): PluginReference {
  const position = positionOf(context, node);
  if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return { path: resolve(dirname(context.file), node.value.trim()), position };
  if (!isMap(node)) throw new InputError(position, 'must be a path or a map with "path"', { fieldPath: field, fix });
  warnUnknownKeys(context, node, ['path', 'timeout'], `${field}.`);
  const path = stringField(context, node, 'path', field);
  if (path.value === undefined) throw new InputError(position, 'has no path', { fieldPath: field, fix });
  const timeout = stringField(context, node, 'timeout', field);
  const timeoutMs = timeout.value === undefined ? undefined : parseGoDuration(timeout.value);
  if (timeoutMs !== undefined && timeoutMs <= 0) throw new InputError(positionOf(context, timeout.node), 'must be longer than 0', { fieldPath: `${field}.timeout`, fix: 'write a duration such as "90s" or "5m"' });
  if (timeout.value !== undefined && timeoutMs === undefined) {
    throw new InputError(positionOf(context, timeout.node), `"${timeout.value}" is not a duration`, { fieldPath: `${field}.timeout`, fix: 'write a duration such as "90s" or "5m"' });
  }
  return { path: resolve(dirname(context.file), path.value), ...(timeoutMs === undefined ? {} : { timeoutMs }), position };
}
