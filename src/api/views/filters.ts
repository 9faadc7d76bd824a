/**
 * The applications list's filters, as the UI and `GET /api/v1/applications` take them: each a comma-separated list
 * of accepted values (any may match), all of them together (every one must hold). `cluster` matches the destination's
 * server URL or name; `search` is a case-insensitive substring of the name or a source's repository URL, path or chart.
 */
import type { AppSummary } from './summary.js';
import { parseLabelSelector } from './label-selector.js';

export interface AppFilterQuery {
  readonly project?: string;
  readonly cluster?: string;
  readonly namespace?: string;
  readonly sync?: string;
  readonly health?: string;
  readonly labels?: string;
  readonly search?: string;
}

const listOf = (text: string | undefined): string[] | undefined => {
  const values = text?.split(',').map((value) => value.trim()).filter((value) => value !== '');
  return values === undefined || values.length === 0 ? undefined : values;
};

/** A predicate for the query; throws a LaunchpadError for a bad label selector. */
export function appFilter(query: AppFilterQuery): (app: AppSummary) => boolean {
  const projects = listOf(query.project);
  const clusters = listOf(query.cluster);
  const namespaces = listOf(query.namespace);
  const syncs = listOf(query.sync);
  const healths = listOf(query.health);
  const labels = query.labels === undefined || query.labels.trim() === '' ? undefined : parseLabelSelector(query.labels);
  const search = query.search?.trim().toLowerCase();
  const checks: ((app: AppSummary) => boolean)[] = [];
  if (projects !== undefined) checks.push((app) => projects.includes(app.project));
  if (clusters !== undefined) checks.push((app) => clusters.includes(app.destination.server) || clusters.includes(app.destination.name));
  if (namespaces !== undefined) checks.push((app) => namespaces.includes(app.destination.namespace));
  if (syncs !== undefined) checks.push((app) => syncs.includes(app.sync.status));
  if (healths !== undefined) checks.push((app) => healths.includes(app.health.status));
  if (labels !== undefined) checks.push((app) => labels(app.labels));
  if (search !== undefined && search !== '') checks.push((app) => matchesSearch(app, search));
  return (app) => checks.every((check) => check(app));
}

function matchesSearch(app: AppSummary, search: string): boolean {
  if (app.name.toLowerCase().includes(search)) return true;
  return app.sources.some((source) => [source.repoURL, source.path ?? '', source.chart ?? ''].some((text) => text.toLowerCase().includes(search)));
}

export interface AppCounts {
  readonly sync: Record<string, number>;
  readonly health: Record<string, number>;
}

/** How many of `apps` are in each sync and health status (the UI's counters). */
export function countApps(apps: readonly AppSummary[]): AppCounts {
  const sync: Record<string, number> = {};
  const health: Record<string, number> = {};
  for (const app of apps) {
    sync[app.sync.status] = (sync[app.sync.status] ?? 0) + 1;
    health[app.health.status] = (health[app.health.status] ?? 0) + 1;
  }
  return { sync, health };
}
