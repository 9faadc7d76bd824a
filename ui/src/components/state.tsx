/**
 * The loading and error states every view shows while its data is on its way or could not be had, and the hook that
 * tracks a request's state. Errors carry the server's message and its suggested fix, and offer a retry.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiFailure } from '../api.js';

export type Remote<T> = { readonly kind: 'loading' } | { readonly kind: 'error'; readonly error: unknown } | { readonly kind: 'ready'; readonly value: T };

/**
 * Runs `load` when `key` changes, and again on `reload()` (without going back to "loading": the old value stays on
 * screen until the new one replaces it, so live updates do not flicker).
 */
export function useRemote<T>(load: () => Promise<T>, key: string): { readonly remote: Remote<T>; readonly reload: () => void } {
  const [remote, setRemote] = useState<Remote<T>>({ kind: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => { setRemote({ kind: 'loading' }); }, [key]);
  useEffect(() => {
    let cancelled = false;
    load().then((value) => { if (!cancelled) setRemote({ kind: 'ready', value }); }, (error: unknown) => { if (!cancelled) setRemote({ kind: 'error', error }); });
    return () => { cancelled = true; };
    // `load` is a new closure each render; `key` and `round` say when to run it.
  }, [key, round]);
  const reload = useCallback(() => { setRound((value) => value + 1); }, []);
  return { remote, reload };
}

export function Loading(props: { readonly what: string }): JSX.Element {
  return <p class="state loading" role="status" aria-live="polite">Loading {props.what}…</p>;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function ErrorState(props: { readonly what: string; readonly error: unknown; readonly retry?: () => void }): JSX.Element {
  const fix = props.error instanceof ApiFailure ? props.error.fix : undefined;
  return (
    <div class="state error" role="alert">
      <p><strong>Could not load {props.what}:</strong> {messageOf(props.error)}</p>
      {fix === undefined ? null : <p class="fix">{fix}</p>}
      {props.retry === undefined ? null : <button type="button" onClick={props.retry}>Retry</button>}
    </div>
  );
}

/** A failed action's message, where the action was made. */
export function ActionError(props: { readonly error: unknown }): JSX.Element | null {
  if (props.error === undefined) return null;
  const fix = props.error instanceof ApiFailure ? props.error.fix : undefined;
  return <p class="action-error" role="alert">{messageOf(props.error)}{fix === undefined ? '' : ` — ${fix}`}</p>;
}
