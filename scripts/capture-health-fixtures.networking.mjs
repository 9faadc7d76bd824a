// Service, Ingress, storage, autoscaling, aggregation and deletion scenarios for scripts/capture-health-fixtures.mjs.

const LOAD_BALANCER = (what) => [
  `Status written through the API's status subresource by the capture script: the address ${what}`,
  'would publish; the test control plane has no cloud provider or ingress controller to do it.',
];

async function services(t) {
  const ns = t.namespace;
  const service = (name, type) => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {type: ${type}, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`;
  await t.create(service('web', 'ClusterIP'));
  await t.create(service('edge', 'LoadBalancer'));
  await t.create(service('public', 'LoadBalancer'));
  t.write('service-clusterip', await t.waitHealth('service', 'web', 'Healthy'), 'Healthy');
  t.write('service-lb-pending', await t.waitHealth('service', 'edge', 'Progressing'), 'Progressing');
  const assigned = await t.patchStatus('service', 'public', { status: { loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }] } } });
  t.write('service-lb-healthy', assigned, 'Healthy', LOAD_BALANCER('a cloud load balancer controller'));
}

async function ingresses(t) {
  const ns = t.namespace;
  const ingress = (name) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: ${ns}}
spec:
  rules:
  - host: ${name}.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`;
  await t.create(ingress('shop'));
  await t.create(ingress('blog'));
  t.write('ingress-pending', await t.waitHealth('ingress', 'shop', 'Progressing'), 'Progressing');
  const assigned = await t.patchStatus('ingress', 'blog', { status: { loadBalancer: { ingress: [{ ip: '203.0.113.20' }] } } });
  t.write('ingress-healthy', assigned, 'Healthy', LOAD_BALANCER('an ingress controller'));
}

async function volumes(t) {
  const ns = t.namespace;
  const volume = (name) => `
apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  hostPath: {path: /tmp/${name}}
`;
  const claim = (name, storageClassName) => `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}, namespace: ${ns}}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ${storageClassName}
  resources: {requests: {storage: 1Gi}}
`;
  await t.create(claim('unbound', 'no-such-class'));
  await t.create(volume('pv-data'));
  await t.create(claim('data', 'manual'));
  t.write('pvc-pending', await t.waitHealth('pvc', 'unbound', 'Progressing'), 'Progressing');
  t.write('pvc-bound', await t.waitHealth('pvc', 'data', 'Healthy'), 'Healthy');
  // The volume of a bound claim disappears (deleted, then its protection finalizer removed, which the protection
  // controller does not put back on an object being deleted): the binder marks the claim Lost.
  await t.kubectl(['delete', 'pv', 'pv-data', '--wait=false']);
  await t.kubectl(['patch', 'pv', 'pv-data', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  t.write('pvc-lost', await t.waitHealth('pvc', 'data', 'Degraded'), 'Degraded');
}

async function autoscalers(t) {
  const ns = t.namespace;
  const hpa = (name, target) => `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}, namespace: ${ns}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  minReplicas: 1
  maxReplicas: 3
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]
`;
  // Before the HPA controller has looked at it: no conditions yet.
  await t.paused('kube-controller-manager', async () => {
    await t.create(hpa('fresh', 'web'));
    t.write('hpa-progressing', await t.get('hpa', 'fresh'), 'Progressing');
  });
  await t.create(hpa('orphan', 'no-such-deployment'));
  t.write('hpa-degraded', await t.waitHealth('hpa', 'orphan', 'Degraded'), 'Degraded');
  // The same object read as autoscaling/v1, which has no conditions field: the API server carries them in the
  // autoscaling.alpha.kubernetes.io/conditions annotation. (kubectl's hpa.v1.autoscaling still prints v2.)
  const v1 = JSON.parse(await t.kubectl(['get', '--raw', `/apis/autoscaling/v1/namespaces/${ns}/horizontalpodautoscalers/orphan`]));
  t.write('hpa-v1-degraded', v1, 'Degraded');
  // It can scale its target but no metrics server answers (ScalingActive=False, FailedGetResourceMetric): gitops-engine
  // looks for a failure in every condition before a success, so it is Degraded.
  t.write('hpa-metrics-unavailable', await t.waitHealth('hpa', 'fresh', 'Degraded', { also: (h) => (h.status?.conditions ?? []).length >= 2 }), 'Degraded');
  // A target scaled to zero: AbleToScale=True, ScalingActive=False (ScalingDisabled) — no failure, so Healthy.
  await t.create(`{apiVersion: apps/v1, kind: Deployment, metadata: {name: idle, namespace: ${ns}}, spec: {replicas: 0, selector: {matchLabels: {app: idle}}, template: {metadata: {labels: {app: idle}}, spec: {containers: [{name: app, image: "registry.example/idle:1"}]}}}}`);
  await t.create(hpa('idle', 'idle'));
  t.write('hpa-healthy', await t.waitHealth('hpa', 'idle', 'Healthy', { also: (h) => (h.status?.conditions ?? []).length >= 2 }), 'Healthy');
}

async function apiServices(t) {
  t.write('apiservice-available', await t.waitHealth('apiservice', 'v1.apps', 'Healthy', { namespace: '' }), 'Healthy');
  // An aggregated API whose Service does not exist: the aggregator reports Available=False.
  await t.create(`
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1alpha1.metrics.launchpad.dev}
spec:
  group: metrics.launchpad.dev
  version: v1alpha1
  groupPriorityMinimum: 100
  versionPriority: 10
  insecureSkipTLSVerify: true
  service: {namespace: ${t.namespace}, name: metrics-server, port: 443}
`);
  const unavailable = await t.waitHealth('apiservice', 'v1alpha1.metrics.launchpad.dev', 'Progressing', {
    namespace: '',
    also: (a) => (a.status?.conditions ?? []).some((c) => c.type === 'Available'),
  });
  t.write('apiservice-unavailable', unavailable, 'Progressing');
  await t.kubectl(['delete', 'apiservice', 'v1alpha1.metrics.launchpad.dev']);
}

async function deletion(t) {
  const ns = t.namespace;
  // A finalizer keeps the object while it is being deleted.
  await t.create(`{apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: ${ns}, finalizers: [launchpad.dev/hold]}, data: {mode: fast}}`);
  await t.kubectl(['delete', 'configmap', 'settings', '-n', ns, '--wait=false']);
  t.write('configmap-deleting', await t.waitHealth('configmap', 'settings', 'Progressing'), 'Progressing');
  await t.kubectl(['patch', 'configmap', 'settings', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
}

export async function networkingScenarios(t) {
  await Promise.all([services(t), ingresses(t), volumes(t), autoscalers(t), apiServices(t), deletion(t)]);
}
