/**
 * GIVEN the forteapp chart and an app's values, WHEN rendered with the real `helm template`,
 * THEN the workload has the platform's production defaults and the knobs change what they say.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, container, envOf, find, inventory, list, template, text } from './helpers.js';

test('minimal values render a Deployment, Service and ServiceAccount named after the release, and nothing else', async () => {
  const objects = await template({ release: 'mcp10x', namespace: 'mcp10x' });
  assert.deepEqual(inventory(objects), ['Deployment/mcp10x', 'Service/mcp10x', 'ServiceAccount/mcp10x']);
  for (const object of objects) assert.equal(object.metadata.namespace, 'mcp10x', `${object.kind} is in the release namespace`);
});

test('every object carries the standard app.kubernetes.io labels; only the Deployment and its Pods carry the version', async () => {
  const objects = await template({ release: 'mcp10x', values: { app: { image: { tag: '2.0.4' } } } });
  const standard = {
    'helm.sh/chart': 'forteapp-0.1.0',
    'app.kubernetes.io/name': 'mcp10x',
    'app.kubernetes.io/instance': 'mcp10x',
    'app.kubernetes.io/part-of': 'mcp10x',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/component': 'app',
  };
  for (const object of objects) {
    // A tag bump must change only the workload that runs it, not every object of the app.
    const expected = object.kind === 'Deployment' ? { ...standard, 'app.kubernetes.io/version': '2.0.4' } : standard;
    assert.deepEqual({ ...object.metadata.labels }, expected, `${object.kind} labels`);
  }
  assert.equal((at(find(objects, 'Deployment', 'mcp10x'), 'spec', 'template', 'metadata', 'labels') as Record<string, string>)['app.kubernetes.io/version'], '2.0.4');
  const selector = { 'app.kubernetes.io/name': 'mcp10x', 'app.kubernetes.io/instance': 'mcp10x', 'app.kubernetes.io/component': 'app' };
  assert.deepEqual(at(find(objects, 'Deployment', 'mcp10x'), 'spec', 'selector', 'matchLabels'), selector, 'a new image tag must not change the selector');
  assert.deepEqual(at(find(objects, 'Service', 'mcp10x'), 'spec', 'selector'), selector);
});

test('the pod runs as non-root with a read-only root filesystem, a writable /tmp, resources and probes', async () => {
  const deployment = find(await template(), 'Deployment', 'demo');
  const pod = at(deployment, 'spec', 'template', 'spec');
  assert.equal(at(pod, 'securityContext', 'runAsNonRoot'), true);
  assert.equal(at(pod, 'securityContext', 'seccompProfile', 'type'), 'RuntimeDefault');
  assert.equal(at(pod, 'automountServiceAccountToken'), false);
  const app = container(deployment, 'app');
  assert.equal(text(app, 'image'), 'ghcr.io/fortedigital/demo:1.2.3');
  assert.deepEqual(at(app, 'securityContext'), {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  assert.deepEqual(at(app, 'volumeMounts'), [{ name: 'tmp', mountPath: '/tmp' }]);
  assert.deepEqual(at(pod, 'volumes'), [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
  assert.deepEqual(at(app, 'resources'), { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } });
  assert.deepEqual(at(app, 'ports'), [{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
  assert.deepEqual(at(app, 'livenessProbe', 'tcpSocket'), { port: 'http' }, 'no probe path: a TCP check');
  assert.deepEqual(at(app, 'readinessProbe', 'tcpSocket'), { port: 'http' });
  assert.equal(at(deployment, 'spec', 'replicas'), 1);
});

test('app.probes.path switches both probes to HTTP GET on the app port', async () => {
  const app = container(find(await template({ values: { app: { probes: { path: '/health' } } } }), 'Deployment', 'demo'), 'app');
  assert.deepEqual(at(app, 'livenessProbe', 'httpGet'), { path: '/health', port: 'http' });
  assert.deepEqual(at(app, 'readinessProbe', 'httpGet'), { path: '/health', port: 'http' });
  assert.equal(at(app, 'livenessProbe', 'tcpSocket'), undefined);
});

test('the seed example: PORT from extraEnv, the sealed secret as envFrom, the port on the container', async () => {
  const objects = await template({
    release: 'mcp10x',
    values: { app: { extraEnv: [{ name: 'PORT', value: '3000' }], envSecretName: 'app-credentials' } },
  });
  const app = container(find(objects, 'Deployment', 'mcp10x'), 'app');
  assert.equal(envOf(app).get('PORT'), '3000');
  assert.deepEqual(at(app, 'envFrom'), [{ secretRef: { name: 'app-credentials' } }]);
  assert.equal(at(find(objects, 'Service', 'mcp10x'), 'spec', 'ports', 0, 'targetPort'), 'http');
});

test('config.enabled renders the ConfigMap, feeds it as env and rolls the pods when it changes', async () => {
  const render = async (level: string): Promise<unknown> => {
    const objects = await template({ values: { config: { enabled: true, data: { LOG_LEVEL: level, PAGE_SIZE: 50 } } } });
    assert.deepEqual(at(find(objects, 'ConfigMap', 'demo-config'), 'data'), { LOG_LEVEL: level, PAGE_SIZE: '50' });
    const deployment = find(objects, 'Deployment', 'demo');
    assert.deepEqual(at(container(deployment, 'app'), 'envFrom'), [{ configMapRef: { name: 'demo-config' } }]);
    return at(deployment, 'spec', 'template', 'metadata', 'annotations', 'checksum/config');
  };
  const info = await render('info');
  const debug = await render('debug');
  assert.match(String(info), /^[0-9a-f]{64}$/);
  assert.notEqual(info, debug, 'a config change must change the pod template');
});

test('config.mountPath also mounts the ConfigMap as read-only files', async () => {
  const deployment = find(await template({ values: { config: { enabled: true, data: { a: 'b' }, mountPath: '/etc/demo' } } }), 'Deployment', 'demo');
  assert.deepEqual(list(container(deployment, 'app'), 'volumeMounts')[1], { name: 'config', mountPath: '/etc/demo', readOnly: true });
  assert.deepEqual(list(deployment, 'spec', 'template', 'spec', 'volumes')[1], { name: 'config', configMap: { name: 'demo-config' } });
});

test('autoscaling renders an autoscaling/v2 HPA and leaves replicas to it', async () => {
  const objects = await template({
    values: { app: { replicaCount: 3 }, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 6, targetMemoryUtilizationPercentage: 80 } },
  });
  const hpa = find(objects, 'HorizontalPodAutoscaler', 'demo');
  assert.equal(hpa.apiVersion, 'autoscaling/v2');
  assert.deepEqual(at(hpa, 'spec', 'scaleTargetRef'), { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo' });
  assert.equal(at(hpa, 'spec', 'minReplicas'), 2);
  assert.equal(at(hpa, 'spec', 'maxReplicas'), 6);
  assert.deepEqual(
    list(hpa, 'spec', 'metrics').map((metric) => [at(metric, 'resource', 'name'), at(metric, 'resource', 'target', 'averageUtilization')]),
    [['cpu', 75], ['memory', 80]],
  );
  assert.equal(at(find(objects, 'Deployment', 'demo'), 'spec', 'replicas'), undefined, 'the HPA owns replicas; a fixed count would fight it');
});

test('the PodDisruptionBudget selects the app pods and allows one eviction at a time', async () => {
  const pdb = find(await template({ values: { podDisruptionBudget: { enabled: true } } }), 'PodDisruptionBudget', 'demo');
  assert.equal(pdb.apiVersion, 'policy/v1');
  assert.equal(at(pdb, 'spec', 'maxUnavailable'), 1);
  assert.equal(at(pdb, 'spec', 'selector', 'matchLabels', 'app.kubernetes.io/component'), 'app');
});

test('namespace.create renders the Namespace; serviceAccount.create=false uses the given account', async () => {
  const objects = await template({
    namespace: 'shop',
    values: { namespace: { create: true, labels: { 'forteapps.io/team': 'web' } }, serviceAccount: { create: false, name: 'shared' } },
  });
  assert.deepEqual(inventory(objects), ['Deployment/demo', 'Namespace/shop', 'Service/demo']);
  assert.equal(find(objects, 'Namespace', 'shop').metadata.labels?.['forteapps.io/team'], 'web');
  assert.equal(at(find(objects, 'Deployment', 'demo'), 'spec', 'template', 'spec', 'serviceAccountName'), 'shared');
});

test('fullnameOverride renames every object and namespace.name moves them', async () => {
  const objects = await template({ release: 'r', values: { fullnameOverride: 'web', namespace: { name: 'elsewhere' }, ingress: { enabled: true, host: 'web.forteapps.net' } } });
  assert.deepEqual(inventory(objects), [
    'Certificate/web', 'Deployment/web', 'IngressRoute/web', 'IngressRoute/web-http', 'Middleware/web-redirect-https', 'Service/web', 'ServiceAccount/web',
  ]);
  for (const object of objects) assert.equal(object.metadata.namespace, 'elsewhere');
});
