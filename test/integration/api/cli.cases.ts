/**
 * Cases of the API test for `launchpad app … --server`: the CLI run as its own process against the real API add-on,
 * with a token whose account may sync (admin) and one whose account may not (the readonly reader). The same commands
 * without --server (straight to the cluster) must print the same. Registered from api.test.ts, in its describe block.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { createToken } from '../../../src/api/auth/tokens.js';
import type { ApiWorld } from './fixture.js';
import { NS, PLANTED } from './fixture.js';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI as a user runs it — asynchronously: the API answering it runs in this very process. */
function launchpad(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'launchpad.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (status) => { resolve({ status, stdout, stderr }); });
  });
}

export function registerCliCases(worldOf: () => ApiWorld): void {
  let adminToken = '';
  let readerToken = '';
  const remote = (...args: string[]): string[] => [...args, '--server', worldOf().url];
  const direct = (...args: string[]): string[] => [...args, '--kubeconfig', worldOf().plane.kubeconfigPath];

  test('GIVEN API tokens WHEN `launchpad app list|get|history --server` run THEN they print what the direct path prints', async () => {
    const world = worldOf();
    adminToken = (await createToken(world.client, NS, { account: 'admin', description: 'cli cases', createdBy: 'test' })).token;
    readerToken = (await createToken(world.client, NS, { account: 'reader', description: 'cli cases', createdBy: 'test' })).token;
    const viaApi = await launchpad(remote('app', 'list', '--auth-token', adminToken));
    assert.equal(viaApi.status, 0, viaApi.stderr);
    assert.match(viaApi.stdout, /^NAME\s+PROJECT\s+SYNC STATUS\s+HEALTH STATUS\s+REVISION\s+DESTINATION\s+OPERATION/);
    assert.match(viaApi.stdout, /\nweb\s+default\s+/);
    assert.equal(viaApi.stdout, (await launchpad(direct('app', 'list'))).stdout, 'the same table both ways');
    const json = await launchpad(remote('app', 'list', '-l', 'team=web', '-o', 'json'), { LAUNCHPAD_AUTH_TOKEN: readerToken });
    assert.equal(json.status, 0, json.stderr);
    const apps = JSON.parse(json.stdout) as { kind: string; metadata: { name: string }; permissions?: unknown }[];
    assert.deepEqual(apps.map((app) => `${app.kind}/${app.metadata.name}`), ['Application/spare', 'Application/web']);
    assert.ok(apps.every((app) => app.permissions === undefined), 'Application objects, as the direct path prints them');
    const history = await launchpad(remote('app', 'history', 'web', '-o', 'json', '--auth-token', readerToken));
    assert.equal(history.status, 0, history.stderr);
    assert.equal(history.stdout, (await launchpad(direct('app', 'history', 'web', '-o', 'json'))).stdout);
    const table = await launchpad(remote('app', 'history', 'web', '--auth-token', readerToken));
    assert.match(table.stdout, /^ID\s+DATE\s+REVISION\s+SOURCE\s+INITIATED BY\n0\s+\S+\s+[0-9a-f]{40}\s+/);
    const got = await launchpad(remote('app', 'get', 'web', '--auth-token', readerToken));
    assert.equal(got.status, 0, got.stderr);
    assert.match(got.stdout, /Name:\s+argocd\/web|Name:\s+web/);
    assert.match(got.stdout, /WAVE\s+KIND\s+NAMESPACE\s+NAME\s+STATUS/);
    assert.ok(!got.stdout.includes(PLANTED));
  });

  test('GIVEN the reader\'s token WHEN it syncs through the API THEN it is refused with the missing permission named, exit 1, and nothing is written', async () => {
    const refused = await launchpad(remote('app', 'sync', 'web', '--auth-token', readerToken));
    assert.equal(refused.status, 1, refused.stderr);
    assert.equal(refused.stderr, 'launchpad: permission denied: reader may not sync applications default/web — ask an administrator for a role that allows it (argocd-rbac-cm policy.csv)\n');
    assert.equal((await worldOf().app('web')).operation, undefined);
    const bad = await launchpad(remote('app', 'list', '--auth-token', 'lpt_0000000000000000_nope'));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /the API refused the credentials: not logged in/);
    assert.match(bad.stderr, /--auth-token or LAUNCHPAD_AUTH_TOKEN/);
    const missing = await launchpad(remote('app', 'get', 'nope', '--auth-token', adminToken));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /application "nope" not found/);
    const unreachable = await launchpad(['app', 'list', '--server', 'http://127.0.0.1:9', '--auth-token', adminToken]);
    assert.equal(unreachable.status, 2);
    assert.match(unreachable.stderr, /cannot reach the Launchpad API at http:\/\/127\.0\.0\.1:9/);
  });

  test('GIVEN drift and the admin token WHEN `app diff` then `app sync --prune` run through the API THEN the diff shows it (exit 1, as the direct path), the sync is followed to its end (exit 0), and the diff is clean', async () => {
    const world = worldOf();
    await world.client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'web' }, data: { greeting: 'drifted-again' } }, { fieldManager: 'kubectl-edit' });
    const diff = await launchpad(remote('app', 'diff', 'web', '--auth-token', adminToken));
    assert.equal(diff.status, 1, diff.stderr);
    assert.match(diff.stdout, /^=== web\n# ConfigMap\/web\/web-config \(out-of-sync\)/);
    assert.match(diff.stdout, /-\s+greeting: drifted-again/);
    assert.equal(diff.stdout, (await launchpad(direct('app', 'diff', 'web'))).stdout, 'the same diff both ways');
    const synced = await launchpad(remote('app', 'sync', 'web', '--prune', '--timeout', '2m', '--auth-token', adminToken));
    assert.equal(synced.status, 0, `${synced.stdout}\n${synced.stderr}`);
    assert.match(synced.stdout, /^web: sync requested \(prune\)\n/);
    assert.match(synced.stdout, /ConfigMap\/web\/web-config Synced/);
    assert.match(synced.stdout, /\nweb: sync Succeeded in \d+\.\ds — \d+ synced\n$/);
    const clean = await launchpad(remote('app', 'diff', 'web', '--auth-token', adminToken));
    assert.equal(clean.status, 0, clean.stdout);
    assert.equal(clean.stdout, '');
    const refreshed = await launchpad(remote('app', 'refresh', 'web', '--auth-token', readerToken));
    assert.equal(refreshed.status, 0, refreshed.stderr);
    assert.match(refreshed.stdout, /^web: Synced to [0-9a-f]{7}, /);
    const terminate = await launchpad(remote('app', 'terminate', 'web', '--auth-token', adminToken));
    assert.equal(terminate.status, 1);
    assert.match(terminate.stderr, /web: no operation is running — nothing to terminate/);
  });
}
