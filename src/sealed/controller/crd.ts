/**
 * The SealedSecret CustomResourceDefinition Launchpad installs where none is: group `bitnami.com`, kind
 * `SealedSecret`, version `v1alpha1`, namespaced, with a `status` subresource (the unsealer writes conditions there)
 * and the same printed columns as Bitnami's. Its schema is deliberately loose — `spec` and `status` keep unknown
 * fields — so SealedSecrets written for any controller version are accepted; the unsealer validates what it reads.
 * Where Bitnami's own CRD is installed it is left alone (applied only when missing, see src/install/apply.ts).
 */
import type { KubeObject } from '../../model/resource.js';
import { SEALED_SECRET_CRD_NAME } from './names.js';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

export function sealedSecretCrd(labels: Readonly<Record<string, string>> = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: SEALED_SECRET_CRD_NAME, labels: { ...labels } },
    spec: {
      group: 'bitnami.com',
      names: { kind: 'SealedSecret', listKind: 'SealedSecretList', plural: 'sealedsecrets', singular: 'sealedsecret' },
      scope: 'Namespaced',
      versions: [{
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Status', type: 'string', jsonPath: '.status.conditions[0].message' },
          { name: 'Synced', type: 'string', jsonPath: '.status.conditions[0].status' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'A Secret encrypted with the cluster\'s sealing key; the unsealer writes the Secret it holds.',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
                properties: {
                  encryptedData: stringMap,
                  template: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
            required: ['spec'],
          },
        },
      }],
    },
  };
}
