/**
 * Every case of the table against what Go produced (test/fixtures/gotemplate/expected.json): the same output,
 * or — where Go fails — a GoTemplateError naming the template and a line, and no output at all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GO_CASES } from './cases.js';
import { assertSameResult, readExpected, render } from './go-oracle.js';

describe('Go text/template + Sprig parity (expectations recorded from Go)', () => {
  const expected = readExpected();
  for (const c of GO_CASES) {
    test(c.name, () => {
      const go = expected[c.name];
      assert.ok(go, `no expectation recorded for "${c.name}": run node dist/test/unit/gotemplate/go-oracle.js --write`);
      assertSameResult(render(c), go);
    });
  }
});
