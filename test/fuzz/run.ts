/**
 * `npm run fuzz`: the fuzz targets with many more cases than `npm test` runs (LAUNCHPAD_FUZZ_RUNS multiplies each
 * target's quick count, default 10×; LAUNCHPAD_FUZZ_SEED picks the seed, default random), printing per target the
 * cases run, cases per second and every finding with the seed and path that reproduce it. Exit 1 on any finding.
 */
import fc from 'fast-check';
import { TARGETS } from './targets.js';

const factor = Number(process.env.LAUNCHPAD_FUZZ_RUNS ?? '10');
const seed = process.env.LAUNCHPAD_FUZZ_SEED === undefined ? Date.now() % 2_147_483_647 : Number(process.env.LAUNCHPAD_FUZZ_SEED);
const only = process.env.LAUNCHPAD_FUZZ_TARGET;

let findings = 0;
console.log(`fuzz: seed ${seed}, ${factor}× the quick case counts`);
for (const target of TARGETS) {
  if (only !== undefined && !target.name.includes(only)) continue;
  const runs = target.quickRuns * factor;
  const started = performance.now();
  let lastFinding: string | undefined;
  const result = await fc.check(fc.asyncProperty(target.arbitrary, async (input) => {
    lastFinding = await target.run(input);
    return lastFinding === undefined;
  }), { numRuns: runs, seed, endOnFailure: true });
  const seconds = (performance.now() - started) / 1000;
  const cases = result.numRuns;
  console.log(`${target.name}: ${cases} cases in ${seconds.toFixed(1)} s (${(cases / seconds).toFixed(1)} cases/s), ${result.failed ? 1 : 0} finding${result.failed ? '' : 's'}`);
  if (result.failed) {
    findings += 1;
    const input: unknown = result.counterexample?.[0];
    console.log(`  finding: ${lastFinding ?? String(result.errorInstance)}`);
    console.log(`  reproduce: LAUNCHPAD_FUZZ_SEED=${result.seed} (path ${result.counterexamplePath ?? ''}); input: ${fc.stringify(input).slice(0, 2000)}`);
  }
}
console.log(`fuzz: ${findings} finding${findings === 1 ? '' : 's'}`);
process.exitCode = findings > 0 ? 1 : 0;
