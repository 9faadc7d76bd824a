/**
 * The first view's two requests — who is logged in, and the applications — side by side, instead of the list
 * waiting for the session to come back and the shell to render (that queue was most of the applications view's
 * first paint). index.html preloads both, so they are on their way before app.js has even arrived; the plain
 * fetches below match those preloads (same URL, mode and credentials, no extra headers) and reuse their responses.
 * Each result is handed out once: later reads go to the server again.
 */
import type { SessionInfo } from './api.js';
import { adoptSession, loadSession } from './api.js';

export const LIST_URL = '/api/v1/applications';
const SESSION_URL = '/api/v1/session';

/** Hands out `promise` once; undefined afterwards (so a retry or a reload really asks the server). */
function once<T>(promise: Promise<T> | undefined): () => Promise<T> | undefined {
  let held = promise;
  return () => {
    const taken = held;
    held = undefined;
    return taken;
  };
}

/** On the login page nobody is logged in yet: the list would only be refused. */
const listWanted = !window.location.pathname.startsWith('/login');

/** The response's JSON, or undefined when the server refused (not logged in yet) or could not be reached. */
async function earlyJson(url: string): Promise<unknown> {
  try {
    const response = await fetch(url, { credentials: 'same-origin' });
    return response.ok ? await response.json() as unknown : undefined;
  } catch {
    return undefined;
  }
}

/** The preloaded session; when that failed, the ordinary request, whose error the shell can show. */
async function earlySession(): Promise<SessionInfo> {
  const session = await earlyJson(SESSION_URL) as SessionInfo | undefined;
  return session === undefined ? loadSession() : adoptSession(session);
}

const sessionPromise = earlySession();
// Rejections are handled by whoever takes the promise; this keeps an untaken one from being reported as unhandled.
sessionPromise.catch(() => undefined);

export const takeEarlySession: () => Promise<SessionInfo> | undefined = once(sessionPromise);
export const takeEarlyList: () => Promise<unknown> | undefined = once(listWanted ? earlyJson(LIST_URL) : undefined);
