/**
 * GIVEN hostile or broken input files, WHEN `tree`, `render` and `health` run as processes, THEN each ends with exit
 * 2 and one Launchpad error line naming the file and the limit or mistake, nothing on stdout, and no library warning
 * or stack trace — within the process's own limits (an endless device is refused, not read).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findBinary } from '../../../src/process/binaries.js';

const bin = join(new URL('../../../../', import.meta.url).pathname, 'bin/launchpad.js');
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'launchpad-hardening-'));
});
after(() => rm(work, { recursive: true, force: true }));

function launchpad(args: readonly string[], env: Readonly<Record<string, string>> = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: work, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, XDG_CACHE_HOME: join(work, 'cache'), LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize'), ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertCleanFailure(result: ReturnType<typeof launchpad>, message: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '', 'nothing on stdout when a command fails before producing output');
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /Warning|\n\s+at |call stack/);
}

test('GIVEN a root file nested 5,000 levels deep THEN tree says too deep, with file and line', async () => {
  await writeFile(join(work, 'deep.yaml'), `${'- '.repeat(5000)}x\n`);
  assertCleanFailure(launchpad(['tree', 'deep.yaml', '--offline']), /^error: \S*\/deep\.yaml:1:\d+: is nested more than 100 levels deep \(maxDepth\) — flatten the structure/);
});

test('GIVEN a root file over the size limit THEN refused before reading; LAUNCHPAD_LIMITS raises the limit', async () => {
  await writeFile(join(work, 'big.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
  assertCleanFailure(launchpad(['tree', 'big.yaml', '--offline'], { LAUNCHPAD_LIMITS: 'maxFileSize=1Mi' }), /^error: \S*\/big\.yaml: is 2\.0 MiB, more than the limit of 1 MiB \(maxFileSize\)/);
  const raised = launchpad(['tree', 'big.yaml', '--offline'], { LAUNCHPAD_LIMITS: 'maxFileSize=4Mi' });
  assert.match(raised.stderr, /holds no argoproj\.io\/v1alpha1 Application/);
});

test('GIVEN health -f of an endless device THEN refused at the size limit', () => {
  assertCleanFailure(launchpad(['health', '-f', '/dev/zero'], { LAUNCHPAD_LIMITS: 'maxFileSize=2Mi' }), /^launchpad: \/dev\/zero: is larger than the limit of 2 MiB \(maxFileSize\)/);
});

test('GIVEN a bad LAUNCHPAD_LIMITS THEN a usage error naming the entry', () => {
  assertCleanFailure(launchpad(['tree', 'deep.yaml', '--offline'], { LAUNCHPAD_LIMITS: 'depth=3' }), /^launchpad: LAUNCHPAD_LIMITS: "depth=3" is not a limit setting/);
});

test('GIVEN a root with a collection as a key and an invalid Application THEN only Launchpad\'s own lines on stderr', async () => {
  await writeFile(join(work, 'odd.yaml'), '? [a, b]\n: c\n---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x}\nspec: {}\n');
  const result = launchpad(['tree', 'odd.yaml', '--offline']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  for (const line of result.stderr.trim().split('\n')) assert.match(line, /^error: \S*\/odd\.yaml:\d+:\d+: /);
});
