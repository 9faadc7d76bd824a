/**
 * Applying a launchpad.yaml entry: a local folder used as it is (its working tree, uncommitted edits included), a
 * local folder at a pinned revision (an immutable snapshot through the git cache), or another URL (a mirror)
 * resolved through the caches. For charts, the folder holds `<chart>/Chart.yaml`, is the chart itself, or is a
 * packaged repository (index.yaml + .tgz). The result always reports the repoURL the Application wrote.
 */
import { dirname, join, resolve } from 'node:path';
import { SourceError } from '../errors.js';
import { formatPosition } from '../errors.js';
import { pathExists } from './cache-dir.js';
import type { RepositoryMapping } from './config-parse.js';
import type { GitCache } from './git-cache.js';
import { runGit } from './git-run.js';
import type { ChartCache } from './helm-cache.js';
import { isPackagedRepository, resolveLocalChart } from './helm-local-repo.js';
import { readChartVersion } from './helm-pull.js';
import type { ChartCheckout, GitCheckout, ResolveOptions } from './types.js';
import { redactURL } from './url.js';

export interface Caches {
  readonly git: GitCache;
  readonly charts: ChartCache;
  /** Root of the cache, for packaged local chart repositories. */
  readonly cacheDir: string;
}

export interface GitSubstitution {
  readonly mapping: RepositoryMapping;
  readonly repoURL: string;
  readonly revision: string;
}

export async function substituteGit(caches: Caches, request: GitSubstitution, options: ResolveOptions): Promise<GitCheckout> {
  const { mapping, repoURL, revision } = request;
  if (mapping.replaceWith !== undefined) {
    const checkout = await caches.git.resolve({ repoURL: mapping.replaceWith, revision: mapping.revision ?? revision, reportAs: repoURL, requestedRevision: revision }, options);
    return { ...checkout, substitutedBy: redactURL(mapping.replaceWith), ...pinned(mapping) };
  }
  const folder = mappingFolder(mapping);
  if (mapping.revision === undefined) {
    return { repoURL, requestedRevision: revision, sha: await headOf(folder), dir: folder, workingTree: true, substitutedBy: folder, root: await boundaryRoot(mapping, folder) };
  }
  await requireGitRepository(mapping, folder);
  const checkout = await caches.git.resolve({ repoURL: folder, revision: mapping.revision, reportAs: repoURL, requestedRevision: revision }, options);
  return { ...checkout, substitutedBy: folder, pinnedRevision: mapping.revision };
}

export interface ChartSubstitution {
  readonly mapping: RepositoryMapping;
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
}

export async function substituteChart(caches: Caches, request: ChartSubstitution, options: ResolveOptions): Promise<ChartCheckout> {
  const { mapping, repoURL, chart, version } = request;
  if (mapping.replaceWith !== undefined) {
    const checkout = await caches.charts.resolve({ repoURL: mapping.replaceWith, chart, version: mapping.revision ?? version, reportAs: repoURL, requestedVersion: version }, options);
    return { ...checkout, substitutedBy: redactURL(mapping.replaceWith) };
  }
  let folder = mappingFolder(mapping);
  if (mapping.revision !== undefined) {
    // A pinned revision of a local chart repository: read the chart from that commit's snapshot.
    await requireGitRepository(mapping, folder);
    folder = (await caches.git.resolve({ repoURL: folder, revision: mapping.revision }, options)).dir;
  }
  const base = { repoURL, chart, requestedVersion: version, substitutedBy: mappingFolder(mapping), local: true };
  if (!(await pathExists(join(folder, chart, 'Chart.yaml'))) && (await isPackagedRepository(folder))) {
    return { ...base, ...(await resolveLocalChart({ folder, chart, version: mapping.revision ?? version, cacheDir: caches.cacheDir })) };
  }
  const dir = await chartFolder(mapping, folder, chart);
  return { ...base, version: await readChartVersion(dir), dir, root: mapping.revision === undefined ? await boundaryRoot(mapping, folder) : folder };
}

function mappingFolder(mapping: RepositoryMapping): string {
  if (mapping.path === undefined) throw new SourceError(`launchpad.yaml entry for ${mapping.url} has neither path nor replaceWith`, { fix: 'add one' });
  return mapping.path;
}

function pinned(mapping: RepositoryMapping): { pinnedRevision?: string } {
  return mapping.revision === undefined ? {} : { pinnedRevision: mapping.revision };
}

/**
 * The folder a launchpad.yaml folder's symlinks must stay in: the one the mapping names (the preview sets it to the
 * snapshot of the whole repository), else the top of the git repository holding the folder — a folder inside a
 * larger repository may link to its siblings, as the example platform's chart link does — else the folder itself.
 */
async function boundaryRoot(mapping: RepositoryMapping, folder: string): Promise<string> {
  if (mapping.root !== undefined) return mapping.root;
  // The nearest folder holding `.git` (a folder, or a file for worktrees and submodules); no process needed.
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    if (await pathExists(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return folder;
  }
}

/** The HEAD commit of a working tree, or "" when the folder is not in a git repository (or has no commit yet). */
async function headOf(folder: string): Promise<string> {
  const result = await runGit(['-C', folder, 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  return result.exitCode === 0 ? result.stdout.trim() : '';
}

async function requireGitRepository(mapping: RepositoryMapping, folder: string): Promise<void> {
  const result = await runGit(['-C', folder, 'rev-parse', '--git-dir']);
  if (result.exitCode === 0) return;
  throw new SourceError(`${formatPosition(mapping.position)}: ${folder} is not a git repository, so revision "${mapping.revision ?? ''}" cannot be pinned in it`, {
    fix: 'remove "revision" to use the folder as it is, or point "path" at a git clone',
  });
}

/** `<folder>/<chart>/Chart.yaml`, or the folder itself when it is the chart. */
async function chartFolder(mapping: RepositoryMapping, folder: string, chart: string): Promise<string> {
  if (await pathExists(join(folder, chart, 'Chart.yaml'))) return join(folder, chart);
  if (await pathExists(join(folder, 'Chart.yaml'))) return folder;
  throw new SourceError(`chart "${chart}" not found in ${folder} (mapped from ${mapping.url} at ${formatPosition(mapping.position)})`, {
    fix: `the folder must hold ${chart}/Chart.yaml, or be the chart itself`,
  });
}
