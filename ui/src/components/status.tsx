/** Sync and health statuses as small labelled badges: a colour for scanning, the word for reading (and screen readers). */
import type { JSX } from 'preact';

const slug = (status: string): string => status.toLowerCase().replace(/[^a-z]/g, '') || 'unknown';

export function SyncBadge(props: { readonly status: string | undefined }): JSX.Element {
  const status = props.status === undefined || props.status === '' ? 'Unknown' : props.status;
  return <span class={`badge sync-${slug(status)}`} title={`sync: ${status}`}>{status}</span>;
}

export function HealthBadge(props: { readonly status: string | undefined }): JSX.Element {
  const status = props.status === undefined || props.status === '' ? 'Unknown' : props.status;
  return <span class={`badge health-${slug(status)}`} title={`health: ${status}`}>{status}</span>;
}

export function PhaseBadge(props: { readonly phase: string }): JSX.Element | null {
  if (props.phase === '') return null;
  return <span class={`badge phase-${slug(props.phase)}`} title={`last operation: ${props.phase}`}>{props.phase}</span>;
}
