/**
 * A validating admission webhook served by the test on 127.0.0.1 (as in test/integration/control-plane.test.ts): it
 * denies ConfigMaps that have a data key "forbidden", in namespaces labelled `launchpad.test/webhook: "on"`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../src/model/resource.js';
import { createCertificateAuthority, issueCertificate } from '../../../src/testing/index.js';

export const WEBHOOK_DENIAL = 'launchpad test policy: key "forbidden" is not allowed';
export const WEBHOOK_NAMESPACE_LABEL = 'launchpad.test/webhook';

export interface TestWebhook {
  /** The ValidatingWebhookConfiguration pointing at this server (apply it; delete it before close). */
  readonly configuration: KubeObject;
  /** Kinds and names of the reviews received, dry-run ones included. */
  readonly reviews: readonly { readonly kind: string; readonly name: string; readonly dryRun: boolean }[];
  close(): Promise<void>;
}

interface AdmissionReview {
  readonly request: {
    readonly uid: string;
    readonly kind: { readonly kind: string };
    readonly name: string;
    readonly dryRun?: boolean;
    readonly object?: { readonly data?: Record<string, string> };
  };
}

export async function startTestWebhook(name: string): Promise<TestWebhook> {
  const certDir = await mkdtemp(join(tmpdir(), 'launchpad-kube-webhook-'));
  const ca = await createCertificateAuthority({ dir: certDir });
  const cert = await issueCertificate(ca, { dir: certDir, name: 'webhook', commonName: 'webhook', ips: ['127.0.0.1'] });
  const reviews: { kind: string; name: string; dryRun: boolean }[] = [];
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdmissionReview;
      reviews.push({ kind: review.request.kind.kind, name: review.request.name, dryRun: review.request.dryRun === true });
      const denied = review.request.object?.data?.forbidden !== undefined;
      const response = { uid: review.request.uid, allowed: !denied, ...(denied ? { status: { code: 403, message: WEBHOOK_DENIAL } } : {}) };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const configuration: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name },
    webhooks: [
      {
        name: `deny-forbidden.${name}.launchpad.test`,
        admissionReviewVersions: ['v1'],
        // None: the API server also calls it for dry-run requests, which is what lets a dry-run catch its denial.
        sideEffects: 'None',
        failurePolicy: 'Fail',
        timeoutSeconds: 5,
        clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle: Buffer.from(ca.certPem).toString('base64') },
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'], scope: 'Namespaced' }],
        namespaceSelector: { matchLabels: { [WEBHOOK_NAMESPACE_LABEL]: 'on' } },
      },
    ],
  };
  return {
    configuration,
    reviews,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await rm(certDir, { recursive: true, force: true });
    },
  };
}
