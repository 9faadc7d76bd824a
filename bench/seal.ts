/**
 * `npm run bench:seal`: sealing and unsealing throughput for 1 KiB values with a 4096-bit controller key, Launchpad
 * (in process, as the unsealer runs) next to the real kubeseal (one process per run, as users run it; its start-up is
 * part of its figure) in the same run. Values: `node dist/bench/seal.js 500` (default 500 per run).
 * Then, on the local control plane (tier 1) when its binaries are there: 500 SealedSecrets (one 1 KiB value each)
 * created → their 500 Secrets present, unsealed by the in-process unsealer add-on, against a baseline measured in the
 * same run: 500 plain Secrets created through the same client with the same parallelism.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { findSealedSecretsTool } from '../test/integration/sealed/tools.js';
import { createLogger } from '../src/controller/log.js';
import { waitEstablished } from '../src/install/apply.js';
import { createKubeClient } from '../src/kube/index.js';
import type { KubeClient } from '../src/kube/types.js';
import type { KubeObject } from '../src/model/resource.js';
import { SealedSecretsAddon } from '../src/sealed/controller/addon.js';
import { sealedSecretCrd } from '../src/sealed/controller/crd.js';
import { controlPlaneSkipReason, startControlPlane } from '../src/testing/index.js';
import { generateSealingKeyPair, sealingKeySecret } from '../src/sealed/keys.js';
import { parseSealingCertificate } from '../src/sealed/certificate.js';
import { sealSecret } from '../src/sealed/seal.js';
import { unsealSealedSecret } from '../src/sealed/unseal.js';
import type { Secret } from '../src/sealed/types.js';

const count = Number(process.argv[2] ?? 500);
const perSecond = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en')} values/s`;

function timed<T>(work: () => T): { readonly result: T; readonly ms: number } {
  const started = performance.now();
  const result = work();
  return { result, ms: performance.now() - started };
}

const pair = await generateSealingKeyPair();
const publicKey = parseSealingCertificate(pair.certificatePem, 'bench').publicKey;
const secret: Secret = {
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bench', namespace: 'bench' },
  data: Object.fromEntries(Array.from({ length: count }, (_, i) => [`value-${i}`, randomBytes(1024).toString('base64')])),
};

const seal = timed(() => sealSecret(secret, publicKey));
const unseal = timed(() => unsealSealedSecret(seal.result, [pair.privateKey]));
console.log(`Launchpad  seal:   ${count} × 1 KiB in ${seal.ms.toFixed(0)} ms → ${perSecond(count, seal.ms)}`);
console.log(`Launchpad  unseal: ${count} × 1 KiB in ${unseal.ms.toFixed(0)} ms → ${perSecond(count, unseal.ms)}`);

const kubeseal = findSealedSecretsTool('kubeseal');
if (kubeseal === undefined) {
  console.log('kubeseal: not installed (run scripts/install-kubeseal.sh) — no comparison');
} else {
  const dir = await mkdtemp(join(tmpdir(), 'launchpad-bench-seal-'));
  try {
    await writeFile(join(dir, 'cert.pem'), pair.certificatePem);
    await writeFile(join(dir, 'key.yaml'), stringify(sealingKeySecret(pair, 'kube-system', { name: 'k' })));
    await writeFile(join(dir, 'secret.json'), JSON.stringify(secret));
    const env = { ...process.env, KUBECONFIG: '/nonexistent' };
    const theirSeal = timed(() => spawnSync(kubeseal, ['--cert', join(dir, 'cert.pem'), '-f', join(dir, 'secret.json'), '-w', join(dir, 'sealed.json')], { env }));
    if (theirSeal.result.status !== 0) throw new Error(`kubeseal failed: ${theirSeal.result.stderr.toString()}`);
    const theirUnseal = timed(() => spawnSync(kubeseal, ['--recovery-unseal', '--recovery-private-key', join(dir, 'key.yaml'), '-f', join(dir, 'sealed.json')], { env, maxBuffer: 1 << 30 }));
    if (theirUnseal.result.status !== 0) throw new Error(`kubeseal --recovery-unseal failed: ${theirUnseal.result.stderr.toString()}`);
    console.log(`kubeseal   seal:   ${count} × 1 KiB in ${theirSeal.ms.toFixed(0)} ms → ${perSecond(count, theirSeal.ms)} (one process, start-up included)`);
    console.log(`kubeseal   unseal: ${count} × 1 KiB in ${theirUnseal.ms.toFixed(0)} ms → ${perSecond(count, theirUnseal.ms)} (--recovery-unseal, one process)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Creates `objects` eight at a time (the same for both runs). */
async function createAll(client: KubeClient, objects: readonly KubeObject[]): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let index = next++; index < objects.length; index = next++) {
      const object = objects[index];
      if (object !== undefined) await client.create(object);
    }
  }));
}

async function secretsIn(client: KubeClient, namespace: string): Promise<number> {
  return (await client.list('v1', 'Secret', { namespace })).length;
}

async function inCluster(objects: number): Promise<void> {
  const skip = controlPlaneSkipReason(1);
  if (skip !== false) {
    console.log(`in cluster: skipped (${skip})`);
    return;
  }
  const plane = await startControlPlane({ tier: 1 });
  const client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
  const stop = new AbortController();
  const addon = new SealedSecretsAddon({ keyRenewPeriodMs: 0 });
  try {
    await client.apply(sealedSecretCrd());
    await waitEstablished(client, [sealedSecretCrd()]);
    for (const name of ['sealing', 'plain', 'sealed']) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await client.create(sealingKeySecret(pair, 'sealing') as unknown as KubeObject);
    await addon.start({ client, namespace: 'sealing', log: createLogger({ level: 'error', json: true }), signal: stop.signal, registry: new Registry() });
    const value = (): string => randomBytes(1024).toString('base64');
    const plain = Array.from({ length: objects }, (_, i): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `s-${i}`, namespace: 'plain' }, data: { value: value() } }));
    const sealed = Array.from({ length: objects }, (_, i) => sealSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `s-${i}`, namespace: 'sealed' }, data: { value: value() } }, publicKey) as unknown as KubeObject);
    const baseline = performance.now();
    await createAll(client, plain);
    const baselineMs = performance.now() - baseline;
    const started = performance.now();
    await createAll(client, sealed);
    const deadline = Date.now() + 300_000;
    while ((await secretsIn(client, 'sealed')) < objects) {
      if (Date.now() > deadline) throw new Error(`only ${await secretsIn(client, 'sealed')} of ${objects} Secrets after 5 minutes`);
      await sleep(100);
    }
    const unsealedMs = performance.now() - started;
    console.log(`in cluster baseline: ${objects} plain Secrets created in ${baselineMs.toFixed(0)} ms`);
    console.log(`in cluster unsealer: ${objects} SealedSecrets created → ${objects} Secrets present in ${unsealedMs.toFixed(0)} ms (${(unsealedMs / objects).toFixed(1)} ms each, RSA-4096)`);
    console.log(`ratio: ${(unsealedMs / baselineMs).toFixed(2)}× the plain-Secret baseline`);
  } finally {
    stop.abort();
    await addon.stop();
    client.close?.();
    await plane.stop();
  }
}

await inCluster(Number(process.argv[3] ?? 500));
