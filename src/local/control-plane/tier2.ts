/**
 * Tier 2 on top of a ready API server: kube-controller-manager, kube-scheduler and kwok, plus one fake node.
 * Ready means what tests rely on: both controllers answer /healthz, the node reports Ready, and the service-account
 * controller has made the "default" ServiceAccount (without it the API server refuses Pods in "default").
 */
import { writeFileSync } from 'node:fs';
import { ToolError } from '../../errors.js';
import type { ControlPlaneBinary } from './binaries.js';
import { controllerManagerArgs, kwokArgs, schedulerArgs } from './components.js';
import type { Instance } from './instance.js';
import { fakeNode, renderKwokStages } from './kwok-stages.js';
import type { TlsIdentity } from './probe.js';
import { httpsRequest, waitUntil } from './probe.js';

export interface Tier2Start {
  readonly instance: Instance;
  readonly binaries: Readonly<Record<ControlPlaneBinary, string>>;
  readonly tls: TlsIdentity;
  /** Epoch milliseconds by which everything must be ready. */
  readonly deadline: number;
  readonly nodeName: string;
}

interface NodeStatus {
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

const remaining = (deadline: number): number => Math.max(deadline - Date.now(), 1);

async function registerNode(start: Tier2Start, server: string): Promise<void> {
  const response = await httpsRequest({ url: `${server}/api/v1/nodes`, method: 'POST', body: fakeNode(start.nodeName), tls: start.tls });
  if (response.status !== 201 && response.status !== 409) {
    throw new ToolError(`Node/${start.nodeName}: could not register the fake node (HTTP ${response.status}): ${response.body.slice(0, 500)}`);
  }
}

async function nodeIsReady(start: Tier2Start, server: string): Promise<boolean> {
  const response = await httpsRequest({ url: `${server}/api/v1/nodes/${start.nodeName}`, tls: start.tls });
  if (response.status !== 200) return false;
  const node = JSON.parse(response.body) as NodeStatus;
  return node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') === true;
}

export async function startTier2(start: Tier2Start): Promise<void> {
  const { instance, binaries, tls, deadline } = start;
  const { layout, ports } = instance;
  const server = `https://127.0.0.1:${ports.apiserver}`;
  writeFileSync(layout.kwokConfigPath, renderKwokStages());
  const controllerManager = instance.start('kube-controller-manager', binaries['kube-controller-manager'], controllerManagerArgs(layout, ports));
  const scheduler = instance.start('kube-scheduler', binaries['kube-scheduler'], schedulerArgs(layout, ports));
  const kwok = instance.start('kwok', binaries.kwok, kwokArgs(layout, ports));
  const watch = [...instance.daemons];
  const wait = (what: string, check: () => Promise<boolean>): Promise<void> =>
    waitUntil(check, { what, timeoutMs: remaining(deadline), watch, logDir: layout.logDir });
  await registerNode(start, server);
  const healthy = (port: number) => async () =>
    (await httpsRequest({ url: `https://127.0.0.1:${port}/healthz`, tls: { insecure: true } })).status === 200;
  await Promise.all([
    wait(`${controllerManager.name} /healthz`, healthy(ports.controllerManager)),
    wait(`${scheduler.name} /healthz`, healthy(ports.scheduler)),
    wait(`Node/${start.nodeName} Ready (set by ${kwok.name})`, () => nodeIsReady(start, server)),
    wait('ServiceAccount/default/default (made by kube-controller-manager)', async () =>
      (await httpsRequest({ url: `${server}/api/v1/namespaces/default/serviceaccounts/default`, tls })).status === 200),
  ]);
}
