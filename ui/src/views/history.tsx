/**
 * Deployment history, newest first, with a rollback to any earlier entry (after a confirmation). The server refuses
 * a rollback while auto-sync is on, as Argo CD does; that refusal is shown with its fix.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, appPath } from '../api.js';
import type { Json } from '../application.js';
import { obj, str } from '../application.js';
import { ActionError, ErrorState, Loading, useRemote } from '../components/state.js';
import type { Permissions } from '../permissions.js';
import { deniedReason } from '../permissions.js';

function RollbackButton(props: { readonly app: string; readonly entry: Json; readonly denied: string | undefined }): JSX.Element {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);
  const id = typeof props.entry.id === 'number' ? props.entry.id : -1;
  const rollback = async (): Promise<void> => {
    setError(undefined);
    try {
      await api.post(appPath(props.app, '/rollback'), { id });
      setDone(true);
      setConfirming(false);
    } catch (failure) {
      setError(failure);
    }
  };
  if (done) return <span role="status">Rollback to #{id} requested</span>;
  return (
    <span class="rollback">
      {confirming
        ? <><button type="button" class="danger" onClick={() => { void rollback(); }}>Confirm rollback to #{id}</button> <button type="button" onClick={() => { setConfirming(false); }}>Cancel</button></>
        : <button type="button" disabled={props.denied !== undefined} title={props.denied} onClick={() => { setConfirming(true); }}>Roll back…</button>}
      <ActionError error={error} />
    </span>
  );
}

export function History(props: { readonly app: string; readonly project: string; readonly version: string; readonly permissions: Permissions }): JSX.Element {
  const denied = props.permissions.rollback ? undefined : deniedReason('rollback', props.project, props.app);
  const { remote, reload } = useRemote(() => api.get<{ items: Json[] }>(appPath(props.app, '/history')), `${props.app}/history/${props.version}`);
  if (remote.kind === 'loading') return <Loading what="history" />;
  if (remote.kind === 'error') return <ErrorState what="history" error={remote.error} retry={reload} />;
  if (remote.value.items.length === 0) return <p class="state empty">No deployments yet: the first sync starts the history.</p>;
  return (
    <table class="history">
      <thead><tr><th scope="col">#</th><th scope="col">Revision</th><th scope="col">Source</th><th scope="col">Deployed</th><th scope="col">By</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>
        {remote.value.items.map((entry, index) => {
          const source = obj(entry.source);
          return (
            <tr key={String(entry.id)} data-history={String(entry.id)}>
              <td>{String(entry.id)}</td>
              <td><code>{str(entry.revision).slice(0, 12) || (Array.isArray(entry.revisions) ? entry.revisions.map(String).join(', ') : '—')}</code></td>
              <td>{str(source.path) || str(source.chart) || str(source.repoURL) || '—'}</td>
              <td>{str(entry.deployedAt)}</td>
              <td>{str(obj(entry.initiatedBy).username) || (obj(entry.initiatedBy).automated === true ? 'automated' : '—')}</td>
              <td>{index === 0 ? <span class="current">current</span> : <RollbackButton app={props.app} entry={entry} denied={denied} />}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
