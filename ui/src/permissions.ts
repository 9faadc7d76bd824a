/**
 * What the logged-in user may do to one application, as `GET /api/v1/applications/<name>` reports it
 * (`permissions: {sync, rollback, refresh, terminate, delete, override}`, from the same RBAC the server enforces).
 * The UI disables what is not allowed and says why; the server still checks every request. An older server that
 * does not report permissions leaves every action enabled — it refuses what it must and the UI shows its reason.
 */
import type { Json } from './application.js';
import { obj } from './application.js';

export const ACTIONS = ['sync', 'rollback', 'refresh', 'terminate', 'delete', 'override'] as const;
export type AppAction = (typeof ACTIONS)[number];

export type Permissions = Readonly<Record<AppAction, boolean>>;

/** The permissions in an application response; an action the response does not mention counts as allowed. */
export function permissionsOf(app: Json): Permissions {
  const reported = obj(app.permissions);
  return Object.fromEntries(ACTIONS.map((action) => [action, reported[action] !== false])) as Record<AppAction, boolean>;
}

/**
 * Why `action` is disabled — the title of the disabled control and the note beside the actions. Argo CD's RBAC
 * checks rollback and terminate as `sync`, and refresh as `get`: the message names the policy line that would
 * allow it.
 */
export function deniedReason(action: AppAction, project: string, name: string): string {
  const rbac = action === 'rollback' || action === 'terminate' ? 'sync' : action === 'refresh' ? 'get' : action;
  return `Your roles do not allow ${action} on ${name}: it needs "applications, ${rbac}, ${project}/${name}" in the RBAC policy`;
}

/** The actions not allowed, for a one-line summary ("read-only here: sync, delete"). */
export const deniedActions = (permissions: Permissions): AppAction[] => ACTIONS.filter((action) => action !== 'override' && !permissions[action]);
