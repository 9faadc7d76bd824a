/**
 * GIVEN the real render helpers, WHEN one dies with a render in flight, THEN the render is sent again to a new helper
 * and succeeds; WHEN it dies on every attempt, THEN that render fails with a RenderHelperError naming the fix; WHEN a
 * helper cannot be started or links another version than the binary in use, THEN Launchpad renders with the binary,
 * says so once, and `version` says so. With nothing chosen the helpers render; `--renderer=process` keeps the binaries.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RenderHelperClient, RenderHelperError, RenderHelperStartError } from '../../../src/render/helper/client.js';
import { findRenderHelper, KUSTOMIZE_HELPER_ENV, RENDER_HELPER_ENV } from '../../../src/render/helper/locate.js';
import { activeRenderer, renderHelperPids, resetRendererState, runHelmTemplate, runKustomizeBuild, setRendererMode } from '../../../src/render/helper/renderer.js';
import { resetBinaryCache } from '../../../src/process/binaries.js';

const helperBinary = findRenderHelper();
const skip = helperBinary === undefined ? 'no render helper built (run scripts/install-render-helper.sh)' : false;
const kustomizeHelperBinary = findRenderHelper('kustomize');
const skipKustomize = kustomizeHelperBinary === undefined ? 'no kustomize render helper built (run scripts/install-render-helper.sh)' : false;

/** Runs body with environment variables set (undefined: removed), restoring them and the renderer state after. */
async function withEnv(vars: Readonly<Record<string, string | undefined>>, body: () => Promise<void>): Promise<void> {
  const previous = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Readonly<Record<string, string | undefined>>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  };
  apply(vars);
  resetRendererState();
  resetBinaryCache();
  try {
    await body();
  } finally {
    apply(previous);
    setRendererMode(undefined);
    resetRendererState();
    resetBinaryCache();
  }
}

/** Collects what is written to stderr while body runs. */
async function stderrOf(body: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const capture = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  process.stderr.write = capture;
  try {
    await body();
  } finally {
    process.stderr.write = write;
  }
  return chunks.join('');
}
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
    // Stopped first, so the helper cannot answer the renders before it is killed: they are in flight for sure.
    process.kill(pid ?? 0, 'SIGSTOP');
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

test('a helper that cannot start falls back to the binaries, says so once, and version says so', async () => {
  const notExecutable = join(dir, 'not-executable');
  await writeFile(notExecutable, 'not a program');
  await chmod(notExecutable, 0o755);
  const overlay = join(dir, 'overlay');
  await mkdir(overlay, { recursive: true });
  await writeFile(join(overlay, 'kustomization.yaml'), 'resources: [cm.yaml]\nnamePrefix: p-\n');
  await writeFile(join(overlay, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n');
  await withEnv({ [RENDER_HELPER_ENV]: notExecutable, [KUSTOMIZE_HELPER_ENV]: notExecutable, LAUNCHPAD_RENDERER: undefined }, async () => {
    const said = await stderrOf(async () => {
      const results = await Promise.all([1, 2, 3].map((n) => runHelmTemplate(args(n), { timeoutMs: 60_000 })));
      results.forEach((result, index) => {
        assert.match(result.stdout, new RegExp(`n: "${index + 1}"`));
      });
      const built = await runKustomizeBuild(['build', overlay], { timeoutMs: 60_000 });
      assert.match(built.stdout, /name: p-cm/);
      await runKustomizeBuild(['build', overlay], { timeoutMs: 60_000 });
    });
    const lines = said.trim().split('\n');
    assert.equal(lines.length, 2, `one line per tool, got: ${said}`);
    assert.match(lines[0] ?? '', /^launchpad: the render helper .*not-executable exits before answering.*; rendering with the helm binary$/);
    assert.match(lines[1] ?? '', /rendering with the kustomize binary$/);
    const active = await activeRenderer();
    assert.equal(active.mode, 'process');
    assert.match(active.tools.helm.detail, /^fallback: the render helper .*not-executable exits before answering/);
    assert.match(active.tools.kustomize.detail, /^fallback: /);
  });
});

test('a kustomize helper that links another kustomize than the binary in use is not used', { skip: skipKustomize }, async () => {
  const otherKustomize = join(dir, 'kustomize-v9');
  await writeFile(otherKustomize, '#!/bin/sh\necho v9.9.9\n');
  await chmod(otherKustomize, 0o755);
  await withEnv({ LAUNCHPAD_KUSTOMIZE: otherKustomize, LAUNCHPAD_RENDERER: undefined }, async () => {
    const said = await stderrOf(async () => {
      const active = await activeRenderer();
      assert.equal(active.tools.kustomize.mode, 'process');
      assert.match(active.tools.kustomize.detail, /the kustomize render helper links kustomize v5\.7\.1 but the kustomize binary in use is v9\.9\.9/);
    });
    assert.match(said, /rendering with the kustomize binary/);
  });
});

test('with nothing chosen the built helpers render, and version names both', { skip: skip !== false ? skip : skipKustomize }, async () => {
  await withEnv({ LAUNCHPAD_RENDERER: undefined }, async () => {
    const active = await activeRenderer();
    assert.equal(active.mode, 'helper');
    assert.match(active.tools.helm.detail, /render-helper helm=v3\.20\.2 kube=v1\.35\.0/);
    assert.match(active.tools.kustomize.detail, /render-helper-kustomize kustomize=v5\.7\.1/);
    assert.equal(renderHelperPids().length, 2, 'one helper process per tool');
  });
});

test('--renderer=process keeps the binaries even when the helpers are built', async () => {
  await withEnv({ LAUNCHPAD_RENDERER: undefined }, async () => {
    setRendererMode('process');
    const result = await runHelmTemplate(args(7), { timeoutMs: 60_000 });
    assert.match(result.stdout, /n: "7"/);
    const active = await activeRenderer();
    assert.equal(active.mode, 'process');
    assert.equal(active.detail, 'helm: one helm process per application; kustomize: one kustomize process per application');
    assert.deepEqual(renderHelperPids(), []);
  });
});
