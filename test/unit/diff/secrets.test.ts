/**
 * Secret values never leave the diff layer: not in a diff, not when in sync, not in errors, not base64-encoded.
 * Every assertion here checks the whole ResourceDiff (or error) as JSON for every plain and base64 value.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { diffResources, extraneousDiff } from '../../../src/diff/diff.js';
import { stopJqWorker } from '../../../src/diff/jq.js';
import { HIDDEN, canonicalizeSecret, redactForDisplay } from '../../../src/diff/secrets.js';
import { LAST_APPLIED_ANNOTATION } from '../../../src/diff/normalize.js';
import type { IgnoreDifference } from '../../../src/model/application.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { changedLines, fixture } from './fixtures.js';

after(() => stopJqWorker());

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
/** Every secret value the fixtures hold. */
const PLAIN_VALUES = ['admin', 's3cr3t-old', 's3cr3t-new', 't0ken-added'];
const FORBIDDEN = [...PLAIN_VALUES, ...PLAIN_VALUES.map(b64)];

function assertNoSecretValues(value: unknown): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const secret of FORBIDDEN) assert.ok(!text.includes(secret), `"${secret}" leaked: ${text}`);
}

const cases: readonly { name: string; desired: string; live?: string; ignore?: readonly IgnoreDifference[] }[] = [
  { name: 'a changed value', desired: 'secret-dry-run-changed', live: 'secret-live' },
  { name: 'an added key', desired: 'secret-dry-run-key-added', live: 'secret-live' },
  { name: 'in sync via stringData', desired: 'secret-dry-run-identical-stringdata', live: 'secret-live' },
  { name: 'missing', desired: 'secret-dry-run-changed' },
  { name: 'a jsonPointer rule on data', desired: 'secret-dry-run-changed', live: 'secret-live', ignore: [{ kind: 'Secret', jsonPointers: ['/data/password'] }] },
  { name: 'a jq rule that fails at run time on the values', desired: 'secret-dry-run-changed', live: 'secret-live', ignore: [{ kind: 'Secret', jqPathExpressions: ['.data.password[]'] }] },
];

describe('Secret values are never in a ResourceDiff', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const result = await diffResources({ desired: fixture(c.desired), live: c.live === undefined ? undefined : fixture(c.live), ignore: c.ignore ?? [] });
      assertNoSecretValues(result);
    });
  }

  test('the changed key is named as changed, the unchanged one shown as hidden context', async () => {
    const result = await diffResources({ desired: fixture('secret-dry-run-changed'), live: fixture('secret-live') });
    assert.deepEqual(changedLines(result.diff), ['-  password: <hidden>', '+  password: <hidden, changed>']);
    assert.match(result.diff, /^ {3}username: <hidden>$/m);
  });

  test('a jsonPointer rule on the changed key makes it in sync', async () => {
    const result = await diffResources({ desired: fixture('secret-dry-run-changed'), live: fixture('secret-live'), ignore: [{ kind: 'Secret', jsonPointers: ['/data/password'] }] });
    assert.equal(result.status, 'in-sync');
  });

  test('extraneous: keys only', () => {
    const result = extraneousDiff(fixture('secret-live'));
    assertNoSecretValues(result);
    assert.ok(changedLines(result.diff).includes('-  password: <hidden>'));
  });

  test('an invalid jq expression on a Secret fails without a value in the error', async () => {
    const error = await diffResources({ desired: fixture('secret-dry-run-changed'), live: fixture('secret-live'), ignore: [{ kind: 'Secret', jqPathExpressions: ['.data | tojson | undefined_fn'] }] }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof Error, 'expected an error');
    assertNoSecretValues(error.message);
  });

  test('stringData in desired against a different data value in live is out of sync, values hidden', async () => {
    const live = fixture('secret-live');
    const desired: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-credentials', namespace: 'shop' }, type: 'Opaque', stringData: { username: 'admin', password: 's3cr3t-new' } };
    const result = await diffResources({ desired, live });
    assert.equal(result.status, 'out-of-sync');
    assert.deepEqual(changedLines(result.diff), ['-  password: <hidden>', '+  password: <hidden, changed>']);
    assertNoSecretValues(result);
  });
});

describe('redactForDisplay', () => {
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify({ data: { password: b64('s3cr3t-old') } }), team: 'shop' } },
    data: { password: b64('s3cr3t-old') },
    stringData: { username: 'admin' },
  };

  test('hides data, stringData and the last-applied annotation of a Secret, keeps keys and other annotations', () => {
    const shown = redactForDisplay(secret);
    assertNoSecretValues(shown);
    assert.deepEqual(shown.data, { password: HIDDEN });
    assert.deepEqual(shown.stringData, { username: HIDDEN });
    assert.deepEqual(shown.metadata.annotations, { [LAST_APPLIED_ANNOTATION]: HIDDEN, team: 'shop' });
  });

  test('does not change its argument', () => {
    redactForDisplay(secret);
    assert.equal((secret.data as Record<string, string>).password, b64('s3cr3t-old'));
  });

  test('hides a SealedSecret\'s encryptedData values, not its template', () => {
    const sealed: KubeObject = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's' }, spec: { encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA==' }, template: { type: 'Opaque' } } };
    assert.deepEqual(redactForDisplay(sealed).spec, { encryptedData: { password: HIDDEN }, template: { type: 'Opaque' } });
  });

  test('a SealedSecret encryptedData change shows the key as changed only', async () => {
    const sealed = (value: string): KubeObject => ({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's', namespace: 'shop' }, spec: { encryptedData: { password: value } } });
    const result = await diffResources({ desired: sealed('AgNEWNEWNEW'), live: sealed('AgOLDOLDOLD') });
    assert.deepEqual(changedLines(result.diff), ['-    password: <hidden>', '+    password: <hidden, changed>']);
    assert.ok(!JSON.stringify(result).includes('AgNEW') && !JSON.stringify(result).includes('AgOLD'));
  });

  test('leaves other kinds as they are, ConfigMap data included', () => {
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    assert.deepEqual(redactForDisplay(configMap), configMap);
  });
});

describe('canonicalizeSecret', () => {
  test('folds stringData into data as base64, stringData winning', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: b64('old'), b: b64('kept') }, stringData: { a: 'new' } };
    assert.deepEqual(canonicalizeSecret(secret), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: b64('new'), b: b64('kept') } });
  });

  test('leaves objects without stringData, and other kinds, alone', () => {
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, stringData: { a: 'x' } };
    assert.equal(canonicalizeSecret(configMap), configMap);
  });
});
