/**
 * The URLs under which Applications may name a repository we know by one git remote URL. A CI checkout clones over
 * https while Applications often say `git@host:org/repo.git` (or the reverse); for the config repository both
 * forms mean the checkout being reviewed. Pure.
 */
import { isLocalRepoURL } from '../source/url.js';

const SCP_LIKE = /^([^/@:\s]+)@([^/:\s]+):(?!\/\/)(.+)$/;
const WITH_SCHEME = /^(?:https?|ssh|git):\/\/(?:[^/@]*@)?([^/:]+)(?::\d+)?\/(.+)$/i;

/** `host` and `org/repo` of a remote URL, or undefined for a local path or an unknown form. */
function hostAndPath(url: string): { readonly host: string; readonly path: string } | undefined {
  const text = url.trim();
  if (isLocalRepoURL(text)) return undefined;
  const scheme = WITH_SCHEME.exec(text);
  const scp = scheme === null && !text.includes('://') ? SCP_LIKE.exec(text) : null;
  const host = scheme?.[1] ?? scp?.[2];
  const path = (scheme?.[2] ?? scp?.[3])?.replace(/\/+$/, '').replace(/\.git$/, '');
  return host === undefined || path === undefined || path === '' ? undefined : { host, path };
}

/** The remote URL itself plus its https, scp-like ssh and ssh:// forms (credentials dropped). */
export function equivalentURLs(url: string): string[] {
  const parts = hostAndPath(url);
  if (parts === undefined) return [url];
  const { host, path } = parts;
  return [...new Set([url, `https://${host}/${path}`, `git@${host}:${path}`, `ssh://git@${host}/${path}`])];
}
