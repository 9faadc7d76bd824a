/**
 * The controller's HTTP endpoints (Fastify): `POST /api/webhook` for git push events, `/metrics` for Prometheus,
 * `/healthz` (the process serves) and `/readyz` (it leads and has synced: only the leader takes webhooks behind a
 * Service). Bodies over 1 MiB are refused with 413 before they are read whole.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { MAX_WEBHOOK_BODY_BYTES } from './webhook.js';
import type { WebhookRequest, WebhookResult } from './webhook.js';
import type { ControllerMetrics } from './metrics.js';
import type { ControllerAddon } from './addon.js';

export interface ServerOptions {
  /** `host:port`; port 0 picks a free one. @default 127.0.0.1:8080 */
  readonly listen: string;
  readonly metrics: ControllerMetrics;
  readonly ready: () => boolean;
  readonly webhook: (request: WebhookRequest) => Promise<{ readonly result: WebhookResult; readonly refreshed: readonly string[] }>;
  /** Add-ons whose routes are served too, each in its own encapsulated context. @default none */
  readonly addons?: readonly ControllerAddon[];
}

export interface RunningServer {
  /** `http://host:port` actually bound. */
  readonly url: string;
  close(): Promise<void>;
}

export function splitListen(listen: string): { host: string; port: number } {
  const colon = listen.lastIndexOf(':');
  const host = colon === -1 ? '127.0.0.1' : listen.slice(0, colon).replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(colon === -1 ? listen : listen.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--listen ${listen}: not host:port`);
  return { host, port };
}

function routes(app: FastifyInstance, options: ServerOptions): void {
  // Raw bytes for every content type: signatures are computed over the exact body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BODY_BYTES }, (_request, body, done) => {
    done(null, body);
  });
  app.post('/api/webhook', async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const { result, refreshed } = await options.webhook({ headers: request.headers, body });
    if (result.kind === 'rejected') return reply.code(result.status).send({ error: result.reason });
    if (result.kind === 'ignored') return reply.code(202).send({ ignored: result.reason });
    return reply.code(200).send({ refreshed });
  });
  app.get('/metrics', async (_request, reply) => reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics()));
  app.get('/healthz', async (_request, reply) => reply.send('ok'));
  app.get('/readyz', async (_request, reply) => (options.ready() ? reply.send('ok') : reply.code(503).send('not ready')));
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const app = Fastify({ logger: false, bodyLimit: MAX_WEBHOOK_BODY_BYTES });
  app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    void reply.code(status).send({ error: status === 413 ? `body larger than ${MAX_WEBHOOK_BODY_BYTES} bytes` : (error.message ?? 'error') });
  });
  // Add-ons first, each in its own context, so their body parsers never meet the webhook's raw-bytes parser.
  for (const addon of options.addons ?? []) {
    const register = addon.routes?.bind(addon);
    if (register !== undefined) await app.register((scope, _options, done) => { register(scope); done(); });
  }
  await app.register((scope, _options, done) => { routes(scope, options); done(); });
  const { host, port } = splitListen(options.listen);
  const url = await app.listen({ host, port });
  return { url, close: () => app.close() };
}
