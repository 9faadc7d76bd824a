/**
 * GIVEN a real API server (tier 1) and the policy add-on started as `launchpad controller` starts it:
 * - roles: WHEN users bound by RoleBindings/ClusterRoleBindings write (impersonated by the admin client), THEN a
 *   policy excluding the ClusterRole `launchpad-test-admin` lets its holder through, refuses another user (naming the
 *   user's cluster roles from `request.clusterRoles`), and lets a service account holding an excluded Role through;
 * - timeouts: WHEN policies set `webhookTimeoutSeconds` and `failurePolicy`, THEN the ValidatingWebhookConfiguration
 *   has one entry per failure policy and timeout, with those timeouts, and each still decides its requests;
 * - removal: WHEN a generate rule goes away, THEN its synchronized downstream objects go with it (data and clone),
 *   unless `orphanDownstreamOnPolicyDelete` or no synchronize says otherwise, and a policy that merely fails to load
 *   takes nothing with it; a deleted trigger takes its synchronized downstream objects with it.
 */
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { createLogger } from '../../../src/controller/log.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { PolicyAddon } from '../../../src/policy/cluster/addon.js';
import { policyAddonFromFlags } from '../../../src/policy/cluster/flags.js';
import { VALIDATING_CONFIGURATION } from '../../../src/policy/cluster/webhook-config.js';
import { policyEngine } from '../../../src/policy/index.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';

const CONTROLLER_NS = 'argocd';
const RBAC = 'rbac.authorization.k8s.io/v1';

const clusterPolicy = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name }, spec });
const inNamespace = (namespace: string, kinds: string[]): Record<string, unknown> => ({ any: [{ resources: { kinds, namespaces: [namespace] } }] });
const configMap = (namespace: string, name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data: { a: '1' } });

/** Rules that let a user write ConfigMaps (what RBAC checks first; the policy decides after). */
const writeConfigMaps = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'update', 'patch'] }];

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  return eventually(check, { what, timeoutMs, intervalMs: 200 });
}

describe('policies in the cluster: request roles, per-policy timeouts, generated objects of removed rules', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let addon: PolicyAddon;
  const stop = new AbortController();

  /** Creates `object` as `user` (Impersonate-User/-Group through the admin identity); the status code and message. */
  const createAs = (user: string, groups: readonly string[], object: KubeObject): Promise<{ status: number; message: string }> => new Promise((resolve, reject) => {
    const body = JSON.stringify(object);
    const url = new URL(`/api/v1/namespaces/${object.metadata.namespace ?? ''}/configmaps`, plane.server);
    const call = httpsRequest(url, {
      method: 'POST', ca: plane.tls.ca, cert: plane.tls.cert, key: plane.tls.key,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'Impersonate-User': user, ...(groups.length > 0 ? { 'Impersonate-Group': [...groups] } : {}) },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { message?: string };
        resolve({ status: response.statusCode ?? 0, message: parsed.message ?? '' });
      });
    });
    call.on('error', reject);
    call.end(body);
  });

  const get = (kind: string, namespace: string, name: string) => client.get({ apiVersion: 'v1', kind, namespace, name });
  const webhooks = async (): Promise<{ name: string; timeoutSeconds: number; failurePolicy: string; clientConfig: { url: string } }[]> => {
    const configuration = await client.get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: VALIDATING_CONFIGURATION });
    return (configuration?.webhooks ?? []) as { name: string; timeoutSeconds: number; failurePolicy: string; clientConfig: { url: string } }[];
  };
  const loaded = (name: string) => until(`ClusterPolicy/${name} loaded`, () => Promise.resolve(addon.policies().some((policy) => policy.name === name)));

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const name of [CONTROLLER_NS, 'roles-test', 'timeouts', 'gen-source']) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const built = policyAddonFromFlags({ policyAdmissionBudget: '2s', policyResync: '1h' }, policyEngine, {});
    assert.ok(built);
    addon = built;
    await addon.start({ client, namespace: CONTROLLER_NS, log: createLogger({ level: process.env.C2_DEBUG === '1' ? 'info' : 'warn' }), signal: stop.signal, registry: new Registry() });
  });

  after(async () => {
    stop.abort();
    await addon.stop();
    client.close?.();
    await plane.stop();
  });

  test('roles: a holder of the excluded ClusterRole or Role is let through; another user is refused with request.clusterRoles', async () => {
    for (const role of ['launchpad-test-admin', 'launchpad-test-editor']) await client.apply({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: role }, rules: writeConfigMaps });
    await client.apply({ apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'alice-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'launchpad-test-admin' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }] });
    await client.apply({ apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'editors' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'launchpad-test-editor' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'editors' }] });
    await client.apply({ apiVersion: RBAC, kind: 'Role', metadata: { name: 'launchpad-test-deployer', namespace: 'roles-test' }, rules: writeConfigMaps });
    await client.apply({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'deployer', namespace: 'roles-test' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'launchpad-test-deployer' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'roles-test' }] });
    await client.apply(clusterPolicy('roles-gate', {
      rules: [{
        name: 'platform-team-only',
        match: inNamespace('roles-test', ['ConfigMap']),
        exclude: { any: [{ clusterRoles: ['launchpad-test-admin'] }, { roles: ['roles-test:launchpad-test-deployer'] }] },
        validate: { failureAction: 'Enforce', message: 'only the platform team writes here (your cluster roles: {{ join(\', \', request.clusterRoles) }})', deny: {} },
      }],
    }));
    await loaded('roles-gate');
    // The webhook is registered once the reload ran; an unlisted user is refused from then on (each try a new name:
    // a write admitted before the registration must not turn the next try into "already exists").
    let attempt = 0;
    const refused = await until('bob refused by roles-gate', async () => {
      attempt += 1;
      const answer = await createAs('bob', ['editors'], configMap('roles-test', `by-bob-${attempt}`));
      return answer.status >= 400 && answer.message.includes('roles-gate') ? answer : undefined;
    });
    assert.match(refused.message, /platform-team-only/);
    assert.match(refused.message, /your cluster roles: launchpad-test-editor/);
    assert.equal((await createAs('alice', [], configMap('roles-test', 'by-alice'))).status, 201, 'the launchpad-test-admin holder is let through');
    assert.equal((await createAs('system:serviceaccount:roles-test:deployer', ['system:serviceaccounts', 'system:serviceaccounts:roles-test'], configMap('roles-test', 'by-deployer'))).status, 201, 'the Role holder is let through');
    assert.ok(await get('ConfigMap', 'roles-test', 'by-alice'));
    assert.equal(await get('ConfigMap', 'roles-test', `by-bob-${attempt}`), undefined);
  });

  test('timeouts: one webhook entry per failure policy and timeout, each with its own timeoutSeconds, each deciding', async () => {
    await client.apply(clusterPolicy('slow-gate', {
      webhookTimeoutSeconds: 5,
      rules: [{ name: 'no-blocked', match: inNamespace('timeouts', ['Secret']), validate: { failureAction: 'Enforce', message: 'blocked Secrets are refused', pattern: { metadata: { '=(labels)': { '=(blocked)': '!true' } } } } }],
    }));
    await client.apply(clusterPolicy('open-gate', {
      webhookTimeoutSeconds: 3, failurePolicy: 'Ignore',
      rules: [{ name: 'no-blocked', match: inNamespace('timeouts', ['ConfigMap']), validate: { failureAction: 'Enforce', message: 'blocked ConfigMaps are refused', pattern: { metadata: { '=(labels)': { '=(blocked)': '!true' } } } } }],
    }));
    const entries = await until('three validating entries', async () => {
      const found = await webhooks();
      return found.length === 3 ? found : undefined;
    });
    assert.deepEqual(entries.map((entry) => [entry.name, entry.failurePolicy, entry.timeoutSeconds]), [
      ['validate-fail.policies.launchpad.dev', 'Fail', 10],
      ['validate-fail-5s.policies.launchpad.dev', 'Fail', 5],
      ['validate-ignore-3s.policies.launchpad.dev', 'Ignore', 3],
    ]);
    assert.match(entries[1]?.clientConfig.url ?? '', /\/validate\/fail\/5s$/);
    await assert.rejects(client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad', namespace: 'timeouts', labels: { blocked: 'true' } }, stringData: { a: 'b' } }), /slow-gate\/no-blocked: .*blocked Secrets are refused/);
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'good', namespace: 'timeouts' }, stringData: { a: 'b' } });
    // failurePolicy Ignore is about the webhook failing; a violation of an Enforce rule is still refused.
    await assert.rejects(client.apply(configMap('timeouts', 'bad', { blocked: 'true' })), /open-gate\/no-blocked/);
    await client.apply(configMap('timeouts', 'good'));
  });

  test('removal: synchronized data and clone downstreams go with their rule; orphaned, unsynchronized and unloaded ones stay', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shared', namespace: 'gen-source' }, stringData: { token: 't' } });
    const labelled = { any: [{ resources: { kinds: ['Namespace'], selector: { matchLabels: { gen: 'yes' } } } }] };
    const data = (name: string, generate: Record<string, unknown> = {}): Record<string, unknown> => ({
      name, match: labelled,
      generate: { apiVersion: 'v1', kind: 'ConfigMap', name, namespace: '{{ request.object.metadata.name }}', synchronize: true, data: { data: { from: name } }, ...generate },
    });
    const clone = (name: string, generate: Record<string, unknown> = {}): Record<string, unknown> => ({
      name, match: labelled,
      generate: { apiVersion: 'v1', kind: 'Secret', name, namespace: '{{ request.object.metadata.name }}', synchronize: true, clone: { namespace: 'gen-source', name: 'shared' }, ...generate },
    });
    const genData = clusterPolicy('gen-data', { rules: [data('data-first'), data('data-second')] });
    await client.apply(genData);
    await client.apply(clusterPolicy('gen-data-nosync', { rules: [data('data-nosync', { synchronize: false })] }));
    await client.apply(clusterPolicy('gen-clone', { rules: [clone('clone-sync')] }));
    await client.apply(clusterPolicy('gen-clone-orphan', { rules: [clone('clone-orphan', { orphanDownstreamOnPolicyDelete: true })] }));
    for (const name of ['gen-data', 'gen-data-nosync', 'gen-clone', 'gen-clone-orphan']) await loaded(name);
    await addon.settled();
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gen-a', labels: { gen: 'yes' } } });
    for (const name of ['data-first', 'data-second', 'data-nosync']) await until(`ConfigMap/gen-a/${name}`, () => get('ConfigMap', 'gen-a', name));
    for (const name of ['clone-sync', 'clone-orphan']) await until(`Secret/gen-a/${name}`, () => get('Secret', 'gen-a', name));

    // A policy that stops loading is not a deleted one: its objects stay while it is broken.
    await client.apply(clusterPolicy('gen-data', { rules: [{ ...data('data-first'), preconditions: { all: [{ key: '{{ request.object.[ }}', operator: 'Equals', value: 'x' }] } }] }));
    await until('Ready=False on gen-data', async () => {
      const object = await client.get({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'gen-data' });
      return ((object?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((condition) => condition.type === 'Ready' && condition.status === 'False');
    });
    await sleep(500); // past the policy store's 100 ms debounce, so the broken state is handed to the generate controller
    // The rule removed from a policy that loads again: its object goes, the remaining rule's stays.
    await client.apply(clusterPolicy('gen-data', { rules: [data('data-first')] }));
    await until('ConfigMap/gen-a/data-second deleted with its rule', async () => (await get('ConfigMap', 'gen-a', 'data-second')) === undefined);
    assert.ok(await get('ConfigMap', 'gen-a', 'data-first'), 'the remaining rule keeps its object (and the broken state deleted nothing)');

    // Deleting the policies: unsynchronized and orphaned objects first (kept), then the synchronized ones (deleted).
    // Background propagation: tier 1 has no garbage collector to finish a foreground deletion.
    const deletePolicy = (name: string) => client.delete({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name }, { propagationPolicy: 'Background' });
    for (const name of ['gen-data-nosync', 'gen-clone-orphan', 'gen-data', 'gen-clone']) await deletePolicy(name);
    await until('ConfigMap/gen-a/data-first deleted with its policy', async () => (await get('ConfigMap', 'gen-a', 'data-first')) === undefined);
    await until('Secret/gen-a/clone-sync deleted with its policy', async () => (await get('Secret', 'gen-a', 'clone-sync')) === undefined);
    assert.ok(await get('ConfigMap', 'gen-a', 'data-nosync'), 'a rule without synchronize leaves its object');
    assert.ok(await get('Secret', 'gen-a', 'clone-orphan'), 'orphanDownstreamOnPolicyDelete leaves its object');
    assert.ok(await get('Secret', 'gen-source', 'shared'), 'the clone source is never touched');
  });

  test('trigger deleted: the synchronized downstream goes, the unsynchronized one stays', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gen-b' } });
    const onTrigger = (name: string, synchronize: boolean): Record<string, unknown> => ({
      name, match: { any: [{ resources: { kinds: ['ConfigMap'], names: ['trigger'], namespaces: ['gen-b'] } }] },
      generate: { apiVersion: 'v1', kind: 'ConfigMap', name, namespace: 'gen-b', synchronize, data: { data: { from: 'trigger' } } },
    });
    await client.apply(clusterPolicy('gen-trigger', { rules: [onTrigger('follows-trigger', true), onTrigger('outlives-trigger', false)] }));
    await loaded('gen-trigger');
    await addon.settled();
    await client.apply(configMap('gen-b', 'trigger'));
    for (const name of ['follows-trigger', 'outlives-trigger']) await until(`ConfigMap/gen-b/${name}`, () => get('ConfigMap', 'gen-b', name));
    await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'gen-b', name: 'trigger' }, { propagationPolicy: 'Background' });
    await until('ConfigMap/gen-b/follows-trigger deleted with its trigger', async () => (await get('ConfigMap', 'gen-b', 'follows-trigger')) === undefined);
    assert.ok(await get('ConfigMap', 'gen-b', 'outlives-trigger'), 'without synchronize the downstream outlives its trigger');
  });
});
