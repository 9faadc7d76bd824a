/**
 * The admission half of `npm run bench:policy`: webhook latency on the local API server (tier 1). The policy add-on
 * runs as `launchpad controller` runs it, with the example platform's five policies plus one mutate policy on
 * ConfigMaps, so each measured create goes through the validating (default-namespace blocker, Enforce) and mutating
 * webhooks. N ConfigMaps are created one at a time into a namespace the webhooks see, interleaved with N identical
 * creates into the controller's namespace, which the webhooks' namespaceSelector excludes: the baseline is the same
 * API server, same moment, no webhook call. Prints p50/p99 of both and their ratio.
 * Usage: node dist/bench/policy-admission.js [objects]   (default 500)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { parseAllDocuments } from 'yaml';
import { createLogger } from '../src/controller/log.js';
import { createKubeClient } from '../src/kube/index.js';
import type { KubeObject } from '../src/model/resource.js';
import { policyAddonFromFlags } from '../src/policy/cluster/flags.js';
import { policyEngine } from '../src/policy/index.js';
import { eventually, startControlPlane } from '../src/testing/index.js';

const CONTROLLER_NS = 'argocd';
const MEASURED_NS = 'bench-policies';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function seedPolicies(): KubeObject[] {
  const dir = fileURLToPath(new URL('../../examples/platform/launchpad/cluster-resources/policies/', import.meta.url));
  return readdirSync(dir).filter((file) => file.endsWith('.yaml')).flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((document) => document.toJS() as KubeObject));
}

const LABEL_CONFIGMAPS: KubeObject = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'bench-label-configmaps' },
  spec: { rules: [{ name: 'add-team', match: { any: [{ resources: { kinds: ['ConfigMap'] } }] }, mutate: { patchStrategicMerge: { metadata: { labels: { '+(team)': 'platform' } } } } }] },
};

const configMap = (namespace: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { level: 'info', owner: 'bench' } });

export interface AdmissionLatency {
  readonly objects: number;
  readonly webhook: { readonly p50: number; readonly p99: number };
  readonly baseline: { readonly p50: number; readonly p99: number };
}

/** Runs the measurement on a fresh tier-1 control plane and prints it. */
export async function benchAdmissionLatency(objects = 500): Promise<AdmissionLatency> {
  const plane = await startControlPlane({ tier: 1 });
  const client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
  const stop = new AbortController();
  const addon = policyAddonFromFlags({}, policyEngine, {});
  if (addon === undefined) throw new Error('the policy add-on is disabled');
  try {
    for (const name of [CONTROLLER_NS, MEASURED_NS]) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await addon.start({ client, namespace: CONTROLLER_NS, log: createLogger({ level: 'error' }), signal: stop.signal, registry: new Registry() });
    for (const policy of [...seedPolicies(), LABEL_CONFIGMAPS]) await client.apply(policy);
    // Registered and answering: a ConfigMap in `default` is refused, one elsewhere is labelled.
    await eventually(async () => {
      const probe = await client.create(configMap(MEASURED_NS, 'probe'), { dryRun: true });
      return probe.metadata.labels?.team === 'platform';
    }, { what: 'the policy webhooks to answer', timeoutMs: 60_000 });
    const webhook: number[] = [];
    const baseline: number[] = [];
    const time = async (namespace: string, name: string, into: number[]): Promise<void> => {
      const started = performance.now();
      await client.create(configMap(namespace, name));
      into.push(performance.now() - started);
    };
    for (let i = 0; i < 20; i++) await time(MEASURED_NS, `warm-${i}`, []);
    for (let i = 0; i < objects; i++) {
      // Alternate which goes first so neither side always meets a warmer connection.
      if (i % 2 === 0) {
        await time(MEASURED_NS, `cm-${i}`, webhook);
        await time(CONTROLLER_NS, `cm-${i}`, baseline);
      } else {
        await time(CONTROLLER_NS, `cm-${i}`, baseline);
        await time(MEASURED_NS, `cm-${i}`, webhook);
      }
    }
    webhook.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    const result = {
      objects,
      webhook: { p50: percentile(webhook, 50), p99: percentile(webhook, 99) },
      baseline: { p50: percentile(baseline, 50), p99: percentile(baseline, 99) },
    };
    const ms = (value: number): string => `${value.toFixed(1)} ms`;
    console.log(`admission: ${objects} ConfigMap creates each, one at a time, local API server (tier 1)`);
    console.log(`  through the validating + mutating webhooks (6 policies): p50 ${ms(result.webhook.p50)}  p99 ${ms(result.webhook.p99)}`);
    console.log(`  same objects, no webhook (excluded namespace):          p50 ${ms(result.baseline.p50)}  p99 ${ms(result.baseline.p99)}`);
    console.log(`  ratio webhook/baseline: p50 ${(result.webhook.p50 / result.baseline.p50).toFixed(2)}×  p99 ${(result.webhook.p99 / result.baseline.p99).toFixed(2)}×`);
    return result;
  } finally {
    stop.abort();
    await addon.stop();
    client.close?.();
    await plane.stop();
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const count = Number(process.argv[2] ?? 500);
  if (!Number.isInteger(count) || count < 1 || count > 5000) throw new Error(`objects ${process.argv[2] ?? ''}: give a whole number from 1 to 5000`);
  await benchAdmissionLatency(count);
}
