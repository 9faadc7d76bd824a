/**
 * `npm run bench:release`: 20 pipelines bump 20 different apps in one values repository (a bare remote on disk) at
 * the same moment. Launchpad (`release set-image`, each in its own scratch repository as separate CI jobs would be):
 * total wall time, push attempts and whether every bump landed. Beside it, in the same run, the seed's way: 20 clones
 * made beforehand, the same edits written, then 20 `git commit -am … && git push` at once — how long, and how many
 * of them fail (a plain push has no retry). Apps: `node dist/bench/release.js 20`.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findBinary } from '../src/process/binaries.js';
import { setImage } from '../src/release/index.js';
import { AUTHOR, generatedApps, git, history, valuesRemote } from '../test/integration/release/helpers.js';

const count = Number(process.argv[2] ?? 20);
const apps = Array.from({ length: count }, (_, index) => `app-${String(index + 1).padStart(2, '0')}`);
const IDENTITY = ['-c', `user.name=${AUTHOR.name}`, '-c', `user.email=${AUTHOR.email}`, '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null'];

function gitAsync(cwd: string, args: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(findBinary('git'), [...IDENTITY, ...args], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error) => {
      resolve(error === null);
    });
  });
}

async function launchpadRun(): Promise<{ ms: number; attempts: number; landed: number; linear: boolean }> {
  const values = await valuesRemote(await generatedApps(count));
  try {
    const started = performance.now();
    const results = await Promise.all(apps.map((app, index) => setImage({ repo: values.remote, app, tag: `9.0.${index}`, author: AUTHOR, maxAttempts: 100 })));
    const ms = performance.now() - started;
    const landed = apps.filter((app, index) => values.show(`${app}/values.yaml`).includes(`tag: 9.0.${index} #`)).length;
    return { ms, attempts: results.reduce((total, result) => total + result.attempts, 0), landed, linear: history(values.remote).merges === 0 };
  } finally {
    await values.remove();
  }
}

async function plainRun(): Promise<{ ms: number; failed: number; landed: number }> {
  const values = await valuesRemote(await generatedApps(count));
  try {
    const clones = await Promise.all(apps.map((app) => values.clone(`clone-${app}`)));
    // The seed's edit: sed on the tag line, done before the clock starts (only commit + push are timed).
    await Promise.all(apps.map(async (app, index) => {
      const file = join(clones[index] ?? '', app, 'values.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace(/tag: .*/, `tag: 9.0.${index}`));
    }));
    const started = performance.now();
    const pushed = await Promise.all(apps.map(async (app, index) => {
      const clone = clones[index] ?? '';
      return (await gitAsync(clone, ['commit', '-qam', `Update ${app} to 9.0.${index}`])) && gitAsync(clone, ['push', '-q', 'origin', 'main']);
    }));
    const ms = performance.now() - started;
    const landed = apps.filter((app, index) => values.show(`${app}/values.yaml`).includes(`tag: 9.0.${index}`)).length;
    return { ms, failed: pushed.filter((ok) => !ok).length, landed };
  } finally {
    await values.remove();
  }
}

const lp = await launchpadRun();
const plain = await plainRun();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
console.log(`release bench: ${count} concurrent bumps of different apps to one bare remote (git ${git('.', 'version').replace('git version ', '')})`);
console.log(`  launchpad release set-image : ${seconds(lp.ms)} total, ${lp.attempts} push attempts (${lp.attempts - count} retries), ${lp.landed}/${count} landed, history ${lp.linear ? 'linear' : 'NOT linear'}`);
console.log(`  git commit && git push      : ${seconds(plain.ms)} total, ${plain.failed}/${count} pushes failed, ${plain.landed}/${count} landed`);
console.log(`  ratio (launchpad / plain)   : ${(lp.ms / plain.ms).toFixed(1)}× the time, ${lp.landed - plain.landed} more bumps landed`);
