/**
 * GIVEN Argo CD's template rules (fasttemplate substitution, name normalisation, slugs, glob flavours, selectors,
 * templatePatch merging) WHEN applied to the inputs users write THEN the results are Argo CD's, byte for byte.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { replaceFasttemplate } from '../../../src/appset/fasttemplate.js';
import { gitPathspecMatch, goPathMatch } from '../../../src/appset/glob.js';
import { sanitizeName, slugify } from '../../../src/appset/names.js';
import { flattenParams, mergeFillEmpty, mergeOverride } from '../../../src/appset/params.js';
import { mergePatch } from '../../../src/appset/patch.js';
import { deepReplace } from '../../../src/appset/render.js';
import { selectorMatches } from '../../../src/appset/selector.js';
import { FAST, GO } from './helpers.js';

describe('fasttemplate', () => {
  const params = { 'path.basename': 'guestbook', name: 'dev', count: 3 as unknown as string };
  for (const [template, expected] of [
    ['{{path.basename}}', 'guestbook'],
    ['{{ path.basename }}-{{name}}', 'guestbook-dev'],
    ['{{unknown}}-{{name}}', '{{unknown}}-dev'],
    ['{{}}', '{{}}'],
    ['{{count}}', '{{count}}'],
    ['no tags at all', 'no tags at all'],
    ['{{name\n}}', '{{name\n}}'],
    ['a {{name}} b {{ name }} c', 'a dev b dev c'],
  ] as const) {
    test(`${JSON.stringify(template)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(replaceFasttemplate(template, params), expected);
    });
  }
  test('an unclosed tag in a templated string is an error naming the string', () => {
    assert.throws(() => replaceFasttemplate('{{name}}-{{oops', params), /cannot find end tag "\}\}" in "\{\{name\}\}-\{\{oops"/);
  });
  test('map keys are templates too, and nulls are dropped', () => {
    assert.deepEqual(deepReplace({ labels: { '{{name}}': 'x-{{name}}' }, gone: null, n: 1 }, params, FAST), { labels: { dev: 'x-dev' }, n: 1 });
  });
});

describe('goTemplate through the Go engine', () => {
  test('fields, Sprig and Argo CD functions', () => {
    const params = { path: { basename: 'Guest_Book', segments: ['apps', 'guest'] }, branch: 'feature/ABC_1' };
    assert.equal(deepReplace('{{ .path.basename | normalize }}-{{ index .path.segments 1 }}', params, GO), 'guest-book-guest');
    assert.equal(deepReplace('{{ slugify .branch }}', params, GO), 'feature-abc-1');
    assert.equal(deepReplace('{{ upper "x" }}', params, GO), 'X');
  });
  test('env is removed, as Argo CD removes it', () => {
    assert.throws(() => deepReplace('{{ env "HOME" }}', {}, GO), /env/);
  });
  test('missingkey=error fails on a missing key; the default prints <no value>', () => {
    assert.equal(deepReplace('{{ .nope }}', {}, GO), '<no value>');
    assert.throws(() => deepReplace('{{ .nope }}', {}, { ...GO, missingKey: 'error' }), /nope/);
  });
});

describe('names', () => {
  test('sanitizeName as Argo CD normalizes', () => {
    assert.equal(sanitizeName('My_Cluster.Prod!'), 'my-cluster.prod');
    assert.equal(sanitizeName('--a--'), 'a');
  });
  test('slugs as gosimple/slug with Argo CD settings', () => {
    assert.equal(slugify('feature/Add_Login & Logout'), 'feature-add-login-and-logout');
    assert.equal(slugify('Crème brûlée'), 'creme-brulee');
    assert.equal(slugify(`${'word-'.repeat(12)}end`), 'word-word-word-word-word-word-word-word-word-word');
  });
});

describe('globs', () => {
  test('directories use Go path.Match: * stays within a segment', () => {
    assert.equal(goPathMatch('apps/*', 'apps/web'), true);
    assert.equal(goPathMatch('apps/*', 'apps/web/base'), false);
    assert.equal(goPathMatch('apps/[^w]*', 'apps/api'), true);
    assert.equal(goPathMatch('apps/[^w]*', 'apps/web'), false);
    assert.equal(goPathMatch('apps/[', 'apps/['), false);
  });
  test('files use git pathspecs: * crosses folders, a literal path or folder matches', () => {
    assert.equal(gitPathspecMatch('clusters/*/config.json', 'clusters/eu/west/config.json'), true);
    assert.equal(gitPathspecMatch('clusters/**/config.json', 'clusters/eu/config.json'), true);
    assert.equal(gitPathspecMatch('clusters/dev/config.json', 'clusters/dev/config.json'), true);
    assert.equal(gitPathspecMatch('clusters', 'clusters/dev/config.json'), true);
    assert.equal(gitPathspecMatch('clusters/*.yaml', 'other/a.yaml'), false);
  });
});

describe('parameters', () => {
  test('flatten with dots and list indexes, leaves printed as Go prints them', () => {
    assert.deepEqual(flattenParams({ a: { b: 1, c: [true, 'x'] }, d: null, e: {} }), { 'a.b': '1', 'a.c.0': 'true', 'a.c.1': 'x', d: '<nil>' });
  });
  test('mergo override: maps merge deeply, empty values never erase', () => {
    assert.deepEqual(mergeOverride({ a: { x: 1 }, b: 'keep' }, { a: { y: 2 }, b: '' }), { a: { x: 1, y: 2 }, b: 'keep' });
  });
  test('generator template over the set template: set fields fill only what the generator leaves empty', () => {
    assert.deepEqual(mergeFillEmpty({ metadata: { name: 'gen' }, spec: { project: '' } }, { metadata: { name: 'set', labels: { a: 'b' } }, spec: { project: 'p' } }),
      { metadata: { name: 'gen', labels: { a: 'b' } }, spec: { project: 'p' } });
  });
  test('templatePatch: maps merge, lists are replaced, null deletes', () => {
    assert.deepEqual(mergePatch({ spec: { a: 1, list: [1, 2], gone: 'x' } }, { spec: { b: 2, list: [3], gone: null } }), { spec: { a: 1, b: 2, list: [3] } });
  });
  test('selectors: matchLabels and every operator', () => {
    const labels = { env: 'prod', tier: 'web' };
    assert.equal(selectorMatches({ matchLabels: { env: 'prod' } }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'zone', operator: 'DoesNotExist' }] }, labels), true);
  });
});
