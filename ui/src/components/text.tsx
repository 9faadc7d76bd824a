/**
 * Manifests and diffs as text, never as HTML: every line goes into the page as a text node, so nothing in a
 * manifest (an annotation holding markup, say) can become part of the page.
 */
import type { JSX } from 'preact';
import { stringify } from 'yaml';

export function Manifest(props: { readonly object: unknown; readonly label: string }): JSX.Element {
  return <pre class="manifest" aria-label={props.label} tabIndex={0}>{stringify(props.object, { lineWidth: 0 })}</pre>;
}

const lineClass = (line: string): string => {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@')) return 'diff-meta';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return 'diff-ctx';
};

export function UnifiedDiff(props: { readonly diff: string; readonly label: string }): JSX.Element {
  const lines = props.diff.replace(/\n$/, '').split('\n');
  return (
    <pre class="diff" aria-label={props.label} tabIndex={0}>
      {lines.map((line, index) => <span key={index} class={lineClass(line)}>{line}{'\n'}</span>)}
    </pre>
  );
}
