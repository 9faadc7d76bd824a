/**
 * The unsealer's pure rules, in tables: Bitnami's key renewal schedule and cutoff format, the Synced condition's
 * transitions, the /v1/verify rate limit, and what is written into an existing Secret (managed, patch, refused).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LaunchpadError } from '../../../src/errors.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { firstRenewalDelayMs, needsKeyAtStart, parseKeyCutoffTime, parseKeyRenewPeriod } from '../../../src/sealed/controller/key-rotation.js';
import { RateLimiter } from '../../../src/sealed/controller/rate-limit.js';
import { planSecretWrite } from '../../../src/sealed/controller/secret-write.js';
import { nextStatus } from '../../../src/sealed/controller/status.js';
import type { Secret } from '../../../src/sealed/types.js';

describe('key renewal', () => {
  test('--key-renew-period is a Go duration, 0 turns it off; bad values are refused with the fix', () => {
    assert.equal(parseKeyRenewPeriod('720h'), 720 * 3_600_000);
    assert.equal(parseKeyRenewPeriod('0'), 0);
    for (const bad of ['30d', '-1h', 'soon']) assert.throws(() => parseKeyRenewPeriod(bad), (error: unknown) => error instanceof LaunchpadError && /--key-renew-period .*Go duration/.test(error.message));
  });

  test('--key-cutoff-time is RFC 1123 with a numeric zone (date -R)', () => {
    assert.equal(parseKeyCutoffTime('Mon, 02 Jan 2006 15:04:05 -0700').toISOString(), '2006-01-02T22:04:05.000Z');
    assert.equal(parseKeyCutoffTime('Tue, 01 Dec 2026 00:00:00 +0000').toISOString(), '2026-12-01T00:00:00.000Z');
    for (const bad of ['2026-12-01', 'Mon, 02 Jan 2006 15:04:05 MST']) assert.throws(() => parseKeyCutoffTime(bad), LaunchpadError);
  });

  test('a key is made at start without keys or when the newest is older than the cutoff; renewal counts from its age', () => {
    const newest = new Date('2026-01-01T00:00:00Z');
    assert.equal(needsKeyAtStart(undefined, undefined), true);
    assert.equal(needsKeyAtStart(newest, undefined), false);
    assert.equal(needsKeyAtStart(newest, new Date('2026-02-01T00:00:00Z')), true);
    assert.equal(needsKeyAtStart(newest, new Date('2025-12-01T00:00:00Z')), false);
    const day = 86_400_000;
    assert.equal(firstRenewalDelayMs(newest, 30 * day, new Date(newest.getTime() + 10 * day)), 20 * day);
    assert.equal(firstRenewalDelayMs(newest, 30 * day, new Date(newest.getTime() + 40 * day)), 0);
  });
});

describe('the Synced condition', () => {
  const now = new Date('2026-12-02T10:00:00.123Z');
  test('first success: True with observedGeneration; the same again writes nothing', () => {
    const status = nextStatus(undefined, 1, undefined, now);
    assert.deepEqual(status, { conditions: [{ type: 'Synced', status: 'True', lastUpdateTime: '2026-12-02T10:00:00Z', lastTransitionTime: '2026-12-02T10:00:00Z' }], observedGeneration: 1 });
    assert.equal(nextStatus(status, 1, undefined, now), undefined);
  });
  test('a failure flips it with the message; a new message or generation rewrites it, keeping the transition time', () => {
    const failed = nextStatus({ conditions: [{ type: 'Synced', status: 'True', lastTransitionTime: 'then' }], observedGeneration: 1 }, 1, 'SealedSecret/shop/db: cannot unseal', now);
    assert.equal(failed?.conditions[0]?.status, 'False');
    assert.equal(failed.conditions[0].lastTransitionTime, '2026-12-02T10:00:00Z');
    const again = nextStatus(failed, 2, 'another reason', new Date('2026-12-02T11:00:00Z'));
    assert.equal(again?.conditions[0]?.lastTransitionTime, '2026-12-02T10:00:00Z');
    assert.equal(again.conditions[0].message, 'another reason');
    assert.equal(again.observedGeneration, 2);
  });
});

test('/v1/verify: burst + 1 at once per client, then 2 per second; clients are apart', () => {
  const limiter = new RateLimiter({ perSecond: 2, burst: 2 });
  assert.deepEqual([0, 0, 0, 0].map(() => limiter.take('a', 1_000)), [0, 0, 0, 1]);
  assert.equal(limiter.take('b', 1_000), 0);
  assert.equal(limiter.take('a', 1_500), 0, 'half a second refills one request');
  assert.equal(limiter.take('a', 1_500), 1);
});

describe('what is written into the target Secret', () => {
  const unsealed: Secret = {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: 'db', namespace: 'shop', labels: { app: 'web' }, ownerReferences: [{ kind: 'SealedSecret', uid: 'u1', controller: true }] },
    data: { password: 'bmV3' },
  };
  const live = (metadata: Record<string, unknown>, data: Record<string, string> = { old: 'b2xk' }): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'db', namespace: 'shop', resourceVersion: '7', ...metadata }, data });

  const cases: [string, KubeObject | undefined, string, Record<string, string> | undefined][] = [
    ['none yet → created', undefined, 'create', { password: 'bmV3' }],
    ['owned → replaced', live({ ownerReferences: [{ kind: 'SealedSecret', uid: 'u1', controller: true }] }), 'update', { password: 'bmV3' }],
    ['managed → taken over', live({ annotations: { 'sealedsecrets.bitnami.com/managed': 'true' } }), 'update', { password: 'bmV3' }],
    ['patch → merged', live({ annotations: { 'sealedsecrets.bitnami.com/patch': 'true' } }), 'update', { old: 'b2xk', password: 'bmV3' }],
    ['owned by another SealedSecret (uid) → refused', live({ ownerReferences: [{ kind: 'SealedSecret', uid: 'u0', controller: true }] }), 'refuse', undefined],
    ['unannotated → refused', live({}), 'refuse', undefined],
    ['owned and equal → unchanged', live({ labels: { app: 'web' }, ownerReferences: [{ kind: 'SealedSecret', uid: 'u1', controller: true }] }, { password: 'bmV3' }), 'unchanged', undefined],
  ];
  for (const [name, existing, action, data] of cases) {
    test(name, () => {
      const plan = planSecretWrite(unsealed, existing, 'u1');
      assert.equal(plan.action, action);
      if (plan.action === 'create' || plan.action === 'update') assert.deepEqual(plan.secret['data'], data);
      if (plan.action === 'refuse') assert.match(plan.message, /^Secret\/shop\/db already exists and is not managed by this SealedSecret — annotate it sealedsecrets\.bitnami\.com\/managed: "true"/);
    });
  }
  test('patch keeps the owners unless managed too', () => {
    const plan = planSecretWrite(unsealed, live({ annotations: { 'sealedsecrets.bitnami.com/patch': 'true' }, labels: { team: 'a' } }), 'u1');
    assert.ok(plan.action === 'update');
    assert.equal(plan.secret.metadata['ownerReferences'], undefined);
    assert.deepEqual(plan.secret.metadata.labels, { team: 'a', app: 'web' });
  });
});
