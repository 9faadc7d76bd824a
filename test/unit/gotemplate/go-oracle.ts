/**
 * Builds and runs the Go oracle (test/fixtures/gotemplate/oracle: text/template + Sprig v3.3.0) over the case
 * table. Used by go-parity.test.ts when Go is installed, and to (re)write the expectations:
 *   npm run build && node dist/test/unit/gotemplate/go-oracle.js --write
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileGoTemplate, GoTemplateError, SPRIG_FUNCTIONS } from '../../../src/gotemplate/index.js';
import { GO_CASES, type GoCase } from './cases.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const ORACLE_DIR = join(repoRoot, 'test/fixtures/gotemplate/oracle');
export const EXPECTED_FILE = join(repoRoot, 'test/fixtures/gotemplate/expected.json');

export interface GoResult { readonly output?: string; readonly error?: string }

export function goAvailable(): boolean {
  return spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
}

/** Compiles the oracle once per source version into ~/.cache/launchpad, so later runs take milliseconds. */
export function buildOracle(): string {
  const source = ['main.go', 'go.mod', 'go.sum'].map((file) => readFileSync(join(ORACLE_DIR, file), 'utf8')).join('\0');
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const cacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'launchpad', 'gotemplate-oracle');
  const binary = join(cacheDir, `oracle-${digest}`);
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  const build = spawnSync('go', ['build', '-o', binary, '.'], { cwd: ORACLE_DIR, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (build.status !== 0) throw new Error(`building the Go template oracle failed: ${build.stderr}`);
  return binary;
}

export function runOracle(cases: readonly GoCase[]): GoResult[] {
  const input = JSON.stringify(cases.map((c) => ({ template: c.template, data: c.data ?? null, missingKey: c.missingKey ?? '' })));
  const run = spawnSync(buildOracle(), [], { input, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (run.status !== 0) throw new Error(`the Go template oracle failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as GoResult[];
}

export function readExpected(): Record<string, GoResult> {
  return JSON.parse(readFileSync(EXPECTED_FILE, 'utf8')) as Record<string, GoResult>;
}

/** Our engine on one case, as the same shape the oracle returns. */
export function render(c: GoCase): GoResult {
  try {
    const options = { name: 'case', functions: SPRIG_FUNCTIONS, ...(c.missingKey ? { missingKey: c.missingKey } : {}) };
    return { output: compileGoTemplate(c.template, options).execute(structuredClone(c.data ?? null)) };
  } catch (error) {
    if (!(error instanceof GoTemplateError)) throw error;
    return { error: error.message };
  }
}

/** Go's error and ours must both be errors; ours names the template and the line Go named. */
export function assertSameResult(ours: GoResult, go: GoResult): void {
  if (go.output !== undefined) {
    assert.equal(ours.error, undefined, `Go rendered ${JSON.stringify(go.output)}`);
    assert.equal(ours.output, go.output);
    return;
  }
  assert.equal(ours.output, undefined, `Go failed with: ${go.error ?? ''}`);
  const goLine = /^template: case:(\d+)/.exec(go.error ?? '')?.[1];
  assert.match(ours.error ?? '', new RegExp(`^template: case:${goLine ?? '\\d+'}:\\d+: `), `Go: ${go.error ?? ''}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  const results = runOracle(GO_CASES);
  const table = Object.fromEntries(GO_CASES.map((c, i) => [c.name, results[i]]));
  writeFileSync(EXPECTED_FILE, `${JSON.stringify(table, null, 2)}\n`);
  console.log(`wrote ${GO_CASES.length} expectations to ${EXPECTED_FILE}`);
}
