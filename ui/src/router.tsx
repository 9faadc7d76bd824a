/**
 * URL routing with the History API: every view and its state (filters, page, selected resource, tab) lives in the
 * URL, so any screen can be linked to and the back button works. Links are real <a href>s (keyboard, middle-click
 * and "copy link" work); a plain click is handled here instead of reloading the page.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const CHANGE = 'launchpad:navigate';

export interface Place {
  readonly path: string;
  readonly query: URLSearchParams;
}

const current = (): Place => ({ path: window.location.pathname, query: new URLSearchParams(window.location.search) });

/** Goes to `url` (a path with its query); `replace` for changes that should not add a back-button step (typing). */
export function navigate(url: string, replace = false): void {
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

/** The current place; re-renders on every navigation. */
export function usePlace(): Place {
  const [place, setPlace] = useState(current);
  useEffect(() => {
    const update = (): void => { setPlace(current()); };
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return place;
}

/** `path` with the query; empty values are left out so URLs stay short. */
export function withQuery(path: string, query: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, value);
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** The current query with some keys changed (undefined or '' removes a key). */
export function changeQuery(place: Place, changes: Readonly<Record<string, string | undefined>>): string {
  const query = new Map<string, string | undefined>(place.query.entries());
  for (const [key, value] of Object.entries(changes)) query.set(key, value);
  return withQuery(place.path, Object.fromEntries(query));
}

export interface LinkProps {
  readonly href: string;
  readonly children: ComponentChildren;
  readonly class?: string | undefined;
  readonly replace?: boolean | undefined;
  readonly 'aria-label'?: string | undefined;
  readonly 'aria-current'?: 'page' | 'true' | undefined;
}

export function Link(props: LinkProps): JSX.Element {
  const onClick = (event: MouseEvent): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.href, props.replace === true);
  };
  return <a href={props.href} class={props.class} onClick={onClick} aria-label={props['aria-label']} aria-current={props['aria-current']}>{props.children}</a>;
}
