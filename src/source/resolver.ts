/**
 * The SourceResolver the renderer uses: launchpad.yaml substitution first, then the git and chart caches.
 */
import type { LaunchpadConfig } from './config-parse.js';
import { findMapping } from './config.js';
import { defaultCacheDir } from './cache-dir.js';
import type { CredentialStore } from './credentials.js';
import { GitCache } from './git-cache.js';
import { ChartCache } from './helm-cache.js';
import { substituteChart, substituteGit } from './substitution.js';
import type { Caches } from './substitution.js';
import type { ChartCheckout, GitCheckout, ResolveOptions, SourceResolver } from './types.js';

export interface SourceResolverOptions {
  /** Repository substitutions (see loadConfig). @default none */
  readonly config?: LaunchpadConfig;
  /** Cache root. @default `$XDG_CACHE_HOME/launchpad`, else `~/.cache/launchpad` */
  readonly cacheDir?: string;
  /** Never touch the network, whatever each call says. @default false */
  readonly offline?: boolean;
  /** Use `--plain-http` with OCI registries (local registries without TLS). @default false */
  readonly ociPlainHttp?: boolean;
  /**
   * Repository credentials declared as Argo CD declares them (Secrets labelled `argocd.argoproj.io/secret-type:
   * repository` or `repo-creds`), used for the URL actually contacted (a launchpad.yaml `replaceWith` mirror is
   * looked up under its own URL). Values never reach argv, URLs, the cache or a message. @default none
   */
  readonly credentials?: CredentialStore;
}

/**
 * A resolver with its own "fetched once" memory: create one per render run, so branches are fetched once per run
 * and every run sees new commits.
 */
export function createSourceResolver(options: SourceResolverOptions = {}): SourceResolver {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const credentials = options.credentials === undefined ? {} : { credentials: options.credentials };
  const caches: Caches = {
    cacheDir,
    git: new GitCache({ cacheDir, ...credentials }),
    charts: new ChartCache({ cacheDir, ...credentials, ...(options.ociPlainHttp === undefined ? {} : { ociPlainHttp: options.ociPlainHttp }) }),
  };
  const effective = (call: ResolveOptions): ResolveOptions => ({ offline: call.offline || options.offline === true, ...(call.passCredentials === true ? { passCredentials: true } : {}) });
  return {
    resolveGit(repoURL: string, revision: string, call: ResolveOptions): Promise<GitCheckout> {
      const mapping = findMapping(options.config, repoURL);
      if (mapping !== undefined) return substituteGit(caches, { mapping, repoURL, revision }, effective(call));
      return caches.git.resolve({ repoURL, revision }, effective(call));
    },
    resolveChart(repoURL: string, chart: string, version: string, call: ResolveOptions): Promise<ChartCheckout> {
      const mapping = findMapping(options.config, repoURL, chart);
      if (mapping !== undefined) return substituteChart(caches, { mapping, repoURL, chart, version }, effective(call));
      const ociURL = ociForm(repoURL, options.credentials);
      if (ociURL !== undefined) return caches.charts.resolve({ repoURL: ociURL, chart, version, reportAs: repoURL }, effective(call));
      return caches.charts.resolve({ repoURL, chart, version }, effective(call));
    },
  };
}

/**
 * Argo CD writes OCI Helm repositories without a scheme (`registry.example.com/charts`) and marks them with a
 * repository Secret's `enableOCI: "true"` (or `type: oci`): such a repoURL is pulled as `oci://…`.
 */
function ociForm(repoURL: string, credentials: CredentialStore | undefined): string | undefined {
  const text = repoURL.trim();
  if (credentials === undefined || text.includes('://') || text.startsWith('/') || text.startsWith('.')) return undefined;
  return credentials.lookup(text)?.enableOCI === true ? `oci://${text}` : undefined;
}
