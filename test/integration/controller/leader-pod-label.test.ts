/**
 * GIVEN two controller replicas with leader election on a real API server, each in its own Pod (POD_NAME as the
 * install's downward API sets it), THEN the installed Service selects exactly the leader's Pod — so the web UI, the
 * API, Git webhooks and cert.pem reach the replica that holds the state — and WHEN the leader stops, the Service
 * follows the Lease to the other replica. Both Pods start with a stale leader label (restarted Pods keep theirs).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import { DEFAULT_LEASE_NAME } from '../../../src/controller/leader.js';
import { LEADER_LABEL } from '../../../src/controller/leader-pod-label.js';
import { createLogger } from '../../../src/controller/log.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { service } from '../../../src/install/controller.js';
import { crdManifests } from '../../../src/install/crds.js';
import { SELECTOR_LABELS } from '../../../src/install/names.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';

const NS = 'launchpad-ha';
const PODS = ['launchpad-controller-a', 'launchpad-controller-b'] as const;

describe('the Service reaches the leader only', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let cacheDir: string;
  const replicas = new Map<string, RunningController>();

  /** Names of the Pods the installed Service's selector matches, as its endpoints would list them. */
  const selected = async (): Promise<string[]> => {
    const selector = (service(NS).spec as { selector: Record<string, string> }).selector;
    const labelSelector = Object.entries(selector).map(([key, value]) => `${key}=${value}`).join(',');
    const pods = await client.list('v1', 'Pod', { namespace: NS, labelSelector });
    return pods.map((pod) => pod.metadata.name ?? '').sort();
  };

  const start = async (pod: string): Promise<void> => {
    const previous = process.env.POD_NAME;
    process.env.POD_NAME = pod;
    try {
      replicas.set(pod, await runController({
        client, namespace: NS, listen: '127.0.0.1:0', leaderElect: true, processors: 1, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
        webhookInsecure: false, offline: true, cacheDir, log: createLogger({ level: 'error', json: true }),
      }));
    } finally {
      if (previous === undefined) delete process.env.POD_NAME;
      else process.env.POD_NAME = previous;
    }
  };

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const crd of crdManifests()) await client.apply(crd);
    await waitEstablished(client, crdManifests());
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    // Tier 1 runs no controller-manager, so the namespace's default ServiceAccount (which Pods need) is made here.
    await client.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: NS } });
    for (const name of PODS) {
      await client.apply({
        apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { ...SELECTOR_LABELS, [LEADER_LABEL]: 'true' } },
        spec: { containers: [{ name: 'controller', image: 'launchpad:test' }] },
      });
    }
    cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-ha-'));
    for (const name of PODS) await start(name);
  });

  after(async () => {
    for (const running of replicas.values()) await running.stop();
    client.close?.();
    await plane.stop();
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('GIVEN both Pods carry a stale leader label THEN the Service selects only the leader\'s Pod; WHEN the leader stops THEN it selects the other', async () => {
    const first = await eventually(async () => {
      const pods = await selected();
      assert.equal(pods.length, 1, `the Service selects ${pods.join(', ') || 'no Pod'}`);
      const leader = pods[0] ?? '';
      const lease = await client.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: NS, name: DEFAULT_LEASE_NAME });
      const holderIdentity = (lease?.spec as { holderIdentity?: unknown } | undefined)?.holderIdentity;
      const holder = typeof holderIdentity === 'string' ? holderIdentity : '';
      assert.ok(holder.startsWith(`${leader}-`), `the Service selects ${leader} but the Lease is held by ${holder || 'nobody'}`);
      return leader;
    }, { what: 'exactly one Pod selected', timeoutMs: 30_000, intervalMs: 200 });

    await replicas.get(first)?.stop();
    replicas.delete(first);
    const second = PODS.find((name) => name !== first) ?? '';
    await eventually(async () => {
      assert.deepEqual(await selected(), [second]);
      return true;
    }, { what: `the Service to follow the Lease to ${second}`, timeoutMs: 30_000, intervalMs: 200 });
  });
});
