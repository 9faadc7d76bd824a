/**
 * Finding an application for a request: it must exist and the caller must hold `action` on `<project>/<name>`.
 * A missing application the caller could not have read anyway is refused the same way as a forbidden one, so the
 * API never tells a user which application names exist outside their projects.
 */
import type { KubeObject } from '../model/resource.js';
import type { Identity } from './access.js';
import { appObject } from './access.js';
import { forbidden, notFound } from './errors.js';
import type { ApiRuntime } from './runtime.js';
import type { AppSummary } from './views/summary.js';

export function projectOf(app: KubeObject): string {
  const spec = app.spec as { project?: unknown } | undefined;
  return typeof spec?.project === 'string' && spec.project !== '' ? spec.project : 'default';
}

export async function requireApp(runtime: ApiRuntime, identity: Identity, name: string, action = 'get'): Promise<KubeObject> {
  const app = runtime.store.application(name);
  if (app === undefined) {
    if (await runtime.access.can(identity, 'applications', 'get', appObject('*', name))) throw notFound(`application "${name}"`, `there is no Application ${name} in namespace ${runtime.namespace}`);
    throw forbidden(identity.name, 'get applications', appObject('*', name));
  }
  const object = appObject(projectOf(app), name);
  if (!(await runtime.access.can(identity, 'applications', action, object))) {
    throw forbidden(identity.name, `${action} applications`, object);
  }
  return app;
}

/** The summaries the caller may read. */
export async function visibleApps(runtime: ApiRuntime, identity: Identity): Promise<AppSummary[]> {
  const { enforcer } = await runtime.access.rbacConfig();
  const subject = { name: identity.sub, groups: identity.groups };
  return runtime.store.summariesList().filter((app) => enforcer.enforce(subject, 'applications', 'get', appObject(app.project, app.name)));
}
