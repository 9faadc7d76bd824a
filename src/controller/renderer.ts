/**
 * Rendering for the controller: the same renderer and content-keyed render cache as `launchpad render`. A source
 * resolver remembers which commit a branch resolved to for its lifetime, so the controller renews it once per
 * resync period (every repository is fetched at most once per period, however many applications use it) and when a
 * webhook says a repository moved. A hard refresh bypasses the render cache.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createLimiter } from '../render/limit.js';
import type { Application, ApplicationDestination } from '../model/application.js';
import type { ClusterCapabilities } from '../kube/capabilities.js';
import { configuredCapabilities } from '../render/capabilities.js';
import type { CapabilityHints } from '../render/capabilities.js';
import type { AppRenderResult } from '../render/app.js';
import type { InputPath } from '../render/types.js';
import { renderApplication } from '../render/app.js';
import { createRenderCache } from '../render/cache.js';
import { loadPluginCatalog } from '../render/plugin/catalog.js';
import type { PluginCatalog } from '../render/plugin/catalog.js';
import type { RenderCache } from '../render/cache.js';
import { toolVersions } from '../render/tool-versions.js';
import type { LaunchpadConfig } from '../source/config.js';
import { createSourceResolver, defaultCacheDir } from '../source/index.js';
import type { SourceResolver } from '../source/types.js';
import type { CredentialStore } from '../source/credentials.js';
import type { ControllerMetrics } from './metrics.js';
import type { RenderRequest } from './services.js';

export interface RendererOptions {
  /** launchpad.yaml: repository substitutions (local folders, mirrors). @default none */
  readonly config?: LaunchpadConfig;
  /** @default ~/.cache/launchpad */
  readonly cacheDir?: string;
  /** Never touch the network (sources not substituted or cached are skipped). @default false */
  readonly offline?: boolean;
  readonly metrics: ControllerMetrics;
  /** Repository credentials (Secrets labelled repository / repo-creds), read again at every renewal. */
  readonly credentials?: () => CredentialStore;
  /** The destination cluster's discovered version and API versions (helm renders for them). @default none: launchpad.yaml's `clusters:`, else the default */
  readonly capabilities?: (destination: ApplicationDestination) => Promise<ClusterCapabilities | undefined>;
}

export class Renderer {
  /** helm and kustomize are CPU-bound: more renders at once than cores only slow every one of them down. */
  private readonly limit = createLimiter(availableParallelism());
  /** What each app's last render read (undefined: not known, or not fingerprintable), to order webhook refreshes. */
  private readonly lastInputs = new Map<string, readonly InputPath[] | undefined>();
  private resolver: SourceResolver;
  private cache: RenderCache | undefined;
  private readonly cacheDir: string;

  constructor(private readonly options: RendererOptions) {
    this.cacheDir = options.cacheDir ?? defaultCacheDir();
    this.resolver = this.newResolver();
  }

  /** Forget resolved revisions: the next render of each repository fetches it again. */
  /**
   * Whether a push that changed `files` in the repository `isPushed` accepts touched what the app last rendered from:
   * true when unknown (never rendered, uncacheable) — this only decides which apps refresh first.
   */
  touchedBy(app: string, isPushed: (repoURL: string) => boolean, files: readonly string[]): boolean {
    const inputs = this.lastInputs.get(app);
    if (inputs === undefined) return true;
    return inputs.some((input) => input.chart === undefined && isPushed(input.repoURL)
      && (input.path === '.' || files.some((file) => file === input.path || file.startsWith(`${input.path}/`))));
  }

  forget(app: string): void {
    this.lastInputs.delete(app);
  }

  renew(): void {
    this.resolver = this.newResolver();
    this.cache = undefined;
  }

  async render(app: Application, request: RenderRequest): Promise<AppRenderResult> {
    const offline = this.options.offline === true;
    const cache = await this.renderCache();
    const plugins = await this.pluginCatalog();
    const result = await this.limit(() => (request.hard ? renderApplication(app, { resolver: this.resolver, offline, clusterCapabilities: this.clusterCapabilities, plugins }) : cache.render(app)));
    this.options.metrics.renders.inc({ status: result.status, cached: String(result.cached === true) });
    this.lastInputs.set(app.metadata.name, result.status === 'ok' && result.cacheable ? result.inputs : undefined);
    this.options.metrics.renderProcesses.inc(result.processes);
    return result;
  }

  private async renderCache(): Promise<RenderCache> {
    this.cache ??= createRenderCache({ resolver: this.resolver, offline: this.options.offline === true, dir: join(this.cacheDir, 'render'), toolVersions: await toolVersions(), clusterCapabilities: this.clusterCapabilities, plugins: await this.pluginCatalog() });
    return this.cache;
  }

  /** The declared plugins (launchpad.yaml `plugins:`, `--plugin`), read once; they were checked at start-up. */
  private plugins: Promise<PluginCatalog> | undefined;
  private pluginCatalog(): Promise<PluginCatalog> {
    this.plugins ??= loadPluginCatalog(this.options.config?.plugins ?? []);
    return this.plugins;
  }

  /** Discovery first, then launchpad.yaml's `clusters:` (fields neither sets come from the default). */
  private readonly clusterCapabilities = async (destination: ApplicationDestination): Promise<(CapabilityHints | undefined)[]> =>
    [await this.options.capabilities?.(destination), configuredCapabilities(this.options.config?.clusters, destination)];

  private newResolver(): SourceResolver {
    const credentials = this.options.credentials?.();
    const resolver = createSourceResolver({
      offline: this.options.offline === true,
      cacheDir: this.cacheDir,
      ...(credentials === undefined ? {} : { credentials }),
      ...(this.options.config === undefined ? {} : { config: this.options.config }),
    });
    const { metrics } = this.options;
    return {
      resolveGit: (repoURL, revision, options) => {
        metrics.gitRequests.inc({ repo: repoURL });
        return resolver.resolveGit(repoURL, revision, options);
      },
      resolveChart: (repoURL, chart, version, options) => resolver.resolveChart(repoURL, chart, version, options),
    };
  }
}
