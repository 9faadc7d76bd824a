/**
 * `npm run bench:appset`: an ApplicationSet whose matrix crosses 50 clusters (cluster Secrets) with 40 folders of a
 * real git repository — 2,000 Applications.
 *
 * 1. Generation alone, against a baseline measured in the same run: a list generator with the same 2,000 parameter
 *    sets written out (no git, no clusters, no matrix).
 * 2. On the local control plane (tier 1) when its binaries are there: the first reconcile (2,000 Applications
 *    created) and a no-change reconcile, which must write nothing; its time against the first one's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applicationSetCrd } from '../src/appset/crd.js';
import type { GeneratorContext } from '../src/appset/context.js';
import { reconcileApplicationSet } from '../src/appset/controller/reconcile.js';
import { generateApplications } from '../src/appset/generate.js';
import { gitTrees } from '../src/appset/git-tree.js';
import { GoTemplateCache } from '../src/appset/go-template.js';
import { readApplicationSet } from '../src/appset/spec.js';
import { createLogger } from '../src/controller/log.js';
import { waitEstablished } from '../src/install/apply.js';
import { crdManifests } from '../src/install/crds.js';
import { createKubeClient } from '../src/kube/index.js';
import type { KubeObject } from '../src/model/resource.js';
import { createSourceResolver } from '../src/source/index.js';
import { controlPlaneSkipReason, createGitRepo, startControlPlane } from '../src/testing/index.js';

const CLUSTERS = 50;
const FOLDERS = 40;
const NS = 'argocd';
const b64 = (text: string): string => Buffer.from(text).toString('base64');

const secrets: KubeObject[] = Array.from({ length: CLUSTERS }, (_, index) => ({
  apiVersion: 'v1', kind: 'Secret',
  metadata: { name: `cluster-${index}`, namespace: NS, labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'prod' } },
  data: { name: b64(`c${index}`), server: b64(`https://c${index}.example:6443`) },
}));

const files = Object.fromEntries(Array.from({ length: FOLDERS }, (_, index) => [`apps/app-${index}/cm.yaml`, `kind: ConfigMap\n`]));
const repo = await createGitRepo({ files });
const cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-bench-appset-'));

const template = {
  metadata: { name: '{{name}}-{{path.basename}}', labels: { cluster: '{{name}}' } },
  spec: { project: 'default', source: { repoURL: repo.url, targetRevision: 'HEAD', path: '{{path}}' }, destination: { server: '{{server}}', namespace: '{{path.basename}}' } },
};
const matrixSet: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'fleet', namespace: NS },
  spec: { generators: [{ matrix: { generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }, { git: { repoURL: repo.url, revision: 'HEAD', directories: [{ path: 'apps/*' }] } }] } }], template },
};
const listSet: KubeObject = {
  ...matrixSet,
  spec: { generators: [{ list: { elements: secrets.flatMap((_, c) => Array.from({ length: FOLDERS }, (__, f) => ({ name: `c${c}`, server: `https://c${c}.example:6443`, path: `apps/app-${f}`, 'path.basename': `app-${f}` }))) } }], template },
};

function context(): GeneratorContext {
  return {
    namespace: NS, offline: false,
    clusterSecrets: () => Promise.resolve(secrets),
    git: gitTrees(createSourceResolver({ cacheDir }), false),
    secretValue: () => Promise.reject(new Error('no secrets here')),
    configMap: () => Promise.resolve(undefined),
    listResources: () => Promise.resolve([]),
  };
}

async function timeGeneration(object: KubeObject): Promise<{ readonly ms: number; readonly count: number }> {
  const spec = readApplicationSet(object, NS);
  await generateApplications(spec, context());
  const started = performance.now();
  const result = await generateApplications(spec, context(), new GoTemplateCache(spec.ref));
  return { ms: performance.now() - started, count: result.applications.length };
}

const list = await timeGeneration(listSet);
const matrix = await timeGeneration(matrixSet);
console.log(`\n== ApplicationSet: matrix of ${CLUSTERS} clusters × ${FOLDERS} git folders`);
console.log(`generation, list baseline (${list.count} sets written out)   ${list.ms.toFixed(0)} ms`);
console.log(`generation, clusters × git matrix (${matrix.count} apps)     ${matrix.ms.toFixed(0)} ms   ratio ${(matrix.ms / list.ms).toFixed(2)}× (git resolved and walked once per generation)`);

const skip = controlPlaneSkipReason(1);
if (skip === false) {
  const plane = await startControlPlane({ tier: 1 });
  const client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
  try {
    const crds = [...crdManifests(), applicationSetCrd()];
    for (const crd of crds) await client.apply(crd);
    await waitEstablished(client, crds);
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const set = await client.apply(matrixSet);
    const go = new GoTemplateCache('bench');
    const deps = {
      client, namespace: NS, log: createLogger({ level: 'warn', json: true }),
      applications: () => live, clusterSecrets: () => secrets, context: () => Promise.resolve(context()), goCache: () => go,
    };
    let live: KubeObject[] = [];
    const round = async (): Promise<{ ms: number; writes: number }> => {
      live = await client.list('argoproj.io/v1alpha1', 'Application', { namespace: NS });
      const current = await client.get({ apiVersion: set.apiVersion, kind: set.kind, namespace: NS, name: 'fleet' }) ?? set;
      const started = performance.now();
      const result = await reconcileApplicationSet(current, deps);
      return { ms: performance.now() - started, writes: result.created + result.updated + result.deleted };
    };
    const first = await round();
    const again = await round();
    console.log(`first reconcile: ${first.writes} Applications written          ${(first.ms / 1000).toFixed(1)} s (${Math.round((first.writes / first.ms) * 1000)} writes/s, one at a time)`);
    console.log(`no-change reconcile: ${again.writes} Applications written         ${(again.ms / 1000).toFixed(2)} s   ratio ${(again.ms / first.ms).toFixed(3)}× of the first (goal: 0 writes)`);
  } finally {
    client.close?.();
    await plane.stop();
  }
} else {
  console.log(`control plane part skipped: ${skip}`);
}
await repo.remove();
await rm(cacheDir, { recursive: true, force: true });
