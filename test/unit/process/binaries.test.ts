import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBinary, resetBinaryCache } from '../../../src/process/binaries.js';

test('the pinned helm with its Kubernetes version in the folder name wins over an older build of the same helm', async () => {
  const tools = await mkdtemp(join(tmpdir(), 'launchpad-tools-'));
  const saved = { tools: process.env.LAUNCHPAD_TOOLS_DIR, helm: process.env.LAUNCHPAD_HELM };
  try {
    // What a machine holds after install-tools.sh ran before and after helm's capabilities were pinned.
    for (const folder of ['helm-v3.19.0', 'helm-v3.20.2', 'helm-v3.20.2-k8s1.35', 'helm-v3.20.2-k8s1.36.partial']) {
      await mkdir(join(tools, folder));
      await writeFile(join(tools, folder, 'helm'), '#!/bin/sh\n');
      await chmod(join(tools, folder, 'helm'), 0o755);
    }
    process.env.LAUNCHPAD_TOOLS_DIR = tools;
    Reflect.deleteProperty(process.env, 'LAUNCHPAD_HELM');
    resetBinaryCache();
    assert.equal(findBinary('helm'), join(tools, 'helm-v3.20.2-k8s1.35', 'helm'));
  } finally {
    for (const [name, value] of [['LAUNCHPAD_TOOLS_DIR', saved.tools], ['LAUNCHPAD_HELM', saved.helm]] as const) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
    resetBinaryCache();
    await rm(tools, { recursive: true, force: true });
  }
});
