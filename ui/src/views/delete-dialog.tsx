/**
 * Deleting an application, as Argo CD's dialog does it: a choice of what happens to its resources (foreground: the
 * controller deletes them, then the application; background: the application goes first and they follow;
 * non-cascading: they stay in the cluster) and the application's name typed out before the Delete button works.
 * Once the server accepts, the list is shown: the application leaves it when the controller has finished.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, appPath } from '../api.js';
import { Dialog } from '../components/dialog.js';
import { ActionError } from '../components/state.js';
import { navigate } from '../router.js';

const CASCADES = [
  ['foreground', 'Foreground', 'delete its resources, waiting for them to go, then the application'],
  ['background', 'Background', 'delete the application and its resources; Kubernetes removes them in the background'],
  ['orphan', 'Non-cascading', 'delete only the application: its resources stay in the cluster'],
] as const;
type Cascade = (typeof CASCADES)[number][0];

export function DeleteDialog(props: { readonly name: string; readonly onClose: () => void }): JSX.Element {
  const [cascade, setCascade] = useState<Cascade>('foreground');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const confirmed = typed === props.name;

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!confirmed) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.delete(appPath(props.name, `?cascade=${cascade}`));
      navigate('/applications');
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Delete ${props.name}`} onClose={props.onClose}>
      <form class="dialog-body" onSubmit={(event) => { void submit(event); }}>
        <fieldset>
          <legend>Propagation policy</legend>
          {CASCADES.map(([value, label, help]) => (
            <label key={value}><input type="radio" name="cascade" value={value} checked={cascade === value} onChange={() => { setCascade(value); }} /> <strong>{label}</strong>: {help}</label>
          ))}
        </fieldset>
        <label class="confirm-name">
          <span>Type <code>{props.name}</code> to confirm</span>
          <input name="confirm" autocomplete="off" spellcheck={false} value={typed} onInput={(event) => { setTyped(event.currentTarget.value); }} />
        </label>
        <ActionError error={error} />
        <p class="dialog-actions">
          <button type="submit" class="danger" disabled={!confirmed || busy}>{busy ? 'Deleting…' : 'Delete'}</button>
          <button type="button" onClick={props.onClose}>Cancel</button>
        </p>
      </form>
    </Dialog>
  );
}
