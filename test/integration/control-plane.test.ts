/**
 * Tier 1 of the test control plane (etcd + kube-apiserver) is a real Kubernetes API: server-side apply records
 * managed fields, CRDs serve custom resources, admission webhooks are called and their verdict reaches the client,
 * kubectl works with the admin kubeconfig. One control plane serves every test in this file.
 */
import { ApiException, KubeConfig, KubernetesObjectApi, PatchStrategy, VersionApi } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { runProcess } from '../../src/process/run.js';
import type { ControlPlane } from '../../src/testing/index.js';
import { KUBERNETES_VERSION, controlPlaneSkipReason, createCertificateAuthority, eventually, issueCertificate, startControlPlane } from '../../src/testing/index.js';

const skip = controlPlaneSkipReason(1);

/** Manifests are written as YAML, as users write them. */
const manifest = (text: string): KubernetesObject => parse(text) as KubernetesObject;

type WithSpec<T> = KubernetesObject & { spec?: T };

describe('test control plane, tier 1 (etcd + kube-apiserver)', { skip }, () => {
  let plane: ControlPlane;
  let kubeconfig: KubeConfig;

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    kubeconfig = new KubeConfig();
    kubeconfig.loadFromFile(plane.kubeconfigPath);
  });

  after(async () => {
    await plane.stop();
  });

  test('the API server reports the Kubernetes release it was built from (Helm reads this)', async () => {
    const version = await kubeconfig.makeApiClient(VersionApi).getCode();
    assert.equal(version.gitVersion, `v${KUBERNETES_VERSION}`);
    assert.equal(version.major, '1');
  });

  test('a server-side applied Deployment is stored and its managedFields name our field manager', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kubeconfig);
    const deployment = manifest(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`);
    await objects.patch(deployment, undefined, undefined, 'launchpad', true, PatchStrategy.ServerSideApply);
    const live = await objects.read<WithSpec<{ replicas?: number }>>({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } });
    assert.equal(live.spec?.replicas, 2);
    const entry = live.metadata?.managedFields?.find((field) => field.manager === 'launchpad');
    assert.ok(entry, `managedFields has no entry for "launchpad": ${JSON.stringify(live.metadata?.managedFields)}`);
    assert.equal(entry.operation, 'Apply');
    assert.match(JSON.stringify(entry.fieldsV1), /f:replicas/);
  });

  test('a CRD becomes established and serves custom resources', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kubeconfig);
    await objects.create(manifest(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.launchpad.dev}
spec:
  group: example.launchpad.dev
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
`));
    type Crd = KubernetesObject & { status?: { conditions?: { type: string; status: string }[] } };
    await eventually(async () => {
      const crd = await objects.read<Crd>({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.launchpad.dev' } });
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    }, { what: 'CRD widgets.example.launchpad.dev Established' });
    const widget = manifest('{apiVersion: example.launchpad.dev/v1, kind: Widget, metadata: {name: w1, namespace: default}, spec: {size: 3}}');
    // Discovery can lag a moment behind Established: retry until the new kind is known.
    await eventually(() => objects.create(widget), { what: 'Widget/default/w1 created' });
    const read = await objects.read<WithSpec<{ size: number }>>({ apiVersion: 'example.launchpad.dev/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' } });
    assert.equal(read.spec?.size, 3);
  });

  test('the built kubectl works with the admin kubeconfig', async () => {
    const result = await runProcess(plane.binaries.kubectl, ['--kubeconfig', plane.kubeconfigPath, 'get', 'namespace', 'kube-system', '-o', 'name']);
    assert.equal(result.stdout.trim(), 'namespace/kube-system');
  });

  describe('an admission webhook served by the test on 127.0.0.1', () => {
    let webhook: Server;
    let certDir: string;
    const reviews: { kind: string; name: string }[] = [];

    before(async () => {
      certDir = await mkdtemp(join(tmpdir(), 'launchpad-webhook-'));
      const ca = await createCertificateAuthority({ dir: certDir });
      const cert = await issueCertificate(ca, { dir: certDir, name: 'webhook', commonName: 'webhook', ips: ['127.0.0.1'] });
      webhook = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: { uid: string; kind: { kind: string }; name: string; object: { data?: Record<string, string> } } };
          reviews.push({ kind: review.request.kind.kind, name: review.request.name });
          const denied = review.request.object.data?.forbidden !== undefined;
          const response = { uid: review.request.uid, allowed: !denied, ...(denied ? { status: { code: 403, message: 'launchpad test policy: key "forbidden" is not allowed' } } : {}) };
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
        });
      });
      await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
      const address = webhook.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const objects = KubernetesObjectApi.makeApiClient(kubeconfig);
      await objects.create(manifest('{apiVersion: v1, kind: Namespace, metadata: {name: guarded, labels: {launchpad.test/webhook: "on"}}}'));
      await objects.create(manifest(`
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: launchpad-test}
webhooks:
- name: deny-forbidden.launchpad.test
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Fail
  timeoutSeconds: 5
  clientConfig:
    url: https://127.0.0.1:${port}/validate
    caBundle: ${Buffer.from(ca.certPem).toString('base64')}
  rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps], scope: Namespaced}]
  namespaceSelector: {matchLabels: {launchpad.test/webhook: "on"}}
`));
    });

    after(async () => {
      await new Promise((resolve) => webhook.close(resolve));
      await rm(certDir, { recursive: true, force: true });
    });

    test('its denial reaches the client and an allowed object is created', async () => {
      const objects = KubernetesObjectApi.makeApiClient(kubeconfig);
      const bad = manifest('{apiVersion: v1, kind: ConfigMap, metadata: {name: bad, namespace: guarded}, data: {forbidden: "yes"}}');
      // The API server loads webhook configurations asynchronously: until it has, the create succeeds; undo and retry.
      const denial = await eventually(async () => {
        try {
          await objects.create(bad);
          await objects.delete(bad);
          return undefined;
        } catch (error) {
          if (error instanceof ApiException) return error as ApiException<unknown>;
          throw error;
        }
      }, { what: 'the webhook to deny ConfigMap/guarded/bad' });
      assert.equal(denial.code, 403);
      const status = (typeof denial.body === 'string' ? JSON.parse(denial.body) : denial.body) as { message?: string };
      assert.equal(status.message, 'admission webhook "deny-forbidden.launchpad.test" denied the request: launchpad test policy: key "forbidden" is not allowed');
      assert.ok(reviews.some((review) => review.kind === 'ConfigMap' && review.name === 'bad'), `the webhook saw: ${JSON.stringify(reviews)}`);

      const created = await objects.create(manifest('{apiVersion: v1, kind: ConfigMap, metadata: {name: good, namespace: guarded}, data: {fine: "yes"}}'));
      assert.equal(created.metadata?.name, 'good');
    });
  });
});
