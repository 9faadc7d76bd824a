/**
 * `launchpad.yaml`: how this checkout maps the repositories Applications name to local folders, mirrors or pinned
 * revisions. Discovery, loading with file-system checks, and lookup by normalised URL.
 */
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { configureLimits } from '../model/limits.js';
import { pathExists } from './cache-dir.js';
import { readTextFile } from './read-text.js';
import { parseConfig } from './config-parse.js';
import type { LaunchpadConfig, RepositoryMapping } from './config-parse.js';
import { normaliseRepoURL } from './url.js';

export { parseConfig };
export type { LaunchpadConfig, RepositoryMapping };

export const CONFIG_FILE_NAME = 'launchpad.yaml';

/**
 * The launchpad.yaml that applies: beside `startFile` (the root Application) or in a folder above it; else in
 * `cwd` or above. Undefined when there is none. An explicit `--config` bypasses this: pass it to loadConfig.
 */
export async function findConfig(startFile: string | undefined, cwd: string): Promise<string | undefined> {
  const starts = startFile === undefined ? [resolve(cwd)] : [dirname(resolve(cwd, startFile)), resolve(cwd)];
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, CONFIG_FILE_NAME);
      if (await pathExists(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** Reads and validates a launchpad.yaml; every `path` must be an existing folder. */
export async function loadConfig(file: string): Promise<LaunchpadConfig> {
  const absolute = resolve(file);
  const text = await readTextFile(absolute, 'check the --config path');
  const config = parseConfig(text, absolute);
  for (const [index, entry] of config.repositories.entries()) await checkFolder(entry, index);
  // Limits are process-wide: everything this command parses from now on is held to them.
  if (config.limits !== undefined) configureLimits(config.limits);
  return config;
}

async function checkFolder(entry: RepositoryMapping, index: number): Promise<void> {
  if (entry.path === undefined) return;
  const info = await stat(entry.path).catch(() => undefined);
  if (info?.isDirectory() === true) return;
  throw new InputError(entry.pathPosition ?? entry.position, `folder ${entry.path} ${info === undefined ? 'does not exist' : 'is not a folder'}`, {
    fieldPath: `repositories[${index}].path`,
    fix: `clone ${entry.url} there, or correct the path (it is relative to launchpad.yaml)`,
  });
}

/**
 * The entry that maps `repoURL`, by normalised URL. An entry limited to some `charts` maps only those: pass the chart
 * a Helm source names (a git source names none, so such an entry never maps it).
 */
export function findMapping(config: LaunchpadConfig | undefined, repoURL: string, chart?: string): RepositoryMapping | undefined {
  if (config === undefined) return undefined;
  const wanted = normaliseRepoURL(repoURL);
  return config.repositories.find((entry) => entry.normalisedURL === wanted && (entry.charts === undefined || (chart !== undefined && entry.charts.includes(chart))));
}
