/**
 * Impact analysis. Every rendered application records the files its render read (source paths, value files,
 * kustomize bases and components, charts). An application at head whose Application object is identical to one
 * at base, and whose every recorded input has the same content fingerprint at head as at base, renders to the same
 * objects: its base result is reused and it is counted as unaffected. Everything else is rendered again. This is
 * the render cache's rule (ADR 0007) applied across the two sides explicitly, so it also holds with the on-disk
 * cache disabled, and "unaffected" means exactly "no input changed" — not "happened to be cached".
 */
import { createHash } from 'node:crypto';
import type { Application } from '../model/application.js';
import type { AppRenderResult } from '../render/app.js';
import type { InputPath } from '../render/types.js';
import { fingerprintChart, fingerprintPath } from '../source/fingerprint.js';
import type { GitCheckout, SourceResolver } from '../source/types.js';
import { canonical } from './yaml-diff.js';

export type AppRenderer = (app: Application) => Promise<AppRenderResult>;

export interface ImpactSide {
  readonly resolver: SourceResolver;
  readonly offline: boolean;
  /** Fingerprint of the declared Config Management Plugins (PluginCatalog.fingerprint). @default none */
  readonly plugins?: string;
}

export interface ImpactAnalysis {
  /** Wraps the base side's renderer so its results can be reused. */
  base(render: AppRenderer): AppRenderer;
  /** Wraps the head side's renderer; the names of applications reused from base are added to `reused`. */
  head(render: AppRenderer, reused: Set<string>): AppRenderer;
}

function specKey(app: Application): string {
  return createHash('sha256').update(JSON.stringify(canonical(app))).digest('hex');
}

/** Content fingerprints of inputs at one side, each computed once. */
function fingerprinter(side: ImpactSide): (input: InputPath) => Promise<string> {
  const checkouts = new Map<string, Promise<GitCheckout>>();
  const fingerprints = new Map<string, Promise<string>>();
  const checkout = (repoURL: string, revision: string): Promise<GitCheckout> => {
    const key = `${repoURL}\n${revision}`;
    let found = checkouts.get(key);
    if (found === undefined) {
      found = side.resolver.resolveGit(repoURL, revision, { offline: side.offline });
      checkouts.set(key, found);
    }
    return found;
  };
  const compute = async (input: InputPath): Promise<string> => {
    if (input.chart !== undefined) return fingerprintChart(await side.resolver.resolveChart(input.repoURL, input.chart, input.revision, { offline: side.offline }));
    return fingerprintPath(await checkout(input.repoURL, input.revision), input.path);
  };
  return (input) => {
    const key = JSON.stringify([input.repoURL, input.revision, input.chart ?? '', input.path]);
    let found = fingerprints.get(key);
    if (found === undefined) {
      found = compute(input);
      fingerprints.set(key, found);
    }
    return found;
  };
}

export function createImpactAnalysis(sides: { readonly base: ImpactSide; readonly head: ImpactSide }): ImpactAnalysis {
  const results = new Map<string, AppRenderResult>();
  const baseFingerprint = fingerprinter(sides.base);
  const headFingerprint = fingerprinter(sides.head);

  /** True when every input the base render read has the same content at head. Any failure means "changed". */
  const inputsUnchanged = async (result: AppRenderResult): Promise<boolean> => {
    if (result.status !== 'ok' || !result.cacheable) return false;
    try {
      const pairs = await Promise.all(result.inputs.map((input) => Promise.all([baseFingerprint(input), headFingerprint(input)])));
      return pairs.every(([before, after]) => before === after);
    } catch {
      return false;
    }
  };

  return {
    base: (render) => async (app) => {
      const result = await render(app);
      results.set(specKey(app), result);
      return result;
    },
    head: (render, reused) => async (app) => {
      const previous = results.get(specKey(app));
      // A plugin added, removed or edited may render any application (discovery): nothing is reused then.
      const samePlugins = (sides.base.plugins ?? '') === (sides.head.plugins ?? '');
      if (previous !== undefined && samePlugins && (await inputsUnchanged(previous))) {
        reused.add(app.metadata.name);
        // Source reports keep base's resolved commits: the diff compares requested revisions, not commits.
        return { ...previous, cached: false, processes: 0, processMs: 0 };
      }
      return render(app);
    },
  };
}
