/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for the API's login tests. Its login and consent
 * screens are replaced by an interaction handler that logs in the one configured user at once, so a test drives the
 * whole authorization code flow with plain HTTP requests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface OidcUser {
  readonly sub: string;
  readonly email: string;
  readonly groups: readonly string[];
}

export interface OidcServer {
  readonly issuer: string;
  /** Who the next login is. */
  user: OidcUser;
  close(): Promise<void>;
}

export async function startOidcServer(options: { readonly clientId: string; readonly clientSecret: string; readonly redirectUri: string; readonly user: OidcUser }): Promise<OidcServer> {
  const server = createServer();
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: { user: OidcUser } = { user: options.user };
  const provider = new Provider(issuer, {
    clients: [{ client_id: options.clientId, client_secret: options.clientSecret, redirect_uris: [options.redirectUri], token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email'], groups: ['groups'], profile: ['name'] },
    scopes: ['openid', 'email', 'groups', 'profile'],
    // Scope claims in the ID token itself (what Keycloak does for groups with its mapper).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    cookies: { keys: ['launchpad-test-key'] },
    findAccount: (_context, sub) => Promise.resolve({
      accountId: sub,
      claims: () => Promise.resolve({ sub, email: state.user.email, groups: [...state.user.groups], name: state.user.email }),
    }),
  });
  const callback = provider.callback();
  server.on('request', (request, response) => {
    if (request.url?.startsWith('/interaction/') !== true) {
      void callback(request, response);
      return;
    }
    void (async () => {
      const details = await provider.interactionDetails(request, response);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(request, response, { login: { accountId: state.user.sub } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: state.user.sub, clientId: options.clientId });
      grant.addOIDCScope('openid email groups profile');
      const grantId = await grant.save();
      await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
    })().catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  return {
    issuer,
    get user() { return state.user; },
    set user(user: OidcUser) { state.user = user; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => { resolve(); }); }),
  };
}
