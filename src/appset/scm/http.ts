/**
 * The one HTTP seam of the pull request and SCM provider generators: JSON GETs with a token header, a bounded
 * wait, and errors that name the URL (never the token) and the HTTP status. A 404 is its own error class, so the
 * pull request generator can honour `continueOnRepoNotFoundError`.
 */
import { LaunchpadError } from '../../errors.js';
import { describeError } from '../../errors.js';

/** How long one API call may take before the generator fails (and deletes nothing). */
const TIMEOUT_MS = 30_000;

export class ScmNotFoundError extends LaunchpadError {}

export interface ScmResponse {
  readonly body: unknown;
  readonly headers: Headers;
}

/** GETs `url`; `headers` carry the credentials and are never part of a message. */
export async function getJson(url: URL, headers: Readonly<Record<string, string>>): Promise<ScmResponse> {
  const shown = `${url.origin}${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json', ...headers }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new LaunchpadError(`GET ${shown} failed: ${describeError(error)}`, { errorClass: 'retryable', fix: 'check the generator\'s api URL and that the service is reachable from the controller' });
  }
  const text = await response.text();
  if (response.status === 404) throw new ScmNotFoundError(`GET ${shown}: 404 Not Found`, { fix: 'check the owner/organization/repository names and that the token can see them' });
  if (!response.ok) {
    const auth = response.status === 401 || response.status === 403 ? ' — check the token Secret (tokenRef) and its scopes' : '';
    throw new LaunchpadError(`GET ${shown}: HTTP ${response.status}${auth}`, { errorClass: response.status >= 500 || response.status === 429 ? 'retryable' : 'terminal' });
  }
  try {
    return { body: JSON.parse(text) as unknown, headers: response.headers };
  } catch {
    throw new LaunchpadError(`GET ${shown}: the answer is not JSON`, { fix: 'check that api points at the service\'s API' });
  }
}

/** The `rel="next"` URL of a GitHub-style Link header. */
export function nextLink(headers: Headers): URL | undefined {
  const link = headers.get('link');
  if (link === null) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match?.[1] !== undefined) return new URL(match[1]);
  }
  return undefined;
}

/** A base URL with a path appended (keeping any path the base already has). */
export function apiURL(base: string, path: string, query: Readonly<Record<string, string>> = {}): URL {
  const url = new URL(base.endsWith('/') ? base : `${base}/`);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url;
}

/** Bounds pagination: a misbehaving API that always says "next" cannot keep a generator busy for ever. */
export const MAX_PAGES = 1_000;
