/**
 * `npm run bench:sync`: on the project's own control plane, apply 1,000 objects of mixed kinds with Launchpad's sync
 * engine and, in the same run, the same objects (in a twin namespace) with `kubectl apply --server-side`; print both
 * and the ratio; then a no-change re-sync. Usage: node dist/bench/sync.js [count]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { assessHealth } from '../src/health/index.js';
import type { Application } from '../src/model/application.js';
import type { KubeObject } from '../src/model/resource.js';
import { resourceKey, trackingId } from '../src/model/resource.js';
import { createKubeClient } from '../src/kube/index.js';
import { runProcess } from '../src/process/run.js';
import { syncApplication } from '../src/sync/engine.js';
import { startControlPlane } from '../src/testing/index.js';

const KINDS = ['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Role', 'RoleBinding'] as const;

function object(kind: (typeof KINDS)[number], name: string, namespace: string): KubeObject {
  const metadata = { name, namespace, labels: { 'bench.launchpad/kind': kind.toLowerCase() } };
  switch (kind) {
    case 'ConfigMap': return { apiVersion: 'v1', kind, metadata, data: { index: name, payload: 'x'.repeat(200) } };
    case 'Secret': return { apiVersion: 'v1', kind, metadata, stringData: { token: `token-${name}` } };
    case 'Service': return { apiVersion: 'v1', kind, metadata, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } };
    case 'ServiceAccount': return { apiVersion: 'v1', kind, metadata };
    case 'Role': return { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] };
    case 'RoleBinding': return { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'ServiceAccount', name, namespace }] };
  }
}

function objects(count: number, namespace: string): KubeObject[] {
  return Array.from({ length: count }, (_, index) => object(KINDS[index % KINDS.length] ?? 'ConfigMap', `obj-${String(Math.floor(index / KINDS.length)).padStart(4, '0')}`, namespace));
}

function application(namespace: string): Application {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'bench', namespace: 'default' }, spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace }, source: { repoURL: 'https://example.invalid', path: '.' } } };
}

const count = Number(process.argv[2] ?? 1000);
const plane = await startControlPlane({ tier: 1 });
const work = await mkdtemp(join(tmpdir(), 'launchpad-bench-sync-'));
try {
  const client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
  for (const namespace of ['bench-kubectl', 'bench-launchpad']) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const file = join(work, 'objects.yaml');
  await writeFile(file, objects(count, 'bench-kubectl').map((o) => `---\n${stringify(o)}`).join(''));
  const kubectlStart = performance.now();
  await runProcess(plane.binaries.kubectl, ['--kubeconfig', plane.kubeconfigPath, 'apply', '--server-side', '--field-manager=bench', '-f', file], { timeoutMs: 600_000 });
  const kubectlMs = performance.now() - kubectlStart;

  const desired = objects(count, 'bench-launchpad').map((o) => ({ ...o, metadata: { ...o.metadata, annotations: { 'argocd.argoproj.io/tracking-id': trackingId('bench', resourceKey(o)) } } }));
  let firstWriteAt = 0;
  let started = 0;
  const run = () => {
    started = performance.now();
    firstWriteAt = 0;
    return syncApplication({ app: application('bench-launchpad'), objects: desired, renderStatus: 'ok', renderMessage: '' }, {
      client, assessHealth, timeoutMs: 600_000,
      onMessage: () => { if (firstWriteAt === 0) firstWriteAt = performance.now(); },
    });
  };
  const cpuBefore = process.cpuUsage();
  const first = await run();
  const cpu = process.cpuUsage(cpuBefore);
  const validationMs = firstWriteAt - started;
  const second = await run();
  if (first.outcome !== 'Succeeded' || second.outcome !== 'Succeeded') throw new Error(`bench sync failed: ${first.message} ${second.message}`);
  console.log(`\n== ${count} objects (${KINDS.join(', ')}), API server ${await client.serverVersion()}`);
  console.log(`kubectl apply --server-side   ${(kubectlMs / 1000).toFixed(2)} s`);
  console.log(`launchpad sync (first)        ${(first.durationMs / 1000).toFixed(2)} s   ratio ${(first.durationMs / kubectlMs).toFixed(2)}× kubectl (goal ≤ 1.0; includes server-side dry-run of every object and the inventory)`);
  console.log(`  of which validation (dry-run) ${(validationMs / 1000).toFixed(2)} s, writes ${((first.durationMs - validationMs) / 1000).toFixed(2)} s`);
  console.log(`  of which Launchpad's own CPU   ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (the rest is the API server and etcd on the same 2 cores)`);
  console.log(`launchpad sync (no change)    ${(second.durationMs / 1000).toFixed(2)} s   ${second.entries.filter((e) => e.action === 'unchanged').length} unchanged (goal < 2 s)`);
} finally {
  await plane.stop();
  await rm(work, { recursive: true, force: true });
}
