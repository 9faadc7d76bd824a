import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { commitMessage, requestedAtOf } from '../../../src/release/commit-message.js';
import { judge } from '../../../src/release/conflict.js';
import { backoffDelay } from '../../../src/release/backoff.js';

const T0 = new Date('2025-01-01T10:00:00Z');
const T1 = new Date('2025-01-01T10:05:00Z');

function landed(value: string, requestedAt: Date | undefined, date = T0): { value: string; sha: string; message: string; date: Date } {
  const message = requestedAt === undefined ? 'hand edit\n' : commitMessage({ app: 'web', file: 'web/values.yaml', key: 'app.image.tag', previous: '1', next: value, requestedAt });
  return { value, sha: 'f'.repeat(40), message, date };
}

describe('judge: the newer request wins', () => {
  test('GIVEN a concurrent bump requested earlier THEN ours proceeds and replaces it', () => {
    const verdict = judge({ ours: { value: '2.0.0', requestedAt: T1 }, landed: landed('1.9.0', T0), concurrent: true, sameRelease: true, noOverwrite: false });
    assert.deepEqual(verdict.kind === 'proceed' ? verdict.replaces?.value : verdict.kind, '1.9.0');
  });
  test('GIVEN a concurrent bump requested later THEN ours is superseded', () => {
    const verdict = judge({ ours: { value: '2.0.0', requestedAt: T0 }, landed: landed('2.1.0', T1), concurrent: true, sameRelease: true, noOverwrite: false });
    assert.equal(verdict.kind, 'superseded');
  });
  test('GIVEN the same request time THEN the greater version wins, whichever runs first', () => {
    const a = judge({ ours: { value: '2.0.10', requestedAt: T0 }, landed: landed('2.0.9', T0), concurrent: true, sameRelease: true, noOverwrite: false });
    const b = judge({ ours: { value: '2.0.9', requestedAt: T0 }, landed: landed('2.0.10', T0), concurrent: true, sameRelease: true, noOverwrite: false });
    assert.equal(a.kind, 'proceed');
    assert.equal(b.kind, 'superseded');
  });
  test('GIVEN --no-overwrite and a concurrent bump THEN a conflict, whatever the times', () => {
    assert.equal(judge({ ours: { value: '2.0.0', requestedAt: T1 }, landed: landed('1.9.0', T0), concurrent: true, sameRelease: true, noOverwrite: true }).kind, 'conflict');
  });
  test('GIVEN an older pipeline running after a newer release landed THEN superseded (not concurrent, same release)', () => {
    assert.equal(judge({ ours: { value: '1.9.0', requestedAt: T0 }, landed: landed('2.0.0', T1), concurrent: false, sameRelease: true, noOverwrite: true }).kind, 'superseded');
  });
  test('GIVEN a hand edit long ago THEN proceed; a concurrent hand edit counts from its commit date', () => {
    assert.equal(judge({ ours: { value: '2.0.0', requestedAt: T0 }, landed: landed('1.0.0', undefined, T1), concurrent: false, sameRelease: false, noOverwrite: false }).kind, 'proceed');
    assert.equal(judge({ ours: { value: '2.0.0', requestedAt: T0 }, landed: landed('1.0.0', undefined, T1), concurrent: true, sameRelease: false, noOverwrite: false }).kind, 'superseded');
  });
});

describe('commit message and backoff', () => {
  test('GIVEN a release THEN the subject names app, cluster, old → new, and the trailers give the request time back', () => {
    const message = commitMessage({ app: 'mcp10x', cluster: 'upc-prod', file: 'mcp10x/values-upc-prod.yaml', key: 'app.image.tag', previous: '2.0.4', next: '2.0.5', requestedAt: T1, ciURL: 'https://ci/run/7' });
    assert.match(message, /^release: mcp10x on upc-prod 2\.0\.4 → 2\.0\.5\n/);
    assert.match(message, /Built by https:\/\/ci\/run\/7/);
    assert.deepEqual(requestedAtOf(message), T1);
    assert.equal(requestedAtOf('plain commit'), undefined);
  });
  test('GIVEN attempts THEN the delay grows up to the cap and never reaches zero', () => {
    assert.equal(backoffDelay(1, { random: () => 1 }), 100);
    assert.equal(backoffDelay(4, { random: () => 1 }), 800);
    assert.equal(backoffDelay(30, { random: () => 1 }), 5000);
    assert.equal(backoffDelay(3, { random: () => 0 }), 10);
  });
});
