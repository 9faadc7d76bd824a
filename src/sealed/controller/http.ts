/**
 * The endpoints kubeseal calls through the API server's service proxy, as Bitnami's controller serves them:
 *   GET  /v1/cert.pem  the newest sealing certificate (application/x-pem-file); 500 while no key exists
 *   POST /v1/verify    200 when a SealedSecret opens with a key held, 409 when it does not; rate-limited (429)
 *   POST /v1/rotate    the SealedSecret re-encrypted to the newest key (JSON); 409 when it cannot be opened
 * Bodies are SealedSecrets as JSON or YAML (one document). Responses never carry a value: /v1/verify answers with a
 * status only, so the endpoint cannot be used to read anything, and its rate limit keeps it from being probed fast.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseAllDocuments } from 'yaml';
import { describeError } from '../../errors.js';
import { SealedSecretError } from '../errors.js';
import { reEncryptSealedSecret } from '../reencrypt.js';
import type { SealedSecret } from '../types.js';
import { SEALED_SECRET_KIND } from '../types.js';
import { unsealSealedSecret } from '../unseal.js';
import type { KeyRegistry } from './key-registry.js';
import type { SealedSecretsMetrics } from './metrics.js';
import type { RateLimiter } from './rate-limit.js';

/** A SealedSecret holds at most a 1 MiB Secret, which base64 and the per-value RSA blocks make larger. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface SealedSecretsHttpDeps {
  readonly registry: KeyRegistry;
  readonly metrics: SealedSecretsMetrics;
  readonly verifyLimit: RateLimiter;
}

class BadRequest extends Error {}

/** One SealedSecret from a request body; anything else is a 400 naming what was wrong. */
function sealedSecretOf(body: unknown): SealedSecret {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
  const documents = parseAllDocuments(text).filter((document) => document.contents !== null);
  if (documents.length !== 1) throw new BadRequest(documents.length === 0 ? 'the body holds no SealedSecret' : 'the body must hold exactly one SealedSecret');
  const [document] = documents;
  if (document === undefined || document.errors.length > 0) throw new BadRequest('the body is neither JSON nor YAML');
  const value = document.toJS({ maxAliasCount: 100 }) as unknown;
  const object = (typeof value === 'object' && value !== null ? value : {}) as SealedSecret;
  if (object.kind !== SEALED_SECRET_KIND) throw new BadRequest(`expected a SealedSecret, got ${typeof object.kind === 'string' ? object.kind : 'no kind'}`);
  return object;
}

function fail(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof BadRequest) return reply.code(400).type('text/plain; charset=utf-8').send(`${error.message}\n`);
  if (error instanceof SealedSecretError) return reply.code(409).type('text/plain; charset=utf-8').send(`${error.message}\n`);
  return reply.code(500).type('text/plain; charset=utf-8').send(`${describeError(error)}\n`);
}

export function registerSealedSecretsRoutes(app: FastifyInstance, deps: SealedSecretsHttpDeps): void {
  // Raw bodies in any content type (kubeseal sends JSON, curl users YAML); parsed above with a document limit.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => {
    done(null, body);
  });
  app.addHook('onResponse', async (request, reply) => {
    const path = request.routeOptions.url ?? 'unknown';
    deps.metrics.httpRequests.inc({ path, code: String(reply.statusCode), method: request.method.toLowerCase() });
    deps.metrics.httpSeconds.observe({ path, method: request.method.toLowerCase() }, reply.elapsedTime / 1000);
  });

  app.get('/v1/cert.pem', async (_request, reply) => {
    const latest = deps.registry.latest();
    if (latest === undefined) return reply.code(500).type('text/plain; charset=utf-8').send('cannot get certificate\n');
    return reply.type('application/x-pem-file').send(latest.certificatePem);
  });

  app.post('/v1/verify', async (request, reply) => {
    const forwarded = request.headers['x-forwarded-for'];
    const wait = deps.verifyLimit.take(Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''));
    if (wait > 0) return reply.code(429).header('retry-after', String(wait)).type('text/plain; charset=utf-8').send('limit exceeded\n');
    try {
      unsealSealedSecret(sealedSecretOf(request.body), deps.registry.privateKeys());
      return await reply.code(200).send();
    } catch (error) {
      if (error instanceof SealedSecretError) return reply.code(409).send();
      return fail(reply, error);
    }
  });

  app.post('/v1/rotate', async (request, reply) => {
    const latest = deps.registry.latest();
    try {
      if (latest === undefined) throw new Error('no sealing key yet');
      const rotated = reEncryptSealedSecret(sealedSecretOf(request.body), deps.registry.privateKeys(), latest.privateKey);
      return await reply.type('application/json').send(JSON.stringify(rotated));
    } catch (error) {
      return fail(reply, error);
    }
  });
}
