/**
 * GIVEN the real render helper, WHEN it dies with a render in flight, THEN the render is sent again to a new helper
 * and succeeds; WHEN it dies on every attempt, THEN that render fails with a RenderHelperError naming the fix; WHEN the
 * helper cannot be started, THEN Launchpad renders with the helm binary and `version` says so.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RenderHelperClient, RenderHelperError, RenderHelperStartError } from '../../../src/render/helper/client.js';
import { findRenderHelper, RENDER_HELPER_ENV } from '../../../src/render/helper/locate.js';
import { activeRenderer, resetRendererState, runHelmTemplate, setRendererMode } from '../../../src/render/helper/renderer.js';

const helperBinary = findRenderHelper();
const skip = helperBinary === undefined ? 'no render helper built (run scripts/install-render-helper.sh)' : false;
let dir: string;
let chart: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'launchpad-helper-client-'));
  chart = join(dir, 'chart');
  await mkdir(join(chart, 'templates'), { recursive: true });
  await writeFile(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: chart\nversion: 0.1.0\n');
  await writeFile(join(chart, 'templates/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  n: {{ .Values.n | default 0 | quote }}\n');
});

after(async () => {
  setRendererMode(undefined);
  resetRendererState();
  await rm(dir, { recursive: true, force: true });
});

const args = (n: number): string[] => ['template', chart, '--name-template', `r${n}`, '--namespace', 'shop', '--kube-version', '1.35.0', '--set', `n=${n}`];

test('a helper killed with renders in flight is restarted and the renders are retried', { skip }, async () => {
  const client = new RenderHelperClient(helperBinary ?? '');
  try {
    const first = await client.request('helm', args(0), 30_000);
    assert.match(first.stdout, /name: r0/);
    const pid = client.pid;
    const inFlight = [1, 2, 3].map((n) => client.request('helm', args(n), 30_000));
    process.kill(pid ?? 0, 'SIGKILL');
    const responses = await Promise.all(inFlight);
    responses.forEach((response, index) => {
      assert.match(response.stdout, new RegExp(`n: "${index + 1}"`));
    });
    assert.equal(client.starts, 2);
    assert.notEqual(client.pid, pid);
  } finally {
    client.close();
  }
});

test('a render that kills a working helper twice is that render\'s error, not a hang', async () => {
  const dying = join(dir, 'dying-helper');
  await writeFile(dying, '#!/bin/sh\necho "panic: simulated crash" >&2\nexit 2\n');
  await chmod(dying, 0o755);
  // A stand-in that answered once (so it is known to start) and then crashes on every request.
  const client = new RenderHelperClient(dying);
  (client as unknown as { answered: number }).answered = 1;
  try {
    await assert.rejects(client.request('helm', args(1), 30_000), (error: unknown) => {
      assert.ok(error instanceof RenderHelperError && !(error instanceof RenderHelperStartError));
      assert.match(error.message, /render helper exited \(exit 2\) while rendering: panic: simulated crash/);
      assert.match(error.message, /--renderer=process/);
      return true;
    });
    assert.equal(client.starts, 2, 'retried once on a new helper');
  } finally {
    client.close();
  }
});

test('a helper that cannot start falls back to the helm binary, and version says so', async () => {
  const previous = process.env[RENDER_HELPER_ENV];
  const notExecutable = join(dir, 'not-executable');
  await writeFile(notExecutable, 'not a program');
  await chmod(notExecutable, 0o755);
  process.env[RENDER_HELPER_ENV] = notExecutable;
  try {
    resetRendererState();
    setRendererMode('helper');
    const result = await runHelmTemplate(args(5), { timeoutMs: 60_000 });
    assert.match(result.stdout, /n: "5"/);
    const active = await activeRenderer();
    assert.equal(active.mode, 'process');
    assert.match(active.detail, /^fallback: the render helper .*not-executable exits before answering/);
  } finally {
    if (previous === undefined) delete process.env.LAUNCHPAD_RENDER_HELPER;
    else process.env[RENDER_HELPER_ENV] = previous;
    setRendererMode(undefined);
    resetRendererState();
  }
});

test('with the helper selected and built, version names it', { skip }, async () => {
  resetRendererState();
  setRendererMode('helper');
  try {
    const active = await activeRenderer();
    assert.equal(active.mode, 'helper');
    assert.match(active.detail, /render-helper helm=v3\.20\.2 kube=v1\.35\.0/);
  } finally {
    setRendererMode(undefined);
    resetRendererState();
  }
});
