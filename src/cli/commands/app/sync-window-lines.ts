/**
 * The sync-window lines of `launchpad app get`, as `argocd app get` prints them: whether the project's sync windows
 * allow a sync now (`Sync Allowed`, `Sync Denied`, `Manual Allowed`) and which windows are assigned to the app.
 * Read from the AppProject in the cluster; a project that is missing or invalid adds nothing (the Application's
 * conditions already say so).
 */
import { syncWindowSummary, syncWindowTargetOf } from '../../../controller/sync-windows.js';
import { DEFAULT_PROJECT, defaultProject, validateAppProject } from '../../../model/app-project.js';
import { describeAs } from '../../../model/describe.js';
import type { KubeObject } from '../../../model/resource.js';
import type { AppContext } from './context.js';
import { APP_API_VERSION } from './context.js';
import { project as projectName } from './fields.js';

/** `[label, value]` lines for the summary; empty when the project assigns no window to the app. */
export function syncWindowLines(app: KubeObject, project: KubeObject | undefined, now: number): [string, string][] {
  const name = projectName(app);
  const validated = project === undefined ? undefined : validateAppProject(project, describeAs(`AppProject/${name}`));
  const appProject = validated?.ok === true ? validated.value : name === DEFAULT_PROJECT && project === undefined ? defaultProject() : undefined;
  if (appProject === undefined) return [];
  const summary = syncWindowSummary(appProject, syncWindowTargetOf(app), now);
  if (summary.windows.length === 0 && summary.problems.length === 0) return [];
  return [
    ['Sync Window', summary.status],
    ...summary.windows.map((window, index): [string, string] => [index === 0 ? 'Assigned Windows' : '', window]),
    ...summary.problems.map((problem, index): [string, string] => [index === 0 ? 'Window Problems' : '', problem]),
  ];
}

/** Reads the Application's AppProject from the cluster and returns its sync-window lines. */
export async function syncWindowLinesFromCluster(context: AppContext, app: KubeObject): Promise<[string, string][]> {
  const project = await context.client.get({ apiVersion: APP_API_VERSION, kind: 'AppProject', namespace: context.namespace, name: projectName(app) }).catch(() => undefined);
  return syncWindowLines(app, project, Date.now());
}
