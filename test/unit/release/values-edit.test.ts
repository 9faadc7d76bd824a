/**
 * GIVEN the example platform's values files, WHEN the image tag is set, THEN the file is byte for byte the same
 * except that one scalar; AND every refusal names the file, the line and the path.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { InputError } from '../../../src/errors.js';
import { parseKeyPath, setScalar } from '../../../src/release/index.js';

const VALUES = new URL('../../../../examples/platform/helm-prod-values/', import.meta.url).pathname;
const TAG = parseKeyPath('app.image.tag');

/** The text with the one changed span cut out on both sides must be identical. */
function assertOnlyScalarChanged(before: string, after: string, from: string, to: string): void {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  assert.ok(start < before.length, 'nothing changed');
  assert.equal(before.slice(0, start) + before.slice(start + from.length), after.slice(0, start) + after.slice(start + to.length));
  assert.equal(before.slice(start, start + from.length), from);
  assert.equal(after.slice(start, start + to.length), to);
}

describe('setScalar on the example platform', async () => {
  const apps = (await readdir(VALUES, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  test('GIVEN the example THEN it has the four apps', () => {
    assert.deepEqual(apps.sort(), ['argocd-mcp', 'dot-ai-stack', 'mcp10x', 'musicman']);
  });
  for (const app of apps) {
    test(`GIVEN ${app}/values.yaml WHEN app.image.tag is set THEN only that scalar changes (comments, order, quoting kept)`, async () => {
      const before = await readFile(join(VALUES, app, 'values.yaml'), 'utf8');
      const previous = (parse(before) as { app: { image: { tag: string } } }).app.image.tag;
      const edit = setScalar(before, `${app}/values.yaml`, TAG, '9.8.7-rc.1');
      assert.equal(edit.previous, previous);
      assert.ok(edit.changed);
      assertOnlyScalarChanged(before, edit.text, previous, '9.8.7-rc.1');
      assert.match(edit.text, /tag: 9\.8\.7-rc\.1 # Updated by CI\/CD/);
      assert.equal(before.split('\n')[edit.line - 1]?.trim().startsWith('tag:'), true);
    });
  }
  test('GIVEN a database.image.tag too (musicman) THEN the app tag changes and the other tag: line does not', async () => {
    const text = `${await readFile(join(VALUES, 'musicman', 'values.yaml'), 'utf8')}\n# appended\ndatabase2:\n  image:\n    tag: "17.6"\n`;
    const edit = setScalar(text, 'musicman/values.yaml', TAG, '1.8.0');
    assert.match(edit.text, /tag: "17\.6"/);
    assert.equal(edit.text.match(/tag: 1\.8\.0/g)?.length, 1);
  });
});

describe('setScalar styles', () => {
  const cases: ReadonlyArray<readonly [string, string, string, string]> = [
    ['plain stays plain', 'app:\n  image:\n    tag: 1.0.0\n', '1.0.1', 'app:\n  image:\n    tag: 1.0.1\n'],
    ['double quotes kept', 'app:\n  image:\n    tag: "1.0.0" # c\n', '1.0.1', 'app:\n  image:\n    tag: "1.0.1" # c\n'],
    ['single quotes kept', "app:\n  image:\n    tag: '1.0.0'\n", '1.0.1', "app:\n  image:\n    tag: '1.0.1'\n"],
    ['a plain value that would read as a number gets quoted', 'app:\n  image:\n    tag: v1\n', '1.10', 'app:\n  image:\n    tag: "1.10"\n'],
    ['a number is replaced by a string', 'app:\n  image:\n    tag: 1.5\n', '1.6.0', 'app:\n  image:\n    tag: 1.6.0\n'],
    ['an empty value gets its space', 'app:\n  image:\n    tag:\n    x: 1\n', '2.0.0', 'app:\n  image:\n    tag: 2.0.0\n    x: 1\n'],
    ['CRLF line ends kept', 'app:\r\n  image:\r\n    tag: 1.0.0\r\n  port: 1\r\n', '1.0.1', 'app:\r\n  image:\r\n    tag: 1.0.1\r\n  port: 1\r\n'],
    ['flow mappings edited in place', 'app: { image: { repository: x, tag: 1.0.0 } }\n', '2.0.0', 'app: { image: { repository: x, tag: 2.0.0 } }\n'],
    ['tag@digest is plain-safe', 'app:\n  image:\n    tag: 1.0.0\n', `1.0.1@sha256:${'a'.repeat(64)}`, `app:\n  image:\n    tag: 1.0.1@sha256:${'a'.repeat(64)}\n`],
  ];
  for (const [name, before, value, after] of cases) {
    test(`GIVEN ${name} THEN exact bytes`, () => {
      assert.equal(setScalar(before, 'v.yaml', TAG, value).text, after);
    });
  }
  test('GIVEN the value is already set THEN unchanged, same text', () => {
    const edit = setScalar('app:\n  image:\n    tag: 1.0.0\n', 'v.yaml', TAG, '1.0.0');
    assert.equal(edit.changed, false);
  });
  test('GIVEN an index path THEN the list item is edited', () => {
    assert.equal(setScalar('images:\n  - name: a\n    tag: 1\n', 'v.yaml', parseKeyPath('images[0].tag'), '2.0').text, 'images:\n  - name: a\n    tag: "2.0"\n');
  });
});

describe('setScalar refusals', () => {
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['missing key', 'app:\n  image:\n    repository: x\n', /^v\.yaml:2: app\.image\.tag not found: app\.image has no key "tag" — .*never added/],
    ['missing parent', '# c\nother: 1\n', /^v\.yaml:2: app\.image\.tag not found: the top level has no key "app"/],
    ['a mapping', 'app:\n  image:\n    tag:\n      a: 1\n', /^v\.yaml:4: app\.image\.tag is a mapping/],
    ['a block scalar', 'app:\n  image:\n    tag: |\n      1.0\n', /block scalar/],
    ['an alias', 'x: &v 1.0.0\napp:\n  image:\n    tag: *v\n', /alias/],
    ['invalid YAML', 'app:\n  image: [\n', /^v\.yaml:\d+:\d+: is not valid YAML/],
    ['two documents', 'a: 1\n---\nb: 2\n', /more than one YAML document/],
    ['duplicate keys', 'app:\n  image:\n    tag: 1\n    tag: 2\n', /is not valid YAML/],
  ];
  for (const [name, text, message] of cases) {
    test(`GIVEN ${name} THEN an InputError naming file, line and path`, () => {
      assert.throws(() => setScalar(text, 'v.yaml', TAG, '1.0.1'), (error: unknown) => error instanceof InputError && message.test(error.message));
    });
  }
});
