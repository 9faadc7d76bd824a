/**
 * The render cache. An application's output depends on its spec, the tool versions and the content of the files its
 * render read — not on commit SHAs — so a commit that does not touch an app keeps its cache entry. Each entry records
 * the inputs the render read with their content fingerprints; a later render re-fingerprints those inputs (cheap:
 * git object ids for snapshots) and reuses the result when all match. Only clean renders are stored.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Application } from '../model/application.js';
import { applicationSources } from '../model/application.js';
import { fingerprintChart, fingerprintPath } from '../source/fingerprint.js';
import type { GitCheckout, SourceResolver } from '../source/types.js';
import { describeError } from '../errors.js';
import type { AppRenderOptions, AppRenderResult } from './app.js';
import { capabilitiesFor, failed, renderApplication } from './app.js';
import type { Capabilities } from './capabilities.js';
import type { InputPath, ResolvedSourceReport } from './types.js';

const CACHE_FORMAT = 1;

export interface RenderCacheOptions extends AppRenderOptions {
  /** Folder for cache entries, e.g. ~/.cache/launchpad/render. */
  readonly dir: string;
  /** Versions of helm and kustomize: a tool upgrade invalidates every entry. */
  readonly toolVersions: string;
}

interface Entry {
  readonly format: number;
  readonly inputs: readonly (InputPath & { readonly fingerprint: string })[];
  readonly result: AppRenderResult;
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Everything of an Application that can change its rendered output, besides file contents. */
export function specKey(app: Application, options: RenderCacheOptions, capabilities: Capabilities): string {
  return hash({
    format: CACHE_FORMAT,
    name: app.metadata.name,
    sources: applicationSources(app),
    namespace: app.spec.destination.namespace ?? '',
    tools: options.toolVersions,
    // The destination's capabilities as this render sees them (the app's own overrides are part of its sources).
    kubeVersion: capabilities.kubeVersion,
    apiVersions: capabilities.apiVersions,
    offline: options.offline,
    // Any declared plugin may render this app (discovery) and may read anything: a plugin edit is a new key. Without
    // plugins the key is what it always was.
    ...(options.plugins === undefined || options.plugins.plugins.length === 0 ? {} : { plugins: options.plugins.fingerprint }),
  });
}

export interface RenderCache {
  render(app: Application): Promise<AppRenderResult>;
}

export function createRenderCache(options: RenderCacheOptions): RenderCache {
  const checkouts = new Map<string, Promise<GitCheckout>>();
  const fingerprints = new Map<string, Promise<string>>();
  const checkoutOf = (resolver: SourceResolver, repoURL: string, revision: string): Promise<GitCheckout> => {
    const key = `${repoURL}\n${revision}`;
    let found = checkouts.get(key);
    if (found === undefined) {
      found = resolver.resolveGit(repoURL, revision, { offline: options.offline });
      checkouts.set(key, found);
    }
    return found;
  };
  const fingerprintOf = async (input: InputPath): Promise<string> => {
    if (input.chart !== undefined) {
      const chart = await options.resolver.resolveChart(input.repoURL, input.chart, input.revision, { offline: options.offline });
      return fingerprintChart(chart);
    }
    const checkout = await checkoutOf(options.resolver, input.repoURL, input.revision);
    const key = `${checkout.dir}\n${checkout.sha}\n${input.path}`;
    let found = fingerprints.get(key);
    if (found === undefined) {
      found = fingerprintPath(checkout, input.path);
      fingerprints.set(key, found);
    }
    return found;
  };

  /** The stored result, if every recorded input still has its fingerprint. Errors mean "not cached". */
  const lookup = async (file: string): Promise<Entry | undefined> => {
    let entry: Entry;
    try {
      entry = JSON.parse(await readFile(file, 'utf8')) as Entry;
    } catch {
      return undefined;
    }
    if (entry.format !== CACHE_FORMAT) return undefined;
    try {
      const current = await Promise.all(entry.inputs.map(fingerprintOf));
      return current.every((fingerprint, index) => fingerprint === entry.inputs[index]?.fingerprint) ? entry : undefined;
    } catch {
      return undefined;
    }
  };

  /** Source reports carry revisions, which may move while the content stays: refresh them on a hit. */
  const refreshSources = async (sources: readonly ResolvedSourceReport[]): Promise<ResolvedSourceReport[]> =>
    Promise.all(sources.map(async (source) => {
      if (source.chart !== undefined) return source;
      const checkout = await checkoutOf(options.resolver, source.repoURL, source.requestedRevision);
      return { ...source, resolvedRevision: checkout.sha };
    }));

  return {
    async render(app) {
      let capabilities: Capabilities;
      try {
        capabilities = await capabilitiesFor(app, options);
      } catch (error) {
        return failed('error', `cannot read the capabilities of the destination cluster: ${describeError(error)}`, []);
      }
      const file = join(options.dir, `${specKey(app, options, capabilities)}.json`);
      const hit = await lookup(file);
      if (hit !== undefined) {
        return { ...hit.result, sources: await refreshSources(hit.result.sources), processes: 0, processMs: 0, cached: true };
      }
      // Rendered for exactly the capabilities in the key, even if the cluster's change meanwhile.
      const result = await renderApplication(app, { resolver: options.resolver, offline: options.offline, ...capabilities, ...(options.plugins === undefined ? {} : { plugins: options.plugins }) });
      if (result.status === 'ok' && result.cacheable) {
        const inputs = await Promise.all(result.inputs.map(async (input) => ({ ...input, fingerprint: await fingerprintOf(input) })));
        const entry: Entry = { format: CACHE_FORMAT, inputs, result: { ...result, cached: false } };
        await mkdir(options.dir, { recursive: true });
        const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
        await writeFile(temp, JSON.stringify(entry));
        await rename(temp, file);
      }
      return result;
    },
  };
}
