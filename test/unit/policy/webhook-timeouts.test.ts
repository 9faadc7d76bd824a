/**
 * Per-policy `webhookTimeoutSeconds` and `failurePolicy`: GIVEN policies with different timeouts and failure
 * policies, THEN each (class, failure policy, timeout) gets its own webhook entry with that timeout, each endpoint
 * evaluates only its policies, the handler's budget stays under the registered timeout, and values Kyverno would
 * refuse are load-time errors naming the field.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ResourceInfo } from '../../../src/kube/types.js';
import { answerAdmission } from '../../../src/policy/cluster/admission.js';
import { admissionBudgetMs, parseWebhookPath, policiesByPath, webhookConfigurations } from '../../../src/policy/cluster/webhook-config.js';
import { PolicyError, loadPolicy, policyEngine } from '../../../src/policy/index.js';
import type { LoadedPolicy, PolicyEngine } from '../../../src/policy/index.js';

const configMaps: ResourceInfo = { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true } as ResourceInfo;
const secrets: ResourceInfo = { group: '', version: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true } as ResourceInfo;

function validating(name: string, kind: string, spec: Record<string, unknown> = {}, action = 'Enforce'): LoadedPolicy {
  return loadPolicy({
    apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name },
    spec: { ...spec, rules: [{ name: 'r', match: { any: [{ resources: { kinds: [kind] } }] }, validate: { failureAction: action, message: 'no', deny: {} } }] },
  });
}

function mutating(name: string, spec: Record<string, unknown> = {}): LoadedPolicy {
  return loadPolicy({
    apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name },
    spec: { ...spec, rules: [{ name: 'm', match: { any: [{ resources: { kinds: ['ConfigMap'] } }] }, mutate: { patchStrategicMerge: { metadata: { labels: { seen: 'yes' } } } } }] },
  });
}

type Webhook = { name: string; timeoutSeconds: number; failurePolicy: string; clientConfig: { url: string }; rules: { resources: string[] }[] };

describe('webhook entries per failure policy and timeout', () => {
  const policies = [
    validating('default-timeout', 'ConfigMap'),
    validating('slow', 'Secret', { webhookTimeoutSeconds: 5 }),
    validating('also-slow', 'ConfigMap', { webhookTimeoutSeconds: 5 }),
    validating('quick-open', 'ConfigMap', { webhookTimeoutSeconds: 3, failurePolicy: 'Ignore' }),
    validating('stated-default', 'Secret', { webhookTimeoutSeconds: 10 }),
    mutating('labeller', { webhookTimeoutSeconds: 7, failurePolicy: 'Ignore' }),
  ];
  const { validating: vwc, mutating: mwc } = webhookConfigurations(policies, [configMaps, secrets], { endpoint: { url: 'https://127.0.0.1:9443', caPem: 'ca' }, excludedNamespaces: ['argocd'], timeoutSeconds: 10 });
  const webhooks = vwc.webhooks as Webhook[];

  test('one entry per failure policy and timeout, each with its own timeoutSeconds and path', () => {
    assert.deepEqual(webhooks.map((webhook) => [webhook.name, webhook.failurePolicy, webhook.timeoutSeconds, webhook.clientConfig.url]), [
      ['validate-fail.policies.launchpad.dev', 'Fail', 10, 'https://127.0.0.1:9443/validate/fail'],
      ['validate-fail-5s.policies.launchpad.dev', 'Fail', 5, 'https://127.0.0.1:9443/validate/fail/5s'],
      ['validate-ignore-3s.policies.launchpad.dev', 'Ignore', 3, 'https://127.0.0.1:9443/validate/ignore/3s'],
    ]);
    assert.deepEqual((mwc.webhooks as Webhook[]).map((webhook) => [webhook.name, webhook.failurePolicy, webhook.timeoutSeconds]), [['mutate-ignore-7s.policies.launchpad.dev', 'Ignore', 7]]);
  });

  test('an entry lists only the kinds of its own policies', () => {
    assert.deepEqual(webhooks[1]?.rules.flatMap((rule) => rule.resources), ['configmaps', 'secrets']);
    assert.deepEqual(webhooks[2]?.rules.flatMap((rule) => rule.resources), ['configmaps']);
  });

  test('each endpoint evaluates only its policies (a stated default shares the default entry)', () => {
    const names = new Map([...policiesByPath(policies, 10)].map(([path, selected]) => [path, selected.map((policy) => policy.name)]));
    assert.deepEqual(Object.fromEntries(names), {
      '/validate/fail': ['default-timeout', 'stated-default'],
      '/validate/fail/5s': ['slow', 'also-slow'],
      '/validate/ignore/3s': ['quick-open'],
      '/mutate/ignore/7s': ['labeller'],
    });
  });
});

describe('paths and budgets', () => {
  test('paths parse to class, failure policy and timeout; anything else is no endpoint', () => {
    assert.deepEqual(parseWebhookPath('/validate/fail/5s'), { base: '/validate/fail', type: 'validate', failClosed: true, timeoutSeconds: 5 });
    assert.deepEqual(parseWebhookPath('/mutate/ignore'), { base: '/mutate/ignore', type: 'mutate', failClosed: false, timeoutSeconds: undefined });
    for (const bad of ['/validate/fail/0s', '/validate/fail/31s', '/validate/maybe', '/validate/fail/5', '/generate/fail']) assert.equal(parseWebhookPath(bad), undefined, bad);
  });

  test('the budget is the cap, but never more than three quarters of the registered timeout', () => {
    assert.equal(admissionBudgetMs(10, 2000), 2000);
    assert.equal(admissionBudgetMs(2, 2000), 1500);
    assert.equal(admissionBudgetMs(1, 2000), 750);
  });

  test('on a 1-second Enforce endpoint a stuck engine is answered with a refusal naming the budget', async () => {
    const stuck = { validate: () => new Promise(() => undefined), mutate: () => new Promise(() => undefined) } as unknown as Pick<PolicyEngine, 'validate' | 'mutate'>;
    const request = { uid: 'u', operation: 'CREATE' as const, namespace: 'shop', name: 'c', kind: { kind: 'ConfigMap' }, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } } };
    const closed = await answerAdmission('/validate/fail/1s', request, { engine: stuck, policies: [validating('p', 'ConfigMap')], budgetMs: admissionBudgetMs(1, 2000) });
    assert.equal(closed.allowed, false);
    assert.match(closed.status?.message ?? '', /ConfigMap\/shop\/c: the policies did not answer within 750 ms; refused/);
    const open = await answerAdmission('/validate/ignore/1s', request, { engine: stuck, policies: [validating('p', 'ConfigMap')], budgetMs: admissionBudgetMs(1, 2000) });
    assert.equal(open.allowed, true);
    assert.match(open.warnings?.[0] ?? '', /750 ms; allowed/);
  });

  test('the real engine answers on a timeout path like on the default one', async () => {
    const request = { uid: 'u', operation: 'CREATE' as const, namespace: 'shop', name: 'c', kind: { kind: 'ConfigMap' }, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } } };
    const answer = await answerAdmission('/validate/fail/5s', request, { engine: policyEngine, policies: [validating('p', 'ConfigMap', { webhookTimeoutSeconds: 5 })], budgetMs: admissionBudgetMs(5, 2000) });
    assert.equal(answer.allowed, false);
    assert.match(answer.status?.message ?? '', /p\/r: no/);
  });
});

describe('failurePolicy and webhookTimeoutSeconds are checked when the policy loads', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a timeout above 30', { webhookTimeoutSeconds: 45 }, /policy bad field spec\.webhookTimeoutSeconds: 45 is not a whole number of seconds from 1 to 30/],
    ['a timeout of 0', { webhookTimeoutSeconds: 0 }, /spec\.webhookTimeoutSeconds: 0 is not/],
    ['a fractional timeout', { webhookTimeoutSeconds: 2.5 }, /spec\.webhookTimeoutSeconds: 2\.5 is not/],
    ['a timeout as text', { webhookTimeoutSeconds: '5' }, /spec\.webhookTimeoutSeconds: "5" is not/],
    ['an unknown failure policy', { failurePolicy: 'Retry' }, /spec\.failurePolicy: "Retry" is not a failure policy — use Fail \(the default\) or Ignore/],
  ];
  for (const [name, spec, message] of cases) {
    test(name, () => { assert.throws(() => validating('bad', 'ConfigMap', spec), (error: unknown) => error instanceof PolicyError && message.test(error.message)); });
  }
});
