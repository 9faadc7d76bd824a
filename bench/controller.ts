/**
 * `npm run bench:controller`: the controller on the project's own control plane (tier 2) with N synthetic
 * Applications (default 1,000; Helm, Kustomize and plain directories, 3–4 objects each, spread over 50 namespaces),
 * printing in one run:
 *   1. initial convergence (apply the Applications → every app Synced with its sync Succeeded) vs `kubectl apply
 *      --server-side` of the same objects into twin namespaces, measured in the same run (ratio; goal ≤ 1.5×);
 *   2. one steady-state refresh cycle of every unchanged app: wall time, helm/kustomize processes, writes and API
 *      requests (goals < 5 s, 0, 0);
 *   3. webhook push → app Synced at the pushed commit, median over 10 commits (goal < 2 s);
 *   4. drift → healed with selfHeal (goal ≤ self-heal timeout + 1 s);
 *   5. the controller's RSS at steady state, as its own process (goal < 150 MiB), and its render helpers' RSS;
 *   6. a cold render of every Application as the controller's first reconciles do it, with the long-lived render
 *      helpers (the default, which the controller above ran with) and with `--renderer=process`, and the ratio.
 * Usage: node dist/bench/controller.js [apps]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { runController } from '../src/cli/commands/controller.js';
import { createLogger } from '../src/controller/log.js';
import { installCore } from '../src/local/up.js';
import { createKubeClient } from '../src/kube/index.js';
import type { KubeClient } from '../src/kube/types.js';
import type { KubeObject } from '../src/model/resource.js';
import { findBinary } from '../src/process/binaries.js';
import { runProcess } from '../src/process/run.js';
import { renderApplication } from '../src/render/app.js';
import { activeRenderer, closeRenderHelper, setRendererMode } from '../src/render/helper/renderer.js';
import type { RendererMode } from '../src/render/helper/renderer.js';
import { findRenderHelper, KUSTOMIZE_HELPER_ENV, RENDER_HELPER_ENV } from '../src/render/helper/locate.js';
import { createSourceResolver } from '../src/source/index.js';
import type { Application } from '../src/model/application.js';
import { createGitRepo, startControlPlane } from '../src/testing/index.js';
import type { GitFixture } from '../src/testing/index.js';

const APPS = Number(process.argv[2] ?? 1000);
const NAMESPACES = 50;
const NS = 'argocd';
const SELF_HEAL_MS = 2_000;

const CHART = {
  'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
  'charts/app/values.yaml': 'tag: "1.27"\nreplicas: 1\n',
  'charts/app/templates/all.yaml': [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n  selector: {matchLabels: {app: {{ .Release.Name }}}}\n  template:\n    metadata: {labels: {app: {{ .Release.Name }}}}\n    spec:\n      containers: [{name: app, image: "nginx:{{ .Values.tag }}"}]',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  selector: {app: {{ .Release.Name }}}\n  ports: [{port: 80}]',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  level: info',
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}',
  ].join('\n---\n'),
};
const BASE = {
  'kustomize/base/kustomization.yaml': 'resources: [all.yaml]\n',
  'kustomize/base/all.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  level: info\n',
};

function application(name: string, namespace: string, repoURL: string, source: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: NS },
    spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace }, source: { repoURL, targetRevision: 'HEAD', ...source }, syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] } },
  };
}

async function platform(repoDir: string): Promise<{ repo: GitFixture; apps: Record<string, unknown>[] }> {
  const repo = await createGitRepo({ dir: repoDir, files: { ...CHART, ...BASE } });
  const files: Record<string, string> = {};
  const apps: Record<string, unknown>[] = [];
  for (let index = 0; index < APPS; index += 1) {
    const name = `app-${String(index).padStart(4, '0')}`;
    const namespace = `team-${index % NAMESPACES}`;
    const kind = index % 10 < 4 ? 'helm' : index % 10 < 7 ? 'kustomize' : 'directory';
    if (kind === 'helm') {
      files[`values/${name}.yaml`] = `replicas: ${1 + (index % 2)}\ntag: "1.${index % 30}"\n`;
      apps.push(application(name, namespace, repo.url, { path: 'charts/app', helm: { valueFiles: [`/values/${name}.yaml`] } }));
    } else if (kind === 'kustomize') {
      files[`kustomize/overlays/${name}/kustomization.yaml`] = `resources: [../../base]\nnamePrefix: ${name}-\n`;
      apps.push(application(name, namespace, repo.url, { path: `kustomize/overlays/${name}` }));
    } else {
      files[`manifests/${name}/all.yaml`] = [0, 1, 2].map((part) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-${part}\ndata:\n  index: "${index}"\n`).join('---\n');
      apps.push(application(name, namespace, repo.url, { path: `manifests/${name}` }));
    }
  }
  await repo.commit(files, `${APPS} applications`);
  return { repo, apps };
}

/** Every app's rendered objects, moved to twin namespaces `k-<ns>`, for the kubectl baseline. */
async function baselineObjects(apps: readonly Record<string, unknown>[], cacheDir: string): Promise<KubeObject[]> {
  const resolver = createSourceResolver({ cacheDir, offline: false });
  const objects: KubeObject[] = [];
  for (let at = 0; at < apps.length; at += 16) {
    const rendered = await Promise.all(apps.slice(at, at + 16).map((app) => renderApplication(app as unknown as Application, { resolver, offline: false })));
    for (const [offset, result] of rendered.entries()) {
      const namespace = `k-${(apps[at + offset]?.spec as { destination: { namespace: string } }).destination.namespace}`;
      objects.push(...result.resources.map((object) => ({ ...object, metadata: { ...object.metadata, namespace } })));
    }
  }
  const namespaces = [...new Set(objects.map((object) => object.metadata.namespace ?? ''))].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  return [...namespaces, ...objects];
}

/** Seconds to render every Application cold (no render cache; sources already fetched) with one renderer. */
async function coldRenderSeconds(apps: readonly Record<string, unknown>[], cacheDir: string, mode: RendererMode): Promise<number> {
  setRendererMode(mode);
  try {
    const resolver = createSourceResolver({ cacheDir, offline: false });
    const started = performance.now();
    for (let at = 0; at < apps.length; at += 16) {
      const rendered = await Promise.all(apps.slice(at, at + 16).map((app) => renderApplication(app as unknown as Application, { resolver, offline: false })));
      if (rendered.some((result) => result.resources.length === 0)) throw new Error(`an app rendered nothing with --renderer=${mode}`);
    }
    return (performance.now() - started) / 1000;
  } finally {
    closeRenderHelper();
    setRendererMode(undefined);
  }
}

/** Resident memory (MiB) of a process's children, e.g. the controller's render helpers; Linux only. */
async function childrenRssMiB(pid: number): Promise<string> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter((id) => id !== '');
  const parts: string[] = [];
  for (const child of children) {
    const status = await readFile(`/proc/${child}/status`, 'utf8').catch(() => '');
    // The full program name: /proc's Name is cut at 15 characters.
    const name = basename((await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => child)).split('\0')[0] ?? child);
    if (name.startsWith('render-helper')) parts.push(`${name} ${(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? '0') / 1024).toFixed(0)} MiB`);
  }
  return parts.length === 0 ? 'no render helper running' : parts.join(', ');
}

/** The render helpers for a child whose tools cache is elsewhere (its XDG_CACHE_HOME is private). */
function helperEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  const helm = findRenderHelper('helm');
  const kustomize = findRenderHelper('kustomize');
  if (helm !== undefined) env[RENDER_HELPER_ENV] = helm;
  if (kustomize !== undefined) env[KUSTOMIZE_HELPER_ENV] = kustomize;
  return env;
}

type AppStatus = { sync?: { status?: string; revision?: string }; operationState?: { phase?: string } };

async function statuses(client: KubeClient): Promise<Map<string, AppStatus>> {
  const apps = await client.list('argoproj.io/v1alpha1', 'Application', { namespace: NS });
  return new Map(apps.map((app) => [app.metadata.name ?? '', (app.status ?? {}) as AppStatus]));
}

async function waitAllSynced(client: KubeClient, count: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  let last = '';
  for (;;) {
    const current = [...(await statuses(client)).values()];
    const done = current.filter((status) => status.sync?.status === 'Synced' && status.operationState?.phase === 'Succeeded').length;
    const line = `  ${done}/${count} applications synced`;
    if (line !== last && done % 100 === 0) process.stderr.write(`${line}\n`);
    last = line;
    if (done >= count) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`only ${done} of ${count} applications converged in ${timeoutMs / 1000}s`);
    await sleep(500);
  }
}

function metricSum(text: string, name: string, filter: (labels: string) => boolean = () => true): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? ([0-9.e+]+)$`).exec(line);
    if (match !== null && filter(match[1] ?? '')) sum += Number(match[2]);
  }
  return sum;
}

const work = await mkdtemp(join(tmpdir(), 'launchpad-bench-controller-'));
const plane = await startControlPlane({ tier: 2 });
try {
  const client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
  await installCore(client, NS);
  const { repo, apps } = await platform(join(work, 'repo'));
  const cacheDir = join(work, 'cache');

  // 1. kubectl baseline, then the controller's initial convergence.
  const baseline = await baselineObjects(apps, join(work, 'baseline-cache'));
  // 6. measured here, with the sources already fetched by the baseline, so both renderers only render.
  const helperActive = await activeRenderer();
  closeRenderHelper();
  const renderModes: RendererMode[] = helperActive.mode === 'helper' ? ['helper', 'process'] : ['process'];
  const renderSeconds: Partial<Record<RendererMode, number>> = {};
  for (const mode of renderModes) renderSeconds[mode] = await coldRenderSeconds(apps, join(work, 'baseline-cache'), mode);
  const objectsFile = join(work, 'baseline.yaml');
  await writeFile(objectsFile, baseline.map((object) => `---\n${stringify(object)}`).join(''));
  const kubectlStarted = performance.now();
  await runProcess(plane.binaries.kubectl, ['--kubeconfig', plane.kubeconfigPath, 'apply', '--server-side', '--field-manager=bench', '-f', objectsFile], { timeoutMs: 1_800_000 });
  const kubectlMs = performance.now() - kubectlStarted;

  const running = await runController({
    client, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 10, appResyncMs: 3_600_000, selfHealTimeoutMs: SELF_HEAL_MS,
    webhookInsecure: true, offline: false, cacheDir, log: createLogger({ level: 'error', json: true }),
  });
  const appsFile = join(work, 'apps.yaml');
  await writeFile(appsFile, apps.map((app) => `---\n${stringify(app)}`).join(''));
  const convergeStarted = performance.now();
  await runProcess(plane.binaries.kubectl, ['--kubeconfig', plane.kubeconfigPath, 'apply', '--server-side', '--field-manager=bench', '-f', appsFile], { timeoutMs: 600_000 });
  await waitAllSynced(client, APPS, 3_600_000);
  const convergeMs = performance.now() - convergeStarted;
  const operationTimes = [...(await client.list('argoproj.io/v1alpha1', 'Application', { namespace: NS }))].map((app) => {
    const created = Date.parse(String(app.metadata.creationTimestamp));
    const state = ((app.status ?? {}) as { operationState?: { startedAt?: string; finishedAt?: string } }).operationState ?? {};
    return { wait: Date.parse(state.startedAt ?? '') - created, sync: Date.parse(state.finishedAt ?? '') - Date.parse(state.startedAt ?? '') };
  });
  const spread = (values: number[]): string => {
    const sorted = values.sort((a, b) => a - b);
    const at = (q: number): string => ((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0) / 1000).toFixed(1);
    return `median ${at(0.5)} s, p90 ${at(0.9)} s, max ${at(1)} s`;
  };
  const operationSummary = `created → sync started: ${spread(operationTimes.map((time) => time.wait))}; sync: ${spread(operationTimes.map((time) => time.sync))}`;

  // 2. One refresh cycle of every unchanged app.
  await sleep(5_000);
  const before = await running.controller.metrics.registry.metrics();
  const reconciles = metricSum(before, 'launchpad_app_reconcile_seconds_count');
  const reconcileSeconds = metricSum(before, 'launchpad_app_reconcile_seconds_sum');
  const convergeProcesses = metricSum(before, 'launchpad_render_processes_total');
  const convergeRequests = metricSum(before, 'launchpad_kube_requests_total');
  const requestsByVerb = [...before.matchAll(/^launchpad_kube_requests_total\{verb="([^"]+)"\} ([0-9.e+]+)$/gm)].map((match) => `${match[1] ?? ''} ${match[2] ?? ''}`).join(', ');
  const cycleStarted = performance.now();
  await running.controller.refreshAll();
  const cycleMs = performance.now() - cycleStarted;
  const after = await running.controller.metrics.registry.metrics();
  const delta = (name: string, filter?: (labels: string) => boolean): number => metricSum(after, name, filter) - metricSum(before, name, filter);
  const writes = delta('launchpad_kube_requests_total', (labels) => /verb="(apply|create|replace|patch|delete)"/.test(labels));
  const requests = delta('launchpad_kube_requests_total');
  const processes = delta('launchpad_render_processes_total');

  // 3. Webhook push → Synced at the pushed commit, ten times.
  const pushes: number[] = [];
  for (let round = 0; round < 10; round += 1) {
    const sha = await repo.commit({ 'values/app-0000.yaml': `replicas: 1\ntag: "2.${round}"\n` }, `bump ${round}`);
    const started = performance.now();
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, repository: { clone_url: repo.url, default_branch: 'main' }, commits: [{ id: sha, added: [], removed: [], modified: ['values/app-0000.yaml'] }] });
    await fetch(`${running.server.url}/api/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push' }, body });
    for (;;) {
      const app = await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: 'app-0000' });
      const status = (app?.status ?? {}) as AppStatus;
      if (status.sync?.revision === sha && status.sync.status === 'Synced' && status.operationState?.phase === 'Succeeded') break;
      await sleep(20);
    }
    pushes.push(performance.now() - started);
  }
  pushes.sort((a, b) => a - b);

  // 4. Drift → healed.
  const heals: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    await sleep(SELF_HEAL_MS + 500);
    const started = performance.now();
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-0007-0', namespace: 'team-7' }, data: { index: `tampered-${round}` } }, { fieldManager: 'kubectl-edit' });
    for (;;) {
      const live = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-7', name: 'app-0007-0' });
      if ((live?.data as Record<string, string> | undefined)?.index === '7') break;
      await sleep(20);
    }
    heals.push(performance.now() - started);
  }
  await running.stop();

  // 5. The controller as its own process, after it has listed everything and refreshed every app once.
  const port = 18_000 + Math.floor(Math.random() * 2_000);
  const child = spawn(process.execPath, [join(new URL('../../', import.meta.url).pathname, 'bin/launchpad.js'), 'controller', '--kubeconfig', plane.kubeconfigPath, '--no-leader-elect', '--listen', `127.0.0.1:${port}`, '--log-format', 'json', '--log-level', 'error'], {
    stdio: 'ignore', env: { ...process.env, XDG_CACHE_HOME: join(work, 'child-cache'), LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize'), ...helperEnv() },
  });
  let rssMiB = 0;
  let helpersRss = 'n/a';
  try {
    for (let waited = 0; waited < 900; waited += 5) {
      await sleep(5_000);
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((response) => response.text(), () => '');
      if (metricSum(text, 'launchpad_app_reconcile_seconds_count') >= APPS) break;
    }
    await sleep(10_000);
    const status = await readFile(`/proc/${String(child.pid)}/status`, 'utf8');
    rssMiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? '0') / 1024;
    helpersRss = await childrenRssMiB(child.pid ?? 0);
  } finally {
    child.kill('SIGTERM');
  }

  const objectsPerApp = (baseline.length - new Set(baseline.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name)).size) / APPS;
  console.log(`\n== controller: ${APPS} applications (${objectsPerApp.toFixed(1)} objects each, ${NAMESPACES} namespaces), API server ${await client.serverVersion()}, 2 cores shared with it`);
  console.log(`kubectl apply --server-side (same objects)   ${(kubectlMs / 1000).toFixed(1)} s`);
  console.log(`initial convergence (all Synced, Succeeded)  ${(convergeMs / 1000).toFixed(1)} s   ratio ${(convergeMs / kubectlMs).toFixed(2)}× (goal ≤ 1.5×; the controller renders every app and dry-runs every object before writing)`);
  console.log(`  ${operationSummary}; ${reconciles} reconciles (mean ${(reconcileSeconds / Math.max(1, reconciles)).toFixed(2)} s), ${convergeProcesses} helm/kustomize renders, ${convergeRequests} API requests (${requestsByVerb})`);
  console.log(`steady-state refresh of ${APPS} unchanged apps ${(cycleMs / 1000).toFixed(2)} s   helm/kustomize processes ${processes}, writes ${writes}, API requests ${requests} (goals < 5 s, 0, 0)`);
  console.log(`webhook push → Synced (10 commits)          median ${(((pushes[4] ?? 0) + (pushes[5] ?? 0)) / 2000).toFixed(2)} s, min ${((pushes[0] ?? 0) / 1000).toFixed(2)} s, max ${((pushes[9] ?? 0) / 1000).toFixed(2)} s (goal median < 2 s)`);
  console.log(`drift → healed (self-heal timeout ${SELF_HEAL_MS / 1000} s)       ${heals.map((ms) => (ms / 1000).toFixed(2)).join(' s, ')} s (goal ≤ ${(SELF_HEAL_MS + 1000) / 1000} s)`);
  console.log(`controller RSS at steady state               ${rssMiB.toFixed(0)} MiB (goal < 150 MiB); its render helpers: ${helpersRss}`);
  const renderLine = renderModes.map((mode) => `${mode} ${(renderSeconds[mode] ?? 0).toFixed(1)} s`).join(', ');
  const renderRatio = renderSeconds.helper !== undefined && renderSeconds.process !== undefined ? `; helper ${(renderSeconds.process / renderSeconds.helper).toFixed(2)}× faster` : `; helper not measured: ${helperActive.detail}`;
  console.log(`cold render of every app (renderer)          ${renderLine}${renderRatio} (the controller above ran with ${helperActive.mode})`);
  client.close?.();
} finally {
  await plane.stop();
  await rm(work, { recursive: true, force: true });
}
