/**
 * Policies over a rendered tree, for `launchpad render --policies` and the policy section of `launchpad diff`: every
 * rendered object goes through the policies as an admission CREATE (mutate, then validate the mutated object), with
 * `namespaceSelector`s answered from the Namespaces the same tree renders — the cluster is not asked, so a namespace
 * the tree does not render has no labels.
 */
import type { RenderTree } from '../render/types.js';
import { admit } from './admission.js';
import type { AdmissionResult, LoadedPolicy, RuleResult } from './api.js';
import { resourceName } from './rule-runner.js';

/** One rendered object's admission, with the application that renders it. */
export interface AppAdmission {
  readonly app: string;
  /** `Deployment/shop/web`. */
  readonly resource: string;
  readonly result: AdmissionResult;
}

/** Labels of every Namespace object the trees render (the last one wins when two apps render the same name). */
export function renderedNamespaceLabels(trees: readonly RenderTree[]): ReadonlyMap<string, Readonly<Record<string, string>>> {
  const labels = new Map<string, Readonly<Record<string, string>>>();
  for (const app of trees.flatMap((tree) => tree.apps)) {
    for (const object of app.resources) {
      if (object.kind === 'Namespace' && object.apiVersion === 'v1' && object.metadata.name !== undefined) labels.set(object.metadata.name, object.metadata.labels ?? {});
    }
  }
  return labels;
}

/** Only admission policies take part: cleanup policies act on a schedule in the cluster, never on a request. */
export function admissionPolicies(policies: readonly LoadedPolicy[]): LoadedPolicy[] {
  return policies.filter((policy) => policy.schedule === undefined);
}

/** Every rendered object of every application that rendered, in tree order. */
export async function admitRenderedTrees(policies: readonly LoadedPolicy[], trees: readonly RenderTree[]): Promise<AppAdmission[]> {
  const namespaces = renderedNamespaceLabels(trees);
  const active = admissionPolicies(policies);
  const admissions: AppAdmission[] = [];
  for (const app of trees.flatMap((tree) => tree.apps)) {
    if (app.status === 'skipped') continue;
    for (const object of app.resources) {
      const result = await admit(active, { operation: 'CREATE', object, namespaceLabels: (name) => namespaces.get(name) });
      admissions.push({ app: app.name, resource: resourceName(object), result });
    }
  }
  return admissions;
}

/** The rule results of one admission: mutate rules first, then validate, as they ran. */
export function admissionRules(result: AdmissionResult): RuleResult[] {
  return [...result.mutation.rules, ...result.rules];
}
