/**
 * JSON over HTTPS to a forge API, with a timeout, and errors that say what the server answered — never the token.
 */
import { LaunchpadError } from '../../errors.js';
import type { Forge } from './types.js';

const TIMEOUT_MS = 30_000;

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** Path below the API root, starting with `/`. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

function serverMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown; errors?: unknown };
    const parts = [parsed.message, parsed.error, parsed.errors].filter((part) => part !== undefined).map((part) => (typeof part === 'string' ? part : JSON.stringify(part)));
    if (parts.length > 0) return parts.join('; ');
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 300);
}

export async function callApi<T>(forge: Forge, request: ApiRequest): Promise<T> {
  const url = `${forge.apiURL}${request.path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: { accept: 'application/json', 'user-agent': 'launchpad-release', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new LaunchpadError(`${forge.kind} API ${request.method} ${url} failed: ${(error as Error).message}`, { errorClass: 'retryable', fix: 'check --api-url and the network' });
  }
  const text = await response.text();
  if (!response.ok) {
    const message = serverMessage(text).split(forge.token).join('***');
    const fix = response.status === 401 || response.status === 403 ? 'the token may not open pull requests on this repository: give it write access (GitHub: contents and pull-requests; GitLab: api scope)' : 'check --project and --api-url';
    throw new LaunchpadError(`${forge.kind} API ${request.method} ${url} answered ${response.status}: ${message}`, { fix, errorClass: response.status >= 500 ? 'retryable' : 'terminal' });
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
