/**
 * GIVEN Secrets and SealedSecrets at base and head, WHEN they are compared and shown in every format, THEN no value
 * appears anywhere, and the added, removed and changed keys are named.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareCluster, formatJson, formatMarkdown, formatText, redactSecretPair } from '../../../src/preview/index.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { configMap, rendered, report, sealedSecret, secret, tree } from './builders.js';

const VALUES = ['c3VwZXItc2VjcmV0', 'bmV3LXNlY3JldA==', 'plain-text-password', 'AgBy3i4OJSWK+PiTySYZZA==', 'AgCHANGEDsealedvalue==', 'dG9rZW4tdmFsdWU=', 'another-plain'];

describe('redactSecretPair', () => {
  const cases: ReadonlyArray<{ name: string; base: KubeObject | undefined; head: KubeObject | undefined; keys: { added: string[]; removed: string[]; changed: string[] } }> = [
    {
      name: 'Secret data: one value changed, one key added, one removed',
      base: secret('db', { password: 'c3VwZXItc2VjcmV0', user: 'dG9rZW4tdmFsdWU=' }),
      head: secret('db', { password: 'bmV3LXNlY3JldA==', host: 'dG9rZW4tdmFsdWU=' }),
      keys: { added: ['host'], removed: ['user'], changed: ['password'] },
    },
    {
      name: 'Secret stringData changed',
      base: secret('app', {}, { token: 'plain-text-password' }),
      head: secret('app', {}, { token: 'another-plain' }),
      keys: { added: [], removed: [], changed: ['token'] },
    },
    {
      name: 'SealedSecret encryptedData changed and added',
      base: sealedSecret('oidc', { 'client-secret': 'AgBy3i4OJSWK+PiTySYZZA==' }),
      head: sealedSecret('oidc', { 'client-secret': 'AgCHANGEDsealedvalue==', 'cookie-secret': 'AgBy3i4OJSWK+PiTySYZZA==' }),
      keys: { added: ['cookie-secret'], removed: [], changed: ['client-secret'] },
    },
    {
      name: 'a new Secret: every key added',
      base: undefined,
      head: secret('new', { a: 'c3VwZXItc2VjcmV0' }),
      keys: { added: ['a'], removed: [], changed: [] },
    },
    {
      name: 'a deleted SealedSecret: every key removed',
      base: sealedSecret('gone', { x: 'AgBy3i4OJSWK+PiTySYZZA==' }),
      head: undefined,
      keys: { added: [], removed: ['x'], changed: [] },
    },
  ];
  for (const entry of cases) {
    test(`GIVEN ${entry.name} THEN the keys are reported and no value remains`, () => {
      const result = redactSecretPair(entry.base, entry.head);
      assert.deepEqual(result.keys, entry.keys);
      const text = JSON.stringify([result.base, result.head]);
      for (const value of VALUES) assert.ok(!text.includes(value), `${value} leaked: ${text}`);
    });
  }

  test('GIVEN an unchanged value THEN both sides show <hidden> (no diff line); a changed one shows <hidden, changed> at head', () => {
    const result = redactSecretPair(secret('db', { same: 'c3VwZXItc2VjcmV0', moved: 'c3VwZXItc2VjcmV0' }), secret('db', { same: 'c3VwZXItc2VjcmV0', moved: 'bmV3LXNlY3JldA==' }));
    const data = (object: KubeObject | undefined): unknown => object?.data;
    assert.deepEqual(data(result.base), { same: '<hidden>', moved: '<hidden>' });
    assert.deepEqual(data(result.head), { same: '<hidden>', moved: '<hidden, changed>' });
  });

  test('GIVEN a ConfigMap THEN it is returned as it is, with no key report', () => {
    const object = configMap('settings', { password: 'visible' });
    const result = redactSecretPair(object, object);
    assert.equal(result.base, object);
    assert.equal(result.keys, undefined);
  });

  test('GIVEN a Secret with a last-applied-configuration annotation THEN it is redacted too', () => {
    const base: KubeObject = { ...secret('db', { p: 'c3VwZXItc2VjcmV0' }), metadata: { name: 'db', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"p":"c3VwZXItc2VjcmV0"}}' } } };
    assert.ok(!JSON.stringify(redactSecretPair(base, undefined).base).includes('c3VwZXItc2VjcmV0'));
  });
});

describe('secret values in every output format', () => {
  const base = tree([rendered('shop', { resources: [secret('db', { password: 'c3VwZXItc2VjcmV0', user: 'dG9rZW4tdmFsdWU=' }, { token: 'plain-text-password' }), sealedSecret('oidc', { 'client-secret': 'AgBy3i4OJSWK+PiTySYZZA==' })] })]);
  const head = tree([rendered('shop', { resources: [secret('db', { password: 'bmV3LXNlY3JldA==', host: 'dG9rZW4tdmFsdWU=' }, { token: 'another-plain' }), sealedSecret('oidc', { 'client-secret': 'AgCHANGEDsealedvalue==' })] })]);
  const cluster = compareCluster({ name: 'dev', root: 'root.yaml', base, head, unaffected: new Set() });
  const outputs = { text: formatText(report([cluster])), markdown: formatMarkdown(report([cluster])), json: formatJson(report([cluster])) };

  for (const [format, output] of Object.entries(outputs)) {
    test(`GIVEN changed secrets WHEN shown as ${format} THEN no value appears and the changed keys are named`, () => {
      for (const value of VALUES) assert.ok(!output.includes(value), `${value} leaked in ${format}`);
      assert.match(output, /password/);
      assert.match(output, /client-secret/);
      assert.match(output, /host/);
    });
  }

  test('THEN the key changes are in the result', () => {
    const resources = cluster.applications[0]?.resources ?? [];
    assert.deepEqual(resources.map((resource) => [resource.key.kind, resource.secretKeys]), [
      ['SealedSecret', { added: [], removed: [], changed: ['client-secret'] }],
      ['Secret', { added: ['host'], removed: ['user'], changed: ['password', 'token'] }],
    ]);
  });
});
