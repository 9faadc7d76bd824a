/**
 * The two roles every installation has, as Argo CD defines them: `role:readonly` may read everything, `role:admin`
 * may do everything and inherits readonly; the `admin` account has role:admin. Written as data so they can be read
 * and tested like any user policy.
 */
import type { Grant, Policy, PolicyRule } from './policy.js';

/** Resources whose objects are `<project>/<name>`; every other resource's object is its own name or URL. */
export const PROJECT_SCOPED = ['applications', 'applicationsets', 'logs', 'exec'] as const;

const READ_RESOURCES = ['applications', 'applicationsets', 'certificates', 'clusters', 'repositories', 'write-repositories', 'projects', 'accounts', 'gpgkeys', 'logs'];

const ADMIN_ACTIONS: readonly (readonly [string, readonly string[]])[] = [
  ['applications', ['create', 'update', 'update/*', 'delete', 'delete/*', 'sync', 'rollback', 'override', 'action/*']],
  ['applicationsets', ['get', 'create', 'update', 'delete']],
  ['certificates', ['create', 'update', 'delete']],
  ['clusters', ['create', 'update', 'delete']],
  ['repositories', ['create', 'update', 'delete']],
  ['write-repositories', ['create', 'update', 'delete']],
  ['projects', ['create', 'update', 'delete']],
  ['accounts', ['update']],
  ['gpgkeys', ['create', 'delete']],
  ['exec', ['create', 'debug']],
];

const objectFor = (resource: string): string => ((PROJECT_SCOPED as readonly string[]).includes(resource) ? '*/*' : '*');

const rule = (subject: string, resource: string, action: string): PolicyRule => ({ subject, resource, action, object: objectFor(resource), effect: 'allow' });

const grants: Grant[] = [{ subject: 'role:admin', role: 'role:readonly' }, { subject: 'admin', role: 'role:admin' }];

export const BUILTIN_POLICY: Policy = {
  rules: [
    ...READ_RESOURCES.map((resource) => rule('role:readonly', resource, 'get')),
    ...ADMIN_ACTIONS.flatMap(([resource, actions]) => actions.map((action) => rule('role:admin', resource, action))),
  ],
  grants,
};
