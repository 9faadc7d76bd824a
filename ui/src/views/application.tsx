/**
 * The application view: status, conditions (shown first, they are why an app is stuck), the last operation (with
 * Terminate while it runs), the actions (sync, refresh, hard refresh, delete — each disabled, saying why, when the
 * user's roles do not allow it), and tabs for the resource tree and the history. A resource chosen in the
 * tree opens the resource panel beside it. The view follows the event stream: when this application or a child
 * changes, the object and the tree are read again, without a reload.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, appPath } from '../api.js';
import type { AppView, Json } from '../application.js';
import { obj, str, viewOf } from '../application.js';
import { ActionError, ErrorState, Loading, useRemote } from '../components/state.js';
import { HealthBadge, SyncBadge } from '../components/status.js';
import { live } from '../live.js';
import type { Nested, TreeNode } from '../resources.js';
import { nest, parseResourceId, resourceId, sameRef } from '../resources.js';
import type { Place } from '../router.js';
import { Link, changeQuery, navigate } from '../router.js';
import type { AppAction, Permissions } from '../permissions.js';
import { deniedActions, deniedReason, permissionsOf } from '../permissions.js';
import { DeleteDialog } from './delete-dialog.js';
import { History } from './history.js';
import { Progress } from './progress.js';
import { ResourcePanel } from './resource-panel.js';
import { SyncDialog } from './sync-dialog.js';
import { ResourceTree } from './tree.js';

interface Loaded {
  readonly app: Json;
  readonly nodes: readonly TreeNode[];
}

async function load(name: string): Promise<Loaded> {
  const [app, tree] = await Promise.all([api.get<Json>(appPath(name)), api.get<{ nodes: TreeNode[] }>(appPath(name, '/resource-tree'))]);
  return { app, nodes: tree.nodes };
}

/** Reloads when the stream reports a change of this app or of an app in its tree (a child), at most every 150 ms. */
function useFollow(name: string, nodes: readonly TreeNode[] | undefined, reload: () => void): void {
  const related = useRef(new Set<string>([name]));
  related.current = new Set([name, ...(nodes ?? []).filter((node) => node.kind === 'Application').map((node) => node.name)]);
  useEffect(() => {
    let timer: number | undefined;
    const unsubscribe = live.subscribe((names) => {
      if (!names.some((changed) => related.current.has(changed)) || timer !== undefined) return;
      timer = window.setTimeout(() => { timer = undefined; reload(); }, 150);
    });
    return () => { unsubscribe(); window.clearTimeout(timer); };
  }, [name]);
}

/** An action button: disabled, with the reason as its title, when the user's roles do not allow the action. */
function ActionButton(props: { readonly view: AppView; readonly permissions: Permissions; readonly action: AppAction; readonly label: string; readonly primary?: boolean; readonly onClick: () => void }): JSX.Element {
  const allowed = props.permissions[props.action];
  const pointless = props.action === 'delete' && props.view.deleting ? `${props.view.name} is already being deleted` : undefined;
  return (
    <button type="button" class={props.primary === true ? 'primary' : props.action === 'delete' ? 'danger-outline' : undefined} disabled={!allowed || pointless !== undefined}
      title={allowed ? pointless : deniedReason(props.action, props.view.project, props.view.name)} onClick={props.onClick}>{props.label}</button>
  );
}

function Actions(props: { readonly view: AppView; readonly permissions: Permissions; readonly onSync: () => void; readonly onDelete: () => void; readonly reload: () => void }): JSX.Element {
  const { view, permissions } = props;
  const [error, setError] = useState<unknown>(undefined);
  const [note, setNote] = useState('');
  const refresh = async (hard: boolean): Promise<void> => {
    setError(undefined);
    try {
      await api.post(appPath(view.name, '/refresh'), { type: hard ? 'hard' : 'normal' });
      setNote(hard ? 'Hard refresh requested' : 'Refresh requested');
      props.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  const denied = deniedActions(permissions);
  return (
    <div class="actions">
      <ActionButton view={view} permissions={permissions} action="sync" label="Sync…" primary onClick={props.onSync} />
      <ActionButton view={view} permissions={permissions} action="refresh" label="Refresh" onClick={() => { void refresh(false); }} />
      <ActionButton view={view} permissions={permissions} action="refresh" label="Hard refresh" onClick={() => { void refresh(true); }} />
      <ActionButton view={view} permissions={permissions} action="delete" label="Delete…" onClick={props.onDelete} />
      {denied.length === 0 ? null : <span class="denied-note" title={denied.map((action) => deniedReason(action, view.project, view.name)).join('\n')}>Your roles do not allow: {denied.join(', ')}</span>}
      {note === '' ? null : <span role="status" class="note">{note}</span>}
      <ActionError error={error} />
    </div>
  );
}

function Conditions(props: { readonly view: AppView }): JSX.Element | null {
  if (props.view.conditions.length === 0) return null;
  return (
    <section class="conditions" role="alert" aria-label="conditions">
      {props.view.conditions.map((condition, index) => <p key={index}><strong>{condition.type}</strong>: {condition.message}</p>)}
    </section>
  );
}

function Facts(props: { readonly view: AppView }): JSX.Element {
  const { view } = props;
  return (
    <dl class="app-facts">
      <dt>Project</dt><dd>{view.project}</dd>
      <dt>Source</dt><dd><code>{view.repo}</code> {view.path} @ {view.targetRevision}</dd>
      <dt>Destination</dt><dd>{view.destination}</dd>
      <dt>Synced revision</dt><dd><code>{view.revision.slice(0, 12) || '—'}</code></dd>
      <dt>Auto-sync</dt><dd>{view.automated ? 'on' : 'off'}</dd>
      {view.healthMessage === '' ? null : <><dt>Health message</dt><dd>{view.healthMessage}</dd></>}
    </dl>
  );
}

/** The tree, and the resource panel beside it when a resource is chosen (`?resource=Kind.group/namespace/name`). */
function Resources(props: { readonly place: Place; readonly name: string; readonly nodes: readonly TreeNode[]; readonly roots: readonly Nested[]; readonly version: string }): JSX.Element {
  const { place, name, nodes } = props;
  const selectedId = place.query.get('resource') ?? undefined;
  const target = selectedId === undefined ? undefined : parseResourceId(selectedId);
  const node = target === undefined ? undefined : nodes.find((candidate) => sameRef(candidate, target));
  return (
    <div class={`resources-layout${target === undefined ? '' : ' with-panel'}`}>
      <ResourceTree app={name} roots={props.roots} selected={selectedId} onSelect={(id) => { navigate(changeQuery(place, { resource: id })); }} />
      {target === undefined ? null : <ResourcePanel key={resourceId(target)} place={place} app={name} target={target} node={node} version={props.version} />}
    </div>
  );
}

export function ApplicationView(props: { readonly place: Place; readonly name: string }): JSX.Element {
  const { place, name } = props;
  const { remote, reload } = useRemote(() => load(name), name);
  const [dialog, setDialog] = useState<'sync' | 'delete' | undefined>(undefined);
  const loaded = remote.kind === 'ready' ? remote.value : undefined;
  useFollow(name, loaded?.nodes, reload);
  const roots = useMemo(() => nest(loaded?.nodes ?? []), [loaded]);
  if (remote.kind === 'loading') return <Loading what={`application ${name}`} />;
  if (remote.kind === 'error') return <main><p><Link href="/applications">← Applications</Link></p><ErrorState what={`application ${name}`} error={remote.error} retry={reload} /></main>;
  const { app, nodes } = remote.value;
  const view = viewOf(app);
  const permissions = permissionsOf(app);
  const version = str(obj(app.metadata).resourceVersion);
  const tab = place.query.get('tab') === 'history' ? 'history' : 'resources';
  return (
    <main class="application" aria-labelledby="app-title">
      <nav class="crumbs" aria-label="breadcrumbs"><Link href="/applications">Applications</Link> / <span>{name}</span></nav>
      <header class="view-head">
        <h1 id="app-title">{name}</h1>
        <p class="badges"><SyncBadge status={view.sync} /> <HealthBadge status={view.health} />{view.deleting ? <> <span class="badge deleting">Deleting</span></> : null}</p>
        <Actions view={view} permissions={permissions} onSync={() => { setDialog('sync'); }} onDelete={() => { setDialog('delete'); }} reload={reload} />
      </header>
      <Conditions view={view} />
      <Facts view={view} />
      {view.operation === undefined && !view.requested ? null : <section class="last-operation" aria-label="last operation"><h2>Last operation</h2><Progress view={view} permissions={permissions} /></section>}
      <nav class="tabs" aria-label="application views">
        <Link href={changeQuery(place, { tab: undefined })} aria-current={tab === 'resources' ? 'page' : undefined}>Resources</Link>
        <Link href={changeQuery(place, { tab: 'history', resource: undefined, rtab: undefined })} aria-current={tab === 'history' ? 'page' : undefined}>History and rollback</Link>
      </nav>
      {tab === 'history' ? <History app={name} version={version} permissions={permissions} project={view.project} /> : <Resources place={place} name={name} nodes={nodes} roots={roots} version={version} />}
      {dialog === 'sync' ? <SyncDialog view={view} permissions={permissions} onClose={() => { setDialog(undefined); }} /> : null}
      {dialog === 'delete' ? <DeleteDialog name={name} onClose={() => { setDialog(undefined); }} /> : null}
    </main>
  );
}
