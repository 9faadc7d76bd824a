/**
 * Minimal CustomResourceDefinitions for the kinds the policy add-on reads and writes: Kyverno's policies
 * (`kyverno.io`) and the Policy Working Group's reports (`wgpolicyk8s.io/v1alpha2`). The schemas keep every field
 * (`x-kubernetes-preserve-unknown-fields`): the policy engine validates policies itself and names the policy, rule
 * and field of a mistake, which a CRD schema could only report as "unknown field". They are created only where the
 * kind is missing — a cluster running upstream Kyverno keeps Kyverno's own definitions untouched.
 */
import { LaunchpadError } from '../../errors.js';
import { waitEstablished } from '../../install/apply.js';
import { customResourceDefinition, OPEN_OBJECT_SCHEMA, type CrdDefinition } from '../../kube/crd-definition.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';

/** Marks the definitions Launchpad created, so that `kubectl get crd -l app.kubernetes.io/part-of=launchpad` finds them. */
const LABELS = { 'app.kubernetes.io/part-of': 'launchpad', 'app.kubernetes.io/component': 'policies' } as const;

const POLICY_COLUMNS = [
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
] as const;

const REPORT_COLUMNS = [
  { name: 'Pass', type: 'integer', jsonPath: '.summary.pass' },
  { name: 'Fail', type: 'integer', jsonPath: '.summary.fail' },
  { name: 'Warn', type: 'integer', jsonPath: '.summary.warn' },
  { name: 'Error', type: 'integer', jsonPath: '.summary.error' },
  { name: 'Skip', type: 'integer', jsonPath: '.summary.skip' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
] as const;

// Policies carry a status (Ready, and why not) written through the subresource, as Kyverno's CRDs do; reports do not.
const POLICY = { categories: ['kyverno'], statusSubresource: true, columns: POLICY_COLUMNS, schema: OPEN_OBJECT_SCHEMA, labels: LABELS } as const;
const REPORT = { statusSubresource: false, columns: REPORT_COLUMNS, schema: OPEN_OBJECT_SCHEMA, labels: LABELS } as const;

// Kyverno serves v1 policies and v2 cleanup policies (the older beta versions are served too, so files written for
// them still apply); the group and names are Kyverno's so that policy files work unchanged.
const DEFINITIONS: readonly CrdDefinition[] = [
  { ...POLICY, group: 'kyverno.io', kind: 'ClusterPolicy', plural: 'clusterpolicies', singular: 'clusterpolicy', shortNames: ['cpol'], namespaced: false, versions: ['v1', 'v2beta1'] },
  { ...POLICY, group: 'kyverno.io', kind: 'Policy', plural: 'policies', singular: 'policy', shortNames: ['pol'], namespaced: true, versions: ['v1', 'v2beta1'] },
  { ...POLICY, group: 'kyverno.io', kind: 'ClusterCleanupPolicy', plural: 'clustercleanuppolicies', singular: 'clustercleanuppolicy', shortNames: ['ccleanpol'], namespaced: false, versions: ['v2', 'v2beta1', 'v2alpha1'] },
  { ...POLICY, group: 'kyverno.io', kind: 'CleanupPolicy', plural: 'cleanuppolicies', singular: 'cleanuppolicy', shortNames: ['cleanpol'], namespaced: true, versions: ['v2', 'v2beta1', 'v2alpha1'] },
  { ...REPORT, group: 'wgpolicyk8s.io', kind: 'PolicyReport', plural: 'policyreports', singular: 'policyreport', shortNames: ['polr'], namespaced: true, versions: ['v1alpha2'] },
  { ...REPORT, group: 'wgpolicyk8s.io', kind: 'ClusterPolicyReport', plural: 'clusterpolicyreports', singular: 'clusterpolicyreport', shortNames: ['cpolr'], namespaced: false, versions: ['v1alpha2'] },
];

/** Every definition, in a fixed order (policies, cleanup policies, reports). */
export function policyCrdManifests(): KubeObject[] {
  return DEFINITIONS.map(customResourceDefinition);
}

export interface EnsureCrdsResult {
  /** Names of the definitions this call created. */
  readonly created: readonly string[];
}

/**
 * Creates each definition that is missing (never replaces one: upstream Kyverno's stay as they are) and waits until
 * the created ones are Established. Throws a LaunchpadError naming the definition when one cannot be created.
 */
export async function ensurePolicyCrds(client: KubeClient, timeoutMs = 30_000): Promise<EnsureCrdsResult> {
  const created: KubeObject[] = [];
  for (const definition of policyCrdManifests()) {
    const name = definition.metadata.name ?? '';
    const ref = { apiVersion: definition.apiVersion, kind: definition.kind, name };
    if ((await client.get(ref)) !== undefined) continue;
    try {
      await client.create(definition);
    } catch (error) {
      // Another replica (or an install) may have created it between the read and the write.
      if ((await client.get(ref)) === undefined) {
        throw new LaunchpadError(`CustomResourceDefinition/${name}: could not be created`, { cause: error, fix: 'give the controller rights to create CustomResourceDefinitions, or install Kyverno\'s CRDs' });
      }
      continue;
    }
    created.push(definition);
  }
  if (created.length > 0) await waitEstablished(client, created, timeoutMs, 'restart the controller');
  return { created: created.map((definition) => definition.metadata.name ?? '') };
}
