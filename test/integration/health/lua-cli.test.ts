/**
 * GIVEN a folder of Lua health checks in Argo CD's resource_customizations layout, WHEN `launchpad health test` and
 * `launchpad health -f --health-dir` run as processes, THEN cases pass or fail as a user reads them, exit codes are
 * 0 / 1 / 2, a broken script makes its object Unknown naming the file and line, and `health -f` without the new
 * flags behaves as before.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const bin = join(new URL('../../../../', import.meta.url).pathname, 'bin/launchpad.js');
let work: string;

function launchpad(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(work, path, '..'), { recursive: true });
  await writeFile(join(work, path), text);
}

const queueScript = `
local hs = {}
if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the queue controller"
  return hs
end
if obj.status.phase == "Ready" then
  hs.status = "Healthy"
  hs.message = obj.status.depth .. " messages queued"
elseif obj.status.phase == "Paused" then
  hs.status = "Suspended"
  hs.message = "paused by " .. (obj.status.pausedBy or "someone")
else
  hs.status = "Degraded"
  hs.message = string.format("queue is %s", string.lower(obj.status.phase))
end
return hs
`;

const queue = (status: string): string => `apiVersion: messaging.example.io/v1\nkind: Queue\nmetadata:\n  name: orders\n  namespace: shop\n${status}`;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'launchpad-lua-cli-'));
  await put('checks/messaging.example.io/Queue/health.lua', queueScript);
  await put('checks/messaging.example.io/Queue/testdata/ready.yaml', queue('status:\n  phase: Ready\n  depth: 12\n'));
  await put('checks/messaging.example.io/Queue/testdata/paused.yaml', queue('status:\n  phase: Paused\n'));
  await put('checks/messaging.example.io/Queue/testdata/new.yaml', queue(''));
  await put('checks/messaging.example.io/Queue/testdata/failed.yaml', queue('status:\n  phase: FAILED\n'));
  await put('checks/messaging.example.io/Queue/health_test.yaml', [
    'tests:',
    '- healthStatus: {status: Healthy, message: "12 messages queued"}',
    '  inputPath: testdata/ready.yaml',
    '- healthStatus: {status: Suspended, message: "paused by someone"}',
    '  inputPath: testdata/paused.yaml',
    '- healthStatus: {status: Progressing, message: "waiting for the queue controller"}',
    '  inputPath: testdata/new.yaml',
    '- healthStatus: {status: Degraded, message: "queue is failed"}',
    '  inputpath: testdata/failed.yaml',
    '',
  ].join('\n'));
  // A wildcard folder: every kind of every *.infra.example.io group.
  await put('checks/_.infra.example.io/_/health.lua', 'return {status = obj.status.ready and "Healthy" or "Progressing", message = obj.kind}\n');
  await put('checks/_.infra.example.io/_/health_test.yaml', 'tests:\n- healthStatus: {status: Healthy, message: Bucket}\n  inputPath: bucket.yaml\n');
  await put('checks/_.infra.example.io/_/bucket.yaml', 'apiVersion: s3.infra.example.io/v1\nkind: Bucket\nmetadata: {name: logs}\nstatus: {ready: true}\n');
  await put('broken/example.io/Widget/health.lua', 'local hs = {}\nhs.status = obj.status.state.current\nreturn hs\n');
  await put('broken/example.io/Widget/health_test.yaml', 'tests:\n- healthStatus: {status: Healthy}\n  inputPath: widget.yaml\n- healthStatus: {status: Healthy}\n  inputPath: missing.yaml\n');
  await put('broken/example.io/Widget/widget.yaml', 'apiVersion: example.io/v1\nkind: Widget\nmetadata: {name: w}\nstatus: {}\n');
  await put('objects.yaml', `${queue('status:\n  phase: Ready\n  depth: 3\n')}---\napiVersion: example.io/v1\nkind: Widget\nmetadata: {name: w, namespace: shop}\nstatus: {}\n`);
  await put('launchpad.yaml', 'health:\n  luaDir: broken\n');
});
after(() => rm(work, { recursive: true, force: true }));

test('GIVEN passing health_test.yaml cases THEN one PASS line each, a count, exit 0', () => {
  const result = launchpad(['health', 'test', 'checks']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, [
    'PASS _.infra.example.io/_/bucket.yaml',
    'PASS messaging.example.io/Queue/testdata/ready.yaml',
    'PASS messaging.example.io/Queue/testdata/paused.yaml',
    'PASS messaging.example.io/Queue/testdata/new.yaml',
    'PASS messaging.example.io/Queue/testdata/failed.yaml',
    '5 passed, 0 failed',
    '',
  ].join('\n'));
});

test('GIVEN a script error and a missing input THEN FAIL lines name the script, line and file; exit 1', () => {
  const result = launchpad(['health', 'test', 'broken']);
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^FAIL example\.io\/Widget\/widget\.yaml: Lua error in \S*broken\/example\.io\/Widget\/health\.lua:2: attempt to index a nil value \(field 'state'\)$/);
  assert.match(lines[1] ?? '', /^FAIL example\.io\/Widget\/missing\.yaml: \S+missing\.yaml/);
  assert.equal(lines[2], '0 passed, 2 failed');
});

test('GIVEN a wrong expectation THEN the FAIL line shows expected and actual', async () => {
  await put('wrong/messaging.example.io/Queue/health.lua', queueScript);
  await put('wrong/messaging.example.io/Queue/ready.yaml', queue('status:\n  phase: Ready\n  depth: 12\n'));
  await put('wrong/messaging.example.io/Queue/health_test.yaml', 'tests:\n- healthStatus: {status: Healthy, message: "11 messages queued"}\n  inputPath: ready.yaml\n');
  const result = launchpad(['health', 'test', 'wrong', '--failures']);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, 'FAIL messaging.example.io/Queue/ready.yaml: expected Healthy "11 messages queued", got Healthy "12 messages queued"\n0 passed, 1 failed\n');
});

test('GIVEN no such folder, or one without health_test.yaml THEN a usage error, exit 2', () => {
  const missing = launchpad(['health', 'test', 'nope']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope: no such folder — check the path given to launchpad health test/);
  const empty = launchpad(['health', 'test', '.']);
  assert.equal(empty.code, 2, empty.stdout);
});

test('GIVEN --health-dir THEN health -f judges custom kinds by their Lua script', () => {
  const result = launchpad(['health', '-f', 'objects.yaml', '--health-dir', 'checks']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'Queue/shop/orders: Healthy — 3 messages queued\nWidget/shop/w: Healthy\n');
});

test('GIVEN launchpad.yaml health.luaDir with a broken script THEN that object is Unknown naming file and line, exit 1', () => {
  const result = launchpad(['health', '-f', 'objects.yaml', '--config', 'launchpad.yaml', '-o', 'json']);
  assert.equal(result.code, 1, result.stderr);
  const widget = (JSON.parse(result.stdout) as { resources: { kind: string; status: string; message: string }[] }).resources.find((entry) => entry.kind === 'Widget');
  assert.ok(widget, result.stdout);
  assert.equal(widget.status, 'Unknown');
  assert.match(widget.message, /^Widget "w": health check failed: Lua error in \S+\/broken\/example\.io\/Widget\/health\.lua:2: attempt to index a nil value \(field 'state'\)$/);
});

test('GIVEN health without -f THEN the same usage error as before; without Lua flags objects keep built-in verdicts', () => {
  const missing = launchpad(['health']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /error: required option '-f, --file <file>' not specified/);
  const plain = launchpad(['health', '-f', 'objects.yaml']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(plain.stdout, 'Queue/shop/orders: Healthy\nWidget/shop/w: Healthy\n');
});
