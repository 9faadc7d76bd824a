/**
 * Which declared plugin renders a source, decided as Argo CD's repo-server decides it:
 * - a source naming a plugin (`spec.source.plugin.name`) gets the plugin whose `<name>-<version>` (or `<name>`
 *   without a version) is that name; if that plugin has a discovery rule, the rule must still match;
 * - otherwise the plugins that have a discovery rule are asked in socket-name order and the first match wins —
 *   for a source without any plugin block too, before Helm and Kustomize are looked for.
 * A rule is `fileName` (a glob in the application's folder, no `**`), else `find.glob` (may use `**`), else
 * `find.command` (run in a private copy; any output is a match).
 */
import { readdir } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { describeError } from '../../errors.js';
import type { DeclaredPlugin } from './catalog.js';
import type { PluginDiscovery } from './spec.js';

export interface DiscoveryTarget {
  /** The repository folder (read only). */
  readonly repoDir: string;
  /** The application's path in it, `/`-separated, "." for the top. */
  readonly appPath: string;
  /** Runs `find.command` for a plugin in a fresh private copy; true when it printed anything. */
  readonly runFind: (plugin: DeclaredPlugin) => Promise<boolean>;
}

export type Selection =
  | { readonly kind: 'selected'; readonly plugin: DeclaredPlugin; readonly discovered: boolean }
  | { readonly kind: 'none'; readonly problem?: string };

const GLOB_CHARS = /[*?[\]{}()!+@\\]/g;

/** Files and folders under `dir`, relative and `/`-separated (.git left out). */
async function entriesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (path === '.git' || path.startsWith('.git/') || path.includes('/.git/')) continue;
    out.push(path);
  }
  return out;
}

/** The pattern as a repository-relative glob, or undefined when it leads out of the repository. */
function repoPattern(appPath: string, pattern: string, globstar: boolean): string | undefined {
  // filepath.Glob has no `**`: there it is just two `*`, one path segment.
  const own = globstar ? pattern : pattern.replace(/\*+/g, '*');
  const escapedApp = appPath === '.' ? '' : `${appPath.replace(GLOB_CHARS, '\\$&')}/`;
  const joined = posix.normalize(`${escapedApp}${own.replace(/^\/+/, '')}`);
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined.replace(/^\.\//, '');
}

/** The folder to walk: the pattern's leading segments without glob characters. */
function literalPrefix(pattern: string): string {
  const segments = pattern.split('/');
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}()!+@\\]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.join('/');
}

async function globMatches(repoDir: string, pattern: string): Promise<boolean> {
  const prefix = literalPrefix(pattern);
  const isMatch = picomatch(pattern, { dot: true });
  const under = await entriesUnder(join(repoDir, prefix));
  return under.some((path) => isMatch(prefix === '' ? path : `${prefix}/${path}`));
}

async function ruleMatches(plugin: DeclaredPlugin, discover: PluginDiscovery, target: DiscoveryTarget): Promise<boolean> {
  if (discover.fileName !== undefined) {
    const pattern = repoPattern(target.appPath, discover.fileName, false);
    return pattern !== undefined && globMatches(target.repoDir, pattern);
  }
  if (discover.glob !== undefined) {
    const pattern = repoPattern(target.appPath, discover.glob, true);
    return pattern !== undefined && globMatches(target.repoDir, pattern);
  }
  return target.runFind(plugin);
}

export function describeRule(discover: PluginDiscovery): string {
  if (discover.fileName !== undefined) return `discover.fileName "${discover.fileName}"`;
  if (discover.glob !== undefined) return `discover.find.glob "${discover.glob}"`;
  return 'discover.find.command';
}

/** The plugin a named source asks for; a problem (not found, rule does not match) is returned, not thrown. */
export async function selectNamed(plugins: readonly DeclaredPlugin[], name: string, target: DiscoveryTarget): Promise<Selection> {
  const plugin = plugins.find((candidate) => candidate.spec.fullName === name);
  if (plugin === undefined) {
    const known = plugins.map((candidate) => candidate.spec.fullName).join(', ');
    const versioned = plugins.find((candidate) => candidate.spec.name === name && candidate.spec.version !== '');
    const hint = versioned === undefined ? '' : ` (plugin "${name}" has spec.version "${versioned.spec.version}", so Applications call it "${versioned.spec.fullName}")`;
    return { kind: 'none', problem: `no declared plugin is called "${name}"${hint}; declared: ${known}` };
  }
  const discover = plugin.spec.discover;
  if (discover === undefined) return { kind: 'selected', plugin, discovered: false };
  const matches = await ruleMatches(plugin, discover, target).catch((error: unknown) => {
    throw new Error(`plugin "${name}" (${plugin.spec.file}): ${describeRule(discover)} failed: ${describeError(error)}`, { cause: error });
  });
  if (matches) return { kind: 'selected', plugin, discovered: false };
  return { kind: 'none', problem: `plugin "${name}" (${plugin.spec.file}) declares ${describeRule(discover)}, which matches nothing in "${target.appPath}"; Argo CD then refuses the plugin too` };
}

/** The first plugin with a discovery rule that matches; errors of one plugin's rule do not stop the others. */
export async function selectByDiscovery(plugins: readonly DeclaredPlugin[], target: DiscoveryTarget): Promise<Selection> {
  let lastProblem: string | undefined;
  for (const plugin of plugins) {
    const discover = plugin.spec.discover;
    if (discover === undefined) continue;
    try {
      if (await ruleMatches(plugin, discover, target)) return { kind: 'selected', plugin, discovered: true };
    } catch (error) {
      lastProblem = `plugin "${plugin.spec.fullName}" (${plugin.spec.file}): ${describeRule(discover)} failed: ${describeError(error)}`;
    }
  }
  return lastProblem === undefined ? { kind: 'none' } : { kind: 'none', problem: lastProblem };
}

export function hasDiscoverablePlugins(plugins: readonly DeclaredPlugin[]): boolean {
  return plugins.some((plugin) => plugin.spec.discover !== undefined);
}
