/**
 * OIDC login with openid-client, configured as Argo CD is: argocd-cm `oidc.config` (YAML: `name`, `issuer`,
 * `clientID`, `clientSecret` — a `$key` reads argocd-secret's key — `requestedScopes`), and argocd-cm `url` for the
 * redirect URI (`<url>/auth/callback`; derived from the request when unset). The authorization code flow with PKCE,
 * state and nonce; the ID token's claims give the subject (`sub`), the name shown (`email`, else `name`, else `sub`)
 * and the groups — the values of the claims argocd-rbac-cm `scopes` lists (default `groups`), as Argo CD's RBAC reads
 * them. Plain-HTTP issuers are accepted only on a loopback address (a local Keycloak, tests).
 */
import * as client from 'openid-client';
import { parse as parseYaml } from 'yaml';
import { LaunchpadError, describeError } from '../../errors.js';
import { isPlainObject } from '../../model/values.js';

export interface OidcSettings {
  readonly name: string;
  readonly issuer: string;
  readonly clientID: string;
  readonly clientSecret?: string;
  readonly requestedScopes: readonly string[];
}

const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'groups'];

/** A `$key` value read from argocd-secret (Argo CD's `$secret:key` form too); anything else as written. */
function resolveSecret(raw: string | undefined, secrets: Readonly<Record<string, string>>): string | undefined {
  if (raw?.startsWith('$') !== true) return raw;
  const value = secrets[raw.slice(1).split(':').at(-1) ?? ''];
  if (value === undefined) throw new LaunchpadError(`argocd-cm oidc.config clientSecret ${raw}: argocd-secret has no such key`, { fix: `add the key ${raw.slice(1)} to argocd-secret` });
  return value;
}

/** argocd-cm `oidc.config` read; `$key` secrets resolved from argocd-secret. Undefined: OIDC is not configured. */
export function parseOidcConfig(text: string | undefined, secrets: Readonly<Record<string, string>>): OidcSettings | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new LaunchpadError(`argocd-cm oidc.config is not YAML: ${describeError(error)}`, { fix: 'write it as a YAML map with name, issuer, clientID, clientSecret' });
  }
  if (!isPlainObject(parsed) || typeof parsed.issuer !== 'string' || typeof parsed.clientID !== 'string') {
    throw new LaunchpadError('argocd-cm oidc.config needs issuer and clientID', { fix: 'e.g. issuer: https://keycloak.example.com/realms/main, clientID: launchpad' });
  }
  const clientSecret = resolveSecret(typeof parsed.clientSecret === 'string' ? parsed.clientSecret : undefined, secrets);
  const scopes = Array.isArray(parsed.requestedScopes) ? parsed.requestedScopes.filter((scope): scope is string => typeof scope === 'string') : DEFAULT_SCOPES;
  return {
    name: typeof parsed.name === 'string' ? parsed.name : 'OIDC', issuer: parsed.issuer, clientID: parsed.clientID,
    ...(clientSecret === undefined ? {} : { clientSecret }), requestedScopes: scopes.includes('openid') ? scopes : ['openid', ...scopes],
  };
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** What the login redirect must remember until the callback (kept in a signed, short-lived cookie). */
export interface LoginState {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly redirectUri: string;
  /** Where to send the browser after login (a path of this server). */
  readonly returnTo: string;
}

export interface OidcUser {
  readonly sub: string;
  readonly name: string;
  readonly groups: string[];
}

export class OidcClient {
  private discovered: { readonly key: string; readonly config: Promise<client.Configuration> } | undefined;

  /** The provider's configuration, discovered once per settings. */
  private configuration(settings: OidcSettings): Promise<client.Configuration> {
    const key = JSON.stringify(settings);
    if (this.discovered?.key !== key) {
      const issuer = new URL(settings.issuer);
      const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
      if (issuer.protocol !== 'https:' && !insecure) throw new LaunchpadError(`OIDC issuer ${settings.issuer} is not HTTPS`, { fix: 'use the https URL of the provider (plain HTTP is accepted only on 127.0.0.1/localhost)' });
      // Plain HTTP only on loopback (checked above): a local provider or the tests' one.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      const config = client.discovery(issuer, settings.clientID, settings.clientSecret, undefined, insecure ? { execute: [client.allowInsecureRequests] } : undefined);
      this.discovered = { key, config };
      config.catch(() => { if (this.discovered?.key === key) this.discovered = undefined; });
    }
    return this.discovered.config;
  }

  /** The provider URL to send the browser to, and what to remember for the callback. */
  async startLogin(settings: OidcSettings, redirectUri: string, returnTo: string): Promise<{ readonly url: string; readonly state: LoginState }> {
    const config = await this.configuration(settings);
    const verifier = client.randomPKCECodeVerifier();
    const state: LoginState = { state: client.randomState(), nonce: client.randomNonce(), verifier, redirectUri, returnTo };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: settings.requestedScopes.join(' '), state: state.state, nonce: state.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    return { url: url.href, state };
  }

  /** Exchanges the callback's code; the user it names, with the groups of the `scopes` claims. */
  async finishLogin(settings: OidcSettings, callbackUrl: URL, state: LoginState, groupClaims: readonly string[]): Promise<OidcUser> {
    const config = await this.configuration(settings);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: state.verifier, expectedState: state.state, expectedNonce: state.nonce, idTokenExpected: true });
    const claims = tokens.claims();
    if (claims === undefined) throw new LaunchpadError('the OIDC provider returned no ID token', { fix: 'request the openid scope (oidc.config requestedScopes)' });
    const groups = groupClaims.flatMap((claim) => {
      const value = claims[claim];
      if (typeof value === 'string') return [value];
      return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    });
    const name = typeof claims.email === 'string' ? claims.email : typeof claims.name === 'string' ? claims.name : claims.sub;
    return { sub: claims.sub, name, groups };
  }
}
