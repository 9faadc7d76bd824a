/**
 * The shell: reads the session, sends anyone not logged in to /login (remembering where they were going), starts
 * the live application set once logged in, and picks the view for the URL:
 *   /login · /applications (filters in the query) · /applications/<name> (tab, resource, rtab in the query)
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadSession, logout, setUnauthorizedHandler } from './api.js';
import type { SessionInfo, SessionUser } from './api.js';
import { ErrorState, Loading, useRemote } from './components/state.js';
import { takeEarlySession } from './early.js';
import { live } from './live.js';
import { Link, navigate, usePlace, withQuery } from './router.js';
import { ApplicationView } from './views/application.js';
import { ApplicationsView } from './views/applications.js';
import { LoginView, safeReturn } from './views/login.js';

function TopBar(props: { readonly user: SessionUser; readonly onLogout: () => void }): JSX.Element {
  return (
    <header class="topbar">
      <Link href="/applications" class="brand">Launchpad</Link>
      <span class="user">{props.user.name}{props.user.roles === undefined || props.user.roles.length === 0 ? '' : ` (${props.user.roles.filter((role) => role.startsWith('role:')).join(', ')})`}</span>
      <button type="button" onClick={props.onLogout}>Log out</button>
    </header>
  );
}

function Routes(props: { readonly user: SessionUser; readonly onLogout: () => void }): JSX.Element {
  const place = usePlace();
  const match = /^\/applications\/([^/]+)\/?$/.exec(place.path);
  let view: JSX.Element;
  if (match?.[1] !== undefined) view = <ApplicationView key={match[1]} place={place} name={decodeURIComponent(match[1])} />;
  else if (place.path === '/applications' || place.path === '/applications/') view = <ApplicationsView place={place} />;
  else view = <main><h1>Not found</h1><p>Nothing is at {place.path}. <Link href="/applications">See the applications</Link>.</p></main>;
  return <><TopBar user={props.user} onLogout={props.onLogout} />{view}</>;
}

export function App(): JSX.Element {
  // The session was requested with the list when app.js loaded (early.ts); a retry or a logout asks again.
  const { remote, reload } = useRemote(() => takeEarlySession() ?? loadSession(), 'session');
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const place = usePlace();
  const session: SessionInfo | undefined = remote.kind === 'ready' ? remote.value : undefined;
  const current = user === undefined ? session?.user ?? null : user;

  useEffect(() => {
    setUnauthorizedHandler(() => {
      live.stop();
      setUser(null);
    });
  }, []);
  useEffect(() => {
    if (session === undefined) return;
    if (current === null && place.path !== '/login') navigate(withQuery('/login', { return: `${place.path}${place.query.toString() === '' ? '' : `?${place.query.toString()}`}` }), true);
    if (current !== null && (place.path === '/login' || place.path === '/')) navigate(safeReturn(place.query.get('return')), true);
    if (current !== null) live.start();
  }, [session, current, place.path]);

  if (remote.kind === 'loading') return <Loading what="Launchpad" />;
  if (remote.kind === 'error') return <ErrorState what="the session" error={remote.error} retry={reload} />;
  if (current === null) return <LoginView session={remote.value} returnTo={safeReturn(place.query.get('return'))} onLogin={(logged) => { setUser(logged); }} />;
  const onLogout = (): void => {
    void logout().finally(() => {
      live.stop();
      setUser(null);
      reload();
    });
  };
  return <Routes user={current} onLogout={onLogout} />;
}
