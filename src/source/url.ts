/**
 * Repository URL handling shared by git, Helm and substitution: the normalised form used to match and to key the
 * cache, the readable cache slug, credential redaction, and "is this local" (local sources are not network).
 */
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `git@host:org/repo` (scp-like ssh): a user, a host, a colon, and no `//` before it. */
const SCP_LIKE = /^([^/@:\s]+)@([^/:\s]+):(?!\/\/)(.*)$/;
/** `scheme://userinfo@` where userinfo may hold a password or a token. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/gi;

/**
 * The form under which two repo URLs are "the same repository", following Argo CD's NormalizeGitURL: trimmed,
 * lower-cased, `git@host:org/repo` written as `git@host/org/repo` (≡ `ssh://git@host/org/repo`), a trailing `/`
 * and `.git` dropped. Unlike Argo CD, credentials in http(s) URLs are dropped too (a token is not part of a
 * repository's identity). https and ssh forms of one repository stay different, as they do in Argo CD.
 */
export function normaliseRepoURL(url: string): string {
  // Local paths keep their case (file systems are case-sensitive) and their `.git` (it is part of the folder name).
  if (isLocalRepoURL(url)) return `file://${localRepoPath(url).replace(/\/+$/, '')}`;
  let text = url.trim().toLowerCase();
  const scp = SCP_LIKE.exec(text);
  if (scp !== null && !text.includes('://')) text = `${scp[1] ?? ''}@${scp[2] ?? ''}/${scp[3] ?? ''}`;
  text = text.replace(/^ssh:\/\//, '');
  text = text.replace(/^(https?:\/\/)[^/@]*@/, '$1');
  text = text.replace(/\/+$/, '');
  if (text.endsWith('.git')) text = text.slice(0, -'.git'.length);
  return text.replace(/\/+$/, '');
}

/** Two repo URLs name the same repository (see normaliseRepoURL). */
export function sameRepoURL(left: string, right: string): boolean {
  return normaliseRepoURL(left) === normaliseRepoURL(right);
}

/**
 * A URL (or any text holding URLs) safe to print: the userinfo of every `scheme://user:secret@` becomes `***`,
 * except a plain ssh user such as `ssh://git@`, which is not a secret.
 */
export function redactURL(text: string): string {
  return text.replace(URL_USERINFO, (match, scheme: string, userinfo: string) => {
    if (scheme.toLowerCase() === 'ssh://' && !userinfo.includes(':')) return match;
    return `${scheme}***@`;
  });
}

/** The secrets in a URL's userinfo, for runProcess's `redact` list (tools may echo them in other shapes). */
export function urlSecrets(url: string): string[] {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/i.exec(url.trim());
  const userinfo = match?.[1];
  if (userinfo === undefined) return [];
  const [user = '', password = ''] = userinfo.split(':', 2);
  if (password !== '') return [userinfo, password, safeDecode(password)];
  // A lone token in the user position (https://TOKEN@host) is a secret; a lone ssh user is not.
  return /^ssh:/i.test(url.trim()) ? [] : [user];
}

/** The http(s) URL without its userinfo, plus the username and password it held (for tools taking them apart). */
export function splitCredentials(url: string): { readonly url: string; readonly username?: string; readonly password?: string } {
  const match = /^(https?:\/\/)([^/@\s]*)@(.*)$/i.exec(url.trim());
  if (match === null) return { url };
  const [user = '', password = ''] = (match[2] ?? '').split(':', 2);
  return { url: `${match[1] ?? ''}${match[3] ?? ''}`, username: safeDecode(user), password: safeDecode(password) };
}

/** A local repository: `file://…`, an absolute path, or a relative path (`./x`, `../x`). Not network. */
export function isLocalRepoURL(url: string): boolean {
  const text = url.trim();
  if (/^file:\/\//i.test(text)) return true;
  if (isAbsolute(text)) return true;
  return text.startsWith('./') || text.startsWith('../') || text === '.' || text === '..';
}

/** The directory a local repo URL points at (absolute). */
export function localRepoPath(url: string, baseDir: string = process.cwd()): string {
  const text = url.trim();
  if (/^file:\/\//i.test(text)) return fileURLToPath(text);
  return resolve(baseDir, text);
}

/** True for `oci://` Helm registries. */
export function isOciURL(url: string): boolean {
  return /^oci:\/\//i.test(url.trim());
}

/**
 * A cache directory name for a repository: a readable slug of its host and path plus 10 hex of the SHA-256 of
 * its normalised URL, so `https://x/Org/Repo.git` and `https://x/org/repo` share one entry and two repos whose
 * slugs collide after truncation do not.
 */
export function cacheSlug(url: string): string {
  const normalised = normaliseRepoURL(url);
  const readable = normalised
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^[^/@]*@/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(-60)
    .replace(/^[-.]+/, '');
  const hash = createHash('sha256').update(normalised).digest('hex').slice(0, 10);
  return `${readable === '' ? 'repo' : readable}-${hash}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
