/**
 * A real Kubernetes control plane for tests and `launchpad dev cluster`, started from the binaries
 * `scripts/build-k8s.sh` builds (the idea of controller-runtime's envtest):
 *   tier 1  etcd + kube-apiserver: the API, admission (webhooks included), CRDs, RBAC, server-side apply.
 *           No controllers: Deployments never roll out, and Pods are refused because no "default"
 *           ServiceAccount exists until the controller-manager makes one.
 *   tier 2  plus kube-controller-manager, kube-scheduler and kwok with one fake node: Deployments become
 *           Available, namespaces finish terminating, garbage collection and Jobs work. No containers run.
 * Each instance has its own free loopback ports, temp folder, CA and admin kubeconfig, so instances can run side by
 * side. `stop()` ends every process group and removes the folder; exit and signal handlers do the same if a test
 * dies first. When a start fails or a component dies, the component logs are kept and the error names the folder.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError, describeError } from '../../errors.js';
import type { ControlPlaneBinary } from './binaries.js';
import { TIER1_BINARIES, TIER2_BINARIES, controlPlaneBinDir, findControlPlaneBinaries } from './binaries.js';
import type { ControlPlanePorts } from './components.js';
import { apiserverArgs, controlPlaneLayout, etcdArgs } from './components.js';
import { onProcessExit } from './daemon.js';
import { Instance } from './instance.js';
import { renderKubeconfig } from './kubeconfig.js';
import type { ControlPlanePki } from './pki-files.js';
import { readControlPlanePki, writeControlPlanePki } from './pki-files.js';
import { allFree, freePorts } from './ports.js';
import type { TlsIdentity } from './probe.js';
import { httpsRequest, waitUntil } from './probe.js';
import { startTier2 } from './tier2.js';
import { createWorkspace, keepLogs, removeWorkspace, sweepStaleWorkspaces } from './workspace.js';

export interface ControlPlaneOptions {
  /** 1: etcd + kube-apiserver. 2: also controller-manager, scheduler and kwok with a fake node. @default 1 */
  readonly tier?: 1 | 2;
  /** How long the whole start may take; generous because 2 cores start Kubernetes slowly. @default 180_000 */
  readonly startTimeoutMs?: number;
  /** Folder with the binaries. @default KUBEBUILDER_ASSETS, else ~/.cache/launchpad/k8s-bin/<version> */
  readonly binDir?: string;
  /** Parent of the instance's temp folder. @default os.tmpdir() */
  readonly tmpDir?: string;
  /** Keep the logs after a clean stop too. @default true when LAUNCHPAD_KEEP_CONTROL_PLANE_LOGS=1 */
  readonly keepLogs?: boolean;
  /** Name of the fake node (tier 2). @default 'launchpad-node-1' */
  readonly nodeName?: string;
  /**
   * A folder that outlives the process (`launchpad up`): etcd data, certificates and ports are kept there and reused
   * by the next start, so the cluster resumes with everything it held; nothing in it is removed by `stop()`.
   * @default a fresh temp folder, removed by stop()
   */
  readonly stateDir?: string;
}

export interface ControlPlane {
  readonly tier: 1 | 2;
  /** The API server URL, https://127.0.0.1:<port>. */
  readonly server: string;
  /** An admin kubeconfig (client certificate in system:masters), credentials embedded. */
  readonly kubeconfigPath: string;
  /** The CA that signed the API server's serving certificate and the admin client certificate, PEM. */
  readonly caCertPem: string;
  /** Admin client identity, for callers that speak HTTPS directly. */
  readonly tls: Required<Pick<TlsIdentity, 'ca' | 'cert' | 'key'>>;
  /** The instance's temp folder and its logs folder. */
  readonly root: string;
  readonly logDir: string;
  /** Paths of all binaries in the folder used (kubectl for tests that shell out). */
  readonly binaries: Readonly<Record<ControlPlaneBinary, string>>;
  /** The fake node's name (tier 2), else undefined. */
  readonly nodeName: string | undefined;
  /** Process ids of the running components, by name. */
  readonly pids: Readonly<Record<string, number>>;
  /** Resolves (never rejects) with a message if a component exits on its own; for long-running users. */
  readonly failed: Promise<string>;
  /** Wall time the start took, milliseconds. */
  readonly startMs: number;
  /** Ends all components and removes the folder; throws, keeping the logs, if a component had died meanwhile. */
  stop(): Promise<void>;
}

function tlsOf(pki: ControlPlanePki): ControlPlane['tls'] {
  return { ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem };
}

async function startTier1(instance: Instance, binaries: Readonly<Record<ControlPlaneBinary, string>>, tls: ControlPlane['tls'], deadline: number): Promise<void> {
  const { layout, ports } = instance;
  const etcd = instance.start('etcd', binaries.etcd, etcdArgs(layout, ports));
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${ports.etcdClient}/health`)).ok, {
    what: 'etcd /health', timeoutMs: Math.max(deadline - Date.now(), 1), watch: [etcd], logDir: layout.logDir,
  });
  const apiserver = instance.start('kube-apiserver', binaries['kube-apiserver'], apiserverArgs(layout, ports));
  await waitUntil(async () => (await httpsRequest({ url: `https://127.0.0.1:${ports.apiserver}/readyz`, tls })).status === 200, {
    what: 'kube-apiserver /readyz', timeoutMs: Math.max(deadline - Date.now(), 1), watch: [etcd, apiserver], logDir: layout.logDir,
  });
}

const PORTS_FILE = 'ports.json';

/** The ports a persistent control plane used last time, when they are all still free; else new ones, recorded. */
async function persistentPorts(stateDir: string): Promise<ControlPlanePorts> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, PORTS_FILE);
  try {
    const previous = JSON.parse(readFileSync(file, 'utf8')) as ControlPlanePorts;
    if (await allFree(Object.values(previous))) return previous;
  } catch {
    // first start, or an unreadable file: choose new ports
  }
  const ports = await allocatePorts();
  writeFileSync(file, JSON.stringify(ports));
  return ports;
}

async function allocatePorts(): Promise<ControlPlanePorts> {
  const [etcdClient = 0, etcdPeer = 0, apiserver = 0, controllerManager = 0, scheduler = 0, kwok = 0] = await freePorts(6);
  return { etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok };
}

interface Resolved {
  readonly stateDir: string | undefined;
  readonly tier: 1 | 2;
  readonly nodeName: string;
  readonly keepLogs: boolean;
  readonly deadline: number;
  readonly binaries: Readonly<Record<ControlPlaneBinary, string>>;
}

function resolveOptions(options: ControlPlaneOptions): Resolved {
  const tier = options.tier ?? 1;
  return {
    stateDir: options.stateDir,
    tier,
    nodeName: options.nodeName ?? 'launchpad-node-1',
    keepLogs: options.keepLogs ?? process.env.LAUNCHPAD_KEEP_CONTROL_PLANE_LOGS === '1',
    deadline: Date.now() + (options.startTimeoutMs ?? 180_000),
    binaries: findControlPlaneBinaries(tier === 2 ? TIER2_BINARIES : TIER1_BINARIES, options.binDir ?? controlPlaneBinDir()),
  };
}

/** The outcome of one start attempt: a running plane, or the error and whether a port was taken under us. */
type Attempt = { readonly plane: Omit<ControlPlane, 'startMs'> } | { readonly error: ToolError; readonly portTaken: boolean };

/** Another process can grab a port between our pick and the component's bind; the logs say so. */
function portWasTaken(logDir: string): boolean {
  try {
    return readdirSync(logDir).some((file) => readFileSync(join(logDir, file), 'utf8').includes('address already in use'));
  } catch {
    return false;
  }
}

async function startOnce(resolved: Resolved, tmpDir: string | undefined): Promise<Attempt> {
  const { tier, binaries, deadline, nodeName, stateDir } = resolved;
  const layout = controlPlaneLayout(stateDir ?? createWorkspace(tmpDir));
  const unregister = onProcessExit(() => {
    if (stateDir === undefined) removeWorkspace(layout.root);
  });
  mkdirSync(layout.logDir, { recursive: true });
  const instance = new Instance(layout, stateDir === undefined ? await allocatePorts() : await persistentPorts(stateDir));
  const server = `https://127.0.0.1:${instance.ports.apiserver}`;
  let tls: ControlPlane['tls'];
  try {
    const pki = (stateDir === undefined ? undefined : await readControlPlanePki(layout)) ?? (await writeControlPlanePki(layout));
    tls = tlsOf(pki);
    writeFileSync(layout.kubeconfigPath, renderKubeconfig({ server, caPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem }), { mode: 0o600 });
    await startTier1(instance, binaries, tls, deadline);
    if (tier === 2) await startTier2({ instance, binaries, tls, deadline, nodeName });
  } catch (error) {
    await instance.stopAll();
    unregister();
    const portTaken = portWasTaken(layout.logDir);
    if (stateDir !== undefined) {
      // A persistent folder keeps its data whatever happened; only the ports are chosen again.
      if (portTaken) rmSync(join(stateDir, PORTS_FILE), { force: true });
    } else if (portTaken) removeWorkspace(layout.root);
    else keepLogs(layout.root);
    const fix = portTaken ? 'another process took a port we picked; try again' : `the logs of each component are kept in ${layout.logDir}`;
    return { error: new ToolError(`test control plane (tier ${tier}) did not start: ${describeError(error)}`, { cause: error, fix }), portTaken };
  }
  const plane: Omit<ControlPlane, 'startMs'> = {
    tier,
    server,
    kubeconfigPath: layout.kubeconfigPath,
    caCertPem: tls.ca,
    tls,
    root: layout.root,
    logDir: layout.logDir,
    binaries,
    nodeName: tier === 2 ? nodeName : undefined,
    pids: Object.fromEntries(instance.daemons.map((daemon) => [daemon.name, daemon.pid])),
    failed: instance.failed,
    stop: () => stopInstance(instance, { unregister, keep: resolved.keepLogs, persistent: stateDir !== undefined }),
  };
  return { plane };
}

/** Starts a control plane; see the module comment. Throws a ToolError naming the logs folder if it cannot. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const started = performance.now();
  const resolved = resolveOptions(options);
  sweepStaleWorkspaces(options.tmpDir);
  for (let attempt = 1; ; attempt++) {
    const result = await startOnce(resolved, options.tmpDir);
    if ('plane' in result) return { ...result.plane, startMs: performance.now() - started };
    if (!result.portTaken || attempt >= 3) throw result.error;
  }
}

async function stopInstance(instance: Instance, options: { readonly unregister: () => void; readonly keep: boolean; readonly persistent: boolean }): Promise<void> {
  if (instance.stopping) return;
  const crashes = [...instance.crashes];
  await instance.stopAll();
  options.unregister();
  if (options.persistent) {
    // The state folder stays for the next start.
  } else if (crashes.length > 0 || options.keep) {
    keepLogs(instance.layout.root);
  } else {
    removeWorkspace(instance.layout.root);
  }
  if (crashes.length > 0) {
    throw new ToolError(`test control plane failed while in use: ${crashes.join('; ')}`, {
      fix: `the logs of each component are kept in ${instance.layout.logDir}`,
    });
  }
}
