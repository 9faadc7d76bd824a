/**
 * The canonical form of an Application that the renderer works from: always a `sources` list, Argo CD's
 * defaults filled in, and deeply frozen so no stage can change what another stage sees. Pure.
 */
import type { Application, ApplicationSource, ApplicationSpec } from './application.js';
import { applicationSources } from './application.js';
import { projectNameOf } from './app-project.js';
import { without } from './values.js';

/** An Application whose sources are always listed in `spec.sources` (`spec.source` is folded in). */
export interface NormalizedApplication extends Application {
  readonly spec: Omit<ApplicationSpec, 'source' | 'sources'> & { readonly sources: readonly ApplicationSource[] };
}

/** A chart from a Helm repository (https index or oci://) rather than a folder in git. */
export function isHelmRepositorySource(source: ApplicationSource): boolean {
  return source.chart !== undefined && source.chart !== '';
}

/** A git repository source: no chart, and not an OCI artifact. */
export function isGitSource(source: ApplicationSource): boolean {
  return !isHelmRepositorySource(source) && !source.repoURL.startsWith('oci://');
}

function normalizeSource(source: ApplicationSource): ApplicationSource {
  const missingRevision = source.targetRevision === undefined || source.targetRevision === '';
  return isGitSource(source) && missingRevision ? { ...source, targetRevision: 'HEAD' } : source;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const entry of Object.values(value)) deepFreeze(entry);
  }
  return value;
}

/**
 * Returns a frozen copy of `app` in canonical form: `spec.sources` lists the sources (from `sources`, or the one
 * `source`), git sources without targetRevision get `HEAD`, and an empty project becomes `default`.
 */
export function normalizeApplication(app: Application): NormalizedApplication {
  const copy = structuredClone(app);
  const spec = without(copy.spec, ['source', 'sources']);
  const sources = applicationSources(copy).map(normalizeSource);
  const normalized: NormalizedApplication = { ...copy, spec: { ...spec, project: projectNameOf(spec.project), sources } };
  return deepFreeze(normalized);
}
