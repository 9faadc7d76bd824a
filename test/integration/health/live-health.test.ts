/**
 * GIVEN the tier-2 test control plane (real API server, controllers, scheduler, kwok node), WHEN a Deployment is
 * created and its live object is fetched again and again, THEN assessHealth sees it go Progressing → Healthy, and the
 * aggregate of the Deployment and its Service follows; a rolled-out image change goes through Progressing again.
 */
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { aggregateHealth, assessHealth } from '../../../src/health/index.js';
import type { HealthResult, HealthStatus } from '../../../src/health/index.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';

const NAMESPACE = 'live-health';

const manifest = (text: string): KubernetesObject => parse(text) as KubernetesObject;

const deployment = (image: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${NAMESPACE}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: "${image}"}]}
`;

describe('health of live objects on the tier-2 control plane', { skip: controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let objects: KubernetesObjectApi;

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromFile(plane.kubeconfigPath);
    objects = KubernetesObjectApi.makeApiClient(kubeconfig);
    await objects.create(manifest(`{apiVersion: v1, kind: Namespace, metadata: {name: ${NAMESPACE}}}`));
    await eventually(() => objects.read({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: NAMESPACE } }), {
      what: `ServiceAccount/${NAMESPACE}/default`,
    });
  });

  after(async () => {
    await plane.stop();
  });

  const fetchLive = (kind: string, apiVersion: string, name: string): Promise<KubeObject> =>
    objects.read<KubernetesObject & KubeObject>({ apiVersion, kind, metadata: { name, namespace: NAMESPACE } });

  /** Polls the Deployment, recording each distinct health it shows, until it is Healthy. */
  async function watchUntilHealthy(seen: HealthResult[]): Promise<KubeObject> {
    return eventually(async () => {
      const live = await fetchLive('Deployment', 'apps/v1', 'web');
      const health = assessHealth(live);
      if (seen.at(-1)?.message !== health.message) seen.push(health);
      return health.status === 'Healthy' ? live : undefined;
    }, { what: `Deployment/${NAMESPACE}/web Healthy`, intervalMs: 50 });
  }

  test('a new Deployment is Progressing, then Healthy once its replicas are available', async () => {
    const created = (await objects.create(manifest(deployment('registry.example/web:1')))) as KubeObject;
    // Straight after creation the controller has not reported any replica yet.
    assert.equal(assessHealth(created).status, 'Progressing');
    const seen: HealthResult[] = [assessHealth(created)];
    const live = await watchUntilHealthy(seen);
    assert.deepEqual(assessHealth(live), { status: 'Healthy', message: 'Deployment "web" has 3 of 3 replicas available' });
    const statuses = seen.map((health) => health.status);
    assert.deepEqual([...new Set(statuses)], ['Progressing', 'Healthy'] satisfies HealthStatus[], JSON.stringify(seen, null, 2));
    for (const health of seen.slice(0, -1)) assert.match(health.message, /^Waiting for rollout to finish: /);
  });

  test('an image change goes through Progressing again, and the aggregate with a Service follows', async () => {
    await objects.create(manifest(`{apiVersion: v1, kind: Service, metadata: {name: web, namespace: ${NAMESPACE}}, spec: {selector: {app: web}, ports: [{port: 80}]}}`));
    const imageChange = manifest(`{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: ${NAMESPACE}}, spec: {template: {spec: {containers: [{name: app, image: "registry.example/web:2"}]}}}}`);
    const patched = (await objects.patch(imageChange, undefined, undefined, undefined, undefined, 'application/strategic-merge-patch+json')) as KubeObject;
    const service = await fetchLive('Service', 'v1', 'web');
    const aggregate = (deploymentObject: KubeObject): HealthResult =>
      aggregateHealth([{ object: deploymentObject, health: assessHealth(deploymentObject) }, { object: service, health: assessHealth(service) }]);
    // The patch response carries the new generation, which the controller has not observed yet.
    assert.deepEqual(aggregate(patched), {
      status: 'Progressing',
      message: 'Deployment/live-health/web: Waiting for rollout to finish: observed deployment generation less than desired generation',
    });
    const seen: HealthResult[] = [];
    const live = await watchUntilHealthy(seen);
    assert.deepEqual(aggregate(live), { status: 'Healthy', message: 'all 2 resources are healthy' });
  });
});
