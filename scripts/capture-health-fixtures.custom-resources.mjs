// Custom resource scenarios for scripts/capture-health-fixtures.mjs: Argo CD Applications, cert-manager
// Certificates, Bitnami SealedSecrets and a Flux Kustomization (the standard Ready condition). Their controllers are
// not part of the test control plane, so the CRDs are installed with open schemas and the script writes each status
// as the controller would; the objects themselves (metadata, defaults, timestamps) come from the API server.

const NOTE = (controller) => [`Status written through the API by the capture script as ${controller} writes it; the controller is not part of the test control plane.`];

const crd = ({ group, kind, plural, version, statusSubresource = true }) => `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${plural}.${group}}
spec:
  group: ${group}
  scope: Namespaced
  names: {kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List}
  versions:
  - name: ${version}
    served: true
    storage: true
    ${statusSubresource ? 'subresources: {status: {}}' : ''}
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;

const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

async function installCrds(t, definitions) {
  for (const definition of definitions) await t.create(crd(definition));
  for (const { group, plural } of definitions) {
    await t.kubectl(['wait', '--for=condition=Established', '--timeout=60s', `crd/${plural}.${group}`]);
  }
}

/** Creates the object, then writes its status through the status subresource (or returns it when status is null). */
async function withStatus(t, resource, yaml, status) {
  await t.create(yaml);
  const name = /name: ([\w.-]+)/.exec(yaml)?.[1];
  if (status === null) return t.get(resource, name);
  return t.patchStatus(resource, name, { status });
}

async function applications(t) {
  const ns = t.namespace;
  // Argo CD's Application CRD has no status subresource: the controller writes status with the object.
  const app = (name, status) => `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: ${ns}}
spec:
  project: default
  source: {repoURL: "https://git.example.com/platform.git", path: apps/${name}, targetRevision: main}
  destination: {server: "https://kubernetes.default.svc", namespace: ${name}}
${status === undefined ? '' : `status: ${JSON.stringify(status)}`}
`;
  const sync = { status: 'Synced', revision: '3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49' };
  await t.create(app('payments', { health: { status: 'Healthy', lastTransitionTime: stamp() }, sync }));
  await t.create(app('checkout', { health: { status: 'Degraded', message: 'Deployment "checkout" exceeded its progress deadline', lastTransitionTime: stamp() }, sync }));
  await t.create(app('search'));
  t.write('application-healthy', await t.get('application', 'payments'), 'Healthy', NOTE('the Argo CD application controller'));
  t.write('application-degraded', await t.get('application', 'checkout'), 'Degraded', NOTE('the Argo CD application controller'));
  t.write('application-unreported', await t.get('application', 'search'), 'Progressing', ['No status: no controller has reported on this Application yet.']);
}

async function certificates(t) {
  const ns = t.namespace;
  const certificate = (name) => `
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: ${name}, namespace: ${ns}}
spec: {secretName: ${name}-tls, dnsNames: [${name}.example.com], issuerRef: {name: letsencrypt, kind: ClusterIssuer}}
`;
  const note = NOTE('cert-manager');
  const ready = await withStatus(t, 'certificate', certificate('shop'), {
    conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'Certificate is up to date and has not expired', lastTransitionTime: stamp(), observedGeneration: 1 }],
    notAfter: '2031-01-01T00:00:00Z', notBefore: '2030-10-03T00:00:00Z', renewalTime: '2030-12-02T00:00:00Z', revision: 1,
  });
  t.write('certificate-ready', ready, 'Healthy', note);
  const issuing = await withStatus(t, 'certificate', certificate('blog'), {
    conditions: [
      { type: 'Ready', status: 'False', reason: 'DoesNotExist', message: 'Issuing certificate as Secret does not exist', lastTransitionTime: stamp(), observedGeneration: 1 },
      { type: 'Issuing', status: 'True', reason: 'DoesNotExist', message: 'Issuing certificate as Secret does not exist', lastTransitionTime: stamp(), observedGeneration: 1 },
    ],
  });
  t.write('certificate-issuing', issuing, 'Progressing', note);
  const failed = await withStatus(t, 'certificate', certificate('api'), {
    conditions: [{ type: 'Ready', status: 'False', reason: 'Failed', message: 'The certificate request has failed to complete and will be retried: order is in "invalid" state', lastTransitionTime: stamp(), observedGeneration: 1 }],
    failedIssuanceAttempts: 1, lastFailureTime: stamp(),
  });
  t.write('certificate-failed', failed, 'Degraded', note);
}

async function sealedSecrets(t) {
  const ns = t.namespace;
  const sealed = (name) => `
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: ${name}, namespace: ${ns}}
spec:
  encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq}
  template: {metadata: {name: ${name}, namespace: ${ns}}, type: Opaque}
`;
  const note = NOTE('the sealed-secrets controller');
  const synced = await withStatus(t, 'sealedsecret', sealed('db-credentials'), {
    conditions: [{ type: 'Synced', status: 'True', lastTransitionTime: stamp(), lastUpdateTime: stamp() }], observedGeneration: 1,
  });
  t.write('sealedsecret-synced', synced, 'Healthy', note);
  const failed = await withStatus(t, 'sealedsecret', sealed('api-token'), {
    conditions: [{ type: 'Synced', status: 'False', message: 'no key could decrypt secret (password)', lastTransitionTime: stamp(), lastUpdateTime: stamp() }], observedGeneration: 1,
  });
  t.write('sealedsecret-failed', failed, 'Degraded', note);
}

async function readyConditions(t) {
  const ns = t.namespace;
  const kustomization = (name) => `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${ns}}
spec: {interval: 10m, path: ./apps/${name}, prune: true, sourceRef: {kind: GitRepository, name: platform}}
`;
  const note = NOTE('Flux\'s kustomize-controller');
  const condition = (status, reason, message) => ({ conditions: [{ type: 'Ready', status, reason, message, lastTransitionTime: stamp(), observedGeneration: 1 }], observedGeneration: 1 });
  t.write('kustomization-ready', await withStatus(t, 'kustomization', kustomization('infra'), condition('True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49')), 'Healthy', note);
  t.write('kustomization-failed', await withStatus(t, 'kustomization', kustomization('apps'), condition('False', 'BuildFailed', 'kustomize build failed: accumulating resources: open apps/missing: no such file or directory')), 'Degraded', note);
  // While it reconciles, kustomize-controller sets Reconciling=True beside Ready=Unknown (kstatus); Argo CD's script
  // needs both to call it Progressing.
  const reconciling = condition('Unknown', 'Progressing', 'Reconciliation in progress');
  reconciling.conditions.unshift({ type: 'Reconciling', status: 'True', reason: 'Progressing', message: 'Reconciliation in progress', lastTransitionTime: stamp(), observedGeneration: 1 });
  t.write('kustomization-reconciling', await withStatus(t, 'kustomization', kustomization('tenants'), reconciling), 'Progressing', note);
}

export async function customResourceScenarios(t) {
  await installCrds(t, [
    { group: 'argoproj.io', kind: 'Application', plural: 'applications', version: 'v1alpha1', statusSubresource: false },
    { group: 'cert-manager.io', kind: 'Certificate', plural: 'certificates', version: 'v1' },
    { group: 'bitnami.com', kind: 'SealedSecret', plural: 'sealedsecrets', version: 'v1alpha1' },
    { group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization', plural: 'kustomizations', version: 'v1' },
  ]);
  await Promise.all([applications(t), certificates(t), sealedSecrets(t), readyConditions(t)]);
}
