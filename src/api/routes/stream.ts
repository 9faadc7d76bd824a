/**
 * `GET /api/v1/stream/applications`: Server-Sent Events, one `application` event per change of an application the
 * caller may read (the RBAC check is made for every event, so a policy change applies at once), with the list's
 * filters. `data` is `{type: ADDED|MODIFIED|DELETED, application: <summary>}`. A comment every 15 s keeps proxies
 * from closing an idle stream. Streams end when the server stops.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { LaunchpadError } from '../../errors.js';
import { appObject } from '../access.js';
import { ApiError } from '../errors.js';
import { identityOf } from '../http.js';
import type { ApiShared } from '../runtime.js';
import { S } from '../schemas.js';
import { appFilter } from '../views/filters.js';
import type { AppFilterQuery } from '../views/filters.js';

const HEARTBEAT_MS = 15_000;

export function streamRoutes(app: FastifyInstance, shared: ApiShared): void {
  const open = new Set<ServerResponse>();
  // Before the listener closes: an open stream would keep the server from ever closing.
  app.addHook('preClose', (done) => {
    for (const response of open) response.end();
    done();
  });

  app.get('/api/v1/stream/applications', { schema: { tags: ['applications'], summary: 'Server-Sent Events of application changes (event: application, data: {type, application})', querystring: S.appQuery, produces: ['text/event-stream'] } }, (request, reply) => {
    const runtime = shared.runtime();
    const identity = identityOf(request);
    let filter;
    try {
      filter = appFilter(request.query as AppFilterQuery);
    } catch (error) {
      throw new ApiError(400, error instanceof LaunchpadError ? error.message : String(error));
    }
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write(': connected\n\n');
    open.add(response);
    // The RBAC check is asynchronous (the policy may have to be read again): events are checked one after the other,
    // in the order they happened, so that a slow check can never put an app's MODIFIED after its DELETED.
    let delivered = Promise.resolve();
    const unsubscribe = runtime.store.subscribe((change) => {
      if (!filter(change.app)) return;
      delivered = delivered.then(async () => {
        const allowed = await runtime.access.can(identity, 'applications', 'get', appObject(change.app.project, change.app.name)).catch(() => false);
        if (allowed && !response.writableEnded) response.write(`event: application\ndata: ${JSON.stringify({ type: change.type, application: change.app })}\n\n`);
      });
    });
    const heartbeat = setInterval(() => { response.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
    heartbeat.unref();
    const close = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(response);
    };
    request.raw.on('close', close);
    response.on('close', close);
  });
}
