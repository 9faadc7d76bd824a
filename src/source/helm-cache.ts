/**
 * Helm-repository charts through the cache: `<cache>/charts/<slug>/<chart>/<version>/` holds one unpacked chart
 * version, written once (helm pull into a temporary sibling, then renamed) and reused forever: a published chart
 * version does not change. A range is resolved against the repository's index.yaml (fetched once per instance),
 * or, for OCI registries, by Helm itself against the registry's tags. Offline, only cached versions count.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OfflineSkipError, SourceError } from '../errors.js';
import { OncePerKey, publishDirectory, tempSibling } from './cache-dir.js';
import type { CredentialStore } from './credentials.js';
import { INDEX_TIMEOUT_MS, fetchIndex, selectFromIndex } from './helm-index.js';
import type { ChartIndex, IndexedVersion } from './helm-index.js';
import { helmPull, readChartVersion } from './helm-pull.js';
import type { HelmPullRequest } from './helm-pull.js';
import { isExactVersion, pickVersion } from './helm-version.js';
import type { ChartCheckout, ResolveOptions } from './types.js';
import { cacheSlug, isOciURL, redactURL } from './url.js';

export interface ChartCacheOptions {
  /** Root of the cache; charts live under `<cacheDir>/charts/`. */
  readonly cacheDir: string;
  /** Pass `--plain-http` to helm for OCI registries (local registries without TLS). @default false */
  readonly ociPlainHttp?: boolean;
  /** Repository Secrets whose credentials the index fetch and helm use (basic auth; never on argv). @default none */
  readonly credentials?: CredentialStore;
}

export interface ChartRequest {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
  /** Reported as `repoURL`; @default repoURL */
  readonly reportAs?: string;
  /** Reported as `requestedVersion`; @default version */
  readonly requestedVersion?: string;
}

const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class ChartCache {
  private readonly indexes = new OncePerKey<ChartIndex>();
  private readonly pulls = new OncePerKey<string>();

  constructor(private readonly options: ChartCacheOptions) {}

  async resolve(request: ChartRequest, options: ResolveOptions): Promise<ChartCheckout> {
    const label = redactURL(request.repoURL.trim());
    if (!CHART_NAME.test(request.chart)) {
      throw new SourceError(`chart name "${request.chart}" for ${label} is not a chart name`, { fix: 'set spec.source.chart to the name of one chart (no "/")' });
    }
    const cached = await this.cachedVersions(request);
    const cachedHit = pickVersion(cached, request.version);
    // An exact version is immutable: a cached copy is final, online or not. A range may have a newer match online.
    if (cachedHit !== undefined && (options.offline || isExactVersion(request.version))) return this.checkout(request, cachedHit);
    if (options.offline) throw new OfflineSkipError(label);
    if (isOciURL(request.repoURL)) return this.pullOciConstraint(request);
    const entry = await this.pickFromIndex(request, label);
    if (!cached.includes(entry.version)) await this.pullExact(request, entry, options.passCredentials === true);
    return this.checkout(request, entry.version);
  }

  private chartRoot(request: ChartRequest): string {
    return join(this.options.cacheDir, 'charts', cacheSlug(request.repoURL), request.chart);
  }

  private async cachedVersions(request: ChartRequest): Promise<string[]> {
    try {
      return (await readdir(this.chartRoot(request))).filter((entry) => !entry.startsWith('.'));
    } catch {
      return [];
    }
  }

  private checkout(request: ChartRequest, version: string): ChartCheckout {
    return {
      repoURL: request.reportAs ?? request.repoURL,
      chart: request.chart,
      requestedVersion: request.requestedVersion ?? request.version,
      version,
      dir: join(this.chartRoot(request), version),
    };
  }

  private async pickFromIndex(request: ChartRequest, label: string): Promise<IndexedVersion> {
    const index = await this.indexes.run(cacheSlug(request.repoURL), () => fetchIndex(request.repoURL, INDEX_TIMEOUT_MS, this.auth(request)));
    return selectFromIndex(index, { chart: request.chart, requested: request.version, label });
  }

  /** Pulls one exact version into the cache (shared by concurrent callers, safe against other processes). */
  private pullExact(request: ChartRequest, entry: IndexedVersion, passCredentials: boolean): Promise<string> {
    const { version } = entry;
    const finalDir = join(this.chartRoot(request), version);
    return this.pulls.run(finalDir, async () => {
      const staging = await tempSibling(finalDir);
      try {
        const chartDir = await helmPull({ repoURL: request.repoURL, chart: request.chart, version, untarDir: staging, indexed: entry, passCredentials, ...this.auth(request), ...this.plainHttp(request) });
        await publishDirectory(chartDir, finalDir);
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
      return finalDir;
    });
  }

  /** OCI: Helm resolves exact versions and constraints against the registry's tags; we record what it chose. */
  private async pullOciConstraint(request: ChartRequest): Promise<ChartCheckout> {
    const staging = await tempSibling(join(this.chartRoot(request), 'pull'));
    try {
      const chartDir = await helmPull({ repoURL: request.repoURL, chart: request.chart, version: request.version, untarDir: staging, ...this.auth(request), ...this.plainHttp(request) });
      const version = await readChartVersion(chartDir);
      await publishDirectory(chartDir, join(this.chartRoot(request), version));
      return this.checkout(request, version);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** The repository Secret's credentials for this repository, and every store value to redact. */
  private auth(request: ChartRequest): Pick<HelmPullRequest, 'credentials' | 'redact'> {
    const store = this.options.credentials;
    if (store === undefined) return {};
    const credentials = store.lookup(request.repoURL);
    return { redact: store.secretValues(), ...(credentials === undefined ? {} : { credentials }) };
  }

  private plainHttp(request: ChartRequest): { plainHttp?: boolean } {
    return this.options.ociPlainHttp === true && isOciURL(request.repoURL) ? { plainHttp: true } : {};
  }
}
