import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isExactVersion, pickVersion, sortNewestFirst, toSemverRange } from '../../../src/source/helm-version.js';

const AVAILABLE = ['0.9.0', '1.0.0', '1.2.0', '1.2.5', '1.3.0-rc.1', '1.10.0', '2.0.0', '2.1.0-beta.2', 'v3.0.0'];

const CASES: ReadonlyArray<readonly [string, string | undefined]> = [
  ['1.2.0', '1.2.0'],
  ['v1.2.0', '1.2.0'],
  ['3.0.0', 'v3.0.0'],
  ['^1.2.0', '1.10.0'],
  ['~1.2.0', '1.2.5'],
  ['1.2.x', '1.2.5'],
  ['>=1.0 <2', '1.10.0'],
  ['>=1.0, <2', '1.10.0'],
  ['*', 'v3.0.0'],
  ['', 'v3.0.0'],
  ['<1', '0.9.0'],
  ['1.3.0-rc.1', '1.3.0-rc.1'],
  ['>=1.3.0-rc.0 <1.4', '1.3.0-rc.1'],
  ['^2.1.0-beta.0', '2.1.0-beta.2'],
  ['4.0.0', undefined],
  ['^5', undefined],
  ['not a version', undefined],
];

for (const [requested, expected] of CASES) {
  test(`GIVEN versions ${AVAILABLE.join(' ')} WHEN "${requested}" is requested THEN ${expected ?? 'nothing'} is picked`, () => {
    assert.equal(pickVersion(AVAILABLE, requested), expected);
  });
}

test('exact versions and ranges are told apart', () => {
  assert.ok(isExactVersion('1.2.3'));
  assert.ok(isExactVersion('v1.2.3-rc.1'));
  assert.ok(!isExactVersion('^1.2.3'));
  assert.ok(!isExactVersion('1.2.x'));
  assert.equal(toSemverRange('>=1.0, <2'), '>=1.0.0 <2.0.0-0');
});

test('versions sort newest first for messages', () => {
  assert.deepEqual(sortNewestFirst(['1.0.0', 'weird', '1.10.0', '1.2.0']), ['1.10.0', '1.2.0', '1.0.0', 'weird']);
});
