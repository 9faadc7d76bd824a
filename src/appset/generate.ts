/**
 * GenerateApplications, as Argo CD's ApplicationSet controller: every generator of the set gives parameter sets and
 * a template (its own merged over the set's); each set renders the template into one Application, `templatePatch`
 * is applied, the Application gets the resources finalizer unless `preserveResourcesOnDeletion` (or the template
 * names finalizers) and lives in the set's namespace. Any error fails the whole generation — the controller then
 * changes nothing, so a failing generator never deletes what it generated before.
 */
import { LaunchpadError } from '../errors.js';
import { describeError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';
import type { GeneratorContext } from './context.js';
import { GoTemplateCache } from './go-template.js';
import type { Params } from './params.js';
import { mergePatch, parseTemplatePatch } from './patch.js';
import { deepReplace, replaceString } from './render.js';
import type { TemplateMode } from './render.js';
import type { ApplicationSetSpec } from './spec.js';
import { transform } from './transform.js';

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface GenerationResult {
  /** The Applications to exist, in generator order (the controller sorts by name before writing). */
  readonly applications: KubeObject[];
  /** Generators that could not run (offline), one line each. */
  readonly skipped: readonly string[];
}

function renderOne(template: Readonly<Record<string, unknown>>, params: Readonly<Params>, mode: TemplateMode): Record<string, unknown> {
  // Argo CD returns the template untouched for an empty parameter set.
  return Object.keys(params).length === 0 ? structuredClone(template) : (deepReplace(template, params, mode) as Record<string, unknown>);
}

function toApplication(rendered: Readonly<Record<string, unknown>>, appSet: ApplicationSetSpec): KubeObject {
  const metadata = isPlainObject(rendered.metadata) ? rendered.metadata : {};
  const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers : [];
  const withFinalizers = !appSet.preserveResourcesOnDeletion && finalizers.length === 0 ? [RESOURCES_FINALIZER] : finalizers;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: typeof metadata.name === 'string' ? metadata.name : '',
      namespace: appSet.namespace,
      ...(isPlainObject(metadata.labels) && Object.keys(metadata.labels).length > 0 ? { labels: metadata.labels as Record<string, string> } : {}),
      ...(isPlainObject(metadata.annotations) && Object.keys(metadata.annotations).length > 0 ? { annotations: metadata.annotations as Record<string, string> } : {}),
      ...(withFinalizers.length > 0 ? { finalizers: withFinalizers } : {}),
    },
    spec: isPlainObject(rendered.spec) ? rendered.spec : {},
  };
}

function applyPatch(app: Readonly<Record<string, unknown>>, patchTemplate: string, params: Readonly<Params>, mode: TemplateMode): Record<string, unknown> {
  let text: string;
  try {
    text = replaceString(patchTemplate, params, mode);
  } catch (error) {
    throw new LaunchpadError(`error replacing values in templatePatch: ${describeError(error)}`, { cause: error });
  }
  const patched = mergePatch(app, parseTemplatePatch(text)) as Record<string, unknown>;
  const project = isPlainObject(app.spec) ? app.spec.project : undefined;
  return { ...patched, spec: { ...(isPlainObject(patched.spec) ? patched.spec : {}), ...(project === undefined ? {} : { project }) } };
}

/** Generates the Applications of one set. `go` keeps compiled Go templates between runs of the same set. */
export async function generateApplications(appSet: ApplicationSetSpec, context: GeneratorContext, go: GoTemplateCache = new GoTemplateCache(appSet.ref)): Promise<GenerationResult> {
  const mode: TemplateMode = { goTemplate: appSet.goTemplate, missingKey: appSet.missingKey, go };
  const skipped: string[] = [];
  const applications: KubeObject[] = [];
  for (const [index, generator] of appSet.generators.entries()) {
    const results = await transform(generator, appSet.template, { context, mode, depth: 0, skipped }, { where: `spec.generators[${index}]` });
    for (const result of results) {
      const template = isPlainObject(result.template) ? result.template : {};
      for (const params of result.params) {
        let app = renderOne(template, params, mode);
        if (appSet.templatePatch !== undefined) app = applyPatch(app, appSet.templatePatch, params, mode);
        applications.push(toApplication(app, appSet));
      }
    }
  }
  return { applications, skipped };
}

/** Argo CD's checks of generated Applications that need no cluster: a name, and no name twice. Errors by name. */
export function checkGeneratedNames(applications: readonly KubeObject[], appSet: ApplicationSetSpec): Map<string, string> {
  const errors = new Map<string, string>();
  const seen = new Set<string>();
  for (const app of applications) {
    const name = app.metadata.name ?? '';
    if (name === '') errors.set('', `ApplicationSet ${appSet.name} contains an application with no name; a name must be set in the template's metadata.name or via a templatePatch (generateName is not supported)`);
    else if (seen.has(name)) errors.set(name, `ApplicationSet ${appSet.name} contains applications with duplicate name: ${name}`);
    seen.add(name);
  }
  return errors;
}
