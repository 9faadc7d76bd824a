/**
 * Which generate rules went away between two sets of loaded policies, and whether their downstream objects go with
 * them (Kyverno: synchronize and not orphanDownstreamOnPolicyDelete, for data, clone and cloneList alike).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deletesDownstreamOnRemoval, generatedKinds, policyStoreKey, removedGenerateRules } from '../../../src/policy/cluster/generate-removal.js';
import { loadPolicy } from '../../../src/policy/index.js';
import type { LoadedPolicy } from '../../../src/policy/index.js';

const namespaces = { any: [{ resources: { kinds: ['Namespace'] } }] };
const dataRule = (name: string, generate: Record<string, unknown> = {}): Record<string, unknown> => ({
  name, match: namespaces,
  generate: { apiVersion: 'v1', kind: 'ConfigMap', name: `${name}-cm`, namespace: '{{ request.object.metadata.name }}', synchronize: true, data: { data: { a: '1' } }, ...generate },
});

function policy(name: string, rules: Record<string, unknown>[], kind = 'ClusterPolicy'): LoadedPolicy {
  return loadPolicy({ apiVersion: 'kyverno.io/v1', kind, metadata: { name, ...(kind === 'Policy' ? { namespace: 'team' } : {}) }, spec: { rules } });
}

describe('rules that went away', () => {
  const both = policy('p', [dataRule('one'), dataRule('two')]);

  test('a deleted policy: every generate rule, with its kinds', () => {
    assert.deepEqual(removedGenerateRules([both], [], new Set()), [
      { policy: 'p', policyNamespace: undefined, rule: 'one', deleteDownstream: true, kinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }] },
      { policy: 'p', policyNamespace: undefined, rule: 'two', deleteDownstream: true, kinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }] },
    ]);
  });

  test('a rule removed from a policy still there: only that rule', () => {
    assert.deepEqual(removedGenerateRules([both], [policy('p', [dataRule('one')])], new Set()).map((rule) => rule.rule), ['two']);
  });

  test('nothing removed, nothing returned', () => {
    assert.deepEqual(removedGenerateRules([both], [policy('p', [dataRule('one'), dataRule('two')])], new Set()), []);
  });

  test('a policy that exists but failed to load removes nothing', () => {
    assert.deepEqual(removedGenerateRules([both], [], new Set([policyStoreKey(both)])), []);
  });

  test('a namespaced Policy is told apart from a ClusterPolicy of the same name', () => {
    const namespaced = policy('p', [dataRule('one')], 'Policy');
    assert.deepEqual(removedGenerateRules([namespaced, both], [both], new Set()).map((rule) => [rule.policyNamespace, rule.rule]), [['team', 'one']]);
  });
});

describe('whether the downstream objects go too', () => {
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['data, synchronized', { synchronize: true, data: {} }, true],
    ['data, synchronized, orphanDownstreamOnPolicyDelete', { synchronize: true, orphanDownstreamOnPolicyDelete: true, data: {} }, false],
    ['data, not synchronized', { synchronize: false, data: {} }, false],
    ['clone, synchronized (Kyverno 1.19)', { synchronize: true, clone: { namespace: 'a', name: 'b' } }, true],
    ['clone, synchronized, orphanDownstreamOnPolicyDelete', { synchronize: true, orphanDownstreamOnPolicyDelete: true, clone: { namespace: 'a', name: 'b' } }, false],
    ['clone, not synchronized', { clone: { namespace: 'a', name: 'b' } }, false],
  ];
  for (const [name, generate, expected] of cases) test(name, () => { assert.equal(deletesDownstreamOnRemoval(generate), expected); });

  test('the kinds to look in: the rule\'s own, or each cloneList kind; variables and wildcards cannot be listed', () => {
    assert.deepEqual(generatedKinds({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' }), [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' }]);
    assert.deepEqual(generatedKinds({ cloneList: { kinds: ['v1/Secret', 'apps/v1/Deployment', 'v1/*'] } }), [{ apiVersion: 'v1', kind: 'Secret' }, { apiVersion: 'apps/v1', kind: 'Deployment' }]);
    assert.deepEqual(generatedKinds({ apiVersion: 'v1', kind: '{{ request.object.kind }}' }), []);
  });
});
