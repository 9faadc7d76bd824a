/**
 * Delete propagation where it shows: with a garbage collector (tier 2: controller-manager), Orphan leaves a
 * Deployment's ReplicaSet behind and Foreground removes it together with the Deployment.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/index.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';

const deployment = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
});

describe('KubeClient delete propagation with a garbage collector (tier 2)', { skip: controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  const ns = 'propagation';

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });

  after(async () => {
    client.close?.();
    await plane.stop();
  });

  /** The ReplicaSets the Deployment's controller made, found by the Deployment's pod label. */
  const replicaSetsOf = (name: string): Promise<KubeObject[]> => client.list('apps/v1', 'ReplicaSet', { namespace: ns, labelSelector: `app=${name}` });

  for (const [policy, replicaSetRemains] of [
    ['Orphan', true],
    ['Foreground', false],
  ] as const) {
    test(`${policy}: the Deployment goes and its ReplicaSet ${replicaSetRemains ? 'stays, no longer owned' : 'goes with it'}`, async () => {
      const name = `web-${policy.toLowerCase()}`;
      await client.apply(deployment(ns, name));
      await eventually(async () => (await replicaSetsOf(name)).length === 1, { what: `the ReplicaSet of Deployment/${ns}/${name}` });

      await client.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name }, { propagationPolicy: policy });
      await eventually(async () => (await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name })) === undefined, { what: `Deployment/${ns}/${name} gone` });

      if (replicaSetRemains) {
        const [replicaSet] = await eventually(
          async () => {
            const sets = await replicaSetsOf(name);
            return sets.every((set) => set.metadata.ownerReferences === undefined) && sets;
          },
          { what: 'the orphaned ReplicaSet without owner' },
        );
        assert.ok(replicaSet, 'the ReplicaSet was deleted');
        assert.equal(replicaSet.metadata.deletionTimestamp, undefined);
      } else {
        assert.deepEqual(await replicaSetsOf(name), []);
      }
    });
  }
});
