import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LAST_APPLIED_ANNOTATION, normalizeForCompare } from '../../../src/diff/normalize.js';
import { deepestLastFirst, getAt, parseJsonPointer, pruneEmpty, removeAt, setAt } from '../../../src/diff/values.js';
import { DiffError } from '../../../src/diff/values.js';
import { fixture } from './fixtures.js';

describe('normalizeForCompare', () => {
  test('drops status and the metadata the server owns, keeps the rest', () => {
    const normalized = normalizeForCompare(fixture('deployment-live'));
    assert.equal(normalized.status, undefined);
    assert.deepEqual(Object.keys(normalized.metadata).sort(), ['annotations', 'labels', 'name', 'namespace']);
    assert.equal((normalized.spec as { replicas: number }).replicas, 2);
  });

  test('drops the last-applied annotation, and the annotations map when it was the only one', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { [LAST_APPLIED_ANNOTATION]: '{}' }, selfLink: '/x' } };
    assert.deepEqual(normalizeForCompare(object), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const two = { ...object, metadata: { name: 'c', annotations: { [LAST_APPLIED_ANNOTATION]: '{}', keep: 'y' } } };
    assert.deepEqual(normalizeForCompare(two).metadata.annotations, { keep: 'y' });
  });

  test('does not change its argument', () => {
    const live = fixture('deployment-live');
    normalizeForCompare(live);
    assert.ok(Array.isArray(live.metadata.managedFields));
  });
});

describe('JSON pointers and paths', () => {
  const pointers = [
    { pointer: '/spec/replicas', path: ['spec', 'replicas'] },
    { pointer: '/metadata/annotations/example.com~1a', path: ['metadata', 'annotations', 'example.com/a'] },
    { pointer: '/a~01', path: ['a~1'] },
    { pointer: '/', path: [''] },
    { pointer: '', path: [] },
  ];
  for (const c of pointers) {
    test(`"${c.pointer}" → ${JSON.stringify(c.path)}`, () => {
      assert.deepEqual(parseJsonPointer(c.pointer), c.path);
    });
  }

  for (const bad of ['spec/replicas', '/a~2', '/a~']) {
    test(`"${bad}" is a DiffError`, () => {
      assert.throws(() => parseJsonPointer(bad), DiffError);
    });
  }

  test('removeAt removes map keys and list items; false when absent', () => {
    const value = { a: { b: 1 }, list: ['x', 'y'] };
    assert.equal(removeAt(value, ['a', 'b']), true);
    assert.equal(removeAt(value, ['list', '0']), true);
    assert.equal(removeAt(value, ['list', 5]), false);
    assert.equal(removeAt(value, ['nope', 'x']), false);
    assert.deepEqual(value, { a: {}, list: ['y'] });
  });

  test('setAt creates missing maps but not missing lists', () => {
    const value: Record<string, unknown> = { list: [{ n: 1 }] };
    assert.equal(setAt(value, ['a', 'b', 'c'], 1), true);
    assert.equal(setAt(value, ['list', 0, 'n'], 2), true);
    assert.equal(setAt(value, ['list', 1], { n: 3 }), true);
    assert.equal(setAt(value, ['other', 0, 'n'], 1), false);
    assert.deepEqual(value, { a: { b: { c: 1 } }, list: [{ n: 2 }, { n: 3 }] });
    assert.equal(getAt(value, ['list', '1', 'n']), 3);
  });

  test('deepestLastFirst removes later list items first, so indices stay valid', () => {
    const value = { l: ['a', 'b', 'c', 'd'] };
    for (const path of deepestLastFirst([['l', 0], ['l', 2]])) removeAt(value, path);
    assert.deepEqual(value, { l: ['b', 'd'] });
  });

  test('pruneEmpty drops empty maps and lists, and empty maps inside lists', () => {
    assert.deepEqual(pruneEmpty({ a: {}, b: [], c: [{}, 1, { d: {} }], e: { f: 0, g: '' } }), { c: [1], e: { f: 0, g: '' } });
  });
});
