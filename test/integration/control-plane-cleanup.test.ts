/**
 * A control plane never outlives its user: a process interrupted with SIGINT or SIGTERM ends every component and
 * removes the folder on its way out, and one killed outright (SIGKILL, no handlers run) is cleaned up by the next
 * start. Each case runs a real tier-1 control plane in a child Node process. Instances side by side never collide.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { isAlive } from '../../src/local/control-plane/daemon.js';
import { httpsRequest } from '../../src/local/control-plane/probe.js';
import { controlPlaneSkipReason, startControlPlane } from '../../src/testing/index.js';

const skip = controlPlaneSkipReason(1);
const testingModule = new URL('../../src/testing/index.js', import.meta.url).href;

interface Started {
  readonly child: ReturnType<typeof spawn>;
  readonly root: string;
  readonly pids: readonly number[];
}

/** Starts a child that starts a control plane, prints its folder and PIDs, then idles until signalled. */
async function startChild(): Promise<Started> {
  const script = `
    const { startControlPlane } = await import(${JSON.stringify(testingModule)});
    const plane = await startControlPlane({ tier: 1 });
    console.log(JSON.stringify({ root: plane.root, pids: Object.values(plane.pids) }));
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const parsed = JSON.parse(line) as { root: string; pids: number[] };
    return { child, root: parsed.root, pids: parsed.pids };
  }
  throw new Error('the child exited before its control plane was ready');
}

const exited = (child: Started['child']): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else
      child.on('exit', () => {
        resolve();
      });
  });

describe('control-plane clean-up', { skip }, () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} ends every component and removes the folder`, async () => {
      const started = await startChild();
      assert.ok(started.pids.every(isAlive));
      started.child.kill(signal);
      await exited(started.child);
      assert.equal(existsSync(started.root), false, `${started.root} removed`);
      assert.deepEqual(started.pids.filter(isAlive), [], 'no component left running');
    });
  }

  test('two control planes started side by side get their own ports and folders, and both serve', async () => {
    const [first, second] = await Promise.all([startControlPlane({ tier: 1 }), startControlPlane({ tier: 1 })]);
    try {
      assert.notEqual(first.server, second.server);
      assert.notEqual(first.root, second.root);
      for (const plane of [first, second]) {
        const version = await httpsRequest({ url: `${plane.server}/version`, tls: plane.tls });
        assert.equal(version.status, 200);
      }
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    assert.equal(existsSync(first.root) || existsSync(second.root), false);
  });

  test('after SIGKILL of its owner, the next start ends the orphans and removes their folder', async () => {
    const started = await startChild();
    started.child.kill('SIGKILL');
    await exited(started.child);
    assert.ok(existsSync(started.root), 'nothing could clean up yet');
    const next = await startControlPlane({ tier: 1 });
    await next.stop();
    assert.equal(existsSync(started.root), false, `${started.root} swept`);
    assert.deepEqual(started.pids.filter(isAlive), [], 'orphaned components ended');
  });
});
