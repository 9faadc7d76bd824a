/**
 * Renders one source of an application: resolves it (git checkout or Helm chart), picks the tool, runs it, and
 * reports what it read. Knows nothing about multi-source merging or app-of-apps.
 */
import { stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { RenderError } from '../errors.js';
import { assertInside, resolveInside } from '../source/containment.js';
import type { Application, ApplicationSource } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import type { GitCheckout, SourceResolver } from '../source/types.js';
import { renderDirectory } from './directory.js';
import { renderHelm } from './helm.js';
import { argoBuildEnvironment } from './jsonnet-options.js';
import { boundaryOfRepo } from './helm-values.js';
import type { RepoFiles } from './helm-values.js';
import { kustomizeInputs } from './kustomize-inputs.js';
import { renderKustomize } from './kustomize.js';
import type { PluginCatalog } from './plugin/catalog.js';
import { renderWithPlugin } from './plugin/render.js';
import { detectSourceType, explicitSourceType } from './source-type.js';
import type { InputPath, ResolvedSourceReport } from './types.js';

export interface SourceRenderContext {
  readonly app: Application;
  readonly resolver: SourceResolver;
  readonly offline: boolean;
  readonly refs: ReadonlyMap<string, RepoFiles>;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  /** The declared Config Management Plugins (launchpad.yaml `plugins:`, controller --plugin). @default none */
  readonly plugins?: PluginCatalog;
}

export interface SourceRenderResult {
  readonly report: ResolvedSourceReport;
  readonly objects: KubeObject[];
  readonly inputs: InputPath[];
  /** The render also read something outside the recorded inputs (a remote kustomize base or values URL). */
  readonly remoteInputs?: boolean;
  readonly processes: number;
  readonly processMs: number;
}

export function repoLabel(checkout: GitCheckout): string {
  if (checkout.workingTree) return `${checkout.repoURL} (working tree ${checkout.substitutedBy ?? checkout.dir})`;
  return `${checkout.repoURL} @ ${checkout.sha.slice(0, 7)}`;
}

export function repoFilesOf(checkout: GitCheckout): RepoFiles {
  return { repoURL: checkout.repoURL, revision: checkout.requestedRevision, dir: checkout.dir, label: repoLabel(checkout), root: checkout.root ?? checkout.dir };
}

/** A source path, normalised, refusing paths that leave the repository. */
function appPathOf(source: ApplicationSource): string {
  const path = normalize(source.path ?? '.').replace(/^\/+/, '') || '.';
  if (path === '..' || path.startsWith('../')) {
    throw new RenderError(`source path "${source.path ?? ''}" leaves the repository ${source.repoURL}`, { fix: 'use a path inside the repository' });
  }
  return path;
}

function argoEnv(app: Application, source: ApplicationSource, revision: string): Record<string, string> {
  return {
    ARGOCD_APP_NAME: app.metadata.name,
    ARGOCD_APP_NAMESPACE: app.spec.destination.namespace ?? '',
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_SOURCE_REPO_URL: source.repoURL,
    ARGOCD_APP_SOURCE_PATH: source.path ?? '',
    ARGOCD_APP_SOURCE_TARGET_REVISION: source.targetRevision ?? 'HEAD',
  };
}

async function renderChartSource(source: ApplicationSource & { chart: string }, context: SourceRenderContext): Promise<SourceRenderResult> {
  const requested = source.targetRevision ?? '';
  const chart = await context.resolver.resolveChart(source.repoURL, source.chart, requested, { offline: context.offline, ...(source.helm?.passCredentials === true ? { passCredentials: true } : {}) });
  const repo: RepoFiles = { repoURL: source.repoURL, revision: requested, dir: chart.dir, label: `${source.repoURL} chart ${source.chart}@${chart.version}`, root: chart.root ?? chart.dir };
  await assertInside(boundaryOfRepo(repo), chart.dir);
  const result = await renderHelm({
    chartDir: chart.dir, repo, refs: context.refs, helm: source.helm, appName: context.app.metadata.name,
    namespace: context.app.spec.destination.namespace, offline: context.offline,
    ...(context.kubeVersion === undefined ? {} : { kubeVersion: context.kubeVersion }),
    ...(context.apiVersions === undefined ? {} : { apiVersions: context.apiVersions }),
  });
  return {
    report: { repoURL: source.repoURL, chart: source.chart, requestedRevision: requested, resolvedRevision: chart.version, type: 'helm', ...(chart.substitutedBy === undefined ? {} : { substitutedBy: chart.substitutedBy }) },
    objects: result.objects,
    inputs: [{ repoURL: source.repoURL, revision: requested, path: `${source.chart}@${chart.version}`, chart: source.chart }, ...result.inputs.filter((input) => input.repoURL !== source.repoURL)],
    processes: result.processes,
    processMs: result.processMs,
  };
}

async function renderGitSource(source: ApplicationSource, checkout: GitCheckout, context: SourceRenderContext): Promise<Omit<SourceRenderResult, 'report'> & { type: ResolvedSourceReport['type'] }> {
  const path = appPathOf(source);
  const dir = join(checkout.dir, path);
  const boundary = boundaryOfRepo(repoFilesOf(checkout));
  // A source path that is (or passes through) a link must lead to a folder inside the repository.
  const real = await resolveInside(boundary, dir);
  const isDir = real !== undefined && (await stat(real).then((s) => s.isDirectory(), () => false));
  if (!isDir) {
    throw new RenderError(`path "${path}" does not exist in ${repoLabel(checkout)}`, { fix: 'fix spec.source.path or the targetRevision' });
  }
  const plugin = await renderPluginSource(source, checkout, path, context);
  if (plugin !== undefined) return plugin;
  const type = await detectSourceType(source, dir);
  if (type === 'directory') {
    const jsonnet = { repoDir: checkout.dir, appPath: path, env: argoBuildEnvironment(context.app, source, checkout.sha) };
    const result = await renderDirectory({ dir, directory: source.directory, displayRoot: path, boundary, jsonnet });
    return { type, objects: result.objects, inputs: result.inputPaths.map((input) => ({ repoURL: source.repoURL, revision: checkout.requestedRevision, path: input })), processes: result.processes, processMs: result.processMs };
  }
  if (type === 'kustomize') {
    const inputs = await kustomizeInputs(checkout.dir, path, boundary);
    const result = await renderKustomize({ repoDir: checkout.dir, path, kustomize: source.kustomize, env: argoEnv(context.app, source, checkout.sha), displayName: `${repoLabel(checkout)} path ${path}` });
    return { type, objects: result.objects, inputs: inputs.dirs.map((inputDir) => ({ repoURL: source.repoURL, revision: checkout.requestedRevision, path: inputDir })), remoteInputs: inputs.remote, processes: result.processes, processMs: result.processMs };
  }
  await assertInside(boundary, dir);
  const result = await renderHelm({
    chartDir: dir, repo: repoFilesOf(checkout), refs: context.refs, helm: source.helm, appName: context.app.metadata.name,
    namespace: context.app.spec.destination.namespace, offline: context.offline,
    ...(context.kubeVersion === undefined ? {} : { kubeVersion: context.kubeVersion }),
    ...(context.apiVersions === undefined ? {} : { apiVersions: context.apiVersions }),
  });
  const remoteInputs = (source.helm?.valueFiles ?? []).some((file) => /^https?:\/\//.test(file));
  return { type, objects: result.objects, inputs: [{ repoURL: source.repoURL, revision: checkout.requestedRevision, path }, ...result.inputs], remoteInputs, processes: result.processes, processMs: result.processMs };
}

/**
 * A source with a plugin block, or one a declared plugin discovers (before Helm and Kustomize are looked for, as in
 * Argo CD). A plugin may read anything in the repository, so the whole repository is its input.
 */
async function renderPluginSource(source: ApplicationSource, checkout: GitCheckout, path: string, context: SourceRenderContext): Promise<(Omit<SourceRenderResult, 'report'> & { type: 'plugin' }) | undefined> {
  const explicit = explicitSourceType(source);
  if (explicit !== undefined && explicit !== 'plugin') return undefined;
  const result = await renderWithPlugin({
    catalog: context.plugins, repoDir: checkout.dir, boundary: boundaryOfRepo(repoFilesOf(checkout)), appPath: path,
    displayName: `${repoLabel(checkout)} path ${path}`, app: context.app, source, revision: checkout.sha,
    ...(context.kubeVersion === undefined ? {} : { kubeVersion: context.kubeVersion }),
    ...(context.apiVersions === undefined ? {} : { apiVersions: context.apiVersions }),
  });
  if (result === undefined) return undefined;
  return { type: 'plugin', objects: result.objects, inputs: [{ repoURL: source.repoURL, revision: checkout.requestedRevision, path: '.' }], processes: result.processes, processMs: result.processMs };
}

/** Renders one source. A `ref` source without a path only provides files and renders nothing. */
export async function renderSource(source: ApplicationSource, context: SourceRenderContext): Promise<SourceRenderResult> {
  if (source.chart !== undefined) return renderChartSource({ ...source, chart: source.chart }, context);
  const requested = source.targetRevision ?? 'HEAD';
  const checkout = await context.resolver.resolveGit(source.repoURL, requested, { offline: context.offline });
  const base = {
    repoURL: source.repoURL, requestedRevision: requested, resolvedRevision: checkout.sha,
    ...(source.path === undefined ? {} : { path: source.path }),
    ...(source.ref === undefined ? {} : { ref: source.ref }),
    ...(checkout.substitutedBy === undefined ? {} : { substitutedBy: checkout.substitutedBy }),
  };
  if (source.ref !== undefined && source.path === undefined) {
    return { report: { ...base, type: 'ref' }, objects: [], inputs: [], processes: 0, processMs: 0 };
  }
  const rendered = await renderGitSource(source, checkout, context);
  return { ...rendered, report: { ...base, type: rendered.type } };
}
