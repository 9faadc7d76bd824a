/**
 * Launchpad's ApplicationSet CustomResourceDefinition (`argoproj.io/v1alpha1`, the group and version Argo CD uses, so
 * sets written for Argo CD apply unchanged). The schema is deliberately minimal — the controller validates the spec
 * and reports problems in the set's conditions, naming the field — and the status is a subresource, so the
 * controller's status writes never change the set's generation.
 */
import type { KubeObject } from '../model/resource.js';

export function applicationSetCrd(): KubeObject {
  const openObject = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'applicationsets.argoproj.io', labels: { 'app.kubernetes.io/part-of': 'launchpad' } },
    spec: {
      group: 'argoproj.io',
      scope: 'Namespaced',
      names: { kind: 'ApplicationSet', listKind: 'ApplicationSetList', plural: 'applicationsets', singular: 'applicationset', shortNames: ['appset', 'appsets'] },
      versions: [{
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Status', type: 'string', jsonPath: '.status.conditions[?(@.type=="ResourcesUpToDate")].status' },
          { name: 'Resources', type: 'integer', jsonPath: '.status.resourcesCount' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            required: ['metadata', 'spec'],
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: { ...openObject, required: ['generators', 'template'], properties: { generators: { type: 'array', items: openObject }, template: openObject } },
              status: openObject,
            },
          },
        },
      }],
    },
  };
}
