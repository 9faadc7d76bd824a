/**
 * GIVEN the policy add-on's admission endpoint on a real HTTPS server with a certificate from the add-on's own CA,
 * WHEN the API server's requests arrive (well-formed, malformed, or while the engine is stuck), THEN it always
 * answers: the verdict, a 4xx naming what is wrong, or — past its budget — a refusal for Enforce and an allow with a
 * warning for Audit. Needs no cluster.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import type { AdmissionDeps, AdmissionRequest } from '../../../src/policy/cluster/admission.js';
import { answerAdmission } from '../../../src/policy/cluster/admission.js';
import type { KeyPair } from '../../../src/policy/cluster/certificates.js';
import { createWebhookCa, issueServingCertificate, servingCertificateFits } from '../../../src/policy/cluster/certificates.js';
import type { RunningWebhookServer } from '../../../src/policy/cluster/webhook-server.js';
import { startWebhookServer } from '../../../src/policy/cluster/webhook-server.js';
import type { LoadedPolicy } from '../../../src/policy/api.js';

interface Answer {
  readonly status: number;
  readonly body: { response?: { uid?: string; allowed?: boolean; status?: { message?: string } | undefined; warnings?: string[] | undefined }; message?: string };
}

function post(url: string, ca: string, path: string, body: string): Promise<Answer> {
  const method = body === '' ? 'GET' : 'POST';
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, ca, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'] }); });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const review = (uid: string, extra: Record<string, unknown> = {}): string => JSON.stringify({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid, operation: 'CREATE', kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, namespace: 'shop', name: 'web', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } }, ...extra },
});

/** A policy as the handler sees it; the engine below never reads it. */
const policy = { kind: 'ClusterPolicy', name: 'p', namespace: undefined, background: true, rules: [{ name: 'r', type: 'validate', failureAction: 'Enforce' }], schedule: undefined, source: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' } } } satisfies LoadedPolicy;

/** An engine that never answers, to drive the budget path (the real engine answers in microseconds). */
const stuck: AdmissionDeps['engine'] = { validate: () => new Promise(() => undefined), mutate: () => new Promise(() => undefined) };
/** An engine that fails, as a bug in it would. */
const failing: AdmissionDeps['engine'] = { validate: () => Promise.reject(new Error('boom in rule r')), mutate: () => Promise.reject(new Error('boom in rule r')) };

const request0: AdmissionRequest = { uid: 'u1', operation: 'CREATE', kind: { kind: 'Deployment' }, namespace: 'shop', name: 'web' };

describe('the admission endpoint', () => {
  let ca: KeyPair;
  let server: RunningWebhookServer;
  let engine: AdmissionDeps['engine'] = stuck;

  before(async () => {
    ca = await createWebhookCa('test-ca');
    const serving = await issueServingCertificate(ca, ['127.0.0.1', 'launchpad-policy-webhook.argocd.svc']);
    server = await startWebhookServer({
      listen: '127.0.0.1:0',
      tls: serving,
      answer: (path, req) => answerAdmission(path, req, { engine, policies: [policy], budgetMs: 300 }),
    });
  });
  after(async () => { await server.close(); });

  test('the serving certificate is trusted through the CA for every name it was issued for, and only those', async () => {
    const serving = await issueServingCertificate(ca, ['127.0.0.1', 'svc.argocd.svc']);
    assert.equal(servingCertificateFits(serving, ca.certPem, ['127.0.0.1', 'svc.argocd.svc']), true);
    assert.equal(servingCertificateFits(serving, ca.certPem, ['other.argocd.svc']), false);
    const otherCa = await createWebhookCa('other');
    assert.equal(servingCertificateFits(serving, otherCa.certPem, ['127.0.0.1']), false);
    // A certificate within 30 days of expiry is replaced at start.
    assert.equal(servingCertificateFits(serving, ca.certPem, ['127.0.0.1'], new Date(Date.now() + 340 * 24 * 3600 * 1000)), false);
  });

  test('an Enforce endpoint whose engine does not answer in time refuses, saying why', async () => {
    engine = stuck;
    const answer = await post(server.url, ca.certPem, '/validate/fail', review('a1'));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.response?.uid, 'a1');
    assert.equal(answer.body.response.allowed, false);
    assert.match(answer.body.response.status?.message ?? '', /Deployment\/shop\/web: the policies did not answer within 300 ms; refused because an Enforce policy applies/);
  });

  test('an Audit endpoint whose engine does not answer in time allows with a warning', async () => {
    engine = stuck;
    const answer = await post(server.url, ca.certPem, '/validate/ignore', review('a2'));
    assert.equal(answer.body.response?.allowed, true);
    assert.match(answer.body.response.warnings?.[0] ?? '', /did not answer within 300 ms; allowed \(Audit\)/);
  });

  test('an engine failure refuses on a fail-closed endpoint and allows with a warning on a fail-open one', async () => {
    engine = failing;
    const closed = await post(server.url, ca.certPem, '/mutate/fail', review('a3'));
    assert.equal(closed.body.response?.allowed, false);
    assert.match(closed.body.response.status?.message ?? '', /Deployment\/shop\/web: policy evaluation failed: boom in rule r/);
    const open = await post(server.url, ca.certPem, '/mutate/ignore', review('a4'));
    assert.equal(open.body.response?.allowed, true);
    assert.match(open.body.response.warnings?.[0] ?? '', /boom in rule r/);
  });

  test('what is not an AdmissionReview v1 gets a 4xx naming the problem, and the server keeps serving', async () => {
    assert.equal((await post(server.url, ca.certPem, '/validate/fail', '{not json')).status, 400);
    const v1beta1 = await post(server.url, ca.certPem, '/validate/fail', JSON.stringify({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'x' } }));
    assert.equal(v1beta1.status, 400);
    assert.match(v1beta1.body.message ?? '', /admissionReviewVersions: \[v1\]/);
    const noUid = await post(server.url, ca.certPem, '/validate/fail', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { operation: 'CREATE' } }));
    assert.match(noUid.body.message ?? '', /no request.uid/);
    assert.equal((await post(server.url, ca.certPem, '/elsewhere', review('a5'))).status, 404);
    assert.equal((await post(server.url, ca.certPem, '/validate/fail', '')).status, 405);
    engine = failing;
    assert.equal((await post(server.url, ca.certPem, '/validate/ignore', review('a6'))).body.response?.allowed, true);
  });

  test('with no policy for an endpoint every request is allowed at once', async () => {
    const answer = await answerAdmission('/validate/fail', request0, { engine: stuck, policies: [], budgetMs: 60_000 });
    assert.deepEqual(answer, { uid: 'u1', allowed: true });
  });
});
