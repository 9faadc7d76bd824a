/**
 * The logic behind the controller's `POST /api/webhook`: which provider sent the request, is it authentic, and
 * which repository and ref were pushed — then, per Application source, whether that push concerns it. Compatible
 * with the webhooks Argo CD accepts (GitHub, GitLab, Gitea/Gogs) and with the keys of `argocd-secret` that hold
 * their secrets. Pure: no I/O, no clock, and no input makes it throw.
 *
 * Order of checks: body size (413), provider (400), authenticity (401), event type (ignored), payload (400).
 * Authenticity comes before anything else is read from the request, so an unauthenticated caller learns nothing.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import semver from 'semver';
import { equivalentURLs } from '../preview/remote-urls.js';
import { normaliseRepoURL } from '../source/url.js';
import { isRecord, parsePayload, readPushPayload, stringField, type WebhookProvider } from './webhook-payload.js';

export type { WebhookProvider } from './webhook-payload.js';

/** The shared secrets, per provider; an empty string counts as not configured. */
export interface WebhookSecrets {
  /** `webhook.github.secret` of `argocd-secret`. */
  readonly github?: string;
  /** `webhook.gitlab.secret` of `argocd-secret`. */
  readonly gitlab?: string;
  /** `webhook.gitea.secret`, or Argo CD's `webhook.gogs.secret`, of `argocd-secret`; used for Gitea and Gogs. */
  readonly gitea?: string;
}

export interface WebhookRequest {
  /** Header names in any case (Node gives them lower-cased); of a repeated header the first value counts. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body, exactly as received: signatures are computed over these bytes. */
  readonly body: Buffer;
}

export interface WebhookPush {
  readonly kind: 'push';
  readonly provider: WebhookProvider;
  /** Every URL the payload gives for the repository (https, ssh, git://, web), as sent. Never empty. */
  readonly repoURLs: readonly string[];
  /** The pushed branch (`refs/heads/<branch>`), or undefined for a tag or another ref. */
  readonly branch: string | undefined;
  /** The pushed tag (`refs/tags/<tag>`), or undefined. */
  readonly tag: string | undefined;
  /** The commit the ref now points at (lower-case hex), or undefined when the ref was deleted. */
  readonly commit: string | undefined;
  /** The repository's default branch, when the payload says. */
  readonly defaultBranch: string | undefined;
  /** Paths the pushed commits changed, when the payload lists them (it may be capped: ordering only). */
  readonly changedFiles?: readonly string[];
}

/** Answer 200/202 and refresh nothing (a ping, an event that is not a push). */
export interface WebhookIgnored {
  readonly kind: 'ignored';
  readonly provider: WebhookProvider;
  readonly reason: string;
}

/** Answer with `status`; `reason` is safe to return and log (it never holds a secret or a received signature). */
export interface WebhookRejected {
  readonly kind: 'rejected';
  readonly status: 400 | 401 | 403 | 413;
  readonly reason: string;
}

export type WebhookResult = WebhookPush | WebhookIgnored | WebhookRejected;

export interface WebhookOptions {
  /** Accept requests unverified from a provider that has no secret configured (otherwise they are rejected 401). */
  readonly insecure: boolean;
}

export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

interface ProviderInfo {
  readonly label: string;
  /** The `argocd-secret` key(s) the operator sets. */
  readonly secretKey: string;
  /** Where the signature (GitHub, Gitea) or token (GitLab) arrives. */
  readonly signatureHeader: string;
}

const PROVIDERS: Readonly<Record<WebhookProvider, ProviderInfo>> = {
  github: { label: 'GitHub', secretKey: 'webhook.github.secret', signatureHeader: 'X-Hub-Signature-256' },
  gitea: { label: 'Gitea/Gogs', secretKey: 'webhook.gitea.secret (or webhook.gogs.secret)', signatureHeader: 'X-Gitea-Signature' },
  gitlab: { label: 'GitLab', secretKey: 'webhook.gitlab.secret', signatureHeader: 'X-Gitlab-Token' },
};

interface Detected {
  readonly provider: WebhookProvider;
  readonly event: string;
  readonly signature: string | undefined;
}

type Headers = ReadonlyMap<string, string>;
type EventClass = 'push' | 'ping' | 'system' | 'other';

/** What the request is: a push to refresh for, something to ignore, or a rejection with its HTTP status. */
export function handleWebhook(request: WebhookRequest, secrets: WebhookSecrets, options: WebhookOptions): WebhookResult {
  try {
    return handle(request, secrets, options);
  } catch {
    // Unreachable for well-typed input; a hostile caller-supplied object (a throwing getter) still gets an answer.
    return reject(400, 'the webhook request could not be read');
  }
}

function handle(request: WebhookRequest, secrets: WebhookSecrets, options: WebhookOptions): WebhookResult {
  const body: unknown = request.body;
  if (!Buffer.isBuffer(body)) return reject(400, 'the webhook request has no body');
  if (body.length > MAX_WEBHOOK_BODY_BYTES) return reject(413, `the webhook body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`);
  const headers = readHeaders(request.headers);
  const detected = detectProvider(headers);
  if (detected === undefined) {
    return reject(400, 'not a GitHub, GitLab, Gitea or Gogs webhook: none of X-GitHub-Event, X-Gitlab-Event, X-Gitea-Event, X-Gogs-Event is set');
  }
  const failure = verify(detected, body, secrets, options);
  if (failure !== undefined) return failure;
  return interpret(detected, body, headers.get('content-type'));
}

function reject(status: WebhookRejected['status'], reason: string): WebhookRejected {
  return { kind: 'rejected', status, reason };
}

function ignore(provider: WebhookProvider, reason: string): WebhookIgnored {
  return { kind: 'ignored', provider, reason };
}

/** Lower-cased names; the first string of a repeated header; anything that is not a string is dropped. */
function readHeaders(raw: WebhookRequest['headers']): Headers {
  const headers = new Map<string, string>();
  if (!isRecord(raw)) return headers;
  for (const [name, value] of Object.entries(raw)) {
    const first: unknown = Array.isArray(value) ? value.find((item) => typeof item === 'string') : value;
    const key = name.toLowerCase();
    if (typeof first === 'string' && !headers.has(key)) headers.set(key, first);
  }
  return headers;
}

/**
 * The provider, by its event header. Gitea sends `X-GitHub-Event` (and `X-Gogs-Event`) beside `X-Gitea-Event`, so
 * Gitea/Gogs headers win; then GitHub; then GitLab. Gogs is handled as Gitea (same payload, same signature).
 */
function detectProvider(headers: Headers): Detected | undefined {
  const gitea = headers.get('x-gitea-event') ?? headers.get('x-gogs-event');
  if (gitea !== undefined) {
    return { provider: 'gitea', event: gitea, signature: headers.get('x-gitea-signature') ?? headers.get('x-gogs-signature') };
  }
  const github = headers.get('x-github-event');
  if (github !== undefined) return { provider: 'github', event: github, signature: headers.get('x-hub-signature-256') };
  const gitlab = headers.get('x-gitlab-event');
  if (gitlab !== undefined) return { provider: 'gitlab', event: gitlab, signature: headers.get('x-gitlab-token') };
  return undefined;
}

/**
 * Undefined when the request may be processed. With a secret configured: GitHub's `X-Hub-Signature-256` must be
 * `sha256=` + the hex HMAC-SHA256 of the raw body, Gitea's `X-Gitea-Signature` (Gogs: `X-Gogs-Signature`) the bare
 * hex HMAC-SHA256, GitLab's `X-Gitlab-Token` the secret itself; all compared in constant time. Without one, only
 * `insecure` lets the request through.
 */
function verify(detected: Detected, body: Buffer, secrets: WebhookSecrets, options: WebhookOptions): WebhookRejected | undefined {
  const info = PROVIDERS[detected.provider];
  const secret: unknown = secrets[detected.provider];
  if (typeof secret !== 'string' || secret === '') {
    if (options.insecure) return undefined;
    return reject(
      401,
      `no ${info.label} webhook secret is configured, so the request cannot be verified — set ${info.secretKey} in the argocd-secret Secret ` +
        `(and the same secret on the ${info.label} webhook), or explicitly allow unverified webhooks`,
    );
  }
  if (detected.signature === undefined) return reject(401, `the ${info.label} webhook has no ${info.signatureHeader} header, but a secret is configured`);
  const authentic = detected.provider === 'gitlab' ? sameToken(detected.signature, secret) : sameHmac(detected, body, secret);
  return authentic ? undefined : reject(401, `the ${info.signatureHeader} header does not match the configured ${info.label} webhook secret`);
}

const GITHUB_SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
/** Gitea sends the bare hex; a `sha256=` prefix (GitHub style) is accepted too. */
const GITEA_SIGNATURE = /^(?:sha256=)?([0-9a-f]{64})$/i;

function sameHmac(detected: Detected, body: Buffer, secret: string): boolean {
  const pattern = detected.provider === 'github' ? GITHUB_SIGNATURE : GITEA_SIGNATURE;
  const hex = pattern.exec((detected.signature ?? '').trim())?.[1];
  if (hex === undefined) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}

/** Equal tokens, in time independent of where they differ and of their lengths (both are hashed first). */
function sameToken(received: string, secret: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(secret));
}

/**
 * Which events refresh: GitHub `push` (`ping` is acknowledged); Gitea/Gogs `push`; GitLab `Push Hook`,
 * `Tag Push Hook`, and `System Hook` whose `object_kind` is `push` or `tag_push`. Names compare case-insensitively.
 */
function classifyEvent(provider: WebhookProvider, event: string): EventClass {
  const name = event.trim().toLowerCase();
  if (provider === 'gitlab') {
    if (name === 'push hook' || name === 'tag push hook') return 'push';
    return name === 'system hook' ? 'system' : 'other';
  }
  if (name === 'push') return 'push';
  return provider === 'github' && name === 'ping' ? 'ping' : 'other';
}

/** The event name as it may appear in a reason: printable, short. */
function printable(event: string): string {
  const cleaned = event.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(cleaned.length > 64 ? `${cleaned.slice(0, 64)}…` : cleaned);
}

function interpret(detected: Detected, body: Buffer, contentType: string | undefined): WebhookResult {
  const { provider } = detected;
  const label = PROVIDERS[provider].label;
  const eventClass = classifyEvent(provider, detected.event);
  if (eventClass === 'ping') return ignore(provider, `${label} ping: the webhook is set up; nothing to refresh`);
  if (eventClass === 'other') return ignore(provider, `${label} event ${printable(detected.event)} is not a push; nothing to refresh`);
  const payload = parsePayload(body, contentType);
  if (payload === undefined) return reject(400, `the ${label} webhook body is not JSON`);
  if (!isRecord(payload)) return reject(400, `the ${label} webhook body is not a JSON object`);
  if (eventClass === 'system') {
    const objectKind = stringField(payload, 'object_kind') ?? stringField(payload, 'event_name');
    if (objectKind !== 'push' && objectKind !== 'tag_push') {
      return ignore(provider, `GitLab system hook ${printable(objectKind ?? '(no object_kind)')} is not a push; nothing to refresh`);
    }
  }
  const facts = readPushPayload(provider, payload);
  if (facts.repoURLs.length === 0) return reject(400, `the ${label} push payload names no repository URL`);
  return { kind: 'push', provider, ...facts };
}

/** A commit SHA, full or abbreviated to at least 7 hex digits (as Argo CD and git accept in targetRevision). */
const SHA = /^[0-9a-f]{7,64}$/i;

/**
 * Whether a push concerns an Application source: the same repository and a revision the push may have moved.
 *
 * Repository: some URL of the push and the source's repoURL are the same after normaliseRepoURL (case, a trailing
 * `/` or `.git`, credentials do not matter) once each is widened to its https, scp-like ssh and ssh:// forms
 * (equivalentURLs): `git@github.com:org/repo.git` matches `https://github.com/org/repo`.
 *
 * Revision (targetRevision trimmed; git ref names are case-sensitive), first rule that applies:
 * 1. empty or `HEAD`: a branch was pushed and it is the default branch — or the payload does not say which the
 *    default branch is (refreshing too often is cheap, missing a push is not). A tag push does not move HEAD.
 * 2. `refs/heads/<b>`: branch `<b>` was pushed. `refs/tags/<t>`: tag `<t>` was pushed. Other `refs/…`: no.
 * 3. equal to the pushed branch or tag name.
 * 4. a commit SHA (7–64 hex): a commit never moves, so only when the pushed commit is (starts with) it.
 * 5. a semver range (`^1.2`, `>=1.0, <2`, `1.x`, an exact `1.2.3`): resolved against tags only, so a branch push
 *    cannot change it (no); a tag push whose tag is a version (`v1.2.3`) matches when the version satisfies the
 *    range, as in Argo CD; a tag that is not a version (e.g. with a tag prefix) or an unknown ref cannot be
 *    decided here, so yes.
 * 6. anything else (another branch or tag name): no.
 */
export function pushMatchesSource(push: WebhookPush, source: { readonly repoURL: string; readonly targetRevision?: string }): boolean {
  try {
    if (typeof source.repoURL !== 'string' || !sameRepository(push.repoURLs, source.repoURL)) return false;
    const revision: unknown = source.targetRevision;
    return revisionMatches(push, typeof revision === 'string' ? revision.trim() : '');
  } catch {
    return false;
  }
}

/** Whether `repoURL` names the pushed repository (in any of its URL forms). */
export function isPushedRepository(push: WebhookPush, repoURL: string): boolean {
  return sameRepository(push.repoURLs, repoURL);
}

function widened(url: string): string[] {
  return equivalentURLs(url).map(normaliseRepoURL);
}

function sameRepository(pushed: readonly string[], repoURL: string): boolean {
  const wanted = new Set(widened(repoURL));
  return pushed.some((url) => typeof url === 'string' && widened(url).some((form) => wanted.has(form)));
}

function revisionMatches(push: WebhookPush, target: string): boolean {
  if (target === '' || target === 'HEAD') return push.branch !== undefined && (push.defaultBranch === undefined || push.branch === push.defaultBranch);
  if (target.startsWith('refs/heads/')) return push.branch === target.slice('refs/heads/'.length);
  if (target.startsWith('refs/tags/')) return push.tag === target.slice('refs/tags/'.length);
  if (target.startsWith('refs/')) return false;
  if (target === push.branch || target === push.tag) return true;
  if (SHA.test(target)) return push.commit !== undefined && push.commit.toLowerCase().startsWith(target.toLowerCase());
  const range = semver.validRange(target.replace(/\s*,\s*/g, ' '), { loose: true });
  if (range === null) return false;
  if (push.tag === undefined) return push.branch === undefined;
  const version = semver.valid(push.tag, { loose: true });
  return version === null || semver.satisfies(version, range, { loose: true });
}
