/**
 * An operation's progress, as the event stream brings it: its phase and the controller's latest message
 * (`wave 2/5: 7 of 12 resources applied` while a sync runs, read into a progress bar), each resource's result
 * grouped by sync wave as the controller fills them in, and — while it runs — a Terminate button that stops it
 * between waves (POST /terminate).
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { api, appPath } from '../api.js';
import type { AppView, Json } from '../application.js';
import { str, waveOf, waveProgress } from '../application.js';
import { ActionError } from '../components/state.js';
import { PhaseBadge } from '../components/status.js';
import type { Permissions } from '../permissions.js';
import { deniedReason } from '../permissions.js';
import { resourceId } from '../resources.js';

export const resultKey = (resource: Json): string => resourceId({ group: str(resource.group), kind: str(resource.kind), namespace: str(resource.namespace), name: str(resource.name) });

function TerminateButton(props: { readonly view: AppView; readonly permissions: Permissions }): JSX.Element {
  const { view } = props;
  const [error, setError] = useState<unknown>(undefined);
  const [asked, setAsked] = useState(false);
  const allowed = props.permissions.terminate;
  const terminate = async (): Promise<void> => {
    setError(undefined);
    try {
      await api.post(appPath(view.name, '/terminate'));
      setAsked(true);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <span class="terminate">
      <button type="button" class="danger" disabled={!allowed || asked || view.operation?.phase === 'Terminating'} title={allowed ? 'Stop the running operation between waves' : deniedReason('terminate', view.project, view.name)}
        onClick={() => { void terminate(); }}>{asked || view.operation?.phase === 'Terminating' ? 'Terminating…' : 'Terminate'}</button>
      <ActionError error={error} />
    </span>
  );
}

/** The whole operation as a bar: the waves done, plus the running wave's share of its resources applied. */
function WaveBar(props: { readonly message: string }): JSX.Element | null {
  const progress = waveProgress(props.message);
  if (progress === undefined) return null;
  const withinWave = progress.total === undefined || progress.total === 0 ? 0 : (progress.applied ?? 0) / progress.total;
  const label = `wave ${progress.wave} of ${progress.waves}${progress.total === undefined ? '' : `, ${progress.applied ?? 0} of its ${progress.total} resources applied`}`;
  return <progress class="wave-bar" max={progress.waves} value={Math.min(progress.waves, Math.max(0, progress.wave - 1 + withinWave))} aria-label={label} title={label} />;
}

/** The results grouped by wave, lowest first. */
function byWave(view: AppView, results: readonly Json[]): [number, Json[]][] {
  const waves = new Map<number, Json[]>();
  for (const result of results) {
    const wave = waveOf(view.resources, result);
    waves.set(wave, [...(waves.get(wave) ?? []), result]);
  }
  return [...waves.entries()].sort(([a], [b]) => a - b);
}

/** The operation's progress; with `after`, an operation that started then (the one before ours) counts as not started yet. */
export function Progress(props: { readonly view: AppView; readonly permissions: Permissions; readonly after?: string }): JSX.Element {
  const { view } = props;
  const operation = view.operation;
  const ours = props.after === undefined || (operation !== undefined && operation.startedAt !== props.after);
  if (!ours || (view.requested && (operation === undefined || !view.running))) return <p class="progress" role="status">Sync requested: waiting for the controller to start it…</p>;
  if (operation === undefined) return <p class="progress" role="status">No operation yet.</p>;
  return (
    <section class={`progress${view.running ? ' running' : ''}`} aria-label="operation progress" aria-live="polite">
      <p class="operation-line">
        <PhaseBadge phase={operation.phase} />{operation.dryRun ? ' (dry run)' : ''} <span class="operation-message">{operation.message}</span>
        {view.running ? <> <TerminateButton view={view} permissions={props.permissions} /></> : null}
      </p>
      {view.running ? <WaveBar message={operation.message} /> : null}
      {byWave(view, operation.results).map(([wave, results]) => (
        <div key={wave} class="wave-results" data-wave={wave}>
          <h3>Wave {wave}</h3>
          <ul>{results.map((result) => <li key={resultKey(result)} class={`result result-${str(result.status).toLowerCase()}`}><span class="kind">{str(result.kind)}</span> {str(result.name)}: <strong>{str(result.status) || 'Running'}</strong> <span class="result-message">{str(result.message)}</span></li>)}</ul>
        </div>
      ))}
    </section>
  );
}
