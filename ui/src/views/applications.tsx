/**
 * The applications view: every application as tiles or as a list, the filters (project, cluster, namespace, sync,
 * health, labels, search) and the counts. Filtering is done here, with the server's own filter code, over the live
 * set the event stream keeps current — instant with 1,000 applications — and pages of PAGE_SIZE keep the page
 * light. Every filter, the layout and the page are in the URL.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { appFilter, countApps } from '../../../src/api/views/filters.js';
import type { AppFilterQuery } from '../../../src/api/views/filters.js';
import { ErrorState, Loading } from '../components/state.js';
import { HealthBadge, PhaseBadge, SyncBadge } from '../components/status.js';
import type { AppSummary } from '../live.js';
import { live } from '../live.js';
import type { Place } from '../router.js';
import { Link, changeQuery, navigate } from '../router.js';
import { useLive } from '../use-live.js';

export const PAGE_SIZE = 100;
/** Tiles or rows drawn in the view's first frame: a screenful on a large display; the rest of the page follows. */
const FIRST_SCREENFUL = 24;
const FILTER_KEYS = ['project', 'cluster', 'namespace', 'sync', 'health', 'labels', 'search'] as const;
const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown'];
const HEALTH_STATUSES = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

const clusterOf = (app: AppSummary): string => app.destination.name || app.destination.server;

function queryOf(place: Place): AppFilterQuery {
  const query: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = place.query.get(key);
    if (value !== null && value !== '') query[key] = value;
  }
  return query;
}

function filtered(apps: readonly AppSummary[], query: AppFilterQuery): { readonly items: AppSummary[]; readonly problem?: string } {
  try {
    return { items: apps.filter(appFilter(query)) };
  } catch (error) {
    return { items: [], problem: error instanceof Error ? error.message : String(error) };
  }
}

function Select(props: { readonly place: Place; readonly name: string; readonly label: string; readonly options: readonly string[] }): JSX.Element {
  const value = props.place.query.get(props.name) ?? '';
  const options = value === '' || props.options.includes(value) ? props.options : [...props.options, value];
  return (
    <label class="filter">
      <span>{props.label}</span>
      <select value={value} onChange={(event) => { navigate(changeQuery(props.place, { [props.name]: event.currentTarget.value, page: undefined })); }}>
        <option value="">any</option>
        {options.map((option) => <option key={option} value={option}>{option}</option>)}
      </select>
    </label>
  );
}

function TextFilter(props: { readonly place: Place; readonly name: string; readonly label: string; readonly placeholder: string }): JSX.Element {
  return (
    <label class="filter">
      <span>{props.label}</span>
      <input type="search" value={props.place.query.get(props.name) ?? ''} placeholder={props.placeholder}
        onInput={(event) => { navigate(changeQuery(props.place, { [props.name]: event.currentTarget.value, page: undefined }), true); }} />
    </label>
  );
}

function Counts(props: { readonly place: Place; readonly apps: readonly AppSummary[]; readonly total: number }): JSX.Element {
  const counts = countApps(props.apps);
  const chip = (key: 'sync' | 'health', status: string, count: number): JSX.Element => (
    <Link key={`${key}-${status}`} class={`chip ${key}-${status.toLowerCase()}`} href={changeQuery(props.place, { [key]: status, page: undefined })}>{status} <strong>{count}</strong></Link>
  );
  return (
    <section class="counts" aria-label="counts">
      <span class="count-total" data-testid="app-count">{props.apps.length} of {props.total} applications</span>
      {Object.entries(counts.sync).map(([status, count]) => chip('sync', status, count))}
      {Object.entries(counts.health).map(([status, count]) => chip('health', status, count))}
    </section>
  );
}

function Tile(props: { readonly app: AppSummary }): JSX.Element {
  const { app } = props;
  return (
    // elementtiming: the browser records when the tile's name was first painted (bench/ui-browser.ts reads it).
    <li class="tile" data-app={app.name} elementtiming="application">
      <Link href={`/applications/${encodeURIComponent(app.name)}`} class="tile-name">{app.name}</Link>
      <dl>
        <dt>Project</dt><dd>{app.project}</dd>
        <dt>Destination</dt><dd>{clusterOf(app)} / {app.destination.namespace || '—'}</dd>
        <dt>Source</dt><dd class="source">{app.sources[0]?.path ?? app.sources[0]?.chart ?? app.sources[0]?.repoURL ?? '—'}</dd>
      </dl>
      <p class="badges"><SyncBadge status={app.sync.status} /> <HealthBadge status={app.health.status} /> <PhaseBadge phase={app.operation.phase} />{app.deleting ? <> <span class="badge deleting">Deleting</span></> : null}</p>
      {app.conditions.length === 0 ? null : <p class="tile-conditions" title={app.conditions.map((c) => `${c.type}: ${c.message}`).join('\n')}>⚠ {app.conditions.length} condition{app.conditions.length === 1 ? '' : 's'}</p>}
    </li>
  );
}

function Rows(props: { readonly apps: readonly AppSummary[] }): JSX.Element {
  return (
    <table class="app-table">
      <thead><tr><th scope="col">Name</th><th scope="col">Project</th><th scope="col">Cluster</th><th scope="col">Namespace</th><th scope="col">Sync</th><th scope="col">Health</th><th scope="col">Last operation</th></tr></thead>
      <tbody>
        {props.apps.map((app) => (
          <tr key={app.name} data-app={app.name}>
            <th scope="row" elementtiming="application"><Link href={`/applications/${encodeURIComponent(app.name)}`}>{app.name}</Link></th>
            <td>{app.project}</td><td>{clusterOf(app)}</td><td>{app.destination.namespace}</td>
            <td><SyncBadge status={app.sync.status} /></td><td><HealthBadge status={app.health.status} /></td><td><PhaseBadge phase={app.operation.phase} />{app.deleting ? <> <span class="badge deleting">Deleting</span></> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Pager(props: { readonly place: Place; readonly page: number; readonly pages: number }): JSX.Element | null {
  if (props.pages <= 1) return null;
  const to = (page: number): string => changeQuery(props.place, { page: page === 1 ? undefined : String(page) });
  return (
    <nav class="pager" aria-label="pages">
      {props.page > 1 ? <Link href={to(props.page - 1)}>← Previous</Link> : <span aria-hidden="true">← Previous</span>}
      <span>Page {props.page} of {props.pages}</span>
      {props.page < props.pages ? <Link href={to(props.page + 1)}>Next →</Link> : <span aria-hidden="true">Next →</span>}
    </nav>
  );
}

/**
 * False until the frame after the view first showed applications: the first frame draws only a screenful, so the
 * first paint does not wait for a whole page of tiles to be laid out below the fold.
 */
function useRestOfPage(ready: boolean): boolean {
  const [rest, setRest] = useState(false);
  useEffect(() => {
    if (!ready || rest) return undefined;
    const frame = requestAnimationFrame(() => { setRest(true); });
    return () => { cancelAnimationFrame(frame); };
  }, [ready, rest]);
  return rest;
}

/** One collator for every sort: String.localeCompare builds one per call, which shows at 1,000 applications. */
const byName = new Intl.Collator();

const distinct = (values: readonly string[]): string[] => [...new Set(values.filter((value) => value !== ''))].sort(byName.compare);

export function ApplicationsView(props: { readonly place: Place }): JSX.Element {
  const { place } = props;
  const version = useLive();
  const all = useMemo(() => [...live.apps.values()].sort((a, b) => byName.compare(a.name, b.name)), [version]);
  const query = queryOf(place);
  const result = useMemo(() => filtered(all, query), [all, place.query.toString()]);
  const choices = useMemo(() => ({
    project: distinct(all.map((app) => app.project)), cluster: distinct(all.map(clusterOf)), namespace: distinct(all.map((app) => app.destination.namespace)),
  }), [all]);
  const rest = useRestOfPage(live.state.kind === 'ready');
  if (live.state.kind === 'loading') return <Loading what="applications" />;
  if (live.state.kind === 'error') return <ErrorState what="applications" error={live.state.message} retry={() => { void live.reload(); }} />;
  const layout = place.query.get('view') === 'list' ? 'list' : 'tiles';
  const pages = Math.max(1, Math.ceil(result.items.length / PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Number.parseInt(place.query.get('page') ?? '1', 10) || 1));
  const shown = result.items.slice((page - 1) * PAGE_SIZE, rest ? page * PAGE_SIZE : Math.min(page * PAGE_SIZE, (page - 1) * PAGE_SIZE + FIRST_SCREENFUL));
  return (
    <main class="applications" aria-labelledby="apps-title">
      <header class="view-head">
        <h1 id="apps-title">Applications</h1>
        <div class="layout-switch" role="group" aria-label="layout">
          <Link href={changeQuery(place, { view: undefined })} aria-current={layout === 'tiles' ? 'page' : undefined}>Tiles</Link>
          <Link href={changeQuery(place, { view: 'list' })} aria-current={layout === 'list' ? 'page' : undefined}>List</Link>
        </div>
      </header>
      <form class="filters" role="search" aria-label="filters" onSubmit={(event) => { event.preventDefault(); }}>
        <TextFilter place={place} name="search" label="Search" placeholder="name, repository or path" />
        <Select place={place} name="project" label="Project" options={choices.project} />
        <Select place={place} name="cluster" label="Cluster" options={choices.cluster} />
        <Select place={place} name="namespace" label="Namespace" options={choices.namespace} />
        <Select place={place} name="sync" label="Sync" options={SYNC_STATUSES} />
        <Select place={place} name="health" label="Health" options={HEALTH_STATUSES} />
        <TextFilter place={place} name="labels" label="Labels" placeholder="team=web,tier in (front)" />
        {FILTER_KEYS.some((key) => place.query.has(key)) ? <Link href={changeQuery(place, Object.fromEntries(FILTER_KEYS.map((key) => [key, undefined])))}>Clear filters</Link> : null}
      </form>
      {result.problem === undefined ? null : <p class="action-error" role="alert">Labels filter: {result.problem}</p>}
      <Counts place={place} apps={result.items} total={all.length} />
      {shown.length === 0
        ? <p class="state empty">{all.length === 0 ? 'No applications yet: apply an Application to the cluster and it appears here.' : 'No application matches these filters.'}</p>
        : layout === 'list' ? <Rows apps={shown} /> : <ul class="tiles">{shown.map((app) => <Tile key={app.name} app={app} />)}</ul>}
      <Pager place={place} page={page} pages={pages} />
    </main>
  );
}
