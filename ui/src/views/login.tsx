/** The login page: a local account's name and password, and the OIDC provider's button when one is configured. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { login } from '../api.js';
import type { SessionInfo, SessionUser } from '../api.js';
import { ActionError } from '../components/state.js';

/** Only paths of this site: a login link never sends the user elsewhere. */
export const safeReturn = (value: string | null): string => (value !== null && /^\/(?![/\\])/.test(value) && !value.startsWith('/login') ? value : '/applications');

export function LoginView(props: { readonly session: SessionInfo; readonly returnTo: string; readonly onLogin: (user: SessionUser) => void }): JSX.Element {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onLogin(await login(username, password));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  const oidc = props.session.oidc;
  return (
    <main class="login" aria-labelledby="login-title">
      <h1 id="login-title">Log in to Launchpad</h1>
      <form onSubmit={(event) => { void submit(event); }}>
        <label>Username <input name="username" autocomplete="username" required value={username} onInput={(event) => { setUsername(event.currentTarget.value); }} /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required value={password} onInput={(event) => { setPassword(event.currentTarget.value); }} /></label>
        <ActionError error={error} />
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button>
      </form>
      {oidc === null ? null : (
        <p class="oidc">
          <a class="button" href={`${oidc.loginUrl}?return_url=${encodeURIComponent(props.returnTo)}`}>Log in with {oidc.name}</a>
        </p>
      )}
      <p class="hint">The first password of <code>admin</code> is shown by <code>launchpad admin password</code>.</p>
    </main>
  );
}
