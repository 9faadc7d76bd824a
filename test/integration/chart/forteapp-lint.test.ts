/**
 * GIVEN the forteapp chart, WHEN `helm lint --strict` runs on it alone and with each example app's values,
 * THEN it passes — and it does fail when the values are wrong, so the check has teeth.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBinary } from '../../../src/process/binaries.js';
import { runProcess } from '../../../src/process/run.js';
import type { RunResult } from '../../../src/process/run.js';
import { CHART_DIR, PLATFORM_DIR } from './helpers.js';

async function lint(...extra: string[]): Promise<RunResult> {
  return runProcess(findBinary('helm'), ['lint', '--strict', CHART_DIR, ...extra], { allowFailure: true });
}

test('helm lint --strict passes on the chart with its defaults', async () => {
  const result = await lint();
  assert.equal(result.exitCode, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  assert.doesNotMatch(result.stdout, /\[(WARNING|ERROR)\]/);
});

for (const app of ['mcp10x', 'musicman', 'argocd-mcp', 'dot-ai-stack']) {
  test(`helm lint --strict passes with helm-prod-values/${app}/values.yaml`, async () => {
    const result = await lint('--values', join(PLATFORM_DIR, 'helm-prod-values', app, 'values.yaml'));
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout, /\[(WARNING|ERROR)\]/);
  });
}

test('helm lint --strict fails on values the schema rejects', async () => {
  const result = await lint('--set', 'app.image.repository=ghcr.io/fortedigital/10x', '--set', 'app.image.tag=2.0.4', '--set', 'auth.mode=basic');
  assert.notEqual(result.exitCode, 0);
  assert.match(result.stdout + result.stderr, /value must be one of 'token', 'oidc'/);
});
