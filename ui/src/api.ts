/**
 * The one way the UI talks to the server: JSON over fetch with the session cookie, the CSRF token (from
 * GET /api/v1/session) sent back on every state-changing request, and the server's `{error, fix}` turned into an
 * ApiFailure whose message a view can show as it is.
 */
export class ApiFailure extends Error {
  constructor(readonly status: number, message: string, readonly fix?: string) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface SessionUser {
  readonly name: string;
  readonly sub: string;
  readonly groups: readonly string[];
  readonly via: 'local' | 'oidc' | 'token';
  readonly roles?: readonly string[];
}

export interface SessionInfo {
  readonly user: SessionUser | null;
  readonly csrfToken: string;
  readonly oidc: { readonly name: string; readonly loginUrl: string } | null;
}

let csrfToken: string | undefined;
/** Called on a 401 from any request but the session probe: the view sends the user to the login page. */
let onUnauthorized: () => void = () => undefined;

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; fix?: unknown };
    const message = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : `${response.status} ${response.statusText}`;
    return new ApiFailure(response.status, message, typeof body.fix === 'string' ? body.fix : undefined);
  } catch {
    return new ApiFailure(response.status, `${response.status} ${response.statusText}${text === '' ? '' : `: ${text.slice(0, 200)}`}`);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    throw new ApiFailure(0, `the server cannot be reached (${error instanceof Error ? error.message : String(error)})`, 'check that launchpad controller is running');
  }
  if (!response.ok) {
    const failure = await failureOf(response);
    if (response.status === 401 && path !== '/api/v1/session') onUnauthorized();
    throw failure;
  }
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export const api = {
  get: <T>(path: string): Promise<T> => call<T>('GET', path),
  post: <T>(path: string, body: unknown = {}): Promise<T> => call<T>('POST', path, body),
  delete: <T>(path: string): Promise<T> => call<T>('DELETE', path),
};

/** Takes the CSRF token every later state-changing request sends from a session response. */
export function adoptSession(session: SessionInfo): SessionInfo {
  csrfToken = session.csrfToken;
  return session;
}

/** Who is logged in; also refreshes the CSRF token every later request sends. */
export async function loadSession(): Promise<SessionInfo> {
  return adoptSession(await api.get<SessionInfo>('/api/v1/session'));
}

export async function login(username: string, password: string): Promise<SessionUser> {
  if (csrfToken === undefined) await loadSession();
  return api.post<SessionUser>('/api/v1/session', { username, password });
}

export async function logout(): Promise<void> {
  await api.delete('/api/v1/session');
}

/** `/api/v1/applications/<name>` plus `suffix`, the name escaped. */
export const appPath = (name: string, suffix = ''): string => `/api/v1/applications/${encodeURIComponent(name)}${suffix}`;
