/**
 * The fuzz suite's fixed-seed run, part of `npm test`: every target with a few cases from one seed, so the suite is
 * repeatable in CI and a finding reproduces with the printed seed and path. `npm run fuzz` runs many more cases.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TARGETS } from './targets.js';

const SEED = Number(process.env.LAUNCHPAD_FUZZ_SEED ?? '424242');

describe('fuzz (fixed seed)', () => {
  for (const target of TARGETS) {
    test(`${target.name}: ${target.quickRuns} cases, seed ${SEED}`, async () => {
      await fc.assert(
        fc.asyncProperty(target.arbitrary, async (input) => {
          const finding = await target.run(input);
          assert.equal(finding, undefined, finding);
        }),
        { numRuns: target.quickRuns, seed: SEED, endOnFailure: true },
      );
    });
  }
});
