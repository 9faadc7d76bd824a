/**
 * GIVEN a real control plane (tier 2: controllers, scheduler, a kwok node) with Launchpad's CRDs, a git repository
 * and the controller running beside it, WHEN `launchpad app …` runs (in-process: a commander program with
 * `registerApp`, stdout and stderr captured), THEN it shows what the controller reports, and sync, refresh,
 * rollback, terminate and delete go through the controller as Argo CD's CLI does — with exit codes 0/1/2.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { finalizersFor } from '../../../src/cli/commands/app/delete.js';
import { summarizeOperation } from '../../../src/cli/commands/app/progress.js';
import { parseResourceSelector } from '../../../src/cli/commands/app/sync.js';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import { createLogger } from '../../../src/controller/log.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { crdManifests } from '../../../src/install/crds.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';

const NS = 'argocd';
const REFRESH = 'argocd.argoproj.io/refresh';
const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const wave = (value: number): string => (value === 0 ? '' : `\n  annotations:\n    argocd.argoproj.io/sync-wave: "${value}"`);
const CONFIG = (name: string, data: Record<string, string>, syncWave = 0): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}${wave(syncWave)}\ndata:\n${Object.entries(data).map(([key, value]) => `  ${key}: "${value}"`).join('\n')}\n`;
const DEPLOYMENT = (name: string, syncWave: number, extraPodSpec = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}${wave(syncWave)}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n${extraPodSpec}      containers: [{name: app, image: "nginx:1.27"}]\n`;

type Status = { sync?: { status?: string; revision?: string }; health?: { status?: string }; operationState?: { phase?: string; message?: string }; history?: { id: number; revision: string }[] };
type App = KubeObject & { status?: Status; operation?: unknown };

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The control plane's kubeconfig, given to every command as --kubeconfig. */
let kubeconfig = '';

const compiled = (path: string): string => new URL(`../../../${path}`, import.meta.url).href;
const root = new URL('../../../../', import.meta.url).pathname;

/**
 * A commander program with only `registerApp` on it, handling errors as bin/launchpad.js's main() does. It runs in a
 * child process (not the test's own) because the test runner reports through this process's stdout, which must not be
 * captured, and the controller under test must keep running while a command waits.
 */
const PROGRAM = `
const { Command, CommanderError } = await import('commander');
const { registerApp } = await import(${JSON.stringify(compiled('src/cli/commands/app/index.js'))});
const { ExitCode } = await import(${JSON.stringify(compiled('src/cli/exit.js'))});
const { describeError } = await import(${JSON.stringify(compiled('src/errors.js'))});
const program = new Command('launchpad').exitOverride();
registerApp(program);
try {
  await program.parseAsync(process.argv.slice(1), { from: 'user' });
} catch (error) {
  if (error instanceof ExitCode) process.exitCode = error.code;
  else if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else {
    process.stderr.write('launchpad: ' + describeError(error) + '\\n');
    process.exitCode = 2;
  }
}
`;

/** Runs `launchpad app <args>`; stdin is not a terminal. Bounded: a command that hangs is killed. */
function launchpad(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROGRAM, '--', 'app', ...args, ...(args.includes('--kubeconfig') ? [] : ['--kubeconfig', kubeconfig])], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code: code ?? (signal === null ? -1 : 128), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

function ok(run: Run): Run {
  assert.equal(run.code, 0, `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  return run;
}

async function until(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    await check();
    return true;
  }, { what: 'the cluster to get there', timeoutMs, intervalMs: 200 });
}

describe('launchpad app: the parts that need no cluster', () => {
  test('--resource takes group:kind:name, @namespace or Argo CD\'s namespace/name; the core group is empty', () => {
    assert.deepEqual(parseResourceSelector('apps:Deployment:web'), { group: 'apps', kind: 'Deployment', name: 'web' });
    assert.deepEqual(parseResourceSelector(':ConfigMap:settings@shop'), { group: '', kind: 'ConfigMap', name: 'settings', namespace: 'shop' });
    assert.deepEqual(parseResourceSelector(':ConfigMap:shop/settings'), { group: '', kind: 'ConfigMap', name: 'settings', namespace: 'shop' });
    assert.throws(() => parseResourceSelector('Deployment/web'), /--resource Deployment\/web: expected group:kind:name\[@namespace\]/);
  });

  test('delete keeps other finalizers, keeps the resources finalizer the app has, and sets the asked policy\'s', () => {
    assert.deepEqual(finalizersFor(['x'], true, undefined), ['x', FINALIZER]);
    assert.deepEqual(finalizersFor(['x'], true, 'background'), ['x', `${FINALIZER}/background`]);
    assert.deepEqual(finalizersFor([`${FINALIZER}/background`, 'x'], true, undefined), [`${FINALIZER}/background`, 'x']);
    assert.deepEqual(finalizersFor([`${FINALIZER}/foreground`], true, 'foreground'), [`${FINALIZER}/foreground`]);
    assert.deepEqual(finalizersFor([FINALIZER, 'x'], true, 'background'), ['x', `${FINALIZER}/background`]);
    assert.deepEqual(finalizersFor([FINALIZER, 'x', `${FINALIZER}/background`], false, undefined), ['x']);
  });

  test('the summary line has launchpad sync\'s form, counted by syncResult status, with the message when it did not succeed', () => {
    const resources = [{ status: 'Synced' }, { status: 'Synced' }, { status: 'Pruned' }, { status: 'SyncFailed' }];
    const state = { phase: 'Failed', message: 'Deployment/shop/web is Degraded', startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:00:03.240Z', retryCount: 1, syncResult: { resources } };
    assert.equal(summarizeOperation('web', state, 0), 'web: sync Failed after 2 attempts in 3.2s — 2 synced, 1 pruned, 1 failed: Deployment/shop/web is Degraded');
    assert.equal(summarizeOperation('web', { phase: 'Succeeded', message: 'successfully synced', operation: { sync: { dryRun: true } } }, 1500), 'web: sync Succeeded (dry run) in 1.5s — nothing to do');
  });
});

describe('launchpad app on a cluster without Launchpad\'s CRDs', { skip: controlPlaneSkipReason(1) }, () => {
  let bare: ControlPlane;
  before(async () => {
    bare = await startControlPlane({ tier: 1 });
  });
  after(async () => {
    await bare.stop();
  });

  test('every subcommand says the cluster does not serve Applications and how to install Launchpad (exit 2)', async () => {
    for (const args of [['list'], ['get', 'web']]) {
      const run = await launchpad(...args, '--kubeconfig', bare.kubeconfigPath);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^launchpad: the cluster does not serve argoproj\.io\/v1alpha1 Applications — install Launchpad first: launchpad install --apply\n$/);
    }
  });
});

describe('launchpad app against a running controller', { skip: controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let running: RunningController;
  let cacheDir: string;
  let firstSha: string;

  const ref = (name: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name });
  const app = async (name: string): Promise<App | undefined> => await client.get(ref(name));
  const status = async (name: string): Promise<Status> => (await app(name))?.status ?? {};
  const configMap = async (namespace: string, name: string): Promise<Record<string, string> | undefined> =>
    (await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name }))?.data as Record<string, string> | undefined;
  const deployment = (namespace: string, name: string): Promise<KubeObject | undefined> => client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });

  function application(name: string, options: { automated?: boolean; labels?: Record<string, string>; finalizers?: string[] } = {}): KubeObject {
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: NS, ...(options.labels === undefined ? {} : { labels: options.labels }), ...(options.finalizers === undefined ? {} : { finalizers: options.finalizers }) },
      spec: {
        project: 'default',
        source: { repoURL: repo.url, path: name, targetRevision: 'HEAD' },
        destination: { server: 'https://kubernetes.default.svc', namespace: name },
        syncPolicy: { syncOptions: ['CreateNamespace=true'], ...(options.automated === true ? { automated: { prune: true } } : {}) },
      },
    };
  }

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    kubeconfig = plane.kubeconfigPath;
    client = await createKubeClient({ kubeconfig });
    for (const crd of crdManifests()) await client.apply(crd);
    await waitEstablished(client, crdManifests());
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-app-cli-cache-'));
    repo = await createGitRepo({
      files: {
        'waves/early.yaml': CONFIG('waves-early', { wave: '-1' }, -1),
        'waves/config.yaml': CONFIG('waves-config', { greeting: 'v1' }),
        'waves/deployment.yaml': DEPLOYMENT('waves-web', 1),
        'auto/config.yaml': CONFIG('auto-config', { a: '1' }),
        // Wave 0 can never become healthy (no node has the label), so wave 1 is never reached.
        'stuck/deployment.yaml': DEPLOYMENT('stuck', 0, '      nodeSelector: {launchpad.test/no-such-node: "true"}\n'),
        'stuck/after.yaml': CONFIG('stuck-after', { never: 'applied' }, 1),
      },
    });
    firstSha = await repo.revParse();
    const log = createLogger({ level: 'error', json: true });
    running = await runController({
      client, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 4, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
      webhookInsecure: false, offline: false, cacheDir, log,
    });
    await client.apply(application('waves'));
    await client.apply(application('auto', { automated: true, labels: { team: 'a' }, finalizers: [FINALIZER] }));
    await until(async () => {
      const auto = await status('auto');
      assert.equal(auto.operationState?.phase, 'Succeeded');
      assert.equal(auto.sync?.status, 'Synced');
      assert.equal(auto.health?.status, 'Healthy');
      assert.equal((await status('waves')).sync?.status, 'OutOfSync');
    }, 90_000);
  });

  after(async () => {
    await running.stop();
    client.close?.();
    await plane.stop();
    await repo.remove();
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('list shows every Application with its sync, health, revision, destination and last operation; -l filters; -o json|yaml is data', async () => {
    const table = ok(await launchpad('list')).stdout.split('\n');
    assert.match(table[0] ?? '', /^NAME\s+PROJECT\s+SYNC STATUS\s+HEALTH STATUS\s+REVISION\s+DESTINATION\s+OPERATION$/);
    const short = firstSha.slice(0, 7);
    assert.match(table.find((line) => line.startsWith('auto ')) ?? '', new RegExp(`^auto\\s+default\\s+Synced\\s+Healthy\\s+${short}\\s+in-cluster/auto\\s+Succeeded$`));
    assert.match(table.find((line) => line.startsWith('waves ')) ?? '', new RegExp(`^waves\\s+default\\s+OutOfSync\\s+\\w+\\s+${short}\\s+in-cluster/waves$`));
    const selected = ok(await launchpad('list', '-l', 'team=a')).stdout;
    assert.match(selected, /^auto /m);
    assert.doesNotMatch(selected, /^waves /m);
    const json = JSON.parse(ok(await launchpad('list', '-o', 'json')).stdout) as App[];
    assert.deepEqual(json.map((item) => item.metadata.name), ['auto', 'waves']);
    assert.equal(json[0]?.status?.sync?.status, 'Synced');
    const yaml = parseYaml(ok(await launchpad('list', '-o', 'yaml', '--namespace', NS)).stdout) as App[];
    assert.deepEqual(yaml.map((item) => item.metadata.name), ['auto', 'waves']);
  });

  test('an unknown Application is a usage error (exit 2) that names it and lists the Applications there are', async () => {
    for (const args of [['get', 'nope'], ['sync', 'nope'], ['rollback', 'nope', '0'], ['terminate', 'nope'], ['refresh', 'nope']]) {
      const run = await launchpad(...args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /application "nope" not found in namespace argocd — the Applications there are: auto, waves/);
    }
    const elsewhere = await launchpad('get', 'waves', '-n', 'nowhere');
    assert.equal(elsewhere.code, 2);
    assert.match(elsewhere.stderr, /there are no Applications in namespace nowhere/);
  });

  test('sync --resource syncs only that resource', async () => {
    const run = ok(await launchpad('sync', 'waves', '--resource', ':ConfigMap:waves-early'));
    assert.match(run.stdout, /^ {2}ConfigMap\/waves\/waves-early Synced/m);
    assert.match(run.stdout, /^waves: sync Succeeded in \d+\.\ds — 1 synced$/m);
    assert.deepEqual(await configMap('waves', 'waves-early'), { wave: '-1' });
    assert.equal(await configMap('waves', 'waves-config'), undefined);
    assert.equal(await deployment('waves', 'waves-web'), undefined);
    const typo = await launchpad('sync', 'waves', '--resource', ':ConfigMap:nope');
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /--resource :ConfigMap:nope: application "waves" has no such resource — its resources are: .*:ConfigMap:waves-config@waves/);
  });

  test('sync --dry-run follows the operation to Succeeded (dry run) and changes nothing', async () => {
    const historyBefore = (await status('waves')).history ?? [];
    const run = ok(await launchpad('sync', 'waves', '--dry-run'));
    assert.match(run.stdout, /^waves: sync requested \(dry run\)$/m);
    assert.match(run.stdout, /^waves: sync Succeeded \(dry run\) in \d+\.\ds — 3 synced$/m);
    assert.equal(await configMap('waves', 'waves-config'), undefined);
    assert.equal(await deployment('waves', 'waves-web'), undefined);
    assert.equal(((await status('waves')).history ?? []).length, historyBefore.length);
    const operation = (await status('waves')).operationState as { operation?: { sync?: unknown; initiatedBy?: { username?: unknown } } } | undefined;
    assert.deepEqual(operation?.operation?.sync, { dryRun: true });
    assert.equal(typeof operation.operation.initiatedBy?.username, 'string');
  });

  test('sync of a manual app follows the operation to Succeeded: progress lines, one line per resource, the summary; exit 0', async () => {
    const run = ok(await launchpad('sync', 'waves', '--prune', '--timeout', '2m'));
    assert.match(run.stdout, /^waves: sync requested \(prune\)$/m);
    assert.match(run.stdout, /^ {2}Running — /m);
    for (const resource of ['ConfigMap/waves/waves-early', 'ConfigMap/waves/waves-config', 'Deployment/waves/waves-web']) assert.match(run.stdout, new RegExp(`^ {2}${resource} Synced`, 'm'));
    assert.match(run.stdout, /^waves: sync Succeeded in \d+\.\ds — 3 synced$/m);
    assert.deepEqual(await configMap('waves', 'waves-config'), { greeting: 'v1' });
    assert.notEqual(await deployment('waves', 'waves-web'), undefined);
  });

  test('get shows the summary and the resource tree by wave, kind and name with sync and health; -o json|yaml is the object', async () => {
    await until(async () => {
      const current = await status('waves');
      assert.equal(current.sync?.status, 'Synced');
      assert.equal(current.health?.status, 'Healthy');
    }, 60_000);
    const text = ok(await launchpad('get', 'waves')).stdout;
    assert.match(text, /^Name:\s+argocd\/waves$/m);
    assert.match(text, /^Project:\s+default$/m);
    assert.match(text, new RegExp(`^Source:\\s+${repo.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} path waves$`, 'm'));
    assert.match(text, /^Target Revision:\s+HEAD$/m);
    assert.match(text, new RegExp(`^Synced Revision:\\s+${firstSha}$`, 'm'));
    assert.match(text, /^Destination:\s+in-cluster, namespace waves$/m);
    assert.match(text, /^Sync Status:\s+Synced$/m);
    assert.match(text, /^Health Status:\s+Healthy — all 3 resources are healthy$/m);
    assert.match(text, /^Last Operation:\s+Succeeded — /m);
    assert.match(text, /^WAVE\s+KIND\s+NAMESPACE\s+NAME\s+STATUS\s+HEALTH\s+MESSAGE$/m);
    const rows = text.split('\n').filter((line) => /^-?\d+\s/.test(line)).map((line) => line.split(/\s+/).slice(0, 6).join(' '));
    assert.deepEqual(rows.map((row) => row.split(' ').slice(0, 5).join(' ')), [
      '-1 ConfigMap waves waves-early Synced',
      '0 ConfigMap waves waves-config Synced',
      '1 Deployment waves waves-web Synced',
    ]);
    assert.match(text, /^1\s+Deployment\s+waves\s+waves-web\s+Synced\s+Healthy/m);
    const json = JSON.parse(ok(await launchpad('get', 'waves', '-o', 'json')).stdout) as App;
    assert.equal(json.metadata.name, 'waves');
    assert.equal(json.metadata.managedFields, undefined, 'managedFields are left out, as kubectl does');
    assert.equal(json.status?.sync?.status, 'Synced');
    const yaml = parseYaml(ok(await launchpad('get', 'waves', '-o', 'yaml')).stdout) as App;
    assert.equal(yaml.status?.health?.status, 'Healthy');
  });

  test('refresh --hard (and get --refresh) return once the controller has removed the annotation, and print sync and health', async () => {
    const run = ok(await launchpad('refresh', 'waves', '--hard'));
    assert.match(run.stdout, new RegExp(`^waves: Synced to ${firstSha.slice(0, 7)}, Healthy — all 3 resources are healthy$`, 'm'));
    assert.equal((await app('waves'))?.metadata.annotations?.[REFRESH], undefined);
    const get = ok(await launchpad('get', 'waves', '--refresh'));
    assert.match(get.stdout, /^Sync Status:\s+Synced$/m);
    assert.equal((await app('waves'))?.metadata.annotations?.[REFRESH], undefined);
    const both = await launchpad('get', 'waves', '--refresh', '--hard-refresh');
    assert.equal(both.code, 2);
  });

  test('history grows with each sync, and rollback to the first entry brings back the first revision\'s content', async () => {
    const historyBefore = (await status('waves')).history ?? [];
    const first = historyBefore[0];
    assert.equal(first?.revision, firstSha);
    const second = await repo.commit({ 'waves/config.yaml': CONFIG('waves-config', { greeting: 'v2' }) }, 'greeting v2');
    ok(await launchpad('sync', 'waves', '--revision', second));
    assert.deepEqual(await configMap('waves', 'waves-config'), { greeting: 'v2' });
    const historyAfter = (await status('waves')).history ?? [];
    assert.equal(historyAfter.length, historyBefore.length + 1);
    assert.equal(historyAfter.at(-1)?.revision, second);
    const run = ok(await launchpad('rollback', 'waves', String(first.id)));
    assert.match(run.stdout, new RegExp(`^waves: rollback to history entry ${first.id} requested \\(${firstSha.slice(0, 7)}\\)$`, 'm'));
    assert.match(run.stdout, /^waves: sync Succeeded in \d+\.\ds — 3 synced$/m);
    assert.deepEqual(await configMap('waves', 'waves-config'), { greeting: 'v1' });
    const operation = (await status('waves')).operationState as { operation?: { sync?: { revision?: string; source?: { path?: string } } } } | undefined;
    assert.equal(operation?.operation?.sync?.revision, firstSha);
    assert.equal(operation.operation.sync.source?.path, 'waves');
    const historyNow = (await status('waves')).history ?? [];
    assert.equal(historyNow.length, historyAfter.length + 1);
    assert.equal(historyNow.at(-1)?.revision, firstSha);
    const missing = await launchpad('rollback', 'waves', '99');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /application "waves" has no history entry 99 — its history ids are: 0, /);
  });

  test('rollback is refused while automated sync is on (exit 1), and nothing is written', async () => {
    const run = await launchpad('rollback', 'auto', '0');
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /auto: rollback cannot be initiated when auto-sync is enabled/);
    assert.equal((await app('auto'))?.operation, undefined);
  });

  test('terminate stops a sync waiting on a wave that never becomes healthy: the later wave never appears, the phase ends Failed', async () => {
    await client.apply(application('stuck'));
    await until(async () => {
      assert.equal((await status('stuck')).sync?.status, 'OutOfSync');
    }, 30_000);
    const nothing = await launchpad('terminate', 'stuck');
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /stuck: no operation is running — nothing to terminate/);
    const started = ok(await launchpad('sync', 'stuck', '--async'));
    assert.match(started.stdout, /^stuck: not following it \(--async\)/m);
    await until(async () => {
      assert.equal((await status('stuck')).operationState?.phase, 'Running');
      assert.notEqual(await deployment('stuck', 'stuck'), undefined);
    }, 60_000);
    const busy = await launchpad('sync', 'stuck');
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /stuck: another operation is already in progress \(Running/);
    const run = ok(await launchpad('terminate', 'stuck'));
    assert.match(run.stdout, /^stuck: terminating the running operation$/m);
    assert.match(run.stdout, /^stuck: operation Failed — .*terminated/m);
    const state = (await status('stuck')).operationState;
    assert.equal(state?.phase, 'Failed');
    assert.match(state.message ?? '', /terminated/);
    await sleep(2_000);
    assert.equal(await configMap('stuck', 'stuck-after'), undefined);
    assert.equal((await app('stuck'))?.operation, undefined);
  });

  test('delete asks for --yes off a terminal; with cascade it removes the resources, with --cascade=false it keeps them', async () => {
    const refused = await launchpad('delete', 'waves');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /not deleting application "waves" without confirmation: stdin is not a terminal .* — pass --yes/);
    assert.notEqual(await app('waves'), undefined);

    const cascade = ok(await launchpad('delete', 'waves', '--yes', '--wait', '--timeout', '2m'));
    assert.match(cascade.stdout, /^waves: deleted — the controller deletes its resources first$/m);
    assert.match(cascade.stdout, /^waves: gone$/m);
    assert.equal(await app('waves'), undefined);
    assert.equal(await configMap('waves', 'waves-config'), undefined);
    assert.equal(await configMap('waves', 'waves-early'), undefined);
    await until(async () => {
      assert.equal(await deployment('waves', 'waves-web'), undefined);
    }, 30_000);

    assert.deepEqual((await app('auto'))?.metadata.finalizers, [FINALIZER]);
    const keep = ok(await launchpad('delete', 'auto', '--cascade=false', '--yes', '--wait', '--timeout', '1m'));
    assert.match(keep.stdout, /^auto: deleted — its resources stay in the cluster$/m);
    assert.equal(await app('auto'), undefined);
    assert.deepEqual(await configMap('auto', 'auto-config'), { a: '1' });

    const bad = await launchpad('delete', 'stuck', '--cascade=maybe', '--yes');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--cascade=maybe: expected true or false/);

    ok(await launchpad('delete', 'stuck', '--propagation-policy', 'background', '--yes', '--wait', '--timeout', '2m'));
    assert.equal(await app('stuck'), undefined);
    await until(async () => {
      assert.equal(await deployment('stuck', 'stuck'), undefined);
    }, 30_000);
  });
});
