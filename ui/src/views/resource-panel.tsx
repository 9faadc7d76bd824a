/**
 * The resource panel: for one resource of the application, its health message, the live manifest, the desired
 * manifest (what the app renders), the diff between them, and its events. Objects Kubernetes made for the app's
 * resources (ReplicaSets, Pods) have a live manifest and events only. The server hides Secret values in every
 * one of them; the panel shows what it gets, as text. The open tab is in the URL (`rtab`).
 */
import type { JSX } from 'preact';
import { ApiFailure, api, appPath } from '../api.js';
import { ErrorState, Loading, useRemote } from '../components/state.js';
import { HealthBadge, SyncBadge } from '../components/status.js';
import { Manifest, UnifiedDiff } from '../components/text.js';
import type { KubeObject, Ref, TreeNode } from '../resources.js';
import { objectRef, resourceId } from '../resources.js';
import type { Place } from '../router.js';
import { Link, changeQuery } from '../router.js';

const TABS = [['summary', 'Summary'], ['live', 'Live manifest'], ['desired', 'Desired manifest'], ['diff', 'Diff'], ['events', 'Events']] as const;
type Tab = (typeof TABS)[number][0];

interface DiffItem extends Ref { readonly status: string; readonly diff: string; readonly error?: string }
interface EventItem { readonly type: string; readonly reason: string; readonly message: string; readonly count: number; readonly lastTimestamp: string; readonly involvedObject: Partial<Ref> }

/** Same resource; a rendered object may leave its namespace to the destination's default. */
const matches = (ref: Ref, other: Ref): boolean => ref.kind === other.kind && ref.name === other.name && ref.group === other.group && (ref.namespace === other.namespace || other.namespace === '');

function ManifestTab(props: { readonly app: string; readonly target: Ref; readonly source: 'live' | 'desired'; readonly version: string }): JSX.Element {
  const { remote, reload } = useRemote(() => api.get<{ items: KubeObject[] }>(appPath(props.app, `/manifests?source=${props.source}`)), `${props.app}/${props.source}/${props.version}`);
  const what = `the ${props.source} manifest`;
  if (remote.kind === 'loading') return <Loading what={what} />;
  if (remote.kind === 'error') return <ErrorState what={what} error={remote.error} retry={reload} />;
  const found = remote.value.items.find((object) => matches(props.target, objectRef(object)));
  if (found === undefined) return <p class="state empty">{props.source === 'live' ? 'Not in the cluster (a sync would create it).' : 'Not rendered by the application (a sync with prune would delete it).'}</p>;
  return <Manifest object={found} label={what} />;
}

/**
 * The live manifest of any node of the tree, by its group, version, kind, namespace and name
 * (GET …/resource): what shows a Pod or a ReplicaSet, which the application's manifests do not hold.
 */
function NodeManifestTab(props: { readonly app: string; readonly node: TreeNode; readonly version: string }): JSX.Element {
  const { node } = props;
  const query = new URLSearchParams({ group: node.group, version: node.version, kind: node.kind, namespace: node.namespace, name: node.name });
  const { remote, reload } = useRemote(() => api.get<{ manifest: KubeObject }>(appPath(props.app, `/resource?${query.toString()}`)), `${props.app}/${resourceId(node)}/${props.version}`);
  if (remote.kind === 'loading') return <Loading what="the live manifest" />;
  if (remote.kind === 'error') {
    // A server from before GET …/resource answers "no such endpoint": say what is missing rather than fail.
    if (remote.error instanceof ApiFailure && remote.error.status === 404 && /no such endpoint/.test(remote.error.message)) return <p class="state empty">This server does not serve the manifests of objects Kubernetes made (Pods, ReplicaSets): upgrade launchpad to see them here.</p>;
    return <ErrorState what="the live manifest" error={remote.error} retry={reload} />;
  }
  return <Manifest object={remote.value.manifest} label="the live manifest" />;
}

function DiffTab(props: { readonly app: string; readonly target: Ref; readonly version: string }): JSX.Element {
  const { remote, reload } = useRemote(() => api.get<{ items: DiffItem[] }>(appPath(props.app, '/diff')), `${props.app}/diff/${props.version}`);
  if (remote.kind === 'loading') return <Loading what="the diff" />;
  if (remote.kind === 'error') return <ErrorState what="the diff" error={remote.error} retry={reload} />;
  const found = remote.value.items.find((item) => matches(props.target, item));
  if (found === undefined) return <p class="state empty">Not part of the comparison.</p>;
  if (found.error !== undefined) return <p class="action-error" role="alert">{found.error}</p>;
  return (
    <div>
      <p class="diff-status">Status: <strong>{found.status}</strong></p>
      {found.diff === '' ? <p class="state empty">No difference: the live object is as the application wants it.</p> : <UnifiedDiff diff={found.diff} label={`diff of ${resourceId(props.target)}`} />}
    </div>
  );
}

function EventsTab(props: { readonly app: string; readonly target: Ref; readonly version: string }): JSX.Element {
  const { remote, reload } = useRemote(() => api.get<{ items: EventItem[] }>(appPath(props.app, '/events')), `${props.app}/events/${props.version}`);
  if (remote.kind === 'loading') return <Loading what="events" />;
  if (remote.kind === 'error') return <ErrorState what="events" error={remote.error} retry={reload} />;
  const items = remote.value.items.filter((event) => event.involvedObject.kind === props.target.kind && event.involvedObject.name === props.target.name);
  if (items.length === 0) return <p class="state empty">No events for this resource.</p>;
  return (
    <table class="events">
      <thead><tr><th scope="col">Type</th><th scope="col">Reason</th><th scope="col">Message</th><th scope="col">Count</th><th scope="col">Last seen</th></tr></thead>
      <tbody>{items.map((event, index) => <tr key={index} class={event.type === 'Warning' ? 'warning' : ''}><td>{event.type}</td><td>{event.reason}</td><td>{event.message}</td><td>{event.count}</td><td>{event.lastTimestamp}</td></tr>)}</tbody>
    </table>
  );
}

function Summary(props: { readonly node: TreeNode | undefined; readonly target: Ref }): JSX.Element {
  const { node } = props;
  return (
    <dl class="summary">
      <dt>Kind</dt><dd>{props.target.group === '' ? props.target.kind : `${props.target.kind} (${props.target.group})`}</dd>
      <dt>Namespace</dt><dd>{props.target.namespace || '— (cluster-scoped)'}</dd>
      <dt>Sync</dt><dd>{node?.status === undefined ? 'not managed (made by Kubernetes)' : <SyncBadge status={node.status} />}</dd>
      <dt>Health</dt><dd>{node?.health === undefined ? '—' : <HealthBadge status={node.health.status} />}</dd>
      <dt>Health message</dt><dd class="health-message">{node?.health?.message ?? '—'}</dd>
      {node?.images === undefined ? null : <><dt>Images</dt><dd>{node.images.join(', ')}</dd></>}
    </dl>
  );
}

function PanelBody(props: { readonly tab: Tab; readonly app: string; readonly target: Ref; readonly node: TreeNode | undefined; readonly version: string }): JSX.Element {
  const { tab, app, target, node, version } = props;
  if (tab === 'summary') return <section class="panel-body"><Summary node={node} target={target} /></section>;
  if (tab === 'events') return <section class="panel-body"><EventsTab app={app} target={target} version={version} /></section>;
  if (node?.managed === false && tab === 'live') return <section class="panel-body"><NodeManifestTab app={app} node={node} version={version} /></section>;
  if (node?.managed === false) return <section class="panel-body"><p class="state empty">Kubernetes made this object for its owner; the application does not manage it, so it has no desired manifest or diff here.</p></section>;
  if (tab === 'diff') return <section class="panel-body"><DiffTab app={app} target={target} version={version} /></section>;
  return <section class="panel-body"><ManifestTab app={app} target={target} source={tab} version={version} /></section>;
}

export function ResourcePanel(props: { readonly place: Place; readonly app: string; readonly target: Ref; readonly node: TreeNode | undefined; readonly version: string }): JSX.Element {
  const { place, target } = props;
  const requested = place.query.get('rtab') ?? 'summary';
  const tab: Tab = TABS.some(([key]) => key === requested) ? requested as Tab : 'summary';
  // The owning app of a child app's resource is that child: its manifests hold the resource.
  const owner = props.node?.app ?? props.app;
  return (
    <aside class="resource-panel" aria-label={`resource ${resourceId(target)}`}>
      <header class="panel-head">
        <h2><span class="kind">{target.kind}</span> {target.name}</h2>
        <Link href={changeQuery(place, { resource: undefined, rtab: undefined })} class="close" aria-label="Close the resource panel">×</Link>
      </header>
      <nav class="tabs" aria-label="resource views">
        {TABS.map(([key, label]) => <Link key={key} href={changeQuery(place, { rtab: key === 'summary' ? undefined : key })} replace aria-current={tab === key ? 'page' : undefined}>{label}</Link>)}
      </nav>
      <PanelBody tab={tab} app={owner} target={target} node={props.node} version={props.version} />
    </aside>
  );
}
