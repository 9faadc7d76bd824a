/**
 * AppProject enforcement with Argo CD's semantics: which repositories, destinations and kinds of objects a project
 * permits, and which orphaned objects it leaves alone. Pure: each check returns the reason for a refusal — a
 * sentence naming the project, the refused value and the fix — or undefined when the thing is permitted.
 *
 * Globs are Argo CD's (github.com/gobwas/glob): `*` any run of characters, `**` any run across separators, `?` one
 * character, `[a-z]` / `[!a-z]` one of / none of, `{a,b}` alternatives, `\` escapes the next character. Repository
 * URLs are matched with "/" as the separator, so `https://github.com/org/*` reaches one level and `…/org/**` any
 * depth; a lone `*` matches every URL. Destinations and orphaned-resource keys have no separator (`*` crosses "/"
 * in server URLs). Kinds, groups and names never hold "/", so the separator makes no difference to them. A pattern
 * that does not parse (an unclosed "[" or "{") matches nothing, as in Argo CD.
 */
import { projectNameOf } from './app-project.js';
import { applicationSources } from './application.js';
import type { AppProject, Application, ApplicationDestination, ClusterResourceRestriction, OrphanedResourceKey } from './application.js';
import { normaliseRepoURL, redactURL } from '../source/url.js';

/** Maps a cluster name (`spec.destination.name`) to its server URL, when the caller knows its clusters. */
export type ClusterNameToServer = (name: string) => string | undefined;

/** A kind of object to check against a project's resource lists. */
export interface ResourceKind {
  /** "" is the core group. */
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Only cluster-scoped lists restrict names; an absent name is the empty name there, as in Argo CD. */
  readonly name?: string;
}

/** An object found in an application's namespace that no application tracks. */
export interface OrphanedResourceRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface OrphanedResourcesPolicy {
  /** Whether applications get a warning when orphaned objects exist (Argo CD's default is no). */
  readonly warn: boolean;
  /** Objects never reported as orphaned: the project's ignore list and the ones Kubernetes creates by itself. */
  readonly isIgnored: (ref: OrphanedResourceRef) => boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Globs

type Separator = '/' | undefined;

interface Cursor {
  readonly text: string;
  index: number;
}

const NEVER = /(?!)/;
const compiled = new Map<string, RegExp>();

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function star(cursor: Cursor, separator: Separator): string {
  if (cursor.text[cursor.index] !== '*') return separator === undefined ? '.*' : `[^${separator}]*`;
  while (cursor.text[cursor.index] === '*') cursor.index += 1;
  return '.*';
}

function charClass(cursor: Cursor): string | undefined {
  const end = cursor.text.indexOf(']', cursor.index);
  if (end < 0) return undefined;
  let body = cursor.text.slice(cursor.index, end);
  cursor.index = end + 1;
  const negated = body.startsWith('!');
  if (negated) body = body.slice(1);
  if (body === '') return undefined;
  return `[${negated ? '^' : ''}${body.replace(/[\\\]^[]/g, '\\$&')}]`;
}

function alternatives(cursor: Cursor, separator: Separator): string | undefined {
  const options: string[] = [];
  for (;;) {
    const option = sequence(cursor, separator, true);
    if (option === undefined) return undefined;
    options.push(option);
    const closer = cursor.text[cursor.index];
    cursor.index += 1;
    if (closer === '}') return `(?:${options.join('|')})`;
  }
}

function atom(cursor: Cursor, separator: Separator): string | undefined {
  const char = cursor.text[cursor.index] ?? '';
  cursor.index += 1;
  switch (char) {
    case '*':
      return star(cursor, separator);
    case '?':
      return separator === undefined ? '.' : `[^${separator}]`;
    case '[':
      return charClass(cursor);
    case '{':
      return alternatives(cursor, separator);
    case '\\': {
      const next = cursor.text[cursor.index];
      cursor.index += 1;
      return next === undefined ? undefined : literal(next);
    }
    default:
      return literal(char);
  }
}

/** A run of glob atoms as a regular expression; inside `{…}` it stops before "," or "}" (undefined if neither comes). */
function sequence(cursor: Cursor, separator: Separator, inBraces: boolean): string | undefined {
  let out = '';
  while (cursor.index < cursor.text.length) {
    const char = cursor.text[cursor.index];
    if (inBraces && (char === ',' || char === '}')) return out;
    const part = atom(cursor, separator);
    if (part === undefined) return undefined;
    out += part;
  }
  return inBraces ? undefined : out;
}

function compile(pattern: string, separator: Separator): RegExp {
  const source = sequence({ text: pattern, index: 0 }, separator, false);
  if (source === undefined) return NEVER;
  try {
    return new RegExp(`^${source}$`, 's');
  } catch {
    // e.g. a reversed range "[z-a]"
    return NEVER;
  }
}

/**
 * Whether `value` matches the project glob `pattern` (see the module comment). With separator "/", `*` and `?` do
 * not cross "/"; a lone `*` matches everything either way, as in Argo CD.
 */
export function matchesProjectGlob(pattern: string, value: string, separator?: '/'): boolean {
  if (pattern === '*') return true;
  const key = `${separator ?? ''}\n${pattern}`;
  let regexp = compiled.get(key);
  if (regexp === undefined) {
    regexp = compile(pattern, separator);
    compiled.set(key, regexp);
  }
  return regexp.test(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Shared wording

function label(project: AppProject): string {
  return `AppProject ${JSON.stringify(project.metadata.name)}`;
}

function isDeny(pattern: string | undefined): boolean {
  return pattern?.startsWith('!') ?? false;
}

/** `{server: "x", namespace: "y"}`: how an entry would be written in YAML, with absent fields left out. */
function flow(fields: Readonly<Record<string, string | undefined>>): string {
  const shown = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return `{${shown.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ')}}`;
}

function listed(patterns: readonly string[]): string {
  const shown = patterns.slice(0, 8).map((pattern) => JSON.stringify(redactURL(pattern)));
  return `(${shown.join(', ')}${patterns.length > 8 ? `, … ${patterns.length - 8} more` : ''})`;
}

/** The project an Application names (an empty or absent name is `default`), from {@link projectsByName}'s map. */
export function projectOf(name: string | undefined, projects: ReadonlyMap<string, AppProject>): AppProject | undefined {
  return projects.get(projectNameOf(name));
}

// ---------------------------------------------------------------------------------------------------------------
// Source repositories

/**
 * The form repository URLs and their globs are compared in: {@link normaliseRepoURL} (case, a trailing "/" and
 * ".git" ignored, `git@host:org/repo` ≡ `ssh://git@host/org/repo`, as Argo CD's NormalizeGitURL), after reading
 * `ssh://git@host:org/repo` (an scp path behind ssh://, as Argo CD's documentation writes one) as `git@host:org/repo`.
 */
function repoKey(url: string): string {
  return normaliseRepoURL(url.trim().replace(/^ssh:\/\/([^/@\s]+@[^/:\s]+):(?![\d/])/i, '$1:'));
}

function repoMatches(pattern: string, key: string): boolean {
  return pattern.trim() === '*' || matchesProjectGlob(repoKey(pattern), key, '/');
}

/**
 * Why `project` refuses `repoURL`, or undefined when it permits it. As Argo CD documents it: some entry of
 * `spec.sourceRepos` without "!" must match, and no entry with "!" may match — a denial wins over any allow.
 * (Argo CD's code also lets a list of denials alone permit everything else; its documentation, followed here,
 * requires an allow entry.)
 */
export function sourceRepoRefusal(project: AppProject, repoURL: string): string | undefined {
  const entries = project.spec.sourceRepos ?? [];
  const key = repoKey(repoURL);
  const shown = JSON.stringify(redactURL(repoURL));
  const denial = entries.find((entry) => isDeny(entry) && repoMatches(entry.slice(1), key));
  if (denial !== undefined) {
    return `${label(project)} denies repository ${shown} by its spec.sourceRepos entry ${JSON.stringify(redactURL(denial))} — use another repository, or remove that entry from the project`;
  }
  const allows = entries.filter((entry) => !isDeny(entry));
  if (allows.some((entry) => repoMatches(entry, key))) return undefined;
  const why = allows.length === 0 ? 'its spec.sourceRepos has no allow entry (one without "!")' : `it matches none of spec.sourceRepos ${listed(allows)}`;
  return `${label(project)} does not permit repository ${shown}: ${why} — add ${shown} (or a glob matching it) to spec.sourceRepos of ${label(project)}, or use a project that permits it`;
}

// ---------------------------------------------------------------------------------------------------------------
// Destinations

interface Target {
  readonly server: string | undefined;
  readonly name: string | undefined;
  readonly namespace: string;
}

function present(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

function targetOf(destination: ApplicationDestination, clusterNameToServer: ClusterNameToServer | undefined): Target {
  const name = present(destination.name);
  const server = present(destination.server) ?? (name === undefined ? undefined : present(clusterNameToServer?.(name)));
  return { server, name, namespace: destination.namespace ?? '' };
}

function fieldMatches(pattern: string | undefined, value: string | undefined): boolean {
  if (value === undefined) return false;
  const glob = pattern ?? '';
  return matchesProjectGlob(isDeny(glob) ? glob.slice(1) : glob, value);
}

/**
 * Whether `target` is among the destinations `entry` describes, reading a "!" field as the glob after it: the
 * cluster by server or by name (a field the application does not give — its name when it names a server, its
 * server when a name cannot be resolved — matches nothing), and the namespace. An absent field is the empty glob,
 * so an entry without a namespace matches only applications without one, and `namespace: "*"` matches those too.
 */
function describes(entry: ApplicationDestination, target: Target): boolean {
  const cluster = fieldMatches(entry.server, target.server) || fieldMatches(entry.name, target.name);
  return cluster && fieldMatches(entry.namespace ?? '', target.namespace);
}

function isDenyEntry(entry: ApplicationDestination): boolean {
  return isDeny(entry.server) || isDeny(entry.name) || isDeny(entry.namespace);
}

/**
 * Why `project` refuses `destination`, or undefined when it permits it. As Argo CD documents it, some entry of
 * `spec.destinations` without "!" must match (server or name, and namespace, by glob) and no entry with a "!"
 * field may. An entry with "!" denies the destinations it names with the "!" removed, within its other fields:
 * `{server: "*", namespace: "!kube-system"}` denies kube-system on every cluster, and
 * `{server: "https://a", namespace: "!kube-system"}` only on https://a (as Argo CD does for server and namespace;
 * Launchpad treats a "!" name the same way, and a denying entry never permits anything by itself).
 * A `destination.name` is resolved to a server with `clusterNameToServer` when given, so entries written with
 * either form apply; without it, names are matched against the entries' `name` globs only.
 */
export function destinationRefusal(
  project: AppProject,
  destination: ApplicationDestination,
  clusterNameToServer?: ClusterNameToServer,
): string | undefined {
  const target = targetOf(destination, clusterNameToServer);
  const shown = flow({ name: target.name, server: target.server, namespace: target.namespace });
  if (target.server === undefined && target.name === undefined) {
    return `${label(project)} cannot permit destination ${shown}: it names no cluster — set spec.destination.server or spec.destination.name of the application`;
  }
  const entries = project.spec.destinations ?? [];
  for (const [index, entry] of entries.entries()) {
    if (isDenyEntry(entry) && describes(entry, target)) {
      const written = flow({ server: entry.server, name: entry.name, namespace: entry.namespace });
      return `${label(project)} denies destination ${shown} by spec.destinations[${index}] ${written} — deploy somewhere else, or change that entry`;
    }
  }
  const allows = entries.filter((entry) => !isDenyEntry(entry));
  if (allows.some((entry) => describes(entry, target))) return undefined;
  const why = allows.length === 0 ? 'its spec.destinations has no allow entry (one without "!")' : 'no entry of spec.destinations matches it';
  const wanted = target.server === undefined ? { name: target.name } : { server: target.server };
  const suggestion = flow({ ...wanted, namespace: target.namespace === '' ? '*' : target.namespace });
  return `${label(project)} does not permit destination ${shown}: ${why} — add ${suggestion} (or globs matching it) to spec.destinations of ${label(project)}, or use a project that permits it`;
}

// ---------------------------------------------------------------------------------------------------------------
// Kinds of objects

function listMatches(entry: ClusterResourceRestriction, resource: ResourceKind): boolean {
  const nameMatches = entry.name === undefined || entry.name === '' || matchesProjectGlob(entry.name, resource.name ?? '', '/');
  return nameMatches && matchesProjectGlob(entry.kind, resource.kind, '/') && matchesProjectGlob(entry.group, resource.group, '/');
}

function describeResource(resource: ResourceKind): string {
  const scope = resource.namespaced ? 'namespaced' : 'cluster-scoped';
  const name = resource.name === undefined || resource.name === '' ? '' : ` ${JSON.stringify(resource.name)}`;
  const group = resource.group === '' ? 'core group' : `group ${JSON.stringify(resource.group)}`;
  return `${scope} ${resource.kind}${name} (${group})`;
}

interface Lists {
  readonly whitelistField: string;
  readonly blacklistField: string;
  /** Undefined: every kind is permitted (namespaced kinds); empty: none. */
  readonly whitelist: readonly ClusterResourceRestriction[] | undefined;
  readonly blacklist: readonly ClusterResourceRestriction[];
}

function listsFor(project: AppProject, namespaced: boolean): Lists {
  const { spec } = project;
  return namespaced
    ? { whitelistField: 'namespaceResourceWhitelist', blacklistField: 'namespaceResourceBlacklist', whitelist: spec.namespaceResourceWhitelist, blacklist: spec.namespaceResourceBlacklist ?? [] }
    // Cluster-scoped kinds are refused unless whitelisted: an absent list permits none.
    : { whitelistField: 'clusterResourceWhitelist', blacklistField: 'clusterResourceBlacklist', whitelist: spec.clusterResourceWhitelist ?? [], blacklist: spec.clusterResourceBlacklist ?? [] };
}

/**
 * Why `project` refuses objects of this kind, or undefined when it permits them, as Argo CD decides: a kind must
 * match the whitelist for its scope and must not match the blacklist (which wins). Cluster-scoped kinds need a
 * whitelist entry — none is permitted when `clusterResourceWhitelist` is absent or empty. Namespaced kinds are all
 * permitted when `namespaceResourceWhitelist` is absent, and none when it is an empty list. Group and kind (and,
 * in cluster-scoped lists, name) are globs; group "" is the core group and matches only it (or "*").
 */
export function resourceRefusal(project: AppProject, resource: ResourceKind): string | undefined {
  const lists = listsFor(project, resource.namespaced);
  const what = describeResource(resource);
  const denial = lists.blacklist.find((entry) => listMatches(entry, resource));
  if (denial !== undefined) {
    return `${label(project)} denies ${what} by spec.${lists.blacklistField} entry ${flow({ group: denial.group, kind: denial.kind, name: denial.name })} — leave it out of the application, or remove that entry`;
  }
  if (lists.whitelist === undefined || lists.whitelist.some((entry) => listMatches(entry, resource))) return undefined;
  const named = resource.namespaced ? undefined : present(resource.name);
  const add = `add ${flow({ group: resource.group, kind: resource.kind, name: named })} to spec.${lists.whitelistField} of ${label(project)}`;
  if (lists.whitelist.length === 0) {
    const scope = resource.namespaced ? 'namespaced' : 'cluster-scoped';
    return `${label(project)} does not permit ${what}: its spec.${lists.whitelistField} is empty, so no ${scope} kind is permitted — ${add}`;
  }
  return `${label(project)} does not permit ${what}: it matches no entry of spec.${lists.whitelistField} — ${add}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Orphaned resources

/** Objects Kubernetes makes in every namespace, which Argo CD never reports as orphaned. */
function isKubernetesOwn(ref: OrphanedResourceRef): boolean {
  if (ref.group !== '') return false;
  if (ref.kind === 'ServiceAccount') return ref.name === 'default';
  if (ref.kind === 'ConfigMap') return ref.name === 'kube-root-ca.crt';
  return ref.kind === 'Service' && ref.name === 'kubernetes' && ref.namespace === 'default';
}

/** As Argo CD: an empty kind or name matches any, but an empty group is the core group (it is matched as a glob). */
function ignoreMatches(key: OrphanedResourceKey, ref: OrphanedResourceRef): boolean {
  const kindMatches = key.kind === undefined || key.kind === '' || matchesProjectGlob(key.kind, ref.kind);
  const nameMatches = key.name === undefined || key.name === '' || matchesProjectGlob(key.name, ref.name);
  return kindMatches && nameMatches && matchesProjectGlob(key.group ?? '', ref.group);
}

/**
 * How `project` monitors orphaned objects (objects in an application's namespace that no application tracks), or
 * undefined when `spec.orphanedResources` is not set and it does not. `warn` is false unless set to true, as in
 * Argo CD. Kinds the project refuses are not orphans either; check them with {@link resourceRefusal}.
 */
export function orphanedResourcesPolicy(project: AppProject): OrphanedResourcesPolicy | undefined {
  const settings = project.spec.orphanedResources;
  if (settings === undefined) return undefined;
  const ignore = settings.ignore ?? [];
  return {
    warn: settings.warn === true,
    isIgnored: (ref) => isKubernetesOwn(ref) || ignore.some((key) => ignoreMatches(key, ref)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Applications

/**
 * Every reason `project` refuses `app`: each source's repository (`spec.source` or `spec.sources`, `ref`-only
 * sources included, as in Argo CD) and the destination. Empty when the project permits the application.
 */
export function applicationRefusals(app: Application, project: AppProject, clusterNameToServer?: ClusterNameToServer): string[] {
  const refusals = new Set<string>();
  for (const source of applicationSources(app)) {
    const refusal = sourceRepoRefusal(project, source.repoURL);
    if (refusal !== undefined) refusals.add(refusal);
  }
  const destination = destinationRefusal(project, app.spec.destination, clusterNameToServer);
  if (destination !== undefined) refusals.add(destination);
  return [...refusals];
}
