/**
 * Turns the revisions to compare into two launchpad.yaml configurations, one per side, and tells where each root
 * file is at each side. A local folder whose repository is compared gets, per side:
 *   - the folder is its repository's top and both sides are commits: a `revision:` pin to the side's commit (the
 *     source layer renders that commit's immutable snapshot, fingerprinted by git object ids);
 *   - otherwise (a sub-folder of a repository, like the example platform inside this repository, or the other side
 *     is the working tree): the same folder inside the repository's snapshot at that commit;
 *   - the side is the working tree: the folder as it is.
 * Repositories nobody asked to compare keep their launchpad.yaml entry at both sides, so they show no change. The
 * config repository (the one holding the root files) is mapped to its checkout even when launchpad.yaml does not
 * say so, under the URLs of its git remotes.
 */
import { join, relative, resolve } from 'node:path';
import { InputError, SourceError } from '../errors.js';
import type { LaunchpadConfig, RepositoryMapping } from '../source/config.js';
import { normaliseRepoURL } from '../source/url.js';
import { realFolder, remoteURLs, resolveCommit } from './git.js';
import { equivalentURLs } from './remote-urls.js';
import type { RevisionRange, RevisionSpec } from './revision-spec.js';
import type { RepoRevisions, RepoState, Side } from './types.js';

export interface RevisionPlanInput {
  readonly config: LaunchpadConfig | undefined;
  /** Top folders of the repositories holding the root files (real paths). */
  readonly configRepos: readonly string[];
  /** --base/--head; undefined: the config repositories are compared only if a --revision names them. */
  readonly configRange: RevisionRange | undefined;
  readonly revisions: readonly RevisionSpec[];
  /** Folder that relative `--revision` folders are relative to. */
  readonly cwd: string;
  /** The git top folder of a folder (undefined outside git). */
  readonly toplevel: (folder: string) => Promise<string | undefined>;
  /** The snapshot folder of a repository at a commit (the source layer's immutable snapshot). */
  readonly snapshot: (toplevel: string, sha: string) => Promise<string>;
}

/** Everything that differs per side. */
export interface SidePlan {
  readonly side: Side;
  readonly config: LaunchpadConfig | undefined;
  /** Where a root file (absolute, inside a config repository) is at this side. */
  rootPath(rootFile: string): Promise<string>;
}

/** A repository's state at each side. */
export type States = Readonly<Record<Side, RepoState>>;

export interface RevisionPlan {
  readonly repositories: readonly RepoRevisions[];
  /** The states of each config repository (top folder → states); absent when it is not compared. */
  readonly configStates: ReadonlyMap<string, States>;
  readonly base: SidePlan;
  readonly head: SidePlan;
}

interface Compared {
  readonly mapping: RepositoryMapping;
  /** Real path of the mapped folder. */
  readonly folder: string;
  readonly toplevel: string;
  readonly base: RepoState;
  readonly head: RepoState;
}

async function stateOf(toplevel: string, revision: string | undefined): Promise<RepoState> {
  if (revision === undefined) return { kind: 'worktree' };
  return { kind: 'commit', revision, sha: await resolveCommit(toplevel, revision) };
}

/** launchpad.yaml entries with a local folder, plus the config repositories under their remotes' URLs. */
async function localMappings(input: RevisionPlanInput): Promise<RepositoryMapping[]> {
  const mappings = (input.config?.repositories ?? []).filter((entry) => entry.path !== undefined);
  const known = new Set((input.config?.repositories ?? []).map((entry) => entry.normalisedURL));
  for (const toplevel of input.configRepos) {
    for (const url of (await remoteURLs(toplevel)).flatMap(equivalentURLs)) {
      const normalisedURL = normaliseRepoURL(url);
      if (known.has(normalisedURL)) continue;
      known.add(normalisedURL);
      mappings.push({ url, normalisedURL, path: toplevel, position: { file: `${toplevel} (git remote)` } });
    }
  }
  return mappings;
}

async function findSpec(input: RevisionPlanInput, mapping: RepositoryMapping, folder: string): Promise<RevisionSpec | undefined> {
  for (const spec of input.revisions) {
    if (normaliseRepoURL(spec.repo) === mapping.normalisedURL) return spec;
    if ((await realFolder(resolve(input.cwd, spec.repo))) === folder) return spec;
  }
  return undefined;
}

async function compareMapping(input: RevisionPlanInput, mapping: RepositoryMapping, used: Set<RevisionSpec>): Promise<Compared | undefined> {
  const folder = await realFolder(mapping.path ?? '');
  const spec = await findSpec(input, mapping, folder);
  const toplevel = await input.toplevel(folder);
  if (spec !== undefined) used.add(spec);
  const range = spec ?? (toplevel !== undefined && input.configRepos.includes(toplevel) ? input.configRange : undefined);
  if (range === undefined) return undefined;
  if (toplevel === undefined) {
    throw new SourceError(`${folder} (mapped from ${mapping.url}) is not in a git repository, so its revisions cannot be compared`, { fix: 'point launchpad.yaml at a git clone' });
  }
  return { mapping, folder, toplevel, base: await stateOf(toplevel, range.base), head: await stateOf(toplevel, range.head) };
}

/** The folder of `folder` (inside `toplevel`) at a side: itself for the working tree, else in the commit's snapshot. */
async function folderAt(input: RevisionPlanInput, toplevel: string, folder: string, state: RepoState): Promise<string> {
  return state.kind === 'worktree' ? folder : join(await input.snapshot(toplevel, state.sha), relative(toplevel, folder));
}

function withoutPin(mapping: RepositoryMapping): RepositoryMapping {
  const copy: { -readonly [K in keyof RepositoryMapping]?: RepositoryMapping[K] } = { ...mapping };
  delete copy.revision;
  return copy as RepositoryMapping;
}

async function mappingAt(input: RevisionPlanInput, entry: Compared, side: Side): Promise<RepositoryMapping> {
  const state = entry[side];
  const rest = withoutPin(entry.mapping);
  if (state.kind === 'worktree') return rest;
  // A pin lets the source layer fingerprint by git object ids — comparable only with the other side's if that is a
  // commit too; against a working tree (content hashes) both sides read plain folders, so fingerprints compare.
  if (entry.folder === entry.toplevel && entry.base.kind === 'commit' && entry.head.kind === 'commit') return { ...rest, revision: state.sha };
  // The folder's links may lead to its siblings in the repository: they must resolve inside the same snapshot.
  return { ...rest, path: await folderAt(input, entry.toplevel, entry.folder, state), root: await input.snapshot(entry.toplevel, state.sha) };
}

async function configAt(input: RevisionPlanInput, compared: readonly Compared[], side: Side): Promise<LaunchpadConfig | undefined> {
  const written = input.config?.repositories ?? [];
  if (input.config === undefined && compared.length === 0) return undefined;
  const implicit = compared.map((entry) => entry.mapping).filter((mapping) => !written.some((entry) => entry.normalisedURL === mapping.normalisedURL));
  const replaced = new Map(await Promise.all(compared.map(async (entry) => [entry.mapping.normalisedURL, await mappingAt(input, entry, side)] as const)));
  const repositories = [...written, ...implicit].map((mapping) => replaced.get(mapping.normalisedURL) ?? mapping);
  return { file: input.config?.file ?? 'launchpad.yaml', repositories, warnings: input.config?.warnings ?? [] };
}

/** The states of each config repository: --base/--head, else those of a --revision that named it, else unchanged. */
async function configRepoStates(input: RevisionPlanInput, compared: readonly Compared[]): Promise<Map<string, States>> {
  const states = new Map<string, States>();
  for (const toplevel of input.configRepos) {
    const named = compared.find((entry) => entry.toplevel === toplevel);
    if (input.configRange !== undefined) {
      states.set(toplevel, { base: await stateOf(toplevel, input.configRange.base), head: await stateOf(toplevel, input.configRange.head) });
    } else if (named !== undefined) {
      states.set(toplevel, { base: named.base, head: named.head });
    }
  }
  return states;
}

function sidePlan(input: RevisionPlanInput, side: Side, config: LaunchpadConfig | undefined, roots: ReadonlyMap<string, States>): SidePlan {
  return {
    side,
    config,
    async rootPath(rootFile) {
      const file = await realFolder(rootFile);
      const toplevel = input.configRepos.find((top) => !relative(top, file).startsWith('..'));
      const states = toplevel === undefined ? undefined : roots.get(toplevel);
      if (toplevel === undefined || states === undefined) return file;
      return folderAt(input, toplevel, file, states[side]);
    },
  };
}

function reportOf(compared: readonly Compared[], roots: ReadonlyMap<string, States>): RepoRevisions[] {
  const report: RepoRevisions[] = compared.map((entry) => ({ url: entry.mapping.url, path: entry.folder, base: entry.base, head: entry.head }));
  for (const [toplevel, states] of roots) {
    if (!compared.some((entry) => entry.folder === toplevel)) report.push({ url: toplevel, path: toplevel, ...states });
  }
  return report;
}

/** Resolves every revision to a commit and builds both sides' configurations. */
export async function planRevisions(input: RevisionPlanInput): Promise<RevisionPlan> {
  const used = new Set<RevisionSpec>();
  const compared: Compared[] = [];
  for (const mapping of await localMappings(input)) {
    const entry = await compareMapping(input, mapping, used);
    if (entry !== undefined) compared.push(entry);
  }
  const unused = input.revisions.find((spec) => !used.has(spec));
  if (unused !== undefined) {
    const known = compared.map((entry) => entry.mapping.url).concat((input.config?.repositories ?? []).filter((entry) => entry.path !== undefined).map((entry) => entry.url));
    throw new InputError({ file: '--revision' }, `${unused.repo} is not a repository launchpad.yaml maps to a local folder`, {
      fix: known.length === 0 ? 'add it to launchpad.yaml with "path:" (its local clone)' : `use one of: ${[...new Set(known)].join(', ')}`,
    });
  }
  const roots = await configRepoStates(input, compared);
  if (compared.length === 0 && roots.size === 0) {
    throw new InputError({ file: '--base' }, 'nothing to compare: no revision was given for any repository', {
      fix: 'give --base <rev> (and --head <rev>) for the config repository, or --revision <repo>=<base>..<head>',
    });
  }
  const [base, head] = await Promise.all([configAt(input, compared, 'base'), configAt(input, compared, 'head')]);
  return { repositories: reportOf(compared, roots), configStates: roots, base: sidePlan(input, 'base', base, roots), head: sidePlan(input, 'head', head, roots) };
}
