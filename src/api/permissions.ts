/**
 * What the caller may do to one application, as the UI offers it: each action of the application view mapped to the
 * RBAC action the API enforces for it (as Argo CD: rollback and terminate need `sync`, refresh needs `get`). The
 * enforcer remembers its decisions, so a list of 1,000 applications asks it mostly cached questions.
 */
import { appObject } from './access.js';
import type { Enforcer, Subject } from './rbac/enforcer.js';

export const APP_ACTIONS = { sync: 'sync', rollback: 'sync', refresh: 'get', terminate: 'sync', delete: 'delete', override: 'override' } as const;

export type AppPermissions = { readonly [K in keyof typeof APP_ACTIONS]: boolean };

export function appPermissions(enforcer: Enforcer, subject: Subject, project: string, name: string): AppPermissions {
  const object = appObject(project, name);
  // Four distinct RBAC actions behind the six: each is asked once.
  const decided = new Map<string, boolean>();
  const can = (action: string): boolean => {
    let allowed = decided.get(action);
    if (allowed === undefined) {
      allowed = enforcer.enforce(subject, 'applications', action, object);
      decided.set(action, allowed);
    }
    return allowed;
  };
  return {
    sync: can(APP_ACTIONS.sync), rollback: can(APP_ACTIONS.rollback), refresh: can(APP_ACTIONS.refresh),
    terminate: can(APP_ACTIONS.terminate), delete: can(APP_ACTIONS.delete), override: can(APP_ACTIONS.override),
  };
}
