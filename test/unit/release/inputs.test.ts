import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { formatKeyPath, imageVersion, parseKeyPath, valuesFilePath } from '../../../src/release/index.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('imageVersion', () => {
  const refused: ReadonlyArray<readonly [string, { tag?: string; digest?: string; allowTags?: string }, RegExp]> = [
    ['latest', { tag: 'latest' }, /--tag: the tag "latest" moves/],
    ['LATEST', { tag: 'LATEST' }, /"latest" moves/],
    ['empty', { tag: '' }, /--tag: the tag is empty/],
    ['whitespace', { tag: ' 1.0.0' }, /contains whitespace/],
    ['inner whitespace', { tag: '1.0 .0' }, /contains whitespace/],
    ['bad characters', { tag: '1.0/0' }, /not a valid image tag/],
    ['not matching --allow-tags', { tag: '1.0.0-dirty', allowTags: '\\d+\\.\\d+\\.\\d+' }, /does not match --allow-tags \\d\+\\\.\\d\+\\\.\\d\+/],
    ['a bad --allow-tags', { tag: '1.0.0', allowTags: '(' }, /--allow-tags: "\(" is not a valid regular expression/],
    ['a bad digest', { tag: '1.0.0', digest: 'sha256:abc' }, /--digest: .* is not an image digest/],
    ['neither', {}, /no tag or digest given/],
    ['a bare digest for forteapp', { digest: DIGEST }, /bare digest cannot go into app\.image\.tag/],
  ];
  for (const [name, input, message] of refused) {
    test(`GIVEN ${name} THEN refused with the reason and a fix`, () => {
      assert.throws(() => imageVersion(input, true), (error: unknown) => error instanceof InputError && message.test(error.message) && error.message.includes(' — '));
    });
  }
  test('GIVEN a tag, a tag with a digest, a digest for another key THEN the value to write', () => {
    assert.equal(imageVersion({ tag: '2.0.5', allowTags: '\\d+\\.\\d+\\.\\d+' }, true), '2.0.5');
    assert.equal(imageVersion({ tag: '2.0.5', digest: DIGEST }, true), `2.0.5@${DIGEST}`);
    assert.equal(imageVersion({ digest: DIGEST }, false), DIGEST);
  });
});

describe('parseKeyPath', () => {
  test('GIVEN dotted paths with indexes and escaped dots THEN segments and the same text back', () => {
    assert.deepEqual(parseKeyPath('app.image.tag'), ['app', 'image', 'tag']);
    assert.deepEqual(parseKeyPath('images[1].tag'), ['images', 1, 'tag']);
    assert.deepEqual(parseKeyPath('a\\.b.c'), ['a.b', 'c']);
    assert.equal(formatKeyPath(parseKeyPath('images[1].tag')), 'images[1].tag');
  });
  for (const bad of ['', 'a..b', 'a.', 'a[x]']) {
    test(`GIVEN "${bad}" THEN a usage error`, () => {
      assert.throws(() => parseKeyPath(bad), /--key/);
    });
  }
});

describe('valuesFilePath', () => {
  test('GIVEN the example layout THEN <app>/values.yaml and <app>/values-<cluster>.yaml', () => {
    assert.equal(valuesFilePath({ app: 'mcp10x' }), 'mcp10x/values.yaml');
    assert.equal(valuesFilePath({ app: 'mcp10x', cluster: 'upc-prod' }), 'mcp10x/values-upc-prod.yaml');
    assert.equal(valuesFilePath({ app: 'web', cluster: 'prod', file: 'clusters/{cluster}/{app}.yaml' }), 'clusters/prod/web.yaml');
  });
  for (const [name, target] of [['a climbing app name', { app: '../etc' }], ['a slash', { app: 'a/b' }], ['a file outside', { app: 'a', file: '../{app}.yaml' }], ['{cluster} without --cluster', { app: 'a', file: '{cluster}.yaml' }]] as const) {
    test(`GIVEN ${name} THEN refused`, () => {
      assert.throws(() => valuesFilePath(target), InputError);
    });
  }
});
