#!/usr/bin/env node
// Captures the health fixtures in test/fixtures/health/ from a real control plane: starts the tier-2 test control
// plane (kube-apiserver, etcd, kube-controller-manager, kube-scheduler, kwok), creates objects, waits until each is
// in the state its fixture is named after — checked with Launchpad's own assessHealth, so a fixture can never be
// named for a state it is not in — and writes it without managedFields, uids and resourceVersions (strings quoted
// as kubectl quotes them, so YAML 1.1 readers keep timestamps as text).
//
// A few states no controller in the test control plane produces (a load balancer address, a crash-looping
// container, a failed Pod, CRDs whose controllers are not installed). For those the script writes the status
// through the API (the status subresource, or the object itself for Argo CD's Application, which has none) as
// that controller would, and the fixture says so in its first lines.
//
// Usage: npm run build && node scripts/capture-health-fixtures.mjs [name-prefix…]   (up to two minutes: CronJobs wait
// for a full minute). With name prefixes (e.g. `hpa- kafka`), every scenario runs but only the fixtures whose names
// start with one of them are written, so the others keep their captured timestamps.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { assessHealth } from '../dist/src/health/index.js';
import { KUBERNETES_VERSION, eventually, startControlPlane } from '../dist/src/testing/index.js';
import { customResourceScenarios } from './capture-health-fixtures.custom-resources.mjs';
import { ecosystemScenarios } from './capture-health-fixtures.ecosystem.mjs';
import { networkingScenarios } from './capture-health-fixtures.networking.mjs';
import { seedStackScenarios } from './capture-health-fixtures.seed-stack.mjs';
import { workloadScenarios } from './capture-health-fixtures.workloads.mjs';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, 'test/fixtures/health');
const NAMESPACE = 'health';
const ONLY = process.argv.slice(2);

const CAPTURED = `# Captured by scripts/capture-health-fixtures.mjs from a tier-2 test control plane (Kubernetes ${KUBERNETES_VERSION}, kwok fake node).`;

/** Deletes what changes on every capture and says nothing about health. */
function clean(value) {
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'managedFields' || key === 'uid' || key === 'resourceVersion' || key.endsWith('controller-uid')) continue;
    out[key] = clean(entry);
  }
  return out;
}

/** The tools each scenario gets: kubectl, waiting on health, process pausing, and writing fixtures. */
function makeTools(plane) {
  const env = { ...process.env, KUBECONFIG: plane.kubeconfigPath };
  const written = [];

  const kubectl = async (args, input) => {
    const child = run(plane.binaries.kubectl, args, { env, maxBuffer: 32 * 1024 * 1024 });
    if (input !== undefined) child.child.stdin.end(input);
    return (await child).stdout;
  };
  const json = async (args, input) => JSON.parse(await kubectl([...args, '-o', 'json'], input));
  const create = (yaml) => kubectl(['create', '-f', '-'], yaml);
  const get = (resource, name, namespace = NAMESPACE) => json(['get', resource, name, ...(namespace === '' ? [] : ['-n', namespace])]);
  const patchStatus = (resource, name, patch, namespace = NAMESPACE) =>
    json(['patch', resource, name, ...(namespace === '' ? [] : ['-n', namespace]), '--subresource=status', '--type=merge', '-p', JSON.stringify(patch)]);

  /** Waits until the object's health is `status` (and `also` holds), returns the object. */
  const waitHealth = (resource, name, status, { namespace = NAMESPACE, also = () => true, timeoutMs = 120_000 } = {}) =>
    eventually(async () => {
      const object = await get(resource, name, namespace);
      return assessHealth(object).status === status && also(object) ? object : undefined;
    }, { what: `${resource}/${name} ${status}`, timeoutMs, intervalMs: 300 });

  /**
   * Runs `body` with a component (kube-controller-manager, kwok) stopped, so a passing state holds still. One pause
   * at a time: scenarios run concurrently, and one must not resume what another needs stopped.
   */
  let pauses = Promise.resolve();
  const paused = (component, body) => {
    const turn = pauses.then(async () => {
      const pid = plane.pids[component];
      if (pid === undefined) throw new Error(`no pid for ${component} (have ${Object.keys(plane.pids).join(', ')})`);
      process.kill(pid, 'SIGSTOP');
      try {
        return await body();
      } finally {
        process.kill(pid, 'SIGCONT');
      }
    });
    pauses = turn.catch(() => undefined);
    return turn;
  };

  /** Writes `<file>.yaml`; `note` (lines) explains a status the script wrote itself. */
  const write = (file, object, expected, note = []) => {
    const health = assessHealth(object);
    if (health.status !== expected) throw new Error(`${file}: expected ${expected}, assessHealth says ${health.status} — ${health.message}`);
    if (ONLY.length > 0 && !ONLY.some((prefix) => file.startsWith(prefix))) return;
    const header = [CAPTURED, ...note.map((line) => `# ${line}`)].join('\n');
    writeFileSync(join(outDir, `${file}.yaml`), `${header}\n${stringify(clean(object), { lineWidth: 0, version: '1.1' })}`);
    written.push({ file, health, edited: note.some((line) => line.startsWith('Status written')) });
  };

  return { kubectl, json, create, get, patchStatus, waitHealth, paused, write, written, namespace: NAMESPACE };
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const plane = await startControlPlane({ tier: 2 });
  try {
    const tools = makeTools(plane);
    await tools.create(`{apiVersion: v1, kind: Namespace, metadata: {name: ${NAMESPACE}}}`);
    await eventually(async () => (await tools.get('serviceaccount', 'default')).metadata !== undefined, { what: 'ServiceAccount health/default' });
    // Slow scenarios (a CronJob waits for its first minute) run beside the rest.
    await Promise.all([workloadScenarios(tools), networkingScenarios(tools), customResourceScenarios(tools), seedStackScenarios(tools), ecosystemScenarios(tools)]);
    for (const { file, health, edited } of tools.written.sort((a, b) => a.file.localeCompare(b.file))) {
      process.stdout.write(`${file.padEnd(36)} ${health.status.padEnd(12)} ${edited ? 'status written by the script' : 'captured'}  ${health.message}\n`);
    }
  } finally {
    await plane.stop();
  }
}

await main();
