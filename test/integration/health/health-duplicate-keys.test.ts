/**
 * GIVEN a live object exported with a key written twice (as some tools and hand edits produce), WHEN a user runs
 * `launchpad health -f` as a process, THEN it is assessed with the last value, as Kubernetes decodes it — while an
 * Application in Git with a repeated key is still refused with its file and line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const bin = join(repoRoot, 'bin/launchpad.js');
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'launchpad-health-dup-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function launchpad(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

test('health -f: a repeated key keeps its last value (a Running Pod whose phase is then written Failed is Degraded)', async () => {
  const captured = await readFile(join(repoRoot, 'test/fixtures/health/pod-running.yaml'), 'utf8');
  assert.match(captured, /^ {2}phase: Running$/m);
  const file = join(dir, 'pod.yaml');
  await writeFile(file, captured.replace(/^ {2}phase: Running$/m, '  phase: Running\n  phase: Failed'));
  const { code, stdout, stderr } = launchpad(['health', '-f', file]);
  assert.equal(stderr, '');
  assert.equal(stdout, 'Pod/health/api: Degraded — Pod "api" failed\n');
  assert.equal(code, 1);
  // The other order: the last value, Running, decides.
  await writeFile(file, captured.replace(/^ {2}phase: Running$/m, '  phase: Failed\n  phase: Running'));
  assert.equal(launchpad(['health', '-f', file]).stdout, 'Pod/health/api: Healthy — Pod "api" is running and ready\n');
});

test('an Application with a repeated key is still refused, naming the file and the line', async () => {
  const file = join(dir, 'app.yaml');
  await writeFile(file, [
    'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata: {name: shop, namespace: argocd}', 'spec:',
    '  project: default', '  project: platform',
    '  source: {repoURL: "https://git.example.com/platform.git", path: apps/shop, targetRevision: main}',
    '  destination: {server: "https://kubernetes.default.svc", namespace: shop}', '',
  ].join('\n'));
  const { code, stderr } = launchpad(['render', file, '--offline']);
  assert.equal(code, 2);
  assert.match(stderr, new RegExp(`${file.replaceAll('/', '\\/')}:6:3: .*"project" is repeated`));
});
