/**
 * The SealedSecret CustomResourceDefinition Launchpad installs where none is: group `bitnami.com`, kind
 * `SealedSecret`, version `v1alpha1`, namespaced, with a `status` subresource (the unsealer writes conditions there)
 * and the same printed columns as Bitnami's. Its schema is deliberately loose — `spec` and `status` keep unknown
 * fields — so SealedSecrets written for any controller version are accepted; the unsealer validates what it reads.
 * Where Bitnami's own CRD is installed it is left alone (applied only when missing, see src/install/apply.ts).
 */
import { customResourceDefinition, OPEN_OBJECT_SCHEMA } from '../../kube/crd-definition.js';
import type { KubeObject } from '../../model/resource.js';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

export function sealedSecretCrd(labels: Readonly<Record<string, string>> = {}): KubeObject {
  return customResourceDefinition({
    group: 'bitnami.com',
    kind: 'SealedSecret',
    plural: 'sealedsecrets',
    singular: 'sealedsecret',
    namespaced: true,
    versions: ['v1alpha1'],
    statusSubresource: true,
    labels,
    columns: [
      { name: 'Status', type: 'string', jsonPath: '.status.conditions[0].message' },
      { name: 'Synced', type: 'string', jsonPath: '.status.conditions[0].status' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: {
      type: 'object',
      description: 'A Secret encrypted with the cluster\'s sealing key; the unsealer writes the Secret it holds.',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: { ...OPEN_OBJECT_SCHEMA, properties: { encryptedData: stringMap, template: OPEN_OBJECT_SCHEMA } },
        status: OPEN_OBJECT_SCHEMA,
      },
      required: ['spec'],
    },
  });
}
