import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ToolError } from '../../../src/errors.js';
import { runProcess, trimToolOutput } from '../../../src/process/run.js';

test('a failing program surfaces its stderr, trimmed, in a ToolError', async () => {
  await assert.rejects(runProcess('sh', ['-c', 'echo "Error: chart not found" >&2; exit 3']), (error: unknown) => {
    assert.ok(error instanceof ToolError);
    assert.match(error.message, /sh -c failed \(exit 3\): Error: chart not found/);
    return true;
  });
});

test('a missing program says how to find it', async () => {
  await assert.rejects(runProcess('launchpad-no-such-binary', []), /could not start launchpad-no-such-binary.*installed and on PATH/);
});

test('a program that runs past its timeout is killed and the error is retryable', async () => {
  await assert.rejects(runProcess('sleep', ['5'], { timeoutMs: 100 }), (error: unknown) => {
    assert.ok(error instanceof ToolError);
    assert.equal(error.retryable, true);
    return true;
  });
});

test('secrets are redacted from tool output', () => {
  assert.equal(trimToolOutput('fatal: https://user:hunter2@git.example/x failed\nUse --debug flag to see more', ['hunter2']), 'fatal: https://user:***@git.example/x failed');
});
