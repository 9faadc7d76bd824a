/**
 * `GET /api/v1/account/can-i/{resource}/{action}/{subresource}`: Argo CD's own permission probe, answering
 * `{"value": "yes"|"no"}` for the caller from the same RBAC every endpoint enforces. The subresource is the RBAC
 * object (`project/app` for applications) — written with its slash as is or encoded as %2F. An unknown resource or
 * action is a 400 naming the known ones, as Argo CD answers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { identityOf } from '../http.js';
import { RBAC_ACTIONS, RBAC_RESOURCES, isRbacAction, isRbacResource } from '../rbac/vocabulary.js';
import type { ApiShared } from '../runtime.js';
import { S } from '../schemas.js';

export function accountRoutes(app: FastifyInstance, shared: ApiShared): void {
  const answer = async (request: FastifyRequest, object: string): Promise<{ value: 'yes' | 'no' }> => {
    const { resource, action } = request.params as { resource: string; action: string };
    if (!isRbacAction(action)) throw new ApiError(400, `unknown action "${action}"`, `use one of ${RBAC_ACTIONS.join(', ')}`);
    if (!isRbacResource(resource)) throw new ApiError(400, `unknown resource "${resource}"`, `use one of ${RBAC_RESOURCES.join(', ')}`);
    return { value: (await shared.runtime().access.can(identityOf(request), resource, action, object)) ? 'yes' : 'no' };
  };
  app.get('/api/v1/account/can-i/:resource/:action/:subresource', {
    schema: { tags: ['account'], summary: 'whether the caller may do an action on an object (Argo CD\'s can-i); the object of applications is project/app, its slash sent as is or as %2F', params: S.canIParams, response: { 200: S.canI } },
  }, (request) => answer(request, (request.params as { subresource: string }).subresource));
  // `project/app` with its slash as is spans two path segments: the same answer, undocumented twice.
  app.get('/api/v1/account/can-i/:resource/:action/*', { schema: { hide: true, response: { 200: S.canI } } }, (request) => answer(request, (request.params as { '*': string })['*']));
}
