/**
 * `npm run bench:seal`: sealing and unsealing throughput for 1 KiB values with a 4096-bit controller key, Launchpad
 * (in process, as the unsealer runs) next to the real kubeseal (one process per run, as users run it; its start-up is
 * part of its figure) in the same run. Values: `node dist/bench/seal.js 500` (default 500 per run).
 * The in-cluster figure (500 SealedSecrets applied → Secrets present) comes with the unsealer and is not measured yet.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findSealedSecretsTool } from '../test/integration/sealed/tools.js';
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
console.log('in-cluster: 500 SealedSecrets applied → Secrets present: not measured yet (comes with the unsealer in the controller)');
