/**
 * `launchpad diff --base/--head` as a library call: resolve the revisions, find the cluster roots, render every root
 * at base and then at head — reusing, at head, each application none of whose inputs changed — and compare.
 * Never throws for a render failure (it is reported per application); throws LaunchpadErrors for bad input
 * (unknown revision, unreadable launchpad.yaml, no root found).
 */
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Application, ApplicationDestination } from '../model/application.js';
import { renderApplication } from '../render/app.js';
import { createRenderCache } from '../render/cache.js';
import { createLimiter } from '../render/limit.js';
import { createApplicationLoader } from '../render/loader.js';
import { toolVersions } from '../render/tool-versions.js';
import { renderTreeWithApplicationSets } from '../appset/offline.js';
import type { RenderTree } from '../render/types.js';
import { pathExists } from '../source/cache-dir.js';
import { findConfig, loadConfig } from '../source/config.js';
import { configuredCapabilities } from '../render/capabilities.js';
import type { CapabilityHints } from '../render/capabilities.js';
import type { LaunchpadConfig } from '../source/config.js';
import { createSourceResolver, defaultCacheDir } from '../source/index.js';
import type { SourceResolver } from '../source/types.js';
import { compareCluster } from './compare.js';
import { hasPolicyNews, policiesAtHead, policiesRenderedBy, policyDelta } from './policy-delta.js';
import { gitToplevel, realFolder } from './git.js';
import type { AppRenderer } from './impact.js';
import { loadPluginCatalog } from '../render/plugin/catalog.js';
import type { PluginCatalog } from '../render/plugin/catalog.js';
import { createImpactAnalysis } from './impact.js';
import { planRevisions } from './revision-plan.js';
import type { RevisionPlan, SidePlan } from './revision-plan.js';
import { configRange } from './revision-spec.js';
import type { RevisionSpec } from './revision-spec.js';
import { MAX_ROOT_CANDIDATES, clusterName, findApplicationFiles, findNamedRoots, readIfExists, rootsNotProducedByOthers } from './roots.js';
import type { RootSearch } from './roots.js';
import type { ClusterDiff, PreviewReport, Side } from './types.js';

export interface PreviewOptions {
  /** Root Application files; none: found under `cwd` (see roots.ts). */
  readonly roots?: readonly string[];
  /** @default process.cwd() */
  readonly cwd?: string;
  /** launchpad.yaml; @default found beside the first root or above, else in cwd or above */
  readonly configFile?: string;
  /** Revision of the config repository to compare with. */
  readonly base?: string;
  /** Revision under review; @default the working tree (when base is given) */
  readonly head?: string;
  /** Revisions of other mapped repositories. */
  readonly revisions?: readonly RevisionSpec[];
  /** @default false */
  readonly offline?: boolean;
  /** @default `$XDG_CACHE_HOME/launchpad` */
  readonly cacheDir?: string;
  /** Serve renders from the on-disk render cache (and store them). @default true */
  readonly renderCache?: boolean;
  /** Reuse, at head, the base render of every application none of whose inputs changed. @default true */
  readonly impactAnalysis?: boolean;
  /** Lines of context in resource diffs. @default 3 */
  readonly context?: number;
  /** helm/kustomize processes at once, across all roots. @default os.availableParallelism() */
  readonly concurrency?: number;
  /** Progress messages (for a terminal). */
  readonly onProgress?: (message: string) => void;
  /**
   * Policy section: a folder of the config repository (read at head) with the Kyverno policies that judge both
   * sides; without it, the ClusterPolicy/Policy objects each cluster's head tree renders.
   */
  readonly policies?: string;
}

interface SideRenderer {
  readonly plan: SidePlan;
  readonly resolver: SourceResolver;
  readonly render: AppRenderer;
  /** The plugins this side's launchpad.yaml declares. */
  readonly plugins: PluginCatalog;
}

interface Context {
  readonly cwd: string;
  readonly offline: boolean;
  readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  readonly loader: ReturnType<typeof createApplicationLoader>;
}

async function loadConfigFor(options: PreviewOptions, firstRoot: string | undefined, cwd: string): Promise<{ config: LaunchpadConfig | undefined }> {
  const file = options.configFile === undefined ? await findConfig(firstRoot, cwd) : resolve(cwd, options.configFile);
  return { config: file === undefined ? undefined : await loadConfig(file) };
}

async function configRepositories(roots: readonly string[], cwd: string, needed: boolean): Promise<string[]> {
  const folders = roots.length === 0 ? [cwd] : roots.map((root) => dirname(root));
  const tops: string[] = [];
  for (const folder of folders) {
    const top = await gitToplevel(folder);
    if (top === undefined && needed) {
      throw new InputError({ file: folder }, 'is not in a git repository, so --base/--head cannot be read from it', { fix: 'run the diff inside the config repository\'s clone, or give roots inside it' });
    }
    if (top !== undefined && !tops.includes(top)) tops.push(top);
  }
  return tops;
}

async function sideRenderer(plan: SidePlan, options: PreviewOptions, context: Context): Promise<SideRenderer> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const resolver = createSourceResolver({ offline: context.offline, cacheDir, ...(plan.config === undefined ? {} : { config: plan.config }) });
  const plugins = await loadPluginCatalog(plan.config?.plugins ?? []);
  // No cluster is asked in a preview: helm renders for launchpad.yaml's `clusters:` entry, else the default.
  const clusterCapabilities = (destination: ApplicationDestination): Promise<(CapabilityHints | undefined)[]> => Promise.resolve([configuredCapabilities(plan.config?.clusters, destination)]);
  if (options.renderCache === false) {
    return { plan, resolver, plugins, render: (app: Application) => context.limit(() => renderApplication(app, { resolver, offline: context.offline, plugins, clusterCapabilities })) };
  }
  const cache = createRenderCache({ resolver, offline: context.offline, dir: join(cacheDir, 'render'), toolVersions: await toolVersions(), plugins, clusterCapabilities });
  return { plan, resolver, plugins, render: (app: Application) => context.limit(() => cache.render(app)) };
}

/** Messages name the snapshot a root was read from; show the root's path instead. */
function relabel(tree: RenderTree, from: string, to: string): RenderTree {
  if (from === to) return { ...tree, rootFile: to };
  const fix = (text: string): string => text.split(from).join(to);
  return {
    ...tree,
    rootFile: to,
    errors: tree.errors.map(fix),
    apps: tree.apps.map((app) => ({ ...app, message: fix(app.message), definedIn: fix(app.definedIn), errors: app.errors.map(fix), warnings: app.warnings.map(fix) })),
  };
}

async function renderAt(side: SideRenderer, root: string, context: Context, render: AppRenderer): Promise<RenderTree | undefined> {
  const path = await side.plan.rootPath(root);
  if (!(await pathExists(path))) return undefined;
  const tree = await renderTreeWithApplicationSets(path, { resolver: side.resolver, offline: context.offline, loader: context.loader, renderApp: render, concurrency: Number.MAX_SAFE_INTEGER }, {
    resolver: side.resolver, offline: context.offline, ...(side.plan.config?.clusters === undefined ? {} : { clusters: side.plan.config.clusters }),
  });
  return relabel(tree, path, displayPath(context.cwd, root));
}

function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel === '' ? file : rel;
}

async function discoverRoots(plan: RevisionPlan, sides: { readonly base: SideRenderer; readonly head: SideRenderer }, context: Context): Promise<string[]> {
  const toplevel = await gitToplevel(context.cwd);
  if (toplevel === undefined) throw new InputError({ file: context.cwd }, 'no root given and the current folder is not in a git repository', { fix: 'give the root Application files' });
  const states = plan.configStates.get(toplevel);
  const search: RootSearch = { toplevel, prefix: relative(toplevel, await realFolder(context.cwd)), states: states === undefined ? [{ kind: 'worktree' }] : [states.base, states.head] };
  const named = await findNamedRoots(search);
  if (named.length > 0) return named;
  const readAt = async (file: string): Promise<string | undefined> => (await readIfExists(await plan.head.rootPath(file))) ?? readIfExists(await plan.base.rootPath(file));
  const candidates = await findApplicationFiles(search, readAt);
  if (candidates.length > MAX_ROOT_CANDIDATES) {
    throw new InputError({ file: context.cwd }, `no _app-of-apps-*.yaml found and ${candidates.length} files hold Applications — too many to find the roots by rendering them`, { fix: 'give the root Application files' });
  }
  const roots = await rootsNotProducedByOthers(candidates, async (file) => (await renderAt(sides.head, file, context, sides.head.render)) ?? renderAt(sides.base, file, context, sides.base.render));
  if (roots.length === 0) throw new InputError({ file: context.cwd }, 'no root Application found (no _app-of-apps-*.yaml, no Application that no other produces)', { fix: 'give the root Application files' });
  return roots;
}

function clusterNames(roots: readonly string[], cwd: string): string[] {
  const names = roots.map(clusterName);
  return names.map((name, index) => (names.indexOf(name) === names.lastIndexOf(name) ? name : displayPath(cwd, roots[index] ?? '')));
}

function missingEverywhere(root: string): RenderTree {
  return { rootFile: root, apps: [], errors: [`${root}: not found at base or at head — give a root file that exists at one of the revisions`], stats: { wallMs: 0, processes: 0, processMs: 0, cacheHits: 0 } };
}

function sum(trees: readonly (RenderTree | undefined)[], pick: (tree: RenderTree) => number): number {
  return trees.reduce((total, tree) => total + (tree === undefined ? 0 : pick(tree)), 0);
}

/** Renders every root at base and head and compares them. */
export async function runPreview(options: PreviewOptions): Promise<PreviewReport> {
  const started = performance.now();
  const cwd = await realFolder(options.cwd ?? process.cwd());
  const givenRoots = await Promise.all((options.roots ?? []).map((root) => realFolder(resolve(cwd, root))));
  const { config } = await loadConfigFor(options, givenRoots[0], cwd);
  const range = configRange(options.base, options.head);
  const offline = options.offline === true;
  const snapshots = createSourceResolver({ offline, ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }) });
  const plan = await planRevisions({
    config,
    configRepos: await configRepositories(givenRoots, cwd, range !== undefined),
    configRange: range,
    revisions: options.revisions ?? [],
    cwd,
    toplevel: gitToplevel,
    snapshot: async (toplevel, sha) => (await snapshots.resolveGit(toplevel, sha, { offline })).dir,
  });
  const context: Context = { cwd, offline, limit: createLimiter(options.concurrency ?? availableParallelism()), loader: createApplicationLoader() };
  const [base, head] = await Promise.all([sideRenderer(plan.base, options, context), sideRenderer(plan.head, options, context)]);
  const roots = givenRoots.length > 0 ? givenRoots : await discoverRoots(plan, { base, head }, context);
  const impact = options.impactAnalysis === false ? undefined : createImpactAnalysis({ base: { resolver: base.resolver, offline, plugins: base.plugins.fingerprint }, head: { resolver: head.resolver, offline, plugins: head.plugins.fingerprint } });

  options.onProgress?.(`rendering ${roots.length} root${roots.length === 1 ? '' : 's'} at base`);
  const baseRender = impact === undefined ? base.render : impact.base(base.render);
  const baseTrees = await Promise.all(roots.map((root) => renderAt(base, root, context, baseRender)));
  options.onProgress?.('rendering at head');
  const reused = roots.map(() => new Set<string>());
  const headTrees = await Promise.all(roots.map((root, index) => renderAt(head, root, context, impact === undefined ? head.render : impact.head(head.render, reused[index] ?? new Set()))));

  const names = clusterNames(roots, cwd);
  const givenPolicies = options.policies === undefined ? undefined : await policiesAtHead(options.policies, cwd, (file) => plan.head.rootPath(file));
  const deltas = await Promise.all(roots.map((_, index) => policyDelta(givenPolicies ?? policiesRenderedBy(headTrees[index]), baseTrees[index], headTrees[index])));
  const compared: ClusterDiff[] = roots.map((root, index) => {
    const display = displayPath(cwd, root);
    const baseTree = baseTrees[index];
    const headTree = headTrees[index] ?? (baseTree === undefined ? missingEverywhere(display) : undefined);
    return compareCluster({ name: names[index] ?? display, root: display, base: baseTree, head: headTree, unaffected: reused[index] ?? new Set(), ...(options.context === undefined ? {} : { context: options.context }) });
  });
  const clusters = compared.map((cluster, index) => {
    const delta = deltas[index];
    return hasPolicyNews(delta) ? { ...cluster, policies: delta } : cluster;
  });
  const perSide = (trees: readonly (RenderTree | undefined)[]): Record<'processes' | 'cacheHits', number> => ({ processes: sum(trees, (tree) => tree.stats.processes), cacheHits: sum(trees, (tree) => tree.stats.cacheHits) });
  const sides: Record<Side, Record<'processes' | 'cacheHits', number>> = { base: perSide(baseTrees), head: perSide(headTrees) };
  return {
    repositories: plan.repositories,
    clusters,
    warnings: config?.warnings ?? [],
    stats: {
      wallMs: performance.now() - started,
      processes: { base: sides.base.processes, head: sides.head.processes },
      cacheHits: { base: sides.base.cacheHits, head: sides.head.cacheHits },
      unaffected: reused.reduce((total, set) => total + set.size, 0),
    },
  };
}
