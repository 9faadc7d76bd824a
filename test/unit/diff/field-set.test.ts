import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { managedFieldSet, mergeFieldInto, parseFieldsV1, projectOntoFieldSet, removeFieldSet, unionFieldSets } from '../../../src/diff/field-set.js';
import { DiffError } from '../../../src/diff/values.js';
import { fixture } from './fixtures.js';

const containers = [
  { name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }] },
  { name: 'sidecar', image: 'envoy:1', imagePullPolicy: 'Always' },
];

const webOnly = parseFieldsV1({
  'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } } },
});

describe('parseFieldsV1', () => {
  test('f:, k:, v:, i: and "." become fields, keyed items, set items, indexed items and self', () => {
    const set = parseFieldsV1({ 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"a/b"': {} } }, 'f:list': { 'i:2': {} }, 'f:items': { 'k:{"name":"x"}': { '.': {} } } });
    const metadata = set.children.get('f:metadata');
    assert.deepEqual(metadata?.element, { kind: 'field', name: 'metadata' });
    const finalizers = metadata.set.children.get('f:finalizers');
    assert.equal(finalizers?.set.self, true);
    assert.deepEqual(finalizers.set.children.get('v:"a/b"')?.element, { kind: 'value', value: 'a/b' });
    assert.deepEqual(set.children.get('f:list')?.set.children.get('i:2')?.element, { kind: 'index', index: 2 });
    assert.deepEqual(set.children.get('f:items')?.set.children.get('k:{"name":"x"}')?.element, { kind: 'key', keys: { name: 'x' } });
  });

  const invalid = [
    { name: 'an unknown prefix', fieldsV1: { 'x:foo': {} }, message: /unknown path element "x:foo"/ },
    { name: 'a list key that is not JSON', fieldsV1: { 'k:{name}': {} }, message: /"\{name\}" is not JSON/ },
    { name: 'a list key that is not an object', fieldsV1: { 'k:[1]': {} }, message: /list key "k:\[1\]" is not a JSON object/ },
    { name: 'a member that is not an object', fieldsV1: { 'f:a': 1 }, message: /fieldsV1 is not an object/ },
  ];
  for (const c of invalid) {
    test(`${c.name} is a DiffError naming where it was`, () => {
      assert.throws(() => parseFieldsV1(c.fieldsV1, 'Deployment/web managedFields[1]'), (error: unknown) => error instanceof DiffError && c.message.test(error.message) && error.message.startsWith('Deployment/web managedFields[1]'));
    });
  }
});

describe('projectOntoFieldSet', () => {
  test('keeps keyed list items by their key fields, and only the owned fields in them', () => {
    assert.deepEqual(projectOntoFieldSet({ spec: { containers, replicas: 3 } }, webOnly), {
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] },
    });
  });

  test('a member without children keeps the whole value (atomic maps and lists)', () => {
    const set = parseFieldsV1({ 'f:spec': { 'f:selector': {}, 'f:args': {} } });
    const value = { spec: { selector: { matchLabels: { app: 'web' } }, args: ['a', 'b'], other: 1 } };
    assert.deepEqual(projectOntoFieldSet(value, set), { spec: { selector: { matchLabels: { app: 'web' } }, args: ['a', 'b'] } });
  });

  test('set items (v:) and indexed items (i:) select by value and by position', () => {
    const set = parseFieldsV1({ 'f:finalizers': { 'v:"keep"': {} }, 'f:list': { 'i:1': {} } });
    assert.deepEqual(projectOntoFieldSet({ finalizers: ['drop', 'keep'], list: ['a', 'b', 'c'] }, set), { finalizers: ['keep'], list: ['b'] });
  });

  test('an owned field missing from the value stays missing', () => {
    assert.deepEqual(projectOntoFieldSet({ spec: {} }, webOnly), { spec: {} });
  });
});

describe('removeFieldSet', () => {
  test('removes owned fields and items that become empty and were owned themselves', () => {
    const sidecar = parseFieldsV1({ 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:imagePullPolicy': {} } } } });
    assert.deepEqual(removeFieldSet({ spec: { containers } }, sidecar), { spec: { containers: [containers[0]] } });
  });

  test('keeps a map that was not owned itself even when nothing is left in it', () => {
    const set = parseFieldsV1({ 'f:spec': { 'f:replicas': {} } });
    assert.deepEqual(removeFieldSet({ spec: { replicas: 2 } }, set), { spec: {} });
  });
});

describe('unionFieldSets and managedFieldSet', () => {
  test('the union keeps both sides; a whole member absorbs the other side\'s finer ones', () => {
    const a = parseFieldsV1({ 'f:data': { 'f:a': {} }, 'f:spec': { 'f:x': {} } });
    const b = parseFieldsV1({ 'f:data': { 'f:b': {} }, 'f:spec': {} });
    const union = unionFieldSets(a, b);
    assert.deepEqual([...(union.children.get('f:data')?.set.children.keys() ?? [])], ['f:a', 'f:b']);
    assert.equal(union.children.get('f:spec')?.set.children.size, 0);
  });

  test('managedFieldSet reads one manager\'s entries, optionally one operation', () => {
    const live = fixture('deployment-rescaled-live');
    const kubectl = managedFieldSet(live, { manager: 'kubectl' });
    assert.deepEqual([...(kubectl?.children.get('f:spec')?.set.children.keys() ?? [])], ['f:replicas']);
    assert.equal(managedFieldSet(live, { manager: 'kubectl', operation: 'Apply' }), undefined);
    assert.equal(managedFieldSet(live, { manager: 'nobody' }), undefined);
    assert.ok(managedFieldSet(live, { manager: 'launchpad', operation: 'Apply' })?.children.has('f:spec'));
  });

  test('mergeFieldInto folds Secret stringData members into data members', () => {
    const set = mergeFieldInto(parseFieldsV1({ 'f:stringData': { 'f:password': {} }, 'f:data': { 'f:user': {} } }), 'stringData', 'data');
    assert.equal(set.children.has('f:stringData'), false);
    assert.deepEqual([...(set.children.get('f:data')?.set.children.keys() ?? [])], ['f:user', 'f:password']);
  });
});
