/**
 * `npm run bench:ui`: the UI's budgets. This file has one function per part; the API part is here, the browser part
 * (first paint, bundle size, SSE-to-page latency) is added beside it by the UI.
 *
 * API part, on the local control plane (tier 1): 1,000 Applications with statuses in `argocd`, the API add-on
 * serving them on 127.0.0.1, and `GET /api/v1/applications` (admin, API token, every one returned) timed N times →
 * p50/p99 — against a baseline measured in the same run: the same 1,000 Applications listed straight from the API
 * server through the same client library. Budget: p50 < 100 ms. Values: `node dist/bench/ui.js 1000 50`.
 */
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { ApiAddon } from '../src/api/addon.js';
import { createToken } from '../src/api/auth/tokens.js';
import { waitEstablished } from '../src/install/apply.js';
import { crdManifests } from '../src/install/crds.js';
import { createKubeClient } from '../src/kube/index.js';
import type { KubeClient } from '../src/kube/types.js';
import { createLimiter } from '../src/render/limit.js';
import { controlPlaneSkipReason, startControlPlane } from '../src/testing/index.js';
import { benchUiBrowser, benchUiBundle } from './ui-browser.js';

const APPS = Number(process.argv[2] ?? 1000);
const RUNS = Number(process.argv[3] ?? 50);
const NS = 'argocd';
const API_BUDGET_MS = 100;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function timedRuns(work: () => Promise<void>): Promise<number[]> {
  await work();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times;
}

async function createApplications(client: KubeClient): Promise<void> {
  const limit = createLimiter(16);
  const syncs = ['Synced', 'OutOfSync'];
  const healths = ['Healthy', 'Progressing', 'Degraded'];
  await Promise.all(Array.from({ length: APPS }, (_, index) => limit(async () => {
    const name = `app-${String(index).padStart(4, '0')}`;
    await client.apply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: NS, labels: { team: `team-${index % 20}` } },
      spec: { project: 'default', source: { repoURL: 'https://git.example.com/platform.git', path: `apps/${name}`, targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: name } },
    });
    // Status as the controller writes it (through the main resource: the CRD has no status subresource).
    await client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name }, { status: {
      sync: { status: syncs[index % 2], revision: 'a'.repeat(40) }, health: { status: healths[index % 3] }, reconciledAt: new Date().toISOString(),
      resources: Array.from({ length: 5 }, (_unused, r) => ({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: name, name: `d${r}`, status: 'Synced', health: { status: 'Healthy' } })),
    } });
  })));
}

/** The API part: list latency of 1,000 applications through the API vs straight from the API server. */
async function benchApiList(): Promise<void> {
  const skip = controlPlaneSkipReason(1);
  if (skip !== false) {
    console.log(`API list: skipped — ${skip}`);
    return;
  }
  const plane = await startControlPlane({ tier: 1 });
  const client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
  const server = Fastify({ logger: false });
  const addon = new ApiAddon({ offline: true });
  const abort = new AbortController();
  try {
    for (const crd of crdManifests()) await client.apply(crd);
    await waitEstablished(client, crdManifests());
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const created = performance.now();
    await createApplications(client);
    console.log(`created ${APPS} Applications with statuses in ${((performance.now() - created) / 1000).toFixed(1)} s`);
    await server.register((scope, _options, done) => { addon.routes(scope); done(); });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const quiet = { info: () => undefined, warn: () => undefined, error: (_fields: unknown, message: string) => { console.error(message); }, debug: () => undefined };
    await addon.start({ client, namespace: NS, log: quiet, signal: abort.signal, registry: new Registry() });
    const { token } = await createToken(client, NS, { account: 'admin', description: 'bench', createdBy: 'bench' });
    let bytes = 0;
    const api = await timedRuns(async () => {
      const response = await fetch(`${url}/api/v1/applications`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      bytes = text.length;
      const body = JSON.parse(text) as { items: unknown[] };
      if (body.items.length !== APPS) throw new Error(`the API listed ${body.items.length} applications, not ${APPS}`);
    });
    const direct = await timedRuns(async () => {
      const items = await client.list('argoproj.io/v1alpha1', 'Application', { namespace: NS });
      if (items.length !== APPS) throw new Error(`the API server listed ${items.length} applications, not ${APPS}`);
    });
    const line = (what: string, times: number[]): string => `${what}: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms (${RUNS} runs)`;
    console.log(line(`API GET /api/v1/applications (${APPS} apps, RBAC-filtered, ${Math.round(bytes / 1024)} KiB of JSON over HTTP)`, api));
    console.log(line(`baseline: the same ${APPS} Applications listed from the API server (same client library)`, direct));
    const ratio = percentile(direct, 50) / percentile(api, 50);
    console.log(`API list is ${ratio.toFixed(1)}× ${ratio >= 1 ? 'faster' : 'slower'} than listing from the API server (p50); budget p50 < ${API_BUDGET_MS} ms: ${percentile(api, 50) < API_BUDGET_MS ? 'met' : 'MISSED'}`);
  } finally {
    abort.abort();
    await addon.stop();
    await server.close();
    client.close?.();
    await plane.stop();
  }
}

await benchApiList();
await benchUiBundle();
await benchUiBrowser();
