/**
 * The browser UI, when its build is there (`dist/ui`, or the folder given): its files at `/`, and `index.html` for
 * every other GET outside /api and /auth, so deep links (`/applications/web`) load the app. Served under the same
 * security headers as the API (CSP with frame-ancestors 'none').
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';

/** dist/ui beside dist/src (this module runs from dist/src/api/routes/). */
export function defaultUiDir(): string {
  return fileURLToPath(new URL('../../../ui', import.meta.url));
}

export async function staticRoutes(app: FastifyInstance, folder: string): Promise<boolean> {
  if (!existsSync(`${folder}/index.html`)) return false;
  await app.register(fastifyStatic, { root: folder, wildcard: false, index: ['index.html'], serveDotFiles: false });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (/^\/(api|auth)(\/|$)/.test(path)) throw new ApiError(404, `no such endpoint: ${request.method} ${path}`, 'see /api/v1/openapi.json');
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
  return true;
}
