/**
 * Who is asking and what they may do. A request is authenticated by an API token (`Authorization: Bearer lpt_…`)
 * or by the session cookie; nothing else. RBAC is argocd-rbac-cm's policy, re-read when it changes (within the
 * settings reader's second). Accounts disabled in argocd-cm lose their sessions and tokens at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import type { KubeObject } from '../model/resource.js';
import type { ConfigReader } from './config-reader.js';
import { stringData } from './config-reader.js';
import { ADMIN, ARGOCD_CM, ARGOCD_SECRET, readAccounts } from './auth/accounts.js';
import type { Account } from './auth/accounts.js';
import { SESSION_COOKIE, decodeSession } from './auth/session.js';
import { TOKENS_SECRET, knowsToken, verifyToken } from './auth/tokens.js';
import { RBAC_CONFIGMAP, rbacConfigFrom } from './rbac/config.js';
import type { RbacConfig } from './rbac/config.js';
import { PROJECT_SCOPED } from './rbac/builtin.js';
import { forbidden } from './errors.js';

const TOKEN_REREAD_MS = 200;

export interface Identity {
  /** The RBAC subject: an account name, or an OIDC `sub`. */
  readonly sub: string;
  /** Shown in audit lines and the UI. */
  readonly name: string;
  readonly groups: readonly string[];
  readonly via: 'local' | 'oidc' | 'token';
  readonly tokenId?: string;
}

export class Access {
  private rbac: { readonly version: string; readonly config: RbacConfig } | undefined;
  private lastTokenReread = 0;
  private tokenReread: Promise<KubeObject | undefined> | undefined;

  constructor(private readonly settings: ConfigReader, private readonly onProblem: (message: string) => void) {}

  async accounts(): Promise<Map<string, Account>> {
    const [cm, secret] = await Promise.all([this.settings.configMap(ARGOCD_CM), this.settings.secret(ARGOCD_SECRET)]);
    return readAccounts(cm, secret);
  }

  /** The identity behind the request, or undefined when it carries no valid credentials. */
  async identify(request: FastifyRequest): Promise<Identity | undefined> {
    const header = request.headers.authorization;
    if (header !== undefined) return this.fromToken(header);
    const raw = request.cookies[SESSION_COOKIE];
    if (raw === undefined) return undefined;
    const unsigned = request.unsignCookie(raw);
    const claims = unsigned.valid ? decodeSession(unsigned.value) : undefined;
    if (claims === undefined) return undefined;
    if (claims.via === 'local') {
      const account = (await this.accounts()).get(claims.sub);
      if (account?.enabled !== true) return undefined;
    }
    return { sub: claims.sub, name: claims.name, groups: claims.groups, via: claims.via };
  }

  private async fromToken(header: string): Promise<Identity | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined) return undefined;
    let secret = await this.settings.secret(TOKENS_SECRET);
    if (!knowsToken(secret, match[1])) secret = await this.rereadTokens();
    const record = verifyToken(secret, match[1]);
    if (record === undefined) return undefined;
    const account = (await this.accounts()).get(record.account);
    // admin may hold tokens; other accounts need Argo CD's apiKey capability.
    if (account?.enabled !== true || (account.name !== ADMIN && !account.capabilities.includes('apiKey'))) return undefined;
    return { sub: account.name, name: account.name, groups: [], via: 'token', tokenId: record.id };
  }

  /**
   * A token made a moment ago is not in the cached Secret yet, so an unknown id reads the Secret again — one read
   * shared by every caller, at most every 200 ms: a flood of made-up tokens is not a flood of API server requests.
   */
  private rereadTokens(): Promise<KubeObject | undefined> {
    this.tokenReread ??= (async () => {
      const wait = this.lastTokenReread + TOKEN_REREAD_MS - Date.now();
      if (wait > 0) await sleep(wait);
      this.lastTokenReread = Date.now();
      this.settings.invalidate('Secret', TOKENS_SECRET);
      return this.settings.secret(TOKENS_SECRET);
    })().finally(() => { this.tokenReread = undefined; });
    return this.tokenReread;
  }

  async rbacConfig(): Promise<RbacConfig> {
    const configMap = await this.settings.configMap(RBAC_CONFIGMAP);
    const rv = configMap?.metadata.resourceVersion;
    const version = typeof rv === 'string' ? rv : 'none';
    if (this.rbac?.version !== version) {
      const config = rbacConfigFrom(configMap);
      if (config.problem !== undefined) this.onProblem(config.problem);
      this.rbac = { version, config };
    }
    return this.rbac.config;
  }

  async can(identity: Identity, resource: string, action: string, object: string): Promise<boolean> {
    return (await this.rbacConfig()).enforcer.enforce({ name: identity.sub, groups: identity.groups }, resource, action, object);
  }

  /** Throws a 403 ApiError naming the user, action and object when not allowed. */
  async require(identity: Identity, resource: string, action: string, object: string): Promise<void> {
    if (!(await this.can(identity, resource, action, object))) throw forbidden(identity.name, `${action} ${resource}`, object);
  }

  /** The OIDC claims that hold groups (argocd-rbac-cm `scopes`). */
  async groupClaims(): Promise<readonly string[]> {
    return (await this.rbacConfig()).scopes;
  }

  /** argocd-cm and argocd-secret values as text (OIDC settings, url). */
  async argocdCm(): Promise<Record<string, string>> {
    return stringData(await this.settings.configMap(ARGOCD_CM));
  }

  async argocdSecret(): Promise<Record<string, string>> {
    return stringData(await this.settings.secret(ARGOCD_SECRET));
  }
}

/** The RBAC object of an application: `<project>/<name>`. */
export function appObject(project: string, name: string): string {
  return `${project}/${name}`;
}

export const isProjectScoped = (resource: string): boolean => (PROJECT_SCOPED as readonly string[]).includes(resource);
