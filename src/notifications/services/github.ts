/**
 * GitHub: a commit status and/or a deployment (with a deployment status) on the synced revision, so a pull request
 * or a CI pipeline sees "deployed to upc-prod". Authenticates as a GitHub App like Argo CD (`appID`,
 * `installationID`, `privateKey`: a JWT signed RS256 is exchanged for an installation token, kept until shortly
 * before it expires); `enterpriseBaseURL` points at GitHub Enterprise (or a stand-in). The message (truncated to
 * GitHub's 140 characters) is the description.
 */
import { createPrivateKey, createSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { NotificationsConfigError } from '../config.js';
import type { RenderedTemplate } from '../templates.js';
import type { ServiceConfig } from '../types.js';
import { fullNameByRepoURL } from '../vars.js';
import { DeliveryError, rejected, sendHttp } from './http.js';
import type { SendOptions } from './http.js';
import type { NotificationService, ServiceDeps } from './types.js';
import { serviceLabel, stringOption } from './types.js';

/** Defaults of the template's repository and revision, as Argo CD's GitHub service uses. */
export const DEFAULT_REPO_URL_PATH = '{{.app.spec.source.repoURL}}';
export const DEFAULT_REVISION_PATH = '{{.app.status.operationState.syncResult.revision}}';

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 3).join('')}...` : text;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** The App's JWT: issued a minute in the past (clock drift), valid nine minutes (GitHub allows ten). */
export function appJwt(appId: string, key: KeyObject, now = Date.now()): string {
  const seconds = Math.floor(now / 1000);
  const unsigned = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify({ iat: seconds - 60, exp: seconds + 540, iss: appId }))}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

interface Credentials {
  readonly appId: string;
  readonly installationId: string;
  readonly key: KeyObject;
}

function credentials(config: ServiceConfig): Credentials {
  const appId = stringOption(config, 'appID');
  const installationId = stringOption(config, 'installationID');
  const privateKey = stringOption(config, 'privateKey');
  if (appId === undefined || installationId === undefined || privateKey === undefined) {
    throw new NotificationsConfigError(`service.github${config.name === 'github' ? '' : `.${config.name}`}: appID, installationID and privateKey are required`, { fix: 'give the GitHub App\'s ids and its private key ($github-privateKey from argocd-notifications-secret)' });
  }
  try {
    return { appId, installationId, key: createPrivateKey(privateKey) };
  } catch {
    // The key itself is never quoted.
    throw new NotificationsConfigError(`service.github${config.name === 'github' ? '' : `.${config.name}`}: privateKey is not a PEM private key`, { fix: 'paste the App\'s private key (-----BEGIN RSA PRIVATE KEY-----…) into argocd-notifications-secret' });
  }
}

export function createGitHubService(config: ServiceConfig, deps: ServiceDeps): NotificationService {
  const label = serviceLabel(config);
  const auth = credentials(config);
  const apiBase = (stringOption(config, 'enterpriseBaseURL') ?? 'https://api.github.com').replace(/\/$/, '');
  let token: { readonly value: string; readonly expiresAt: number } | undefined;

  const options = (signal?: AbortSignal): SendOptions => ({ service: label, ...(deps.retry === undefined ? {} : { retry: deps.retry }), ...(signal === undefined ? {} : { signal }) });

  async function installationToken(signal?: AbortSignal): Promise<string> {
    if (token !== undefined && token.expiresAt - Date.now() > 60_000) return token.value;
    const sendOptions = options(signal);
    const response = await sendHttp({ method: 'POST', url: `${apiBase}/app/installations/${encodeURIComponent(auth.installationId)}/access_tokens`, headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${appJwt(auth.appId, auth.key)}` } }, sendOptions);
    if (response.status !== 201 && response.status !== 200) throw rejected(sendOptions, response, 'check appID, installationID and privateKey, and that the App is installed on the repository');
    const answer = JSON.parse(response.text) as { token?: string; expires_at?: string };
    if (typeof answer.token !== 'string') throw new DeliveryError(`${label}: the installation token answer holds no token`);
    token = { value: answer.token, expiresAt: Date.parse(answer.expires_at ?? '') || Date.now() + 3_000_000 };
    return token.value;
  }

  async function api(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const sendOptions = options(signal);
    const headers = { accept: 'application/vnd.github+json', authorization: `Bearer ${await installationToken(signal)}`, 'content-type': 'application/json' };
    const response = await sendHttp({ method, url: `${apiBase}${path}`, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }, sendOptions);
    if (response.status === 401) token = undefined;
    if (response.status < 200 || response.status >= 300) throw rejected(sendOptions, response);
    return response.text === '' ? undefined : JSON.parse(response.text);
  }

  async function deploy(repo: string, revision: string, notification: RenderedTemplate, signal?: AbortSignal): Promise<void> {
    const deployment = notification.github?.deployment ?? {};
    const environment = deployment.environment ?? '';
    const found = await api('GET', `/repos/${repo}/deployments?ref=${encodeURIComponent(revision)}&environment=${encodeURIComponent(environment)}`, undefined, signal) as { id?: number }[];
    let id = found[0]?.id;
    if (id === undefined) {
      const created = await api('POST', `/repos/${repo}/deployments`, {
        ref: deployment.reference !== undefined && deployment.reference !== '' ? deployment.reference : revision,
        environment,
        required_contexts: deployment.requiredContexts ?? [],
        auto_merge: deployment.autoMerge ?? true,
        transient_environment: deployment.transientEnvironment ?? false,
      }, signal) as { id?: number };
      id = created.id;
    }
    if (id === undefined) throw new DeliveryError(`${label}: GitHub created a deployment without an id`);
    await api('POST', `/repos/${repo}/deployments/${id}/statuses`, {
      state: deployment.state, log_url: deployment.logURL, description: truncate(notification.message ?? '', 140), environment, environment_url: deployment.environmentURL,
    }, signal);
  }

  return {
    name: config.name,
    type: 'github',
    async send(notification, _destination, signal) {
      const github = notification.github;
      if (github === undefined) return;
      const repoURL = github.repoURLPath ?? '';
      const revision = github.revisionPath ?? '';
      const repo = fullNameByRepoURL(repoURL);
      if (!repo.includes('/')) throw new DeliveryError(`${label}: the repository URL ${JSON.stringify(repoURL)} names no owner/repository`, { fix: 'set github.repoURLPath in the template (default {{.app.spec.source.repoURL}})' });
      if (!/^[0-9a-f]{7,64}$/i.test(revision)) throw new DeliveryError(`${label}: ${JSON.stringify(revision)} is not a commit`, { fix: 'send GitHub notifications from triggers that fire after a sync (github.revisionPath names the synced revision)' });
      if (github.status !== undefined) {
        await api('POST', `/repos/${repo}/statuses/${revision}`, { state: github.status.state, description: truncate(notification.message ?? '', 140), context: github.status.label, target_url: github.status.targetURL }, signal);
      }
      if (github.deployment !== undefined) await deploy(repo, revision, notification, signal);
    },
  };
}
