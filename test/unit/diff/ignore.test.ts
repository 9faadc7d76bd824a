import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ignoreRuleMatches, selectedPaths, trustedManagersFieldSet } from '../../../src/diff/ignore.js';
import { jqPaths, stopJqWorker } from '../../../src/diff/jq.js';
import { DiffError } from '../../../src/diff/values.js';
import type { IgnoreDifference } from '../../../src/model/application.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { fixture } from './fixtures.js';

after(() => stopJqWorker());

const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };
const webhook: KubeObject = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'inject' } };
const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' } };

describe('ignoreRuleMatches', () => {
  const cases: readonly { rule: IgnoreDifference; object: KubeObject; matches: boolean }[] = [
    { rule: { group: 'apps', kind: 'Deployment' }, object: deployment, matches: true },
    { rule: { group: 'apps', kind: 'Deployment', name: 'web', namespace: 'shop' }, object: deployment, matches: true },
    { rule: { group: 'apps', kind: 'Deployment', name: 'api' }, object: deployment, matches: false },
    { rule: { group: 'apps', kind: 'Deployment', namespace: 'other' }, object: deployment, matches: false },
    { rule: { group: 'apps', kind: 'StatefulSet' }, object: deployment, matches: false },
    { rule: { kind: 'Deployment' }, object: deployment, matches: false },
    { rule: { kind: 'Secret' }, object: secret, matches: true },
    { rule: { group: '', kind: 'Secret' }, object: secret, matches: true },
    { rule: { group: '*', kind: '*' }, object: deployment, matches: true },
    { rule: { group: '*', kind: '*' }, object: secret, matches: true },
    { rule: { group: '*.k8s.io', kind: '*WebhookConfiguration' }, object: webhook, matches: true },
    { rule: { group: '*.k8s.io', kind: '*WebhookConfiguration' }, object: deployment, matches: false },
    { rule: { group: 'apps', kind: 'Deployment', name: '', namespace: '' }, object: deployment, matches: true },
    { rule: { group: 'a?ps', kind: 'Deploy*' }, object: deployment, matches: true },
    { rule: { group: 'ap.s', kind: 'Deployment' }, object: deployment, matches: false },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.rule)} ${c.matches ? 'matches' : 'does not match'} ${c.object.apiVersion} ${c.object.kind}`, () => {
      assert.equal(ignoreRuleMatches(c.rule, c.object), c.matches);
    });
  }
});

describe('selectedPaths', () => {
  const object: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: { 'a/b': 'x', 'c~d': 'y' } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'a' }, { name: 'sidecar', image: 'b' }] } } },
  };

  const cases: readonly { name: string; rule: IgnoreDifference; paths: readonly (readonly (string | number)[])[] }[] = [
    { name: 'a JSON pointer that exists', rule: { kind: '*', jsonPointers: ['/spec/replicas'] }, paths: [['spec', 'replicas']] },
    { name: 'a JSON pointer that does not exist selects nothing', rule: { kind: '*', jsonPointers: ['/spec/paused'] }, paths: [] },
    { name: 'RFC 6901 escapes ~1 and ~0', rule: { kind: '*', jsonPointers: ['/metadata/annotations/a~1b', '/metadata/annotations/c~0d'] }, paths: [['metadata', 'annotations', 'a/b'], ['metadata', 'annotations', 'c~d']] },
    { name: 'a JSON pointer into a list by index', rule: { kind: '*', jsonPointers: ['/spec/template/spec/containers/1/image'] }, paths: [['spec', 'template', 'spec', 'containers', '1', 'image']] },
    { name: 'jq select by name', rule: { kind: '*', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "sidecar") | .image'] }, paths: [['spec', 'template', 'spec', 'containers', 1, 'image']] },
    { name: 'jq annotation by index syntax', rule: { kind: '*', jqPathExpressions: ['.metadata.annotations["a/b"]'] }, paths: [['metadata', 'annotations', 'a/b']] },
    { name: 'jq with ? on a missing list selects nothing', rule: { kind: '*', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] }, paths: [] },
    { name: 'jq whole list items', rule: { kind: '*', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name != "web")'] }, paths: [['spec', 'template', 'spec', 'containers', 1]] },
    { name: 'jq run-time error (iterating over null) selects nothing', rule: { kind: '*', jqPathExpressions: ['.spec.template.spec.initContainers[].image'] }, paths: [] },
    { name: 'jq "." (the whole object) is never selected', rule: { kind: '*', jqPathExpressions: ['.'] }, paths: [] },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      assert.deepEqual(await selectedPaths([c.rule], object), c.paths);
    });
  }
});

describe('jqPaths', () => {
  test('a syntax error is a DiffError naming the expression and the fix', async () => {
    await assert.rejects(jqPaths('.spec.[', {}), (error: unknown) => error instanceof DiffError && /jqPathExpression "\.spec\.\[" is not valid jq/.test(error.message) && /check it with jq/.test(error.message));
  });

  test('an undefined function is a compile error too', async () => {
    await assert.rejects(jqPaths('.a | nosuchfunction', {}), /is not valid jq: .*nosuchfunction\/0 is not defined/);
  });

  test('an expression that never ends is stopped at its deadline, and the next one runs normally', async () => {
    const started = Date.now();
    await assert.rejects(jqPaths('def f: f; f', { a: 1 }, { timeoutMs: 200, what: 'Deployment/shop/web' }), (error: unknown) => error instanceof DiffError && /did not finish within 200 ms on Deployment\/shop\/web/.test(error.message));
    assert.ok(Date.now() - started < 5000, 'the deadline was not kept');
    assert.deepEqual(await jqPaths('.a', { a: 1 }), { paths: [['a']] });
  });

  test('many evaluations in a row stay correct (one worker, one jq instance)', async () => {
    for (let i = 0; i < 300; i++) {
      const result = await jqPaths(i % 2 === 0 ? '.items[] | select(.n == 3)' : '.missing[]', { items: [{ n: 1 }, { n: 3 }] });
      assert.deepEqual(result, i % 2 === 0 ? { paths: [['items', 1]] } : { runtimeError: 'jq: error (at inputString:0): Cannot iterate over null (null)' });
    }
  });

  test('concurrent evaluations each get their own answer', async () => {
    const results = await Promise.all(['.a', '.b', '.c'].map((expression) => jqPaths(expression, { a: 1, b: 2, c: 3 })));
    assert.deepEqual(results, [{ paths: [['a']] }, { paths: [['b']] }, { paths: [['c']] }]);
  });
});

describe('trustedManagersFieldSet', () => {
  test('collects the fields of the named managers from the live object', () => {
    const set = trustedManagersFieldSet([{ kind: '*', managedFieldsManagers: ['kubectl', 'absent'] }], fixture('deployment-rescaled-live'));
    assert.deepEqual([...(set?.children.get('f:spec')?.set.children.keys() ?? [])], ['f:replicas']);
  });

  test('nothing without a live object or without managers', () => {
    assert.equal(trustedManagersFieldSet([{ kind: '*', managedFieldsManagers: ['kubectl'] }], undefined), undefined);
    assert.equal(trustedManagersFieldSet([{ kind: '*', jsonPointers: ['/spec'] }], fixture('deployment-rescaled-live')), undefined);
  });
});
