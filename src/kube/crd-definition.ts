/**
 * One builder for the CustomResourceDefinitions Launchpad's add-ons create (ApplicationSet, SealedSecret, Kyverno's
 * policy kinds and the policy reports). They share a shape: served versions with the first one stored, a status
 * subresource so a controller's status writes never bump the generation, printer columns, and a label that lets
 * `kubectl get crd -l app.kubernetes.io/part-of=launchpad` find them. Application and AppProject are not built here:
 * they are static files under deploy/crds/ that reviewers read.
 */
import type { KubeObject } from '../model/resource.js';

export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
}

export interface CrdDefinition {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly namespaced: boolean;
  /** Served versions; the first is the storage version. */
  readonly versions: readonly string[];
  /** The `openAPIV3Schema`, the same for every version. */
  readonly schema: Readonly<Record<string, unknown>>;
  readonly statusSubresource: boolean;
  readonly columns?: readonly PrinterColumn[];
  readonly labels?: Readonly<Record<string, string>>;
}

/** A schema that keeps every field: for kinds whose controller validates what it reads and names the field itself. */
export const OPEN_OBJECT_SCHEMA: Readonly<Record<string, unknown>> = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

export function customResourceDefinition(definition: CrdDefinition): KubeObject {
  const shortNames = definition.shortNames ?? [];
  const categories = definition.categories ?? [];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${definition.plural}.${definition.group}`, labels: { ...definition.labels } },
    spec: {
      group: definition.group,
      scope: definition.namespaced ? 'Namespaced' : 'Cluster',
      names: {
        kind: definition.kind,
        listKind: `${definition.kind}List`,
        plural: definition.plural,
        singular: definition.singular,
        ...(shortNames.length > 0 ? { shortNames: [...shortNames] } : {}),
        ...(categories.length > 0 ? { categories: [...categories] } : {}),
      },
      versions: definition.versions.map((version, index) => ({
        name: version,
        served: true,
        storage: index === 0,
        ...(definition.statusSubresource ? { subresources: { status: {} } } : {}),
        ...(definition.columns === undefined ? {} : { additionalPrinterColumns: definition.columns.map((column) => ({ ...column })) }),
        schema: { openAPIV3Schema: structuredClone(definition.schema) },
      })),
    },
  };
}
