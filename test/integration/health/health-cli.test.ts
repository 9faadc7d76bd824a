/**
 * GIVEN captured objects in files, WHEN a user runs `launchpad health -f` as a process, THEN each object gets one line
 * (or a JSON entry) with its health, and the exit code says whether everything is Healthy (0), not (1), or the
 * command was misused (2).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const bin = join(repoRoot, 'bin/launchpad.js');
const fixture = (name: string): string => join(repoRoot, 'test/fixtures/health', `${name}.yaml`);
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'launchpad-health-cli-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function launchpad(args: readonly string[], input?: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', ...(input === undefined ? {} : { input }) });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Several fixtures as one multi-document file. */
async function multiDoc(name: string, fixtures: readonly string[]): Promise<string> {
  const texts = await Promise.all(fixtures.map((f) => readFile(fixture(f), 'utf8')));
  const file = join(dir, name);
  await writeFile(file, texts.join('---\n'));
  return file;
}

test('healthy objects: one line each, exit 0', async () => {
  const file = await multiDoc('healthy.yaml', ['deployment-healthy', 'service-clusterip', 'apiservice-available']);
  const { code, stdout, stderr } = launchpad(['health', '-f', file]);
  assert.equal(stderr, '');
  assert.equal(stdout, [
    'Deployment/health/web: Healthy — Deployment "web" has 2 of 2 replicas available',
    'Service/health/web: Healthy',
    'APIService/v1.apps: Healthy — APIService "v1.apps" is available (Local: Local APIServices are always available)',
    '',
  ].join('\n'));
  assert.equal(code, 0);
});

test('one object not Healthy: exit 1, every object still printed', async () => {
  const file = await multiDoc('mixed.yaml', ['deployment-progressing', 'pvc-bound', 'job-failed']);
  const { code, stdout } = launchpad(['health', '-f', file]);
  assert.equal(stdout, [
    'Deployment/health/pending: Progressing — Waiting for rollout to finish: 0 of 3 updated replicas are available...',
    'PersistentVolumeClaim/health/data: Healthy — PersistentVolumeClaim "data" is bound to PersistentVolume "pv-data"',
    'Job/health/deadline: Degraded — Job "deadline" failed: Job was active longer than specified deadline',
    '',
  ].join('\n'));
  assert.equal(code, 1);
});

test('-o json and -f - (a kubectl List on stdin)', async () => {
  const items = await Promise.all(['deployment-suspended', 'pod-running'].map(async (f) => (await readFile(fixture(f), 'utf8')).replace(/^/gm, '    ')));
  const list = `apiVersion: v1\nkind: List\nitems:\n${items.map((text) => `  -\n${text}`).join('\n')}`;
  const { code, stdout } = launchpad(['health', '-f', '-', '-o', 'json'], list);
  assert.deepEqual(JSON.parse(stdout), {
    resources: [
      { group: 'apps', kind: 'Deployment', namespace: 'health', name: 'paused', status: 'Suspended', message: 'Deployment "paused" is paused' },
      { group: '', kind: 'Pod', namespace: 'health', name: 'api', status: 'Healthy', message: 'Pod "api" is running and ready' },
    ],
  });
  assert.equal(code, 1);
});

test('usage errors exit 2 and say what to do', async () => {
  assert.equal(launchpad(['health']).code, 2);
  const missing = launchpad(['health', '-f', join(dir, 'nope.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.yaml: cannot be read: .* — check the path given to -f/);
  const empty = join(dir, 'empty.yaml');
  await writeFile(empty, '# nothing here\n');
  const none = launchpad(['health', '-f', empty]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /empty\.yaml: contains no Kubernetes objects/);
  const broken = join(dir, 'broken.yaml');
  await writeFile(broken, 'kind: [\n');
  assert.equal(launchpad(['health', '-f', broken]).code, 2);
  assert.equal(launchpad(['health', '-f', empty, '-o', 'xml']).code, 2);
});
