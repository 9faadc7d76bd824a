/** Mutate-existing rules (`mutate.targets`) in the engine, and the load-time checks of targets and apiCall entries. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPolicy, mutate, mutateExisting, PolicyError } from '../../../src/policy/index.js';
import type { KubeObject, LoadedPolicy } from '../../../src/policy/index.js';
import { poolReader } from '../../../src/policy/mutate-existing-offline.js';
import { parseApiPath, perRequestApiCalls } from '../../../src/policy/cluster/api-call.js';
import { admissionRules, mutatePath, validatePath } from '../../../src/policy/cluster/webhook-config.js';

const configMapTrigger = { any: [{ resources: { kinds: ['ConfigMap'], names: ['trigger'] } }] };
const labelPatch = { metadata: { labels: { 'policies.example/touched': '{{ request.object.metadata.name }}' } } };

function policy(mutateSpec: Record<string, unknown>, spec: Record<string, unknown> = {}, kind = 'ClusterPolicy'): LoadedPolicy {
  return loadPolicy({ apiVersion: 'kyverno.io/v1', kind, metadata: { name: 'touch', namespace: 'shop' }, spec: { rules: [{ name: 'label-deployments', match: configMapTrigger, mutate: mutateSpec }], ...spec } });
}

const deployment = (name: string, namespace: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { app: name, ...labels }, resourceVersion: '7' },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
});
const trigger = (namespace: string, data: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'trigger', namespace }, data });
const pool = [deployment('web', 'shop'), deployment('api', 'shop', { tier: 'backend' }), deployment('web', 'other')];
const labelsOf = (object: KubeObject): Record<string, string> => object.metadata.labels ?? {};

describe('mutate existing: targets are selected and patched, the trigger is not', () => {
  test('every Deployment in the trigger namespace gets the label; the other namespace and the trigger are untouched', async () => {
    const loaded = policy({ targets: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: '{{ request.object.metadata.namespace }}' }], patchStrategicMerge: labelPatch });
    const result = await mutateExisting([loaded], { operation: 'CREATE', trigger: trigger('shop') }, poolReader(pool));
    assert.deepEqual(result.targets.map((target) => `${target.patched.metadata.namespace}/${target.patched.metadata.name}`).sort(), ['shop/api', 'shop/web']);
    for (const target of result.targets) {
      assert.equal(labelsOf(target.patched)['policies.example/touched'], 'trigger');
      assert.deepEqual(target.by, ['touch/label-deployments']);
      assert.deepEqual(target.patch, [{ op: 'add', path: '/metadata/labels/policies.example~1touched', value: 'trigger' }]);
    }
    assert.deepEqual(result.rules.map((rule) => [rule.resource, rule.status]).sort(), [['Deployment/shop/api', 'pass'], ['Deployment/shop/web', 'pass']]);
    const admitted = await mutate([loaded], { operation: 'CREATE', object: trigger('shop') });
    assert.deepEqual(admitted.patch, [], 'a mutate-existing rule never patches the admitted trigger');
    assert.deepEqual(admitted.rules, []);
  });

  test('name wildcards, label selectors and per-target preconditions on target.*', async () => {
    const loaded = policy({
      targets: [
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'w*' },
        { apiVersion: 'apps/v1', kind: 'Deployment', selector: { matchLabels: { tier: 'backend' } } },
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'other', preconditions: { all: [{ key: '{{ target.metadata.name }}', operator: 'Equals', value: 'nope' }] } },
      ],
      patchStrategicMerge: labelPatch,
    });
    const result = await mutateExisting([loaded], { operation: 'UPDATE', trigger: trigger('shop') }, poolReader(pool));
    assert.deepEqual(result.targets.map((target) => `${target.original.metadata.namespace}/${target.original.metadata.name}`).sort(), ['shop/api', 'shop/web']);
    const skipped = result.rules.find((rule) => rule.resource === 'Deployment/other/web');
    assert.equal(skipped?.status, 'skip');
    assert.match(skipped.message, /preconditions not met/);
  });

  test('patchesJson6902 with target variables, and {{@}} reads the target', async () => {
    const loaded = policy({
      targets: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }],
      patchesJson6902: '- op: add\n  path: /metadata/annotations\n  value: {copied-from: "{{ target.metadata.labels.app }}-{{ request.object.data.suffix }}"}',
    });
    const result = await mutateExisting([loaded], { operation: 'CREATE', trigger: trigger('shop', { suffix: 'v2' }) }, poolReader(pool));
    assert.equal(result.targets[0]?.patched.metadata.annotations?.['copied-from'], 'web-v2');
    const at = policy({ targets: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }], patchStrategicMerge: { metadata: { labels: { app: '{{ request.object.data.suffix }}-{{@}}' } } } });
    const prefixed = await mutateExisting([at], { operation: 'CREATE', trigger: trigger('shop', { suffix: 'v2' }) }, poolReader(pool));
    assert.equal(prefixed.targets[0]?.patched.metadata.labels?.app, 'v2-web');
  });

  test('a namespaced Policy only reaches targets in its own namespace', async () => {
    const loaded = policy({ targets: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'other' }], patchStrategicMerge: labelPatch }, {}, 'Policy');
    const result = await mutateExisting([loaded], { operation: 'CREATE', trigger: trigger('shop') }, poolReader(pool));
    assert.deepEqual(result.targets.map((target) => target.original.metadata.namespace), ['shop', 'shop']);
  });

  test('a DELETE triggers only when the match names DELETE', async () => {
    const loaded = policy({ targets: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop' }], patchStrategicMerge: labelPatch });
    assert.deepEqual((await mutateExisting([loaded], { operation: 'DELETE', trigger: trigger('shop') }, poolReader(pool))).rules, []);
    const onDelete = loadPolicy({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'd' }, spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['ConfigMap'], operations: ['DELETE'] } }] }, mutate: { targets: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }], patchStrategicMerge: labelPatch } }] } });
    const result = await mutateExisting([onDelete], { operation: 'DELETE', trigger: trigger('shop') }, poolReader(pool));
    assert.equal(labelsOf(result.targets[0]?.patched ?? trigger('x'))['policies.example/touched'], 'trigger', 'request.object reads the deleted trigger');
  });

  test('two rules on one target cascade into one patch', async () => {
    const loaded = loadPolicy({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'two' }, spec: { rules: ['a', 'b'].map((name) => ({ name, match: configMapTrigger, mutate: { targets: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }], patchStrategicMerge: { metadata: { labels: { [name]: 'yes' } } } } })) } });
    const result = await mutateExisting([loaded], { operation: 'CREATE', trigger: trigger('shop') }, poolReader(pool));
    assert.equal(result.targets.length, 1);
    assert.deepEqual(result.targets[0]?.by, ['two/a', 'two/b']);
    assert.equal(result.targets[0].patch.length, 2);
  });

  test('a request made by the controller itself runs only rules with skipBackgroundRequests: false', async () => {
    const targets = [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }];
    const byDefault = policy({ targets, patchStrategicMerge: labelPatch });
    assert.deepEqual((await mutateExisting([byDefault], { operation: 'UPDATE', trigger: trigger('shop'), fromBackground: true }, poolReader(pool))).rules, []);
    const optIn = loadPolicy({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'opt-in' }, spec: { rules: [{ name: 'r', skipBackgroundRequests: false, match: configMapTrigger, mutate: { targets, patchStrategicMerge: labelPatch } }] } });
    assert.equal((await mutateExisting([optIn], { operation: 'UPDATE', trigger: trigger('shop'), fromBackground: true }, poolReader(pool))).targets.length, 1);
  });

  test('a target variable that does not resolve is an error result on the trigger naming the path', async () => {
    const loaded = policy({ targets: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: '{{ request.object.data.missing.deeper }}' }], patchStrategicMerge: labelPatch });
    const result = await mutateExisting([loaded], { operation: 'CREATE', trigger: trigger('shop') }, poolReader(pool));
    assert.equal(result.rules[0]?.status, 'error');
    assert.equal(result.rules[0].resource, 'ConfigMap/shop/trigger');
    assert.match(result.rules[0].message, /targets\[0\]\.namespace/);
  });
});

describe('loading checks targets and apiCall entries, naming policy, rule and field', () => {
  const refused = (build: () => unknown, message: RegExp): void => {
    assert.throws(build, (error: unknown) => error instanceof PolicyError && message.test(error.message) && error.policy === 'touch');
  };
  test('a target without kind', () => { refused(() => policy({ targets: [{ apiVersion: 'v1' }], patchStrategicMerge: labelPatch }), /rule label-deployments field spec.rules\[0\].mutate.targets\[0\].kind: is required/); });
  test('an unknown target field', () => { refused(() => policy({ targets: [{ apiVersion: 'v1', kind: 'Secret', labels: {} }], patchStrategicMerge: labelPatch }), /targets\[0\].labels: unknown field/); });
  test('a bad selector operator', () => { refused(() => policy({ targets: [{ apiVersion: 'v1', kind: 'Secret', selector: { matchExpressions: [{ key: 'a', operator: 'Has' }] } }], patchStrategicMerge: labelPatch }), /selector.matchExpressions\[0\].operator: unknown operator "Has"/); });
  test('mutateExistingOnPolicyUpdate without targets', () => { refused(() => policy({ mutateExistingOnPolicyUpdate: true, patchStrategicMerge: labelPatch }), /mutate.mutateExistingOnPolicyUpdate: needs mutate.targets/); });
  test('spec-level mutateExistingOnPolicyUpdate with an untargeted rule', () => { refused(() => policy({ patchStrategicMerge: labelPatch }, { mutateExistingOnPolicyUpdate: true }), /field spec.mutateExistingOnPolicyUpdate: rule label-deployments has no mutate.targets/); });
  test('the flags reach the loaded rule', () => {
    const loaded = policy({ targets: [{ apiVersion: 'v1', kind: 'Secret' }], patchStrategicMerge: labelPatch }, { mutateExistingOnPolicyUpdate: true });
    assert.deepEqual(loaded.rules[0], { name: 'label-deployments', type: 'mutate', failureAction: 'Audit', mutateExisting: true, mutateExistingOnPolicyUpdate: true });
  });
  const withApiCall = (apiCall: Record<string, unknown>): unknown => loadPolicy({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'touch' }, spec: { rules: [{ name: 'count', match: configMapTrigger, context: [{ name: 'n', apiCall }], validate: { deny: { conditions: [{ key: '{{ n }}', operator: 'GreaterThan', value: 3 }] } } }] } });
  test('apiCall to another service is refused at load', () => { refused(() => withApiCall({ service: { url: 'https://x' } }), /rule count field spec.rules\[0\].context\[0\].apiCall.service: is a Kyverno field Launchpad does not evaluate/); });
  test('apiCall without urlPath', () => { refused(() => withApiCall({ jmesPath: 'items' }), /apiCall.urlPath: is required/); });
  test('apiCall with an unknown method', () => { refused(() => withApiCall({ urlPath: '/api/v1/pods', method: 'DELETE' }), /apiCall.method: "DELETE" is not supported/); });
  test('apiCall with a bad jmesPath', () => { refused(() => withApiCall({ urlPath: '/api/v1/pods', jmesPath: 'items[' }), /apiCall.jmesPath/); });
});

describe('apiCall paths and the per-request cache', () => {
  test('collection, namespaced object, cluster object, query', () => {
    assert.deepEqual(parseApiPath('/api/v1/namespaces/shop/configmaps?labelSelector=app=web?limit=5'), { group: '', version: 'v1', namespace: 'shop', resource: 'configmaps', name: undefined, labelSelector: 'app=web', limit: 5 });
    assert.deepEqual(parseApiPath('/apis/apps/v1/namespaces/shop/deployments/web'), { group: 'apps', version: 'v1', namespace: 'shop', resource: 'deployments', name: 'web', labelSelector: undefined, limit: undefined });
    assert.equal(parseApiPath('/api/v1/namespaces/shop').name, 'shop');
    assert.equal(parseApiPath('/api/v1/namespaces/shop').resource, 'namespaces');
  });
  test('what the client cannot express fails naming the path', () => {
    assert.throws(() => parseApiPath('/api/v1/namespaces/shop/pods/web/log'), /pods\/web\/log: subresources \(log\) are not supported/);
    assert.throws(() => parseApiPath('/api/v1/pods?fieldSelector=spec.nodeName=a'), /fieldSelector is not supported/);
    assert.throws(() => parseApiPath('/version'), /not a Kubernetes resource path/);
  });
  test('one call per distinct request within a request', async () => {
    let calls = 0;
    const cached = perRequestApiCalls(() => Promise.resolve(++calls));
    const call = { urlPath: '/api/v1/pods', method: 'GET' as const, data: undefined };
    assert.equal(await cached(call), 1);
    assert.equal(await cached(call), 1);
    assert.equal(await cached({ ...call, urlPath: '/api/v1/services' }), 2);
    assert.equal(await perRequestApiCalls(() => Promise.resolve(++calls))(call), 3, 'a new request calls again');
  });
});

describe('webhook routing of mutate-existing rules', () => {
  test('their triggers go to the validating webhook (fail open), not the mutating one', () => {
    const loaded = policy({ targets: [{ apiVersion: 'apps/v1', kind: 'Deployment' }], patchStrategicMerge: labelPatch });
    assert.equal(validatePath(loaded), '/validate/ignore');
    assert.equal(mutatePath(loaded), undefined);
    const resources = [{ group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true, verbs: ['list'] }];
    assert.deepEqual(admissionRules([loaded], 'validate', resources).map((rule) => rule.resources), [['configmaps']]);
    assert.deepEqual(admissionRules([loaded], 'mutate', resources), []);
  });
});

