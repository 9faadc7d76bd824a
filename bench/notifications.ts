/**
 * `npm run bench:notifications`: N Applications (default 500) on the project's own API server (tier 1), each
 * subscribed to on-sync-succeeded on Slack, each finishing a sync once (its status written as the controller writes
 * it), with the notifications add-on running against a stand-in Slack on 127.0.0.1. Printed:
 *   - the time from the first status write until the stand-in has all N messages, and messages/s;
 *   - p50/p99 latency from an Application's status write to its message arriving;
 *   - the baseline measured in the same run on the same writes: a plain watch of Applications (what the add-on's
 *     own watch costs, with no evaluation, rendering, HTTP or state write) — its time until all N changes arrived
 *     and its p50/p99 — and the ratio;
 *   - N chat.postMessage requests made directly to the stand-in (10 at a time), for the cost of the HTTP alone.
 * It also checks that every app got exactly one message and its notified annotation.
 * Usage: node dist/bench/notifications.js [apps]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { Informer } from '../src/controller/informer.js';
import type { Logger } from '../src/controller/services.js';
import { waitEstablished } from '../src/install/apply.js';
import { crdManifests } from '../src/install/crds.js';
import { createKubeClient } from '../src/kube/index.js';
import type { KubeClient } from '../src/kube/types.js';
import { NotificationsAddon } from '../src/notifications/addon.js';
import { NOTIFIED_ANNOTATION } from '../src/notifications/state.js';
import { startControlPlane } from '../src/testing/index.js';

const APPS = Number(process.argv[2] ?? 500);
const NS = 'argocd';
const TOKEN = 'xoxb-bench-token';
const WRITERS = 20;

interface StandInSlack {
  readonly url: string;
  /** App name → when its message arrived (performance.now()). */
  readonly received: Map<string, number>;
  /** Messages per app, to catch duplicates. */
  readonly counts: Map<string, number>;
  close(): Promise<void>;
}

/** A Slack Web API stand-in: checks the token, records chat.postMessage by the app the text names. */
async function startStandIn(): Promise<StandInSlack> {
  const received = new Map<string, number>();
  const counts = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = performance.now();
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false,"error":"invalid_auth"}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: string };
      const app = /^(\S+) synced to /.exec(body.text ?? '')?.[1];
      if (app !== undefined) {
        if (!received.has(app)) received.set(app, at);
        counts.set(app, (counts.get(app) ?? 0) + 1);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, channel: 'C1', ts: `${Date.now() / 1000}` }));
    });
  });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    received,
    counts,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => { resolve(); }); }),
  };
}

const quietLog: Logger = { info: () => undefined, debug: () => undefined, warn: (_fields, message) => { process.stderr.write(`warn: ${message}\n`); }, error: (_fields, message) => { process.stderr.write(`error: ${message}\n`); } };
const appName = (index: number): string => `app-${String(index).padStart(4, '0')}`;

function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
}

/** Runs `work` over 0..count-1 with `width` at a time. */
async function pool(count: number, width: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await work(next++);
  }));
}

async function waitFor(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await sleep(10);
  }
}

async function createApps(client: KubeClient): Promise<void> {
  await pool(APPS, WRITERS, async (index) => {
    await client.apply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
      metadata: { name: appName(index), namespace: NS, annotations: { 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'deploys' } },
      spec: { project: 'default', source: { repoURL: 'https://example.com/repo.git', path: appName(index), targetRevision: 'HEAD' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'bench' } },
    });
  });
}

/** The status the controller writes when a sync has finished (reconciled after it finished). */
function succeeded(index: number): Record<string, unknown> {
  const now = Date.now();
  const at = (offset: number): string => new Date(now + offset).toISOString();
  const revision = index.toString(16).padStart(40, '0');
  return { sync: { status: 'Synced', revision }, health: { status: 'Healthy' }, reconciledAt: at(0), operationState: { phase: 'Succeeded', message: 'successfully synced', startedAt: at(-2_000), finishedAt: at(-1_000), syncResult: { revision } } };
}

const stopping = new AbortController();
const plane = await startControlPlane({ tier: 1 });
const slack = await startStandIn();
let addon: NotificationsAddon | undefined;
try {
  const client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
  for (const crd of crdManifests()) await client.apply(crd);
  await waitEstablished(client, crdManifests());
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-notifications-secret', namespace: NS }, stringData: { 'slack-token': TOKEN } });
  await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-notifications-cm', namespace: NS }, data: { 'service.slack': `token: $slack-token\napiURL: ${slack.url}\n`, context: 'argocdUrl: https://cd.example.com\n' } });
  process.stderr.write(`creating ${APPS} Applications…\n`);
  await createApps(client);

  // The baseline: a plain watch of the same Applications, recording when each one's finished sync arrives.
  const watched = new Map<string, number>();
  const watch = new Informer({
    client, apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, signal: stopping.signal,
    onChange: (event) => {
      const phase = (event.object.status as { operationState?: { phase?: string } } | undefined)?.operationState?.phase;
      const name = event.object.metadata.name ?? '';
      if (phase === 'Succeeded' && !watched.has(name)) watched.set(name, performance.now());
    },
  });
  addon = new NotificationsAddon();
  await Promise.all([watch.synced, addon.start({ client, namespace: NS, log: quietLog, signal: stopping.signal, registry: new Registry() })]);

  process.stderr.write(`writing ${APPS} finished syncs (${WRITERS} writers)…\n`);
  const written = new Map<string, number>();
  const started = performance.now();
  await pool(APPS, WRITERS, async (index) => {
    written.set(appName(index), performance.now());
    await client.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name: appName(index) }, { status: succeeded(index) }, { type: 'merge' });
  });
  await waitFor('every message', () => slack.received.size >= APPS && watched.size >= APPS, 600_000);
  const notifyMs = Math.max(...slack.received.values()) - started;
  const watchMs = Math.max(...watched.values()) - started;
  const latency = (arrived: Map<string, number>): number[] => [...arrived].map(([name, at]) => at - (written.get(name) ?? at));
  const notifyLatency = latency(slack.received);
  const watchLatency = latency(watched);

  // Nothing more may arrive: one message per app, and each app's notified state written.
  await sleep(2_000);
  const duplicates = [...slack.counts.values()].filter((count) => count > 1).length;
  const apps = await client.list('argoproj.io/v1alpha1', 'Application', { namespace: NS });
  const remembered = apps.filter((app) => (app.metadata.annotations?.[NOTIFIED_ANNOTATION] ?? '').includes('on-sync-succeeded')).length;

  // The HTTP alone: N chat.postMessage requests straight to the stand-in, 10 at a time.
  const directStarted = performance.now();
  await pool(APPS, 10, async (index) => {
    const response = await fetch(`${slack.url}chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ channel: 'deploys', text: `direct-${appName(index)} synced to x` }) });
    await response.text();
  });
  const directMs = performance.now() - directStarted;

  const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const spread = (values: readonly number[]): string => `p50 ${percentile(values, 0.5).toFixed(0)} ms, p99 ${percentile(values, 0.99).toFixed(0)} ms`;
  process.stdout.write([
    `notifications: ${APPS} Applications, each finishing one sync, on a real API server (tier 1)`,
    `  add-on → stand-in Slack:     all ${APPS} messages in ${seconds(notifyMs)} (${(APPS / (notifyMs / 1000)).toFixed(0)} messages/s); status write → message ${spread(notifyLatency)}`,
    `  baseline, a plain watch:     all ${APPS} changes in ${seconds(watchMs)}; status write → watch event ${spread(watchLatency)}`,
    `  ratio (add-on / watch):      ${(notifyMs / watchMs).toFixed(2)}× total, ${(percentile(notifyLatency, 0.5) / percentile(watchLatency, 0.5)).toFixed(2)}× p50, ${(percentile(notifyLatency, 0.99) / percentile(watchLatency, 0.99)).toFixed(2)}× p99`,
    `  the HTTP alone:              ${APPS} chat.postMessage straight to the stand-in (10 at a time) in ${seconds(directMs)}`,
    `  check: ${duplicates === 0 ? 'no duplicate message' : `${duplicates} apps got more than one message`}; ${remembered}/${APPS} notified annotations written`,
    '',
  ].join('\n'));
  client.close?.();
  if (duplicates > 0 || remembered < APPS) process.exitCode = 1;
} finally {
  stopping.abort();
  await addon?.stop();
  await slack.close();
  await plane.stop();
}
