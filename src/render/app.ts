/**
 * Renders one Application: resolves its `ref` sources, renders every source, merges and finalizes the objects. Any
 * failure is captured in the result (status `error`, or `skipped` for an offline source) — it never throws, so one
 * bad application cannot stop the others.
 */
import { OfflineSkipError, describeError } from '../errors.js';
import type { Application, ApplicationDestination, ApplicationSource } from '../model/application.js';
import { applicationSources } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import type { SourceResolver } from '../source/types.js';
import { finalizeObjects } from './finalize.js';
import type { SourceObjects } from './finalize.js';
import { layerCapabilities } from './capabilities.js';
import type { Capabilities, CapabilityHints } from './capabilities.js';
import type { RepoFiles } from './helm-values.js';
import type { PluginCatalog } from './plugin/catalog.js';
import { renderSource, repoFilesOf } from './source-render.js';
import type { AppRenderStatus, InputPath, ResolvedSourceReport } from './types.js';

export interface AppRenderOptions {
  readonly resolver: SourceResolver;
  readonly offline: boolean;
  /** Capabilities to render every application for, overriding what `clusterCapabilities` says (not the app's own). */
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  /**
   * What the destination cluster offers, by layer, most important first: its discovery (sync, the controller), then
   * launchpad.yaml's `clusters:`. Fields no layer sets come from DEFAULT_CAPABILITIES. Asked once per render.
   */
  readonly clusterCapabilities?: (destination: ApplicationDestination) => Promise<readonly (CapabilityHints | undefined)[]>;
  /** The declared Config Management Plugins; a source asking for a plugin fails without them. @default none */
  readonly plugins?: PluginCatalog;
}

export interface AppRenderResult {
  readonly status: AppRenderStatus;
  readonly message: string;
  readonly sources: ResolvedSourceReport[];
  readonly resources: KubeObject[];
  readonly warnings: string[];
  readonly errors: string[];
  readonly inputs: InputPath[];
  readonly processes: number;
  readonly processMs: number;
  /** Served from the render cache. */
  readonly cached?: boolean;
  /** False when the render read inputs that cannot be fingerprinted (remote bases, values URLs). */
  readonly cacheable: boolean;
}

function sourceLabel(source: ApplicationSource, index: number, count: number): string {
  const what = source.chart === undefined ? `path ${source.path ?? '.'}` : `chart ${source.chart}`;
  return count === 1 ? `${source.repoURL} ${what}` : `source ${index + 1} (${source.repoURL} ${what})`;
}

async function resolveRefs(sources: readonly ApplicationSource[], options: AppRenderOptions): Promise<Map<string, RepoFiles>> {
  const refs = new Map<string, RepoFiles>();
  for (const source of sources) {
    if (source.ref === undefined || source.chart !== undefined) continue;
    const checkout = await options.resolver.resolveGit(source.repoURL, source.targetRevision ?? 'HEAD', { offline: options.offline });
    refs.set(source.ref, repoFilesOf(checkout));
  }
  return refs;
}

export function failed(status: AppRenderStatus, message: string, sources: ResolvedSourceReport[]): AppRenderResult {
  return { status, message, sources, resources: [], warnings: [], errors: status === 'error' ? [message] : [], inputs: [], processes: 0, processMs: 0, cacheable: false };
}

export async function renderApplication(app: Application, options: AppRenderOptions): Promise<AppRenderResult> {
  const sources = applicationSources(app);
  const reports: ResolvedSourceReport[] = [];
  const rendered: SourceObjects[] = [];
  const inputs: InputPath[] = [];
  let processes = 0;
  let processMs = 0;
  let cacheable = true;
  try {
    const cluster = await capabilitiesFor(app, options).catch((error: unknown) => {
      throw new Error(`cannot read the capabilities of the destination cluster: ${describeError(error)}`, { cause: error });
    });
    const refs = await resolveRefs(sources, options);
    for (const [index, source] of sources.entries()) {
      const label = sourceLabel(source, index, sources.length);
      const result = await renderSource(source, { app, resolver: options.resolver, offline: options.offline, refs, ...cluster, ...(options.plugins === undefined ? {} : { plugins: options.plugins }) }).catch((error: unknown) => {
        if (error instanceof OfflineSkipError) throw error;
        throw new Error(sources.length === 1 ? describeError(error) : `${label}: ${describeError(error)}`, { cause: error });
      });
      reports.push(result.report);
      rendered.push({ label, objects: result.objects });
      inputs.push(...result.inputs);
      if (result.remoteInputs === true) cacheable = false;
      processes += result.processes;
      processMs += result.processMs;
    }
  } catch (error) {
    if (error instanceof OfflineSkipError) return failed('skipped', error.message, reports);
    return failed('error', describeError(error), reports);
  }
  const final = finalizeObjects(rendered, { appName: app.metadata.name, destinationNamespace: app.spec.destination.namespace });
  return {
    status: final.errors.length > 0 ? 'error' : 'ok',
    message: final.errors[0] ?? '',
    sources: reports,
    resources: final.objects,
    warnings: final.warnings,
    errors: final.errors,
    inputs,
    processes,
    processMs,
    cacheable,
  };
}

function pickCluster(options: AppRenderOptions): CapabilityHints {
  return {
    ...(options.kubeVersion === undefined ? {} : { kubeVersion: options.kubeVersion }),
    ...(options.apiVersions === undefined ? {} : { apiVersions: options.apiVersions }),
  };
}

/**
 * The capabilities of the application's destination cluster, every field filled (the helm source's own
 * `kubeVersion`/`apiVersions` still win over them, per source). Part of the render cache key.
 */
export async function capabilitiesFor(app: Application, options: AppRenderOptions): Promise<Capabilities> {
  const layers = await options.clusterCapabilities?.(app.spec.destination) ?? [];
  return layerCapabilities(pickCluster(options), ...layers);
}
