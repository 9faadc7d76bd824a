/** The engine through its public functions: loading errors, match/exclude, validate, mutate, generate, cleanup. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { admit, cleanup, cloneSources, generate, loadPolicy, mutate, nextCleanupRun, PolicyError, scan, validate } from '../../../src/policy/index.js';
import type { ClusterReader, KubeObject, LoadedPolicy } from '../../../src/policy/index.js';
import { kindMatches } from '../../../src/policy/match.js';

function policy(rules: unknown[], spec: Record<string, unknown> = {}, kind = 'ClusterPolicy'): LoadedPolicy {
  return loadPolicy({ apiVersion: 'kyverno.io/v1', kind, metadata: { name: 'p', namespace: 'shop' }, spec: { rules, ...spec } });
}

const podMatch = { any: [{ resources: { kinds: ['Pod'] } }] };
const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { app: name } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  ...extra,
});

describe('loading refuses bad policies, naming policy, rule and field', () => {
  const bad: [string, unknown, RegExp][] = [
    ['not a map', 'x', /policy \(unnamed\).*must be a map/],
    ['unknown kind', { apiVersion: 'kyverno.io/v1', kind: 'Thing', metadata: { name: 'p' }, spec: {} }, /policy p field kind/],
    ['no rules', { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' }, spec: { rules: [] } }, /spec.rules: a policy needs at least one rule/],
  ];
  for (const [name, object, message] of bad) test(name, () => { assert.throws(() => loadPolicy(object, { file: 'x.yaml' }), message); });
  const badRule = (rule: Record<string, unknown>, message: RegExp): void => {
    assert.throws(() => policy([{ name: 'r', match: podMatch, ...rule }]), (error: unknown) => error instanceof PolicyError && message.test(error.message) && error.policy === 'p');
  };
  test('JMESPath syntax error', () => { badRule({ validate: { deny: { conditions: { any: [{ key: '{{ request.object.[? }}', operator: 'Equals', value: 1 }] } } } }, /rule r field spec.rules\[0\].validate.deny.conditions.any\[0\].*JMESPath syntax error/); });
  test('unknown function', () => { badRule({ validate: { message: '{{ nope(@) }}', pattern: { a: 1 } } }, /unknown JMESPath function nope\(\)/); });
  test('unknown operator', () => { badRule({ validate: { deny: { conditions: [{ key: 1, operator: 'Bigger', value: 2 }] } } }, /operator: unknown operator "Bigger"/); });
  test('pattern that cannot match', () => { badRule({ validate: { pattern: { spec: { containers: [] } } } }, /validate.pattern.spec.containers: an empty list pattern can never match/); });
  test('add anchor in validate', () => { badRule({ validate: { pattern: { metadata: { '+(labels)': {} } } } }, /only allowed in mutate/); });
  test('unsupported Kyverno field', () => { badRule({ validate: { podSecurity: { level: 'baseline' } } }, /validate.podSecurity: is a Kyverno field Launchpad does not evaluate/); });
  test('unknown field', () => { badRule({ validate: { patern: {} } }, /validate.patern: unknown field/); });
  test('two bodies', () => { badRule({ validate: { pattern: { a: 1 } }, mutate: { patchStrategicMerge: {} } }, /exactly one of validate, mutate, generate/); });
  test('match selects nothing', () => { assert.throws(() => policy([{ name: 'r', match: { any: [{}] }, validate: { pattern: { a: 1 } } }]), /selects nothing/); });
  test('bad failure action', () => { badRule({ validate: { failureAction: 'Block', pattern: { a: 1 } } }, /unknown failure action "Block"/); });
  test('bad cron schedule', () => {
    const object = { apiVersion: 'kyverno.io/v2', kind: 'ClusterCleanupPolicy', metadata: { name: 'c' }, spec: { schedule: 'every hour', match: podMatch } };
    assert.throws(() => loadPolicy(object), /policy c field spec.schedule: invalid cron expression/);
  });
});

describe('match and exclude', () => {
  const kinds: [string, string, string, string, boolean][] = [
    ['Pod', 'v1', 'Pod', '', true],
    ['v1/Pod', 'v1', 'Pod', '', true],
    ['apps/v1/Deployment', 'apps/v1', 'Deployment', '', true],
    ['apps/*/Deployment', 'apps/v1', 'Deployment', '', true],
    ['batch/v1/Deployment', 'apps/v1', 'Deployment', '', false],
    ['*', 'v1', 'ConfigMap', '', true],
    ['Pod/status', 'v1', 'Pod', 'status', true],
    ['Pod', 'v1', 'Pod', 'status', false],
  ];
  for (const [pattern, apiVersion, kind, sub, expected] of kinds) test(`kind ${pattern} vs ${apiVersion} ${kind}${sub === '' ? '' : `/${sub}`}`, () => { assert.equal(kindMatches(pattern, apiVersion, kind, sub), expected); });

  const rule = (match: unknown, exclude?: unknown): LoadedPolicy =>
    policy([{ name: 'r', match, ...(exclude === undefined ? {} : { exclude }), validate: { failureAction: 'Enforce', pattern: { metadata: { name: 'allowed' } } } }]);
  const fails = async (p: LoadedPolicy, object: KubeObject, extra: Record<string, unknown> = {}): Promise<boolean> => !(await validate([p], { operation: 'CREATE', object, ...extra })).allowed;

  test('names and namespaces with wildcards', async () => {
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'], names: ['web-*'] } }] }), pod('web-1')), true);
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'], names: ['web-*'] } }] }), pod('db-1')), false);
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'], namespaces: ['sh*'] } }] }), pod('x')), true);
  });
  test('selector and annotations', async () => {
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'], selector: { matchLabels: { app: 'x' } } } }] }), pod('x')), true);
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'], selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] } } }] }), pod('x')), false);
    const annotated = pod('x', { metadata: { name: 'x', namespace: 'shop', annotations: { 'a.io/b': 'yes' } } });
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'], annotations: { 'a.io/*': 'y*' } } }] }), annotated), true);
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'], annotations: { 'a.io/*': 'n*' } } }] }), annotated), false);
  });
  test('namespaceSelector reads the namespace labels', async () => {
    const p = rule({ any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchLabels: { tier: 'prod' } } } }] });
    assert.equal(await fails(p, pod('x'), { namespaceLabels: () => ({ tier: 'prod' }) }), true);
    assert.equal(await fails(p, pod('x'), { namespaceLabels: () => ({ tier: 'dev' }) }), false);
  });
  test('operations, subjects, roles and clusterRoles', async () => {
    const user = { username: 'alice', groups: ['devs'], roles: ['shop:editor'], clusterRoles: ['view'] };
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'], operations: ['UPDATE'] } }] }), pod('x')), false);
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'Group', name: 'devs' }] }] }), pod('x'), { userInfo: user }), true);
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: 'bob' }] }] }), pod('x'), { userInfo: user }), false);
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'] }, roles: ['shop:editor'] }] }), pod('x'), { userInfo: user }), true);
    assert.equal(await fails(rule({ any: [{ resources: { kinds: ['Pod'] }, clusterRoles: ['admin'] }] }), pod('x'), { userInfo: user }), false);
  });
  test('all needs every filter; exclude any removes', async () => {
    assert.equal(await fails(rule({ all: [{ resources: { kinds: ['Pod'] } }, { resources: { names: ['nope'] } }] }), pod('x')), false);
    assert.equal(await fails(rule(podMatch, { any: [{ resources: { names: ['x'] } }] }), pod('x')), false);
    assert.equal(await fails(rule(podMatch, { any: [{ resources: { names: ['y'] } }] }), pod('x')), true);
  });
  test('a namespaced Policy only sees its namespace', async () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { failureAction: 'Enforce', pattern: { metadata: { name: 'no' } } } }], {}, 'Policy');
    assert.equal(await fails(p, pod('x')), true);
    assert.equal(await fails(p, { ...pod('x'), metadata: { name: 'x', namespace: 'other' } }), false);
  });
});

describe('validate', () => {
  test('Enforce refuses with the message, Audit warns', async () => {
    const rules = [{ name: 'r', match: podMatch, validate: { message: 'image {{ request.object.spec.containers[0].image }} must be pinned', pattern: { spec: { containers: [{ image: '!*:latest' }] } } } }];
    const object = { ...pod('x'), spec: { containers: [{ name: 'a', image: 'nginx:latest' }] } };
    const enforced = await validate([policy(rules, { validationFailureAction: 'Enforce' })], { operation: 'CREATE', object });
    assert.equal(enforced.allowed, false);
    assert.equal(enforced.denials[0], 'p/r: validation error: image nginx:latest must be pinned. rule r failed at path /spec/containers/0/image/');
    const audited = await validate([policy(rules)], { operation: 'CREATE', object });
    assert.equal(audited.allowed, true);
    assert.equal(audited.warnings.length, 1);
  });
  test('anyPattern passes when one pattern matches', async () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { failureAction: 'Enforce', anyPattern: [{ metadata: { labels: { app: 'y' } } }, { metadata: { labels: { app: 'x' } } }] } }]);
    assert.equal((await validate([p], { operation: 'CREATE', object: pod('x') })).allowed, true);
    assert.equal((await validate([p], { operation: 'CREATE', object: pod('z') })).allowed, false);
  });
  test('preconditions skip the rule', async () => {
    const p = policy([{ name: 'r', match: podMatch, preconditions: { all: [{ key: '{{ request.operation }}', operator: 'Equals', value: 'UPDATE' }] }, validate: { failureAction: 'Enforce', pattern: { metadata: { name: 'no' } } } }]);
    const result = await validate([p], { operation: 'CREATE', object: pod('x') });
    assert.equal(result.rules[0]?.status, 'skip');
    assert.match(result.rules[0].message, /preconditions not met/);
  });
  test('foreach checks every element with element and elementIndex', async () => {
    const p = policy([{
      name: 'r', match: podMatch,
      validate: { failureAction: 'Enforce', message: 'container {{ elementIndex }}', foreach: [{ list: 'request.object.spec.containers', deny: { conditions: { any: [{ key: '{{ element.image }}', operator: 'Equals', value: '*:latest' }] } } }] },
    }]);
    const object = { ...pod('x'), spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:latest' }] } };
    const result = await validate([p], { operation: 'CREATE', object });
    assert.equal(result.allowed, false);
    assert.equal(result.rules[0]?.message, 'container 1');
  });
  test('UPDATE of an object that already violated is let through', async () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { failureAction: 'Enforce', pattern: { metadata: { labels: { app: 'ok' } } } } }]);
    const result = await validate([p], { operation: 'UPDATE', object: pod('x'), oldObject: pod('y') });
    assert.equal(result.allowed, true);
    assert.equal(result.rules[0]?.status, 'skip');
  });
  test('an apiCall context is not evaluable offline: skip, unless a variable is given', async () => {
    const p = policy([{ name: 'r', match: podMatch, context: [{ name: 'count', apiCall: { urlPath: '/api/v1/pods', jmesPath: 'items | length(@)' } }], validate: { failureAction: 'Enforce', deny: { conditions: [{ key: '{{ count }}', operator: 'GreaterThan', value: 1 }] } } }]);
    const offline = await validate([p], { operation: 'CREATE', object: pod('x') });
    assert.equal(offline.rules[0]?.status, 'skip');
    assert.match(offline.rules[0].message, /not evaluable offline/);
    const given = await validate([p], { operation: 'CREATE', object: pod('x'), variables: { count: 5 } });
    assert.equal(given.allowed, false);
  });
  test('a configMap context entry is read through the loader', async () => {
    const p = policy([{ name: 'r', match: podMatch, context: [{ name: 'settings', configMap: { name: 'cfg', namespace: 'shop' } }], validate: { failureAction: 'Enforce', deny: { conditions: [{ key: '{{ settings.data.blocked }}', operator: 'Equals', value: '{{ request.object.metadata.name }}' }] } } }]);
    const loader = { configMap: (): Promise<KubeObject> => Promise.resolve({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { blocked: 'x' } }) };
    assert.equal((await validate([p], { operation: 'CREATE', object: pod('x'), contextLoader: loader })).allowed, false);
    assert.equal((await validate([p], { operation: 'CREATE', object: pod('y'), contextLoader: loader })).allowed, true);
  });
  test('a variable that cannot resolve is an error result, which Enforce refuses (fail-closed)', async () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { failureAction: 'Enforce', deny: { conditions: [{ key: '{{ to_upper(request.object.spec) }}', operator: 'Equals', value: 'x' }] } } }]);
    const result = await validate([p], { operation: 'CREATE', object: pod('x') });
    assert.equal(result.rules[0]?.status, 'error');
    assert.equal(result.allowed, false);
  });
  test('background scans skip policies with background: false', async () => {
    const rules = [{ name: 'r', match: podMatch, validate: { pattern: { metadata: { name: 'no' } } } }];
    assert.equal((await scan([policy(rules)], pod('x'))).length, 1);
    assert.equal((await scan([policy(rules, { background: false })], pod('x'))).length, 0);
  });
});

describe('mutate', () => {
  test('strategic merge with conditional and add-if-not-present anchors', async () => {
    const p = policy([{ name: 'm', match: podMatch, mutate: { patchStrategicMerge: { metadata: { labels: { '+(team)': 'shop', '+(app)': 'ignored' } }, spec: { containers: [{ '(image)': 'nginx*', imagePullPolicy: 'Always' }] } } } }]);
    const object = { ...pod('x'), spec: { containers: [{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'redis:7' }] } };
    const result = await mutate([p], { operation: 'CREATE', object });
    const patched = result.patchedObject as KubeObject & { spec: { containers: Record<string, unknown>[] } };
    assert.deepEqual(patched.metadata.labels, { app: 'x', team: 'shop' });
    assert.equal(patched.spec.containers[0]?.imagePullPolicy, 'Always');
    assert.equal(patched.spec.containers[1]?.imagePullPolicy, undefined);
    assert.ok(result.patch.some((op) => op.path === '/metadata/labels/team'));
  });
  test('merge by name: an existing container is patched, a new one appended', async () => {
    const p = policy([{ name: 'm', match: podMatch, mutate: { patchStrategicMerge: { spec: { containers: [{ name: 'app', resources: { limits: { memory: '1Gi' } } }, { name: 'side', image: 's:1' }] } } } }]);
    const patched = (await mutate([p], { operation: 'CREATE', object: pod('x') })).patchedObject as KubeObject & { spec: { containers: Record<string, unknown>[] } };
    assert.deepEqual(patched.spec.containers.map((c) => c.name), ['app', 'side']);
    assert.equal(patched.spec.containers[0]?.image, 'nginx:1.27');
  });
  test('patchesJson6902 with variables', async () => {
    const p = policy([{ name: 'm', match: podMatch, mutate: { patchesJson6902: '- op: add\n  path: /metadata/annotations\n  value: {owner: "{{ request.object.metadata.name }}"}' } }]);
    const patched = (await mutate([p], { operation: 'CREATE', object: pod('x') })).patchedObject;
    assert.deepEqual(patched?.metadata.annotations, { owner: 'x' });
  });
  test('foreach mutation per element', async () => {
    const p = policy([{ name: 'm', match: podMatch, mutate: { foreach: [{ list: 'request.object.spec.containers', patchesJson6902: '- op: add\n  path: /spec/containers/{{ elementIndex }}/env\n  value: [{name: C, value: "{{ element.name }}"}]' }] } }]);
    const object = { ...pod('x'), spec: { containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'i' }] } };
    const patched = (await mutate([p], { operation: 'CREATE', object })).patchedObject as KubeObject & { spec: { containers: { env: unknown }[] } };
    assert.deepEqual(patched.spec.containers.map((c) => c.env), [[{ name: 'C', value: 'a' }], [{ name: 'C', value: 'b' }]]);
  });
  test('a mutation that produces an invalid object is an error naming the rule and path', async () => {
    const p = policy([{ name: 'm', match: podMatch, mutate: { patchesJson6902: '- op: remove\n  path: /metadata/name' } }]);
    const result = await admit([p], { operation: 'CREATE', object: pod('x') });
    assert.equal(result.mutation.rules[0]?.status, 'error');
    assert.match(result.mutation.rules[0].message, /spec.rules\[0\].mutate: the mutation changed or removed \/metadata\/name/);
    assert.deepEqual(result.mutation.patch, []);
  });
  test('a JSON patch on a path that does not exist names the path', async () => {
    const p = policy([{ name: 'm', match: podMatch, mutate: { patchesJson6902: '- op: replace\n  path: /spec/nothing/here\n  value: 1' } }]);
    const rule = (await mutate([p], { operation: 'CREATE', object: pod('x') })).rules[0];
    assert.equal(rule?.status, 'error');
    assert.match(rule.message, /\/spec\/nothing\/here/);
  });
  test('a global anchor that does not hold skips the rule', async () => {
    const p = policy([{ name: 'm', match: podMatch, mutate: { patchStrategicMerge: { spec: { containers: [{ '<(image)': 'corp/*', imagePullPolicy: 'Always' }] } } } }]);
    assert.equal((await mutate([p], { operation: 'CREATE', object: pod('x') })).rules[0]?.status, 'skip');
  });
});

describe('generate', () => {
  const trigger: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } };
  const source: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'src', uid: 'u', resourceVersion: '7' }, data: { k: 'djE=' } };
  const reader = (objects: KubeObject[]): ClusterReader => ({
    get: (_apiVersion, kind, namespace, name) => Promise.resolve(objects.find((o) => o.kind === kind && (o.metadata.namespace ?? '') === namespace && o.metadata.name === name)),
    list: (_apiVersion, kind, namespace) => Promise.resolve(objects.filter((o) => o.kind === kind && o.metadata.namespace === namespace)),
  });
  const clonePolicy = (synchronize: boolean): LoadedPolicy =>
    policy([{ name: 'g', match: { any: [{ resources: { kinds: ['Namespace'] } }] }, generate: { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: '{{ request.object.metadata.name }}', synchronize, clone: { namespace: 'src', name: 's' } } }]);

  test('creates the clone without server fields, labelled', async () => {
    const result = await generate([clonePolicy(true)], { operation: 'CREATE', trigger }, reader([source]));
    assert.equal(result.actions[0]?.action, 'create');
    const made = result.actions[0].object;
    assert.equal(made.metadata.namespace, 'team-a');
    assert.equal(made.metadata.uid, undefined);
    assert.equal(made.metadata.labels?.['generate.kyverno.io/policy-name'], 'p');
  });
  test('synchronize: a changed source updates the downstream; a deleted source deletes it', async () => {
    const first = (await generate([clonePolicy(true)], { operation: 'CREATE', trigger }, reader([source]))).actions[0]?.object;
    assert.ok(first !== undefined);
    const changed = { ...source, data: { k: 'djI=' } };
    const update = await generate([clonePolicy(true)], { operation: 'UPDATE', trigger }, reader([changed, first]));
    assert.equal(update.actions[0]?.action, 'update');
    const gone = await generate([clonePolicy(true)], { operation: 'UPDATE', trigger }, reader([first]));
    assert.equal(gone.actions[0]?.action, 'delete');
    const triggerDeleted = await generate([clonePolicy(true)], { operation: 'DELETE', trigger }, reader([source, first]));
    assert.equal(triggerDeleted.actions[0]?.action, 'delete');
  });
  test('without synchronize the downstream is only created once', async () => {
    const first = (await generate([clonePolicy(false)], { operation: 'CREATE', trigger }, reader([source]))).actions[0]?.object;
    assert.ok(first !== undefined);
    const again = await generate([clonePolicy(false)], { operation: 'UPDATE', trigger }, reader([{ ...source, data: {} }, first]));
    assert.equal(again.actions.length, 0);
  });
  test('data with variables; dry-run generates nothing', async () => {
    const p = policy([{ name: 'g', match: { any: [{ resources: { kinds: ['Namespace'] } }] }, generate: { apiVersion: 'v1', kind: 'ConfigMap', name: 'info', namespace: '{{ request.object.metadata.name }}', data: { data: { owner: '{{ request.object.metadata.name }}' } } } }]);
    const result = await generate([p], { operation: 'CREATE', trigger }, reader([]));
    assert.deepEqual((result.actions[0]?.object as { data?: unknown }).data, { owner: 'team-a' });
    assert.equal((await generate([p], { operation: 'CREATE', trigger, dryRun: true }, reader([]))).actions.length, 0);
  });
  test('clone sources are listed for the controller to watch', () => {
    assert.deepEqual(cloneSources([clonePolicy(true)]).map((ref) => `${ref.kind} ${ref.namespace}/${ref.name ?? '*'}`), ['Secret src/s']);
  });
});

describe('cleanup', () => {
  const cleaner = loadPolicy({
    apiVersion: 'kyverno.io/v2',
    kind: 'ClusterCleanupPolicy',
    metadata: { name: 'c' },
    spec: { schedule: '*/15 * * * *', match: podMatch, conditions: { all: [{ key: "{{ time_since('', target.metadata.creationTimestamp, '') }}", operator: 'DurationGreaterThan', value: '1h' }] } },
  });
  const at = (timestamp: string): KubeObject => ({ ...pod(timestamp), metadata: { name: timestamp, namespace: 'shop', creationTimestamp: timestamp } });
  test('deletes only targets whose conditions hold, on the given clock', async () => {
    const now = (): Date => new Date('2024-01-01T02:00:00Z');
    const result = await cleanup(cleaner, { candidates: [at('2024-01-01T00:00:00Z'), at('2024-01-01T01:30:00Z')], now });
    assert.deepEqual(result.toDelete.map((object) => object.metadata.name), ['2024-01-01T00:00:00Z']);
  });
  test('the next run follows the cron schedule', () => {
    assert.equal(nextCleanupRun(cleaner, new Date('2024-01-01T00:07:00Z')).toISOString(), '2024-01-01T00:15:00.000Z');
  });
});
