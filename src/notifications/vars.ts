/**
 * What conditions and templates see, as Argo CD's notifications build it: `app` (the Application as stored),
 * `context` (argocd-notifications-cm `context`, with `notificationType` set to the service), and the helper
 * namespaces `time`, `strings`, `repo` and `sync`. Unlike Argo CD, `secrets` is not offered: a Secret value in a
 * message is exactly what this add-on must never send.
 */
import { GoDuration, GoTime, parseTime } from './expr/time.js';

/** Go's time package constants Argo CD exposes, in nanoseconds. */
const DURATIONS: Readonly<Record<string, number>> = { Nanosecond: 1, Microsecond: 1e3, Millisecond: 1e6, Second: 1e9, Minute: 6e10, Hour: 3.6e12 };

const TIME_HELPERS: Readonly<Record<string, unknown>> = {
  Now: () => new GoTime(Date.now()),
  Parse: (value: unknown) => parseTime(value),
  RFC3339: '2006-01-02T15:04:05Z07:00',
  ...Object.fromEntries(Object.entries(DURATIONS).map(([name, ns]) => [name, new GoDuration(ns)])),
};

function text(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  throw new Error(`${name} needs a string`);
}

const STRINGS_HELPERS: Readonly<Record<string, unknown>> = {
  ReplaceAll: (value: unknown, from: unknown, to: unknown) => text(value, 'strings.ReplaceAll').split(text(from, 'strings.ReplaceAll')).join(text(to, 'strings.ReplaceAll')),
  ToUpper: (value: unknown) => text(value, 'strings.ToUpper').toUpperCase(),
  ToLower: (value: unknown) => text(value, 'strings.ToLower').toLowerCase(),
};

/** host and path of a git URL in any of its spellings (https, ssh://, scp-like git@host:org/repo). */
export function parseGitUrl(url: string): { readonly host: string; readonly path: string } {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.*)$/.exec(url);
  if (scp !== null && !url.includes('://')) return { host: scp[1] ?? '', path: `/${(scp[2] ?? '').replace(/^\/+/, '')}` };
  try {
    const parsed = new URL(url);
    return { host: parsed.host, path: parsed.pathname };
  } catch {
    throw new Error(`${JSON.stringify(url)} is not a git URL`);
  }
}

/** `org/repo` of a repository URL (`.git` dropped), as Argo CD's repo.FullNameByRepoURL. */
export function fullNameByRepoURL(url: string): string {
  const path = parseGitUrl(url).path.replace(/\.git$/, '');
  const parts = path.split('/').filter((part) => part !== '');
  return parts.length >= 2 ? parts.slice(0, 2).join('/') : path;
}

export function repoURLToHTTPS(url: string): string {
  const { host, path } = parseGitUrl(url);
  return `https://${host}${path}`;
}

const REPO_HELPERS: Readonly<Record<string, unknown>> = {
  RepoURLToHTTPS: (url: unknown) => repoURLToHTTPS(text(url, 'repo.RepoURLToHTTPS')),
  FullNameByRepoURL: (url: unknown) => fullNameByRepoURL(text(url, 'repo.FullNameByRepoURL')),
  QueryEscape: (value: unknown) => encodeURIComponent(text(value, 'repo.QueryEscape')).replace(/%20/g, '+'),
};

/** sync.GetInfoItem(app, name): the value of operationState.operation.info entry `name`. */
function getInfoItem(app: unknown, name: unknown): string {
  const info = ((app as { status?: { operationState?: { operation?: { info?: unknown } } } } | undefined)?.status?.operationState?.operation?.info);
  if (!Array.isArray(info)) return '';
  const item = (info as { name?: unknown; value?: unknown }[]).find((entry) => entry.name === name);
  return typeof item?.value === 'string' ? item.value : '';
}

/** Names Argo CD offers that need its repo server or API (commit metadata, app details): refused at start. */
export const UNSUPPORTED_HELPERS: readonly string[] = ['repo.GetCommitMetadata', 'repo.GetAppDetails'];

export interface VarsInput {
  readonly app: unknown;
  readonly context: Readonly<Record<string, string>>;
  /** The service the message is for (`slack`, `webhook`…); `context.notificationType` in templates. */
  readonly serviceType?: string;
}

export function notificationVars(input: VarsInput): Readonly<Record<string, unknown>> {
  return {
    app: input.app,
    context: input.serviceType === undefined ? input.context : { ...input.context, notificationType: input.serviceType },
    time: TIME_HELPERS,
    strings: STRINGS_HELPERS,
    repo: REPO_HELPERS,
    sync: { GetInfoItem: getInfoItem },
  };
}
