import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoDuration } from '../../../src/model/duration.js';
import { formatFieldPath, parseFieldPath } from '../../../src/model/field-path.js';
import { isDns1123Label, isDns1123Subdomain, suggestDns1123Name } from '../../../src/model/names.js';

const durations: readonly [string, number | undefined][] = [
  ['5s', 5000],
  ['3m', 180_000],
  ['1h2m', 3_720_000],
  ['1.5h', 5_400_000],
  ['300ms', 300],
  ['-1m', -60_000],
  ['0', 0],
  ['', undefined],
  ['5', undefined],
  ['5 s', undefined],
  ['5 seconds', undefined],
  ['1d', undefined],
];

for (const [text, ms] of durations) {
  test(`Go duration ${JSON.stringify(text)} is ${String(ms)} ms`, () => {
    assert.equal(parseGoDuration(text), ms);
  });
}

const paths: readonly [readonly (string | number)[], string][] = [
  [['spec', 'sources', 1, 'helm', 'valueFiles', 0], 'spec.sources[1].helm.valueFiles[0]'],
  [['metadata', 'annotations', 'argocd.argoproj.io/sync-wave'], 'metadata.annotations["argocd.argoproj.io/sync-wave"]'],
  [['metadata', 'labels', 'app.kubernetes.io/name'], 'metadata.labels["app.kubernetes.io/name"]'],
  [[0, 'a'], '[0].a'],
  [[], ''],
];

for (const [path, text] of paths) {
  test(`field path ${text || '(empty)'} formats and parses back`, () => {
    assert.equal(formatFieldPath(path), text);
    assert.deepEqual(parseFieldPath(text), path);
  });
}

test('a malformed field path is a programming error', () => {
  assert.throws(() => parseFieldPath('spec..x'), /not a field path/);
});

const names: readonly [string, boolean, boolean][] = [
  ['mcp10x', true, true],
  ['cert-manager.v1', true, false],
  ['Renovate_Bot', false, false],
  ['-lead', false, false],
  ['a'.repeat(64), true, false],
  ['', false, false],
];

for (const [name, subdomain, label] of names) {
  test(`name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…` : name)}: subdomain ${String(subdomain)}, label ${String(label)}`, () => {
    assert.equal(isDns1123Subdomain(name), subdomain);
    assert.equal(isDns1123Label(name), label);
  });
}

test('a suggested name is always valid', () => {
  for (const name of ['Renovate_Bot', '--x--', 'A..B', '___']) assert.ok(isDns1123Subdomain(suggestDns1123Name(name)), name);
});
