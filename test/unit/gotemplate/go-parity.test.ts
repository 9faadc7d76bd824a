/**
 * Differential test: runs Go's text/template + Sprig (the oracle under test/fixtures/gotemplate/oracle) over the
 * whole case table now, and checks both that the recorded expectations are still Go's and that we match them.
 * Skipped, saying so, where no Go toolchain is installed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GO_CASES } from './cases.js';
import { assertSameResult, goAvailable, readExpected, render, runOracle } from './go-oracle.js';

const skip = goAvailable() ? false : 'no Go toolchain on PATH (the recorded expectations are still checked by go-cases.test)';

describe('live Go parity', { skip }, () => {
  test('the recorded expectations are what Go produces today, and the engine matches Go on every case', () => {
    const results = runOracle(GO_CASES);
    const recorded = readExpected();
    GO_CASES.forEach((c, i) => {
      const go = results[i];
      assert.ok(go, c.name);
      assert.deepEqual(recorded[c.name], go, `${c.name}: expected.json is stale — rewrite it with go-oracle.js --write`);
      assertSameResult(render(c), go);
    });
  });
});
