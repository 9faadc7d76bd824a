/**
 * GIVEN a real kube-apiserver (tier 1) and the policy add-on started as `launchpad controller` starts it, WHEN
 * mutate-existing policies and an `apiCall` policy are applied, THEN:
 * - a ConfigMap `trigger` created (then changed) in a namespace labels every Deployment of that namespace, in the
 *   background after admission, with the controller's field manager; Deployments elsewhere and the trigger itself are
 *   untouched;
 * - a policy created with `mutateExistingOnPolicyUpdate: true` patches the targets of triggers that already exist;
 * - a validate policy counting a namespace's ConfigMaps through `apiCall` refuses a Deployment where there are too
 *   many and admits it where there are few, and an apiCall that fails falls back to its `default`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { createLogger } from '../../../src/controller/log.js';
import { isLaunchpadError } from '../../../src/errors.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { PolicyAddon } from '../../../src/policy/cluster/addon.js';
import { policyAddonFromFlags } from '../../../src/policy/cluster/flags.js';
import { isStaleWrite, MUTATE_EXISTING_FIELD_MANAGER } from '../../../src/policy/cluster/mutate-existing-controller.js';
import { VALIDATING_CONFIGURATION } from '../../../src/policy/cluster/webhook-config.js';
import { policyEngine } from '../../../src/policy/index.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';

const CONTROLLER_NS = 'argocd';

const deployment = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { app: name } },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
});

const configMap = (namespace: string, name: string, data: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });

/** Labels every Deployment of the trigger's namespace with the trigger's `release`. */
const labelOnTrigger: KubeObject = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'label-on-trigger' },
  spec: {
    rules: [{
      name: 'label-deployments',
      match: { any: [{ resources: { kinds: ['ConfigMap'], names: ['trigger'] } }] },
      mutate: {
        targets: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: '{{ request.object.metadata.namespace }}' }],
        patchStrategicMerge: { metadata: { labels: { release: '{{ request.object.data.release }}' } } },
      },
    }],
  },
};

/** Created after its triggers exist: only mutateExistingOnPolicyUpdate reaches them. */
const stampExisting: KubeObject = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'stamp-existing' },
  spec: {
    rules: [{
      name: 'stamp',
      match: { any: [{ resources: { kinds: ['ConfigMap'], names: ['settings'] } }] },
      mutate: {
        mutateExistingOnPolicyUpdate: true,
        targets: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: '{{ request.object.metadata.namespace }}', preconditions: { all: [{ key: '{{ target.metadata.name }}', operator: 'Equals', value: 'web*' }] } }],
        patchStrategicMerge: { metadata: { annotations: { 'example.com/tier': '{{ request.object.data.tier }}' } } },
      },
    }],
  },
};

/** At most two ConfigMaps per quota-* namespace, counted by an apiCall; an owner ConfigMap is required (default on failure). */
const limitConfigMaps: KubeObject = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'limit-configmaps' },
  spec: {
    validationFailureAction: 'Enforce',
    background: false,
    rules: [
      {
        name: 'at-most-two',
        match: { any: [{ resources: { kinds: ['Deployment'], namespaces: ['quota-*'] } }] },
        context: [{ name: 'configMapCount', apiCall: { urlPath: '/api/v1/namespaces/{{ request.namespace }}/configmaps', jmesPath: 'items | length(@)' } }],
        validate: { message: 'namespace {{ request.namespace }} has {{ configMapCount }} ConfigMaps, at most 2 are allowed', deny: { conditions: { any: [{ key: '{{ configMapCount }}', operator: 'GreaterThan', value: 2 }] } } },
      },
      {
        name: 'owner-required',
        match: { any: [{ resources: { kinds: ['Deployment'], namespaces: ['quota-*'] } }] },
        context: [{ name: 'team', apiCall: { urlPath: '/api/v1/namespaces/{{ request.namespace }}/configmaps/owner', jmesPath: 'data.team', default: 'nobody' } }],
        validate: { message: 'namespace {{ request.namespace }} has no owner ConfigMap', deny: { conditions: { any: [{ key: '{{ team }}', operator: 'Equals', value: 'nobody' }] } } },
      },
    ],
  },
};

async function refusal(write: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await write();
    return undefined;
  } catch (error) {
    if (isLaunchpadError(error)) return error.message;
    throw error;
  }
}

describe('mutate existing and apiCall in the cluster', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let addon: PolicyAddon;
  const stop = new AbortController();
  const get = (namespace: string, name: string): Promise<KubeObject | undefined> => client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
  const until = <T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> => eventually(check, { what, timeoutMs: 30_000, intervalMs: 200 });
  const webhookNames = async (resource: string): Promise<boolean> => {
    const configuration = await client.get({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name: VALIDATING_CONFIGURATION });
    return JSON.stringify(configuration?.webhooks ?? []).includes(`"${resource}"`);
  };

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const name of [CONTROLLER_NS, 'team-m', 'team-n', 'team-p', 'quota-a', 'quota-b']) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const built = policyAddonFromFlags({ policyAdmissionBudget: '2s', policyResync: '1h' }, policyEngine, {});
    assert.ok(built);
    addon = built;
    await addon.start({ client, namespace: CONTROLLER_NS, log: createLogger({ level: 'warn' }), signal: stop.signal, registry: new Registry() });
  });

  after(async () => {
    stop.abort();
    await addon.stop();
    client.close?.();
    await plane.stop();
  });

  test('a ConfigMap trigger labels every Deployment of its namespace, after admission, and follows its changes', async () => {
    for (const [namespace, name] of [['team-m', 'web'], ['team-m', 'api'], ['team-n', 'web']] as const) await client.apply(deployment(namespace, name));
    await client.apply(labelOnTrigger);
    await until('label-on-trigger loaded and its trigger kind registered on the validating webhook', async () => addon.policies().some((policy) => policy.name === 'label-on-trigger') && (await webhookNames('configmaps')));
    await client.apply(configMap('team-m', 'trigger', { release: 'r1' }));
    for (const name of ['web', 'api']) {
      await until(`Deployment/team-m/${name} labelled release=r1`, async () => (await get('team-m', name))?.metadata.labels?.release === 'r1');
    }
    const web = await get('team-m', 'web');
    assert.ok(JSON.stringify(web?.metadata.managedFields ?? []).includes(MUTATE_EXISTING_FIELD_MANAGER), 'the label is written with the controller\'s own field manager');
    assert.equal((await client.get(configMap('team-m', 'trigger') as never))?.metadata.labels?.release, undefined, 'the trigger itself is not mutated');
    await client.apply(configMap('team-m', 'trigger', { release: 'r2' }));
    await until('Deployment/team-m/api follows the trigger to release=r2', async () => (await get('team-m', 'api'))?.metadata.labels?.release === 'r2');
    await addon.settled();
    assert.equal((await get('team-n', 'web'))?.metadata.labels?.release, undefined, 'a Deployment in another namespace is not a target');
  });

  test('a write guarded by an old resourceVersion is recognised as stale (it is then read and evaluated again)', async () => {
    const live = await get('team-n', 'web');
    assert.ok(live);
    const stale = [{ op: 'test', path: '/metadata/resourceVersion', value: '1' }, { op: 'add', path: '/metadata/labels/x', value: 'y' }];
    const error = await client.patch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'team-n', name: 'web' }, stale, { type: 'json' }).then(() => undefined, (caught: unknown) => caught);
    assert.ok(error !== undefined && isStaleWrite(error), String(error));
    assert.equal((await get('team-n', 'web'))?.metadata.labels?.x, undefined);
  });

  test('a dry-run trigger changes nothing', async () => {
    await client.apply(configMap('team-m', 'trigger', { release: 'r3' }), { dryRun: true });
    await addon.settled();
    assert.equal((await get('team-m', 'web'))?.metadata.labels?.release, 'r2');
  });

  test('a policy created with mutateExistingOnPolicyUpdate patches the targets of triggers that already exist', async () => {
    await client.apply(deployment('team-p', 'web'));
    await client.apply(deployment('team-p', 'worker'));
    await client.apply(configMap('team-p', 'settings', { tier: 'gold' }));
    await client.apply(stampExisting);
    await until('Deployment/team-p/web stamped from the existing settings', async () => (await get('team-p', 'web'))?.metadata.annotations?.['example.com/tier'] === 'gold');
    await addon.settled();
    assert.equal((await get('team-p', 'worker'))?.metadata.annotations?.['example.com/tier'], undefined, 'the target precondition on target.metadata.name keeps worker out');
  });

  test('apiCall: a Deployment is refused where the namespace has too many ConfigMaps, admitted where it has few', async () => {
    await client.apply(limitConfigMaps);
    await until('limit-configmaps loaded', () => Promise.resolve(addon.policies().some((policy) => policy.name === 'limit-configmaps')));
    await client.apply(configMap('quota-a', 'owner', { team: 'a' }));
    for (const name of ['owner', 'one', 'two']) await client.apply(configMap('quota-b', name, { team: 'b' }));
    // The webhook configuration follows the policy a moment later: wait until it refuses.
    const refused = await until('a Deployment in quota-b refused', async () => (await refusal(() => client.apply(deployment('quota-b', 'web'), { dryRun: true }))) ?? false);
    assert.match(refused, /Deployment\/quota-b\/web was refused by policy: limit-configmaps\/at-most-two: namespace quota-b has 3 ConfigMaps, at most 2 are allowed/);
    assert.equal(await refusal(() => client.apply(deployment('quota-a', 'web'))), undefined, 'one ConfigMap and an owner: admitted');
    // Background: tier 1 runs no garbage collector to finish a foreground deletion.
    await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'quota-a', name: 'owner' }, { propagationPolicy: 'Background' });
    const ownerless = await refusal(() => client.apply(deployment('quota-a', 'api')));
    assert.match(ownerless ?? '', /limit-configmaps\/owner-required: namespace quota-a has no owner ConfigMap/, 'the failed apiCall took its default');
  });
});
