/**
 * Tier 2 of the test control plane (plus controller-manager, scheduler and kwok's fake node) behaves like a
 * cluster: Deployments roll out and become Available, Jobs complete, deleting a Deployment collects its
 * ReplicaSets and Pods, and a deleted namespace finishes terminating. One control plane serves the whole file.
 */
import { ApiException, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import type { ControlPlane } from '../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../src/testing/index.js';

const skip = controlPlaneSkipReason(2);

const manifest = (text: string): KubernetesObject => parse(text) as KubernetesObject;

interface Condition {
  readonly type: string;
  readonly status: string;
}
type Deployment = KubernetesObject & { status?: { readyReplicas?: number; conditions?: Condition[] } };
type Job = KubernetesObject & { status?: { succeeded?: number; conditions?: Condition[] } };
type Pod = KubernetesObject & { spec?: { nodeName?: string }; status?: { phase?: string; podIP?: string } };

const isTrue = (conditions: readonly Condition[] | undefined, type: string): boolean =>
  conditions?.some((condition) => condition.type === type && condition.status === 'True') === true;

const deploymentYaml = (namespace: string, name: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: "registry.example/${name}:1"}]}
`;

describe('test control plane, tier 2 (controllers, scheduler, kwok node)', { skip }, () => {
  let plane: ControlPlane;
  let objects: KubernetesObjectApi;

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromFile(plane.kubeconfigPath);
    objects = KubernetesObjectApi.makeApiClient(kubeconfig);
  });

  after(async () => {
    await plane.stop();
  });

  const gone = async (object: KubernetesObject): Promise<boolean> => {
    try {
      await objects.read(object as KubernetesObject & { metadata: { name: string } });
      return false;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return true;
      throw error;
    }
  };

  test('a Deployment becomes Available with its Pods Running on the fake node', async () => {
    await objects.create(manifest('{apiVersion: v1, kind: Namespace, metadata: {name: shop}}'));
    await objects.create(manifest(deploymentYaml('shop', 'web')));
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };
    const live = await eventually(async () => {
      const deployment = await objects.read<Deployment>(ref);
      return isTrue(deployment.status?.conditions, 'Available') && deployment.status?.readyReplicas === 2 ? deployment : undefined;
    }, { what: 'Deployment/shop/web Available with 2 ready replicas' });
    assert.equal(live.status?.readyReplicas, 2);
    const pods = await objects.list<Pod>('v1', 'Pod', 'shop');
    assert.equal(pods.items.length, 2);
    for (const pod of pods.items) {
      assert.equal(pod.status?.phase, 'Running');
      assert.equal(pod.spec?.nodeName, plane.nodeName);
      assert.ok(pod.status.podIP, `Pod/shop/${pod.metadata?.name ?? "?"} has an IP`);
    }
  });

  test('a Job runs to completion', async () => {
    await objects.create(manifest(`
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: default}
spec:
  backoffLimit: 0
  template:
    spec: {restartPolicy: Never, containers: [{name: migrate, image: "registry.example/migrate:1"}]}
`));
    const job = await eventually(async () => {
      const live = await objects.read<Job>({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'default' } });
      return isTrue(live.status?.conditions, 'Complete') ? live : undefined;
    }, { what: 'Job/default/migrate Complete' });
    assert.equal(job.status?.succeeded, 1);
  });

  test('deleting a Deployment garbage-collects its ReplicaSet and Pods', async () => {
    await objects.create(manifest(deploymentYaml('default', 'api')));
    await eventually(async () => (await objects.list<Pod>('v1', 'Pod', 'default', undefined, undefined, undefined, undefined, 'app=api')).items.length === 2, {
      what: 'Pods of Deployment/default/api',
    });
    await objects.delete(manifest('{apiVersion: apps/v1, kind: Deployment, metadata: {name: api, namespace: default}}'), undefined, undefined, undefined, undefined, 'Background');
    await eventually(async () => {
      const replicaSets = await objects.list('apps/v1', 'ReplicaSet', 'default', undefined, undefined, undefined, undefined, 'app=api');
      const pods = await objects.list('v1', 'Pod', 'default', undefined, undefined, undefined, undefined, 'app=api');
      return replicaSets.items.length === 0 && pods.items.length === 0;
    }, { what: 'ReplicaSets and Pods of Deployment/default/api to be collected' });
  });

  test('a deleted namespace with workloads in it finishes terminating', async () => {
    await objects.create(manifest('{apiVersion: v1, kind: Namespace, metadata: {name: doomed}}'));
    await objects.create(manifest(deploymentYaml('doomed', 'worker')));
    await objects.create(manifest('{apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: doomed}, data: {a: "1"}}'));
    await eventually(async () => (await objects.list<Pod>('v1', 'Pod', 'doomed')).items.length === 2, { what: 'Pods in namespace doomed' });
    const namespace = manifest('{apiVersion: v1, kind: Namespace, metadata: {name: doomed}}');
    await objects.delete(namespace);
    await eventually(() => gone(namespace), { what: 'Namespace/doomed to be deleted' });
  });
});
