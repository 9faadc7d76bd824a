#!/usr/bin/env node
// Runs the compiled test files with Node's own test runner. Node 20 has no glob support in `--test`, so the
// files are listed here. Usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: test/)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const targets = process.argv.slice(2);
const roots = (targets.length > 0 ? targets : ['test']).map((t) => join(root, 'dist', t.replace(/\.ts$/, '.js')));

function collect(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return [];
  if (stat.isFile()) return path.endsWith('.test.js') ? [path] : [];
  return readdirSync(path).sort().flatMap((entry) => collect(join(path, entry)));
}

const files = roots.flatMap(collect);
if (files.length === 0) {
  console.error(`run-tests: no compiled test files under ${roots.map((r) => relative(root, r)).join(', ')} (did you run "npm run build"?)`);
  process.exit(1);
}
const concurrency = process.env.LAUNCHPAD_TEST_CONCURRENCY ?? '2';
const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', `--test-concurrency=${concurrency}`, ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
