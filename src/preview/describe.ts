/**
 * Words shared by the text and markdown formats, and the outcome (`git diff --exit-code` style) of a report. Pure.
 */
import { formatResourceKey } from '../model/resource.js';
import type { AppDiff, ClusterSummary, PreviewReport, RepoRevisions, RepoState, ResourceChange, SecretKeyChanges } from './types.js';

/** 0 nothing changed, 1 something changed, 2 a render error at either side (never a silent "no change"). */
export type PreviewOutcome = 0 | 1 | 2;

/** True when an application was added, removed or changed in any cluster (failures aside). */
export function hasChanges(report: PreviewReport): boolean {
  return report.clusters.some((cluster) => {
    const { appsAdded, appsRemoved, appsChanged } = cluster.summary;
    return cluster.status === 'added' || cluster.status === 'removed' || appsAdded + appsRemoved + appsChanged > 0;
  });
}

export function outcomeOf(report: PreviewReport): PreviewOutcome {
  if (report.clusters.some((cluster) => cluster.status === 'error')) return 2;
  return hasChanges(report) ? 1 : 0;
}

export function describeState(state: RepoState): string {
  if (state.kind === 'worktree') return 'working tree';
  const short = state.sha.slice(0, 7);
  return state.sha.startsWith(state.revision) ? short : `${state.revision} (${short})`;
}

export function describeRepository(repo: RepoRevisions): string {
  return `${repo.url}: ${describeState(repo.base)} → ${describeState(repo.head)}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function describeApplications(summary: ClusterSummary): string {
  const parts = [`${summary.appsChanged} changed`, `${summary.appsAdded} added`, `${summary.appsRemoved} removed`, `${summary.appsUnchanged} unchanged (${summary.appsUnaffected} unaffected, not re-rendered)`];
  if (summary.appsSkipped > 0) parts.push(`${summary.appsSkipped} not compared (skipped)`);
  if (summary.appsFailed > 0) parts.push(`${summary.appsFailed} failed`);
  return parts.join(', ');
}

export function describeResources(summary: ClusterSummary): string {
  return `${summary.resourcesChanged} changed, ${summary.resourcesAdded} added, ${summary.resourcesRemoved} removed`;
}

/** `~`, `+`, `-`, `!` (failed), `?` (not compared). */
export function changeMark(change: AppDiff['change'] | ResourceChange['change']): string {
  return { changed: '~', added: '+', removed: '-', error: '!', skipped: '?' }[change];
}

/** "1 resource changed, 2 added", or what happened to the application. */
export function describeApp(app: AppDiff): string {
  if (app.change === 'error') return 'failed to render';
  if (app.change === 'skipped') return 'not compared (skipped)';
  const counts = { changed: 0, added: 0, removed: 0 };
  for (const resource of app.resources) counts[resource.change] += 1;
  const parts = (['changed', 'added', 'removed'] as const).filter((kind) => counts[kind] > 0).map((kind) => `${counts[kind]} ${kind}`);
  const resources = parts.length === 0 ? '' : `${plural(app.resources.length, 'resource')}: ${parts.join(', ')}`;
  const fields = app.fields.length === 0 ? '' : plural(app.fields.length, 'application field') + ' changed';
  const what = [fields, resources].filter((part) => part !== '').join('; ');
  const verb = app.change === 'changed' ? '' : app.change;
  return [verb, what].filter((part) => part !== '').join(' — ');
}

export function describeKey(resource: ResourceChange): string {
  const { key } = resource;
  return `${key.group === '' ? '' : `${key.group}/`}${key.kind} ${formatResourceKey({ ...key, kind: '' }).replace(/^\//, '')}`;
}

export function describeSecretKeys(keys: SecretKeyChanges): string {
  const parts = (['added', 'removed', 'changed'] as const).filter((kind) => keys[kind].length > 0).map((kind) => `${kind} ${keys[kind].join(', ')}`);
  return parts.length === 0 ? 'no key changed' : parts.join('; ');
}
