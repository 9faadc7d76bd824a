/**
 * AppProjects enforced before anything is rendered or written: the application's sources and destination, then every
 * rendered resource's kind against the project's allow and deny lists. A violation is an InvalidSpecError on that
 * application and nothing of it is synced — never a partial sync. Projects come from the AppProject informer; a
 * project named `default` that allows everything exists when none is defined, as in Argo CD.
 */
import { validateAppProject } from '../model/app-project.js';
import { projectsByName } from '../model/app-project.js';
import type { AppProject, Application } from '../model/application.js';
import { describeAs } from '../model/describe.js';
import { applicationRefusals, orphanedResourcesPolicy, projectOf, resourceRefusal } from '../model/project-rules.js';
import type { KubeObject } from '../model/resource.js';
import { groupOf } from '../model/resource.js';
import type { Informer } from './informer.js';
import { managingApp } from './live-cache.js';
import type { ClusterHandle } from './services.js';
import type { Tracking } from '../settings/tracking.js';

export interface ProjectGate {
  /** Why the project refuses the application's sources or destination (or the project is missing). */
  refuseApplication(app: Application): string | undefined;
  /** Why the project refuses one of the rendered resources. */
  refuseResources(app: Application, objects: readonly KubeObject[], cluster: ClusterHandle): Promise<string | undefined>;
  /** Objects in the application's namespace that no application manages, when the project monitors them. */
  orphans(app: Application, cluster: ClusterHandle): string[];
  /** The application's project as it is now (its sync windows), or undefined when it does not exist. */
  projectOf(app: Application): AppProject | undefined;
}

export interface ProjectGateOptions {
  readonly projects: Informer;
  /** A destination name → its server (cluster Secrets). */
  readonly clusterNameToServer: (name: string) => string | undefined;
  /** How objects name their application (argocd-cm's tracking method), for orphans. @default annotation */
  readonly tracking?: () => Tracking;
}

export function createProjectGate(options: ProjectGateOptions): ProjectGate {
  const current = (): ReadonlyMap<string, AppProject> => {
    const valid = options.projects.list().flatMap((object) => {
      const result = validateAppProject(object, describeAs(`AppProject ${object.metadata.name ?? ''}`));
      return result.ok ? [result.value] : [];
    });
    return projectsByName(valid);
  };
  const find = (app: Application): AppProject | undefined => projectOf(app.spec.project, current());
  return {
    projectOf: find,
    refuseApplication(app) {
      const project = find(app);
      if (project === undefined) return `application references project "${app.spec.project}", which does not exist (or is invalid) — create the AppProject or fix spec.project`;
      const refusals = applicationRefusals(app, project, options.clusterNameToServer);
      return refusals.length === 0 ? undefined : refusals.join('; ');
    },
    async refuseResources(app, objects, cluster) {
      const project = find(app);
      if (project === undefined) return `project "${app.spec.project}" does not exist`;
      for (const object of objects) {
        const info = await cluster.client.resourceFor(object.apiVersion, object.kind).catch(() => undefined);
        const namespaced = info?.namespaced ?? object.metadata.namespace !== undefined;
        const refusal = resourceRefusal(project, { group: groupOf(object.apiVersion), kind: object.kind, namespaced, ...(object.metadata.name === undefined ? {} : { name: object.metadata.name }) });
        if (refusal !== undefined) return `${object.kind}/${object.metadata.name ?? ''}: ${refusal}`;
      }
      return undefined;
    },
    orphans(app, cluster) {
      const project = find(app);
      const policy = project === undefined ? undefined : orphanedResourcesPolicy(project);
      const namespace = app.spec.destination.namespace;
      if (policy === undefined || !policy.warn || namespace === undefined || namespace === '') return [];
      return cluster.cache.inNamespace(namespace)
        .filter((object) => managingApp(object, options.tracking?.()) === undefined && (object.metadata.ownerReferences === undefined || (object.metadata.ownerReferences as unknown[]).length === 0))
        .filter((object) => !policy.isIgnored({ group: groupOf(object.apiVersion), kind: object.kind, name: object.metadata.name ?? '', namespace }))
        .map((object) => `${object.kind}/${object.metadata.name ?? ''}`)
        .sort();
    },
  };
}
