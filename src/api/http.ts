/**
 * The API's HTTP setup inside its own encapsulated Fastify scope: cookies (signed by the session key), CSRF tokens,
 * the login rate limit, security headers (CSP with frame-ancestors 'none'), the OpenAPI document, JSON errors, and
 * the two hooks every /api/v1 request passes — CSRF for state-changing requests that ride on the session cookie
 * (bearer tokens are not sent by browsers on their own, so they need none), then authentication (401 without valid
 * credentials) unless the route is marked public.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeError } from '../errors.js';
import type { Identity } from './access.js';
import { ApiError } from './errors.js';
import type { ApiShared } from './runtime.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
  }
  interface FastifyContextConfig {
    /** Served without credentials (login, the session probe, the OpenAPI document). */
    public?: boolean;
  }
}

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The identity of an authenticated request (the hook has checked it). */
export function identityOf(request: FastifyRequest): Identity {
  if (request.identity === undefined) throw new ApiError(401, 'not logged in', 'log in (POST /api/v1/session) or send an API token (Authorization: Bearer …)');
  return request.identity;
}

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

function sendError(error: unknown, reply: FastifyReply): void {
  if (error instanceof ApiError) {
    void reply.code(error.status).send({ error: error.detail, ...(error.hint === undefined ? {} : { fix: error.hint }) });
    return;
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  const status = typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 ? fastifyError.statusCode : 500;
  const message = fastifyError.code === 'FST_CSRF_INVALID_TOKEN' || fastifyError.code === 'FST_CSRF_MISSING_SECRET'
    ? `CSRF token missing or invalid: send the token from GET /api/v1/session in the ${CSRF_HEADER} header`
    : status === 500 ? `internal error: ${describeError(error)}` : fastifyError.message ?? 'error';
  void reply.code(status).send({ error: message });
}

/** Registers the plugins and hooks on `app` (the add-on's scope). */
export async function setupHttp(app: FastifyInstance, shared: ApiShared): Promise<void> {
  await app.register(fastifyCookie, { secret: shared.signer });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/cookie', cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', path: '/' }, getToken: (request) => {
    const header = request.headers[CSRF_HEADER];
    return typeof header === 'string' ? header : undefined;
  } });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Launchpad API', version: 'v1', description: 'Applications, their resources, diffs and history, and the actions on them. Authenticate with the session cookie (plus the CSRF token header on state-changing requests) or an API token.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'launchpad.session' }, token: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { token: [] }],
    },
  });
  app.setErrorHandler((error, _request, reply) => { sendError(error, reply); });
  app.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith('/api/v1/')) return;
    if (!SAFE_METHODS.has(request.method) && request.headers.authorization === undefined) {
      await new Promise<void>((resolve, reject) => {
        app.csrfProtection(request, reply, (error?: Error) => { if (error === undefined) resolve(); else reject(error); });
        // csrfProtection answers a bad token itself (reply.send of the error): the request ends there.
        if (reply.sent) resolve();
      });
      if (reply.sent) return reply;
    }
    const identity = await shared.runtime().access.identify(request);
    if (identity !== undefined) request.identity = identity;
    if (request.routeOptions.config.public !== true && identity === undefined) throw new ApiError(401, 'not logged in', 'log in (POST /api/v1/session) or send an API token (Authorization: Bearer …)');
    return undefined;
  });
}
