/**
 * GIVEN a real control plane (tier 2: controllers, scheduler, a kwok node) and the policy add-on started as
 * `launchpad controller` starts it (flags' defaults: a webhook on 127.0.0.1 registered by URL), WHEN the example
 * platform's five Kyverno policies are applied unchanged, THEN each does what it does under Kyverno: the secret
 * cloner copies labelled Secrets into a new namespace and keeps them in step, the default-namespace blocker refuses,
 * the controller verifier reports (Audit) and refuses once switched to Enforce, the bare pod cleaner deletes on its
 * schedule, and the auth injector adds its sidecar with the token Secret wired in. A malformed policy is reported on
 * itself and never blocks anything; the controller's own namespace is never sent to the webhooks; stopping removes
 * the webhooks so nothing is left refusing requests.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { parseAllDocuments } from 'yaml';
import { createLogger } from '../../../src/controller/log.js';
import { isLaunchpadError } from '../../../src/errors.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { PolicyAddon } from '../../../src/policy/cluster/addon.js';
import { policyAddonFromFlags } from '../../../src/policy/cluster/flags.js';
import { MUTATING_CONFIGURATION, VALIDATING_CONFIGURATION } from '../../../src/policy/cluster/webhook-config.js';
import { policyEngine } from '../../../src/policy/index.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';

const CONTROLLER_NS = 'argocd';
const POLICY_DIR = join(process.cwd(), 'examples/platform/launchpad/cluster-resources/policies');

function seedPolicies(): KubeObject[] {
  return readdirSync(POLICY_DIR).filter((file) => file.endsWith('.yaml')).sort()
    .flatMap((file) => parseAllDocuments(readFileSync(join(POLICY_DIR, file), 'utf8')).map((document) => document.toJS() as KubeObject));
}

const seed = (name: string): KubeObject => {
  const found = seedPolicies().find((policy) => policy.metadata.name === name);
  assert.ok(found, `the example platform ships ${name}`);
  return found;
};

const pod = (namespace: string, name: string, extra: { annotations?: Record<string, string>; ownerReferences?: unknown[] } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, ...(extra.annotations ? { annotations: extra.annotations } : {}), ...(extra.ownerReferences ? { ownerReferences: extra.ownerReferences } : {}) },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
});

const deployment = (namespace: string, name: string, podAnnotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name }, annotations: podAnnotations }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
  },
});

/** The error message of a refused write, or undefined when it was admitted. */
async function refusal(write: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await write();
    return undefined;
  } catch (error) {
    if (isLaunchpadError(error)) return error.message;
    throw error;
  }
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  return eventually(check, { what, timeoutMs, intervalMs: 200 });
}

describe('Kyverno policies in the cluster', { skip: controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let addon: PolicyAddon;
  const stop = new AbortController();

  const namespace = async (name: string): Promise<void> => {
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    // Pods need the namespace's default ServiceAccount, which the controller-manager adds a moment later.
    await until(`ServiceAccount/${name}/default`, () => client.get({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: name, name: 'default' }));
  };
  const secret = (namespace: string, name: string) => client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name });

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: CONTROLLER_NS } });
    const built = policyAddonFromFlags({ policyAdmissionBudget: '2s', policyResync: '1h' }, policyEngine, {});
    assert.ok(built);
    addon = built;
    await addon.start({ client, namespace: CONTROLLER_NS, log: createLogger({ level: 'warn' }), signal: stop.signal, registry: new Registry() });
    for (const policy of seedPolicies()) await client.apply(policy);
    await until('the five seed policies loaded', () => Promise.resolve(addon.policies().length === 5));
    // The webhook configurations follow the loaded policies.
    await until('the validating webhook registered for Deployments', async () => {
      const configuration = await client.get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: VALIDATING_CONFIGURATION });
      return JSON.stringify(configuration?.webhooks ?? []).includes('deployments');
    });
  });

  after(async () => {
    stop.abort();
    await addon.stop();
    client.close?.();
    await plane.stop();
  });

  test('the webhooks fail closed for Enforce, open for Audit, and never see the controller\'s namespace or kube-system', async () => {
    const validating = await client.get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: VALIDATING_CONFIGURATION });
    const webhooks = (validating?.webhooks ?? []) as { name: string; failurePolicy: string; timeoutSeconds: number; clientConfig: { url?: string }; namespaceSelector: { matchExpressions: { values: string[] }[] } }[];
    const byName = new Map(webhooks.map((webhook) => [webhook.name, webhook]));
    assert.equal(byName.get('validate-fail.policies.launchpad.dev')?.failurePolicy, 'Fail');
    assert.equal(byName.get('validate-ignore.policies.launchpad.dev')?.failurePolicy, 'Ignore');
    for (const webhook of webhooks) {
      assert.equal(webhook.timeoutSeconds, 10);
      assert.match(webhook.clientConfig.url ?? '', /^https:\/\/127\.0\.0\.1:\d+\/validate\//);
      assert.deepEqual(webhook.namespaceSelector.matchExpressions[0]?.values, [CONTROLLER_NS, 'kube-system']);
    }
    const mutating = await client.get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: MUTATING_CONFIGURATION });
    assert.deepEqual((mutating?.webhooks as { name: string }[]).map((webhook) => webhook.name), ['mutate-fail.policies.launchpad.dev']);
  });

  test('secret cloner: a new namespace gets the labelled Secrets within seconds, and they follow their source', async () => {
    await namespace('platform-secrets');
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ghcr-pull', namespace: 'platform-secrets', labels: { allowedToBeCloned: 'true' } }, stringData: { token: 'first' } });
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'private', namespace: 'platform-secrets' }, stringData: { token: 'mine' } });
    await namespace('team-a');
    const copy = await until('Secret/team-a/ghcr-pull', () => secret('team-a', 'ghcr-pull'), 15_000);
    assert.equal(Buffer.from(String((copy.data as Record<string, string>).token), 'base64').toString(), 'first');
    assert.equal(await secret('team-a', 'private'), undefined, 'an unlabelled Secret is not cloned');
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ghcr-pull', namespace: 'platform-secrets', labels: { allowedToBeCloned: 'true' } }, stringData: { token: 'second' } });
    await until('the change to reach Secret/team-a/ghcr-pull', async () => Buffer.from(String(((await secret('team-a', 'ghcr-pull'))?.data as Record<string, string> | undefined)?.token), 'base64').toString() === 'second', 15_000);
  });

  test('default namespace blocker: a Deployment in default is refused naming the policy and rule; elsewhere it is admitted', async () => {
    const message = await refusal(() => client.apply(deployment('default', 'web')));
    assert.ok(message !== undefined, 'the Deployment in default was admitted');
    assert.match(message, /default-namespace-blocker/);
    assert.match(message, /deny-default-namespace/);
    assert.match(message, /the default namespace is reserved/);
    assert.equal(await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' }), undefined);
    assert.equal(await refusal(() => client.apply(deployment('team-a', 'web'))), undefined);
  });

  test('auth injector: an annotated workload\'s Pods get the sidecar with the token Secret wired in; others are untouched', async () => {
    await client.apply(deployment('team-a', 'secured', {
      'policies.forteapps.io/auth': 'true',
      'policies.forteapps.io/auth-token-secret-name': 'secured-auth',
      'policies.forteapps.io/auth-upstream-port': '8080',
    }));
    await client.apply(deployment('team-a', 'plain'));
    const podsOf = async (app: string): Promise<KubeObject[]> => client.list('v1', 'Pod', { namespace: 'team-a', labelSelector: `app=${app}` });
    const [secured] = await until('a Pod of Deployment/team-a/secured', async () => { const pods = await podsOf('secured'); return pods.length > 0 ? pods : undefined; }, 60_000);
    type Container = { name: string; env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] };
    const containers = (secured?.spec as { containers: Container[] }).containers;
    assert.deepEqual(containers.map((container) => container.name), ['app', 'auth-proxy']);
    const env = new Map((containers[1]?.env ?? []).map((entry) => [entry.name, entry]));
    assert.deepEqual(env.get('AUTH_TOKENS')?.valueFrom?.secretKeyRef, { name: 'secured-auth', key: 'tokens', optional: true });
    assert.equal(env.get('UPSTREAM_URL')?.value, 'http://127.0.0.1:8080');
    const [plain] = await until('a Pod of Deployment/team-a/plain', async () => { const pods = await podsOf('plain'); return pods.length > 0 ? pods : undefined; }, 60_000);
    assert.deepEqual((plain?.spec as { containers: Container[] }).containers.map((container) => container.name), ['app']);
  });

  test('controller verifier (Audit): an ownerless Pod is admitted and reported in the namespace\'s PolicyReport', async () => {
    await client.apply(pod('team-a', 'debug'));
    const report = await until('a PolicyReport result for Pod/team-a/debug', async () => {
      const found = await client.get({ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', namespace: 'team-a', name: 'launchpad-polr-ns-team-a' });
      const results = (found?.results ?? []) as { policy: string; rule: string; result: string; message: string; resources: { name: string }[] }[];
      return results.find((result) => result.policy === 'controller-verifier' && result.resources[0]?.name === 'debug');
    });
    assert.equal(report.result, 'fail');
    assert.equal(report.rule, 'require-controller-owner');
    assert.match(report.message, /Pod debug is not owned by a controller/);
  });

  test('bare pod cleaner: the seed policy keeps young bare Pods; on its schedule, bare Pods past the age are deleted and owned ones kept', async () => {
    const cleaner = addon.policies().find((policy) => policy.name === 'bare-pod-cleaner');
    assert.ok(cleaner);
    assert.deepEqual((await addon.cleanup?.runNow(cleaner))?.filter((name) => name.includes('team-a')), [], 'a Pod younger than an hour is kept');
    // The same policy with a one-minute schedule and no minimum age, so the schedule itself is exercised.
    const quick = seed('bare-pod-cleaner');
    const spec = quick.spec as { schedule: string; conditions: { all: { value: unknown }[] } };
    spec.schedule = '* * * * *';
    const [, age] = spec.conditions.all;
    assert.ok(age);
    age.value = '0s';
    await client.apply({ ...quick, metadata: { name: 'bare-pod-cleaner-quick' } });
    await client.apply(pod('team-a', 'leftover'));
    await until('Pod/team-a/leftover deleted on schedule', async () => (await client.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'leftover' })) === undefined, 90_000);
    const owned = await client.list('v1', 'Pod', { namespace: 'team-a', labelSelector: 'app=secured' });
    assert.ok(owned.length > 0, 'Pods owned by a ReplicaSet are kept');
    await client.delete({ apiVersion: 'kyverno.io/v2', kind: 'ClusterCleanupPolicy', name: 'bare-pod-cleaner-quick' });
  });

  test('controller verifier switched to Enforce: an ownerless Pod is refused, an owned one admitted, the controller namespace untouched', async () => {
    const enforced = seed('controller-verifier');
    ((enforced.spec as { rules: { validate: { failureAction: string } }[] }).rules[0] as { validate: { failureAction: string } }).validate.failureAction = 'Enforce';
    await client.apply(enforced);
    await until('the verifier on the fail-closed webhook', async () => (await refusal(() => client.create(pod('team-a', 'probe'), { dryRun: true }))) !== undefined);
    const message = await refusal(() => client.create(pod('team-a', 'ownerless')));
    assert.match(message ?? '', /controller-verifier/);
    assert.match(message ?? '', /Pod ownerless is not owned by a controller/);
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: '00000000-0000-0000-0000-000000000001', controller: true }];
    assert.equal(await refusal(() => client.create(pod('team-a', 'owned', { ownerReferences: owner }), { dryRun: true })), undefined);
    assert.equal(await refusal(() => client.create(pod(CONTROLLER_NS, 'ownerless'), { dryRun: true })), undefined, 'the controller namespace is excluded');
    await client.apply(seed('controller-verifier'));
  });

  test('a malformed policy is reported on itself and blocks nothing', async () => {
    await client.apply({
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'broken' },
      spec: { rules: [{ name: 'bad-jmespath', match: { any: [{ resources: { kinds: ['ConfigMap'] } }] }, validate: { failureAction: 'Enforce', message: 'x', deny: { conditions: { all: [{ key: '{{ request.object.metadata.[ }}', operator: 'Equals', value: 'x' }] } } } }] },
    });
    const status = await until('Ready=False on ClusterPolicy/broken', async () => {
      const object = await client.get({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'broken' });
      const conditions = (object?.status as { conditions?: { type: string; status: string; message: string }[] } | undefined)?.conditions ?? [];
      return conditions.find((condition) => condition.type === 'Ready' && condition.status === 'False');
    });
    assert.match(status.message, /broken/);
    assert.match(status.message, /bad-jmespath/);
    // The Event is written best effort after the status: wait for it rather than read once.
    await until('a Warning Event on the policy', async () => {
      const events = await client.list('v1', 'Event', { namespace: 'default' });
      return events.find((event) => (event.involvedObject as { name?: string }).name === 'broken' && event.reason === 'PolicyError');
    });
    assert.equal(await refusal(() => client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-a' }, data: { a: '1' } })), undefined);
    assert.equal(addon.policies().some((policy) => policy.name === 'broken'), false);
    await client.delete({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'broken' });
  });

  test('stopping the add-on removes its webhooks, so nothing is left refusing requests', async () => {
    await addon.stop();
    assert.equal(await client.get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: VALIDATING_CONFIGURATION }), undefined);
    assert.equal(await refusal(() => client.create(deployment('default', 'after-stop'), { dryRun: true })), undefined);
  });
});
