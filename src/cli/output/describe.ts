/** Short human descriptions of applications for tables and logs. */
import type { ApplicationDestination } from '../../model/application.js';
import type { RenderedApp, ResolvedSourceReport } from '../../render/types.js';

/** `git.example.com/org/repo` from any of the URL forms Argo CD accepts. */
export function shortRepo(repoURL: string): string {
  return repoURL.replace(/^[a-z+]+:\/\//, '').replace(/^[^@/]+@/, '').replace(/:(?!\d)/, '/').replace(/\.git$/, '').replace(/\/$/, '');
}

export function describeSource(source: ResolvedSourceReport): string {
  const repo = shortRepo(source.repoURL);
  if (source.chart !== undefined) return `${repo} ${source.chart}@${source.resolvedRevision === '' ? source.requestedRevision : source.resolvedRevision}`;
  const revision = source.resolvedRevision === '' ? source.requestedRevision : source.resolvedRevision.slice(0, 7);
  const at = source.substitutedBy !== undefined && source.resolvedRevision === '' ? '(local)' : revision;
  if (source.type === 'ref') return `$${source.ref ?? ''}=${repo}@${at}`;
  return `${repo}@${at} ${source.path ?? '.'}`;
}

export function describeSources(app: RenderedApp): string {
  if (app.sources.length > 0) return app.sources.map(describeSource).join(' + ');
  const declared = app.application.spec.sources ?? (app.application.spec.source === undefined ? [] : [app.application.spec.source]);
  return declared
    .map((source) => (source.chart === undefined && source.path === undefined && source.ref !== undefined ? `$${source.ref}=${shortRepo(source.repoURL)}` : `${shortRepo(source.repoURL)} ${source.chart ?? source.path ?? '.'}`))
    .join(' + ');
}

export function describeDestination(destination: ApplicationDestination): string {
  const cluster = destination.name ?? (destination.server === 'https://kubernetes.default.svc' ? 'in-cluster' : (destination.server ?? '?'));
  return `${cluster}/${destination.namespace ?? ''}`;
}
