/**
 * The sync dialog: prune, dry run, sync options and a choice of resources (all, or some), then — once the server has
 * accepted the sync — the operation's progress as the event stream brings it (progress.tsx: the wave running, each
 * resource's result grouped by wave as it comes in, Terminate). A refusal (a read-only user, an operation already
 * running) is shown in the dialog with the server's reason.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, appPath } from '../api.js';
import type { AppView } from '../application.js';
import { str } from '../application.js';
import { Dialog } from '../components/dialog.js';
import { ActionError } from '../components/state.js';
import type { Permissions } from '../permissions.js';
import { Progress, resultKey as keyOf } from './progress.js';

const OPTIONS = ['CreateNamespace=true', 'ServerSideApply=true', 'ApplyOutOfSyncOnly=true', 'PruneLast=true', 'Replace=true', 'Validate=false'];

export function SyncDialog(props: { readonly view: AppView; readonly permissions: Permissions; readonly onClose: () => void; readonly initialResource?: string }): JSX.Element {
  const { view } = props;
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [options, setOptions] = useState<readonly string[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set(props.initialResource === undefined ? [] : [props.initialResource]));
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  /** Set once the server accepted: the start time of the operation before ours. */
  const [startedAfter, setStartedAfter] = useState<string | undefined>(undefined);

  const toggle = <T,>(items: ReadonlySet<T> | readonly T[], item: T): T[] => {
    const all = [...items];
    return all.includes(item) ? all.filter((value) => value !== item) : [...all, item];
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const resources = view.resources.filter((resource) => selected.has(keyOf(resource))).map((resource) => ({
      group: str(resource.group), kind: str(resource.kind), name: str(resource.name), ...(str(resource.namespace) === '' ? {} : { namespace: str(resource.namespace) }),
    }));
    const previous = view.operation?.startedAt ?? '';
    try {
      await api.post(appPath(view.name, '/sync'), { prune, dryRun, ...(options.length === 0 ? {} : { syncOptions: options }), ...(resources.length === 0 ? {} : { resources }) });
      setStartedAfter(previous);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Sync ${view.name}`} onClose={props.onClose}>
      {startedAfter !== undefined ? (
        <div class="dialog-body">
          <Progress view={view} permissions={props.permissions} after={startedAfter} />
          <p class="dialog-actions"><button type="button" onClick={props.onClose}>Close</button></p>
        </div>
      ) : (
        <form class="dialog-body" onSubmit={(event) => { void submit(event); }}>
          <p>Revision <code>{view.targetRevision}</code> of <code>{view.repo}</code>{view.path === '' ? '' : ` (${view.path})`}</p>
          <fieldset>
            <legend>Sync</legend>
            <label><input type="checkbox" name="prune" checked={prune} onChange={() => { setPrune(!prune); }} /> Prune (delete resources the application no longer renders)</label>
            <label><input type="checkbox" name="dryRun" checked={dryRun} onChange={() => { setDryRun(!dryRun); }} /> Dry run (change nothing)</label>
          </fieldset>
          <fieldset>
            <legend>Sync options</legend>
            {OPTIONS.map((option) => <label key={option}><input type="checkbox" checked={options.includes(option)} onChange={() => { setOptions(toggle(options, option)); }} /> {option}</label>)}
          </fieldset>
          <fieldset class="resource-choice">
            <legend>Resources ({selected.size === 0 ? 'all' : `${selected.size} selected`})</legend>
            {view.resources.length === 0 ? <p>The application lists no resources yet: all it renders is synced.</p> : view.resources.map((resource) => {
              const key = keyOf(resource);
              return <label key={key}><input type="checkbox" checked={selected.has(key)} onChange={() => { setSelected(new Set(toggle(selected, key))); }} /> <span class="kind">{str(resource.kind)}</span> {str(resource.namespace) === '' ? '' : `${str(resource.namespace)}/`}{str(resource.name)} <small>{str(resource.status)}</small></label>;
            })}
          </fieldset>
          <ActionError error={error} />
          <p class="dialog-actions">
            <button type="submit" class="primary" disabled={busy}>{busy ? 'Requesting…' : 'Synchronize'}</button>
            <button type="button" onClick={props.onClose}>Cancel</button>
          </p>
        </form>
      )}
    </Dialog>
  );
}
