/**
 * Sorts objects produced by rendering (e.g. the output of a root app-of-apps) into Applications, AppProjects and
 * everything else, validating the Argo CD kinds. There is no file, so findings are described by the chain of
 * Applications that rendered them: `Application "musicman" (rendered by root "upc-dev-root"): spec.destination: …`.
 */
import type { InputError } from '../errors.js';
import type { AppProject, Application, Warning } from './application.js';
import { validateAppProject } from './app-project.js';
import { describeRendered } from './describe.js';
import type { RenderedBy } from './describe.js';
import { groupOf } from './resource.js';
import type { KubeObject } from './resource.js';
import { validateApplication } from './validate-application.js';

export interface RenderedApplication {
  readonly app: Application;
  /** The object as rendered, for applying and diffing it as a resource of its parent. */
  readonly object: KubeObject;
}

export interface RenderedProject {
  readonly project: AppProject;
  readonly object: KubeObject;
}

export interface RenderedManifests {
  readonly applications: readonly RenderedApplication[];
  readonly projects: readonly RenderedProject[];
  readonly otherObjects: readonly KubeObject[];
  readonly warnings: readonly Warning[];
  /** One entry per problem; an invalid Application or AppProject is left out of its list. */
  readonly errors: readonly InputError[];
}

function isArgo(object: KubeObject, kind: string): boolean {
  return object.kind === kind && groupOf(object.apiVersion) === 'argoproj.io';
}

/** Validates the Applications and AppProjects among `objects`; `by` names who rendered them. */
export function loadRenderedObjects(objects: readonly KubeObject[], by: RenderedBy): RenderedManifests {
  const out = { applications: [] as RenderedApplication[], projects: [] as RenderedProject[], otherObjects: [] as KubeObject[], warnings: [] as Warning[], errors: [] as InputError[] };
  for (const object of objects) {
    if (isArgo(object, 'Application')) {
      const result = validateApplication(object, describeRendered(object, by));
      out.warnings.push(...result.warnings);
      if (result.ok) out.applications.push({ app: result.value, object });
      else out.errors.push(...result.errors);
    } else if (isArgo(object, 'AppProject')) {
      const result = validateAppProject(object, describeRendered(object, by));
      out.warnings.push(...result.warnings);
      if (result.ok) out.projects.push({ project: result.value, object });
      else out.errors.push(...result.errors);
    } else {
      out.otherObjects.push(object);
    }
  }
  return out;
}
