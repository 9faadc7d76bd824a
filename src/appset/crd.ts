/**
 * Launchpad's ApplicationSet CustomResourceDefinition (`argoproj.io/v1alpha1`, the group and version Argo CD uses, so
 * sets written for Argo CD apply unchanged). The schema is deliberately minimal — the controller validates the spec
 * and reports problems in the set's conditions, naming the field — and the status is a subresource, so the
 * controller's status writes never change the set's generation.
 */
import { customResourceDefinition, OPEN_OBJECT_SCHEMA } from '../kube/crd-definition.js';
import type { KubeObject } from '../model/resource.js';

export function applicationSetCrd(): KubeObject {
  return customResourceDefinition({
    group: 'argoproj.io',
    kind: 'ApplicationSet',
    plural: 'applicationsets',
    singular: 'applicationset',
    shortNames: ['appset', 'appsets'],
    namespaced: true,
    versions: ['v1alpha1'],
    statusSubresource: true,
    labels: { 'app.kubernetes.io/part-of': 'launchpad' },
    columns: [
      { name: 'Status', type: 'string', jsonPath: '.status.conditions[?(@.type=="ResourcesUpToDate")].status' },
      { name: 'Resources', type: 'integer', jsonPath: '.status.resourcesCount' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: {
      type: 'object',
      required: ['metadata', 'spec'],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: { ...OPEN_OBJECT_SCHEMA, required: ['generators', 'template'], properties: { generators: { type: 'array', items: OPEN_OBJECT_SCHEMA }, template: OPEN_OBJECT_SCHEMA } },
        status: OPEN_OBJECT_SCHEMA,
      },
    },
  });
}
