/**
 * Logging in and out. `GET /api/v1/session` tells who is logged in (or nobody), whether OIDC login is offered, and
 * hands out the CSRF token the UI sends back on every state-changing request. `POST /api/v1/session` logs a local
 * account in (rate-limited per client address; a wrong name and a wrong password look the same); `DELETE` logs out.
 * `GET /auth/login` starts the OIDC login, `GET /auth/callback` ends it. Each login and logout is audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeError } from '../../errors.js';
import { checkLogin } from '../auth/accounts.js';
import { parseOidcConfig } from '../auth/oidc.js';
import type { LoginState, OidcSettings } from '../auth/oidc.js';
import { SESSION_COOKIE, SESSION_TTL_MS, encodeSession } from '../auth/session.js';
import type { SessionClaims } from '../auth/session.js';
import { ApiError } from '../errors.js';
import type { ApiShared } from '../runtime.js';
import { identityOf } from '../http.js';
import { S } from '../schemas.js';

const OIDC_STATE_COOKIE = 'launchpad.oidc';
const OIDC_STATE_TTL_S = 600;

function setSession(reply: FastifyReply, request: FastifyRequest, claims: SessionClaims): void {
  void reply.setCookie(SESSION_COOKIE, encodeSession(claims), { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: request.protocol === 'https', maxAge: Math.floor(SESSION_TTL_MS / 1000) });
}

async function oidcSettings(shared: ApiShared): Promise<OidcSettings | undefined> {
  const { access } = shared.runtime();
  return parseOidcConfig((await access.argocdCm())['oidc.config'], await access.argocdSecret());
}

/** Only paths of this server: a login never redirects elsewhere. */
const safeReturn = (value: unknown): string => (typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/');

async function baseUrl(shared: ApiShared, request: FastifyRequest): Promise<string> {
  const configured = (await shared.runtime().access.argocdCm()).url;
  return (configured !== undefined && configured !== '' ? configured : `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}

export function sessionRoutes(app: FastifyInstance, shared: ApiShared): void {
  app.get('/api/v1/session', { config: { public: true }, schema: { tags: ['session'], summary: 'who is logged in, the CSRF token, and the login methods', response: { 200: S.session } } }, async (request, reply) => {
    const oidc = await oidcSettings(shared).catch(() => undefined);
    const identity = request.identity;
    const roles = identity === undefined ? [] : (await shared.runtime().access.rbacConfig()).enforcer.rolesFor(identity.sub);
    return {
      user: identity === undefined ? null : { name: identity.name, sub: identity.sub, groups: identity.groups, via: identity.via, roles },
      csrfToken: reply.generateCsrf(),
      oidc: oidc === undefined ? null : { name: oidc.name, loginUrl: '/auth/login' },
    };
  });

  app.post('/api/v1/session', {
    config: { public: true, rateLimit: { max: shared.loginRateLimit, timeWindow: 60_000, errorResponseBuilder: (_request, context) => ({ statusCode: 429, message: `too many login attempts: try again in ${Math.ceil(context.ttl / 1000)} s` }) } },
    schema: { tags: ['session'], summary: 'log a local account in (sets the session cookie)', body: S.login, response: { 200: S.sessionUser } },
  }, async (request, reply) => {
    const { username, password } = request.body as { username: string; password: string };
    const { access } = shared.runtime();
    const account = await checkLogin(await access.accounts(), username, password);
    const who = { sub: username, name: username, groups: [], via: 'local' as const };
    if (account === undefined) {
      shared.audit.record({ who, action: 'login', object: `account/${username}`, result: 'denied' });
      throw new ApiError(401, 'invalid username or password', 'check both; an administrator can reset a password in argocd-secret');
    }
    setSession(reply, request, { sub: account.name, name: account.name, groups: [], via: 'local', exp: Date.now() + SESSION_TTL_MS });
    shared.audit.record({ who, action: 'login', object: `account/${account.name}`, result: 'ok' });
    return { name: account.name, sub: account.name, groups: [], via: 'local', roles: (await access.rbacConfig()).enforcer.rolesFor(account.name) };
  });

  app.delete('/api/v1/session', { schema: { tags: ['session'], summary: 'log out (clears the session cookie)', response: { 204: { type: 'null' } } } }, async (request, reply) => {
    const identity = identityOf(request);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    shared.audit.record({ who: identity, action: 'logout', object: `account/${identity.sub}`, result: 'ok' });
    return reply.code(204).send();
  });

  app.get('/auth/login', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const settings = await oidcSettings(shared);
    if (settings === undefined) throw new ApiError(404, 'OIDC login is not configured', 'set oidc.config in argocd-cm');
    const returnTo = safeReturn((request.query as { return_url?: unknown }).return_url);
    const { url, state } = await shared.oidc.startLogin(settings, `${await baseUrl(shared, request)}/auth/callback`, returnTo);
    void reply.setCookie(OIDC_STATE_COOKIE, Buffer.from(JSON.stringify(state)).toString('base64url'), { signed: true, httpOnly: true, sameSite: 'lax', path: '/auth', secure: request.protocol === 'https', maxAge: OIDC_STATE_TTL_S });
    return reply.redirect(url, 303);
  });

  app.get('/auth/callback', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const settings = await oidcSettings(shared);
    if (settings === undefined) throw new ApiError(404, 'OIDC login is not configured', 'set oidc.config in argocd-cm');
    const raw = request.cookies[OIDC_STATE_COOKIE];
    const unsigned = raw === undefined ? undefined : request.unsignCookie(raw);
    if (unsigned?.valid !== true) throw new ApiError(400, 'the OIDC login expired or was not started here', 'start again from the login page');
    const state = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as LoginState;
    void reply.clearCookie(OIDC_STATE_COOKIE, { path: '/auth' });
    const callback = new URL(request.url, state.redirectUri);
    let user;
    try {
      user = await shared.oidc.finishLogin(settings, callback, state, await shared.runtime().access.groupClaims());
    } catch (error) {
      shared.audit.record({ who: undefined, action: 'login.oidc', object: settings.issuer, result: `failed: ${describeError(error)}` });
      throw new ApiError(401, `OIDC login failed: ${describeError(error)}`, 'start again from the login page');
    }
    setSession(reply, request, { sub: user.sub, name: user.name, groups: user.groups, via: 'oidc', exp: Date.now() + SESSION_TTL_MS });
    shared.audit.record({ who: { sub: user.sub, name: user.name, groups: user.groups, via: 'oidc' }, action: 'login.oidc', object: settings.issuer, result: 'ok' });
    return reply.redirect(safeReturn(state.returnTo), 303);
  });
}
