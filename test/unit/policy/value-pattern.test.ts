/** Pattern leaves, operators and the anchored tree matcher, case by case against Kyverno's documented semantics. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchValue } from '../../../src/policy/value-pattern.js';
import { matchPattern } from '../../../src/policy/pattern.js';
import { wildcardMatch } from '../../../src/policy/wildcard.js';

describe('wildcards', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['nginx*', 'nginx:1.27', true],
    ['nginx*', 'busybox', false],
    ['?ginx', 'nginx', true],
    ['?ginx', 'ngin', false],
    ['a.b', 'axb', false],
    ['*.example.com', 'api.example.com', true],
  ];
  for (const [pattern, text, expected] of cases) test(`${pattern} vs ${JSON.stringify(text)} → ${expected}`, () => { assert.equal(wildcardMatch(pattern, text), expected); });
});

describe('pattern leaves', () => {
  const cases: [unknown, unknown, boolean][] = [
    ['?*', 'x', true],
    ['?*', '', false],
    ['!default', 'default', false],
    ['!default', 'shop', true],
    ['*:latest | *:dev', 'nginx:dev', true],
    ['*:latest | *:dev', 'nginx:1.0', false],
    ['!*:latest & !*:dev', 'nginx:1.0', true],
    ['!*:latest & !*:dev', 'nginx:latest', false],
    ['>1', 2, true],
    ['>1', 1, false],
    ['>=1', 1, true],
    ['<=10', 11, false],
    ['1-10', 5, true],
    ['1-10', 11, false],
    ['1!-10', 11, true],
    ['1!-10', 5, false],
    ['<1Gi', '512Mi', true],
    ['<1Gi', '2Gi', false],
    ['>=500m', '0.5', true],
    ['<=2', '2000m', true],
    ['1h', '60m', true],
    ['>30m', '1h', true],
    ['<30m', '1h', false],
    [true, true, true],
    [true, 'true', false],
    [3, 3, true],
    [3, '3', true],
    [3, 4, false],
    [1.5, '1.5', true],
    [null, '', true],
    [null, 0, true],
    [null, 'x', false],
    [null, undefined, true],
    [{}, { a: 1 }, true],
    [{}, 'a', false],
    ['*', 'anything', true],
    ['80', 80, true],
  ];
  for (const [pattern, value, expected] of cases) {
    test(`${JSON.stringify(pattern)} vs ${JSON.stringify(value)} → ${expected}`, () => { assert.equal(matchValue(value, pattern), expected); });
  }
});

const pod = (containers: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'shop', labels: { app: 'web', 'team.io/owner': 'a' } },
  spec: { containers, ...extra },
});

describe('pattern trees and anchors', () => {
  test('a plain mismatch fails with the path', () => {
    const result = matchPattern(pod([{ name: 'a', image: 'nginx:latest' }]), { spec: { containers: [{ image: '!*:latest' }] } });
    assert.equal(result?.skip, false);
    assert.equal(result.path, '/spec/containers/0/image/');
  });
  test('every element of a list is checked', () => {
    assert.equal(matchPattern(pod([{ image: 'a:1' }, { image: 'b:1' }]), { spec: { containers: [{ image: '*:1' }] } }), undefined);
    assert.equal(matchPattern(pod([{ image: 'a:1' }, { image: 'b:2' }]), { spec: { containers: [{ image: '*:1' }] } })?.path, '/spec/containers/1/image/');
  });
  test('a missing field fails unless the pattern allows empty (null)', () => {
    assert.notEqual(matchPattern(pod([{ name: 'a' }]), { spec: { containers: [{ image: '?*' }] } }), undefined);
    assert.equal(matchPattern(pod([{ name: 'a' }]), { spec: { hostNetwork: null } }), undefined);
  });
  test('conditional anchor: elements that do not meet it are skipped, the others checked', () => {
    const pattern = { spec: { containers: [{ '(name)': 'web*', image: '!*:latest' }] } };
    assert.equal(matchPattern(pod([{ name: 'sidecar', image: 'x:latest' }, { name: 'web', image: 'x:1' }]), pattern), undefined);
    assert.equal(matchPattern(pod([{ name: 'web', image: 'x:latest' }]), pattern)?.skip, false);
  });
  test('conditional anchor not met anywhere: the pattern skips', () => {
    const result = matchPattern(pod([{ name: 'sidecar', image: 'x:latest' }]), { spec: { containers: [{ '(name)': 'web*', image: '!*:latest' }] } });
    assert.equal(result?.skip, true);
  });
  test('conditional anchor on an absent key skips', () => {
    assert.equal(matchPattern(pod([]), { spec: { '(hostNetwork)': true, hostPID: false } })?.skip, true);
  });
  test('equality anchor: checked only when present', () => {
    const pattern = { spec: { '=(hostNetwork)': false } };
    assert.equal(matchPattern(pod([]), pattern), undefined);
    assert.equal(matchPattern(pod([], { hostNetwork: false }), pattern), undefined);
    assert.equal(matchPattern(pod([], { hostNetwork: true }), pattern)?.skip, false);
  });
  test('negation anchor: the key must be absent', () => {
    const pattern = { spec: { 'X(hostPath)': null } };
    assert.equal(matchPattern(pod([]), pattern), undefined);
    const result = matchPattern(pod([], { hostPath: { path: '/' } }), pattern);
    assert.equal(result?.skip, false);
    assert.match(result.message, /not allowed/);
  });
  test('existence anchor: at least one element matches', () => {
    const pattern = { spec: { '^(containers)': [{ image: 'nginx*' }] } };
    assert.equal(matchPattern(pod([{ image: 'busybox' }, { image: 'nginx:1' }]), pattern), undefined);
    assert.notEqual(matchPattern(pod([{ image: 'busybox' }]), pattern), undefined);
  });
  test('global anchor: when it does not hold, the whole pattern skips', () => {
    const pattern = { spec: { containers: [{ '<(image)': 'registry.corp/*', imagePullPolicy: 'Always' }] } };
    assert.equal(matchPattern(pod([{ image: 'docker.io/x', imagePullPolicy: 'Never' }]), pattern)?.skip, true);
    assert.equal(matchPattern(pod([{ image: 'registry.corp/x', imagePullPolicy: 'Never' }]), pattern)?.skip, false);
    assert.equal(matchPattern(pod([{ image: 'registry.corp/x', imagePullPolicy: 'Always' }]), pattern), undefined);
  });
  test('wildcard label keys in metadata match the object\'s keys', () => {
    assert.equal(matchPattern(pod([]), { metadata: { labels: { 'team.io/*': '?*' } } }), undefined);
    assert.notEqual(matchPattern(pod([]), { metadata: { labels: { 'other.io/*': '?*' } } }), undefined);
  });
  test('a map pattern against a scalar fails', () => {
    assert.equal(matchPattern({ spec: 'x' }, { spec: { a: 1 } })?.skip, false);
  });
});
