/**
 * Waiting for an application tree to converge, and saying what it converged to. Converged means: every Application
 * in the namespace has been reconciled, none has an operation running or requested, and nothing about them (which
 * apps exist, their sync and health) has changed for a quiet period — an app that can never become Healthy here (it
 * waits for a load balancer, a certificate, a real container) converges by staying as it is, and the summary says
 * why. Used by `launchpad up` and `launchpad bootstrap`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../kube/types.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';

export interface AppState {
  readonly name: string;
  readonly sync: string;
  readonly health: string;
  readonly healthMessage: string;
  readonly operation: string;
  readonly operationMessage: string;
  readonly conditions: readonly { readonly type: string; readonly message: string }[];
  /** Resources not Synced or not Healthy, with why. */
  readonly waiting: readonly string[];
  readonly reconciled: boolean;
  readonly operationPending: boolean;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function waitingResources(status: Record<string, unknown>): string[] {
  const resources = Array.isArray(status.resources) ? status.resources.filter(isPlainObject) : [];
  return resources.flatMap((resource) => {
    const health = isPlainObject(resource.health) ? resource.health : {};
    const healthStatus = text(health.status);
    if (resource.status === 'Synced' && (healthStatus === 'Healthy' || healthStatus === '')) return [];
    const message = text(health.message);
    return [`${text(resource.kind)}/${text(resource.name)}: ${text(resource.status)}${healthStatus === '' ? '' : `, ${healthStatus}`}${message === '' ? '' : ` — ${message}`}`];
  });
}

/** The first resource a failed sync names, which says more than "dry-run rejected 4 object(s)". */
function failedResourceMessage(operation: Record<string, unknown>): string | undefined {
  if (operation.phase !== 'Failed' && operation.phase !== 'Error') return undefined;
  const result = isPlainObject(operation.syncResult) ? operation.syncResult : {};
  const failed = (Array.isArray(result.resources) ? result.resources.filter(isPlainObject) : []).find((resource) => resource.status === 'SyncFailed');
  return failed === undefined ? undefined : `${text(failed.kind)}/${text(failed.name)}: ${text(failed.message)}`;
}

export function appStateOf(object: KubeObject): AppState {
  const status = isPlainObject(object.status) ? object.status : {};
  const sync = isPlainObject(status.sync) ? status.sync : {};
  const health = isPlainObject(status.health) ? status.health : {};
  const operation = isPlainObject(status.operationState) ? status.operationState : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject).map((condition) => ({ type: text(condition.type), message: text(condition.message) })) : [];
  return {
    name: object.metadata.name ?? '',
    sync: text(sync.status) || 'Unknown',
    health: text(health.status) || 'Unknown',
    healthMessage: text(health.message),
    operation: text(operation.phase),
    operationMessage: failedResourceMessage(operation) ?? text(operation.message),
    conditions,
    waiting: waitingResources(status),
    reconciled: typeof status.reconciledAt === 'string',
    operationPending: object.operation !== undefined || operation.phase === 'Running' || operation.phase === 'Terminating',
  };
}

export interface ConvergeOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  /** Give up after this long and report the state as it is. @default 600_000 */
  readonly timeoutMs?: number;
  /** Nothing may change for this long. @default 10_000 */
  readonly quietMs?: number;
  /** Expect at least this many applications (the root's tree must have appeared). @default 1 */
  readonly minApps?: number;
  readonly onProgress?: (states: readonly AppState[]) => void;
  readonly signal?: AbortSignal;
}

export interface Converged {
  readonly converged: boolean;
  readonly apps: readonly AppState[];
  readonly elapsedMs: number;
}

function fingerprint(states: readonly AppState[]): string {
  return JSON.stringify(states.map((state) => [state.name, state.sync, state.health, state.operation, state.operationPending, state.conditions.map((condition) => condition.type)]));
}

export async function waitConverged(options: ConvergeOptions): Promise<Converged> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 600_000);
  const quietMs = options.quietMs ?? 10_000;
  let last = '';
  let since = Date.now();
  let states: AppState[] = [];
  while (Date.now() < deadline && options.signal?.aborted !== true) {
    const objects = await options.client.list('argoproj.io/v1alpha1', 'Application', { namespace: options.namespace }).catch(() => []);
    states = objects.map(appStateOf).sort((a, b) => a.name.localeCompare(b.name));
    options.onProgress?.(states);
    const now = fingerprint(states);
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    const settled = states.length >= (options.minApps ?? 1) && states.every((state) => state.reconciled && !state.operationPending);
    if (settled && Date.now() - since >= quietMs) return { converged: true, apps: states, elapsedMs: Date.now() - started };
    await sleep(1_000, undefined, options.signal === undefined ? {} : { signal: options.signal }).catch(() => undefined);
  }
  return { converged: false, apps: states, elapsedMs: Date.now() - started };
}

/** Health messages that only mean "this needs a real node or a platform controller" on a simulated cluster. */
const SIMULATION_LIMITS: readonly (readonly [RegExp, string])[] = [
  [/Ingress|LoadBalancer|address/i, 'no load balancer or ingress controller answers on the simulated node'],
  [/PersistentVolumeClaim|Pending/i, 'no storage provisioner runs on the simulated node'],
  [/Certificate|Issuer/i, 'cert-manager is not running (its chart needs network, or a mirror in launchpad.yaml)'],
  [/SealedSecret/i, "it is sealed to another cluster's key: the local unsealer holds only the example's demo key (examples/platform/launchpad/secrets/demo-key)"],
  [/does not serve kind|no matches for kind|CustomResourceDefinition/i, "the CRD comes from an infrastructure chart that was not installed"],
];

/** Why a waiting resource cannot get further on the local cluster, when that is the reason. */
export function simulationReason(line: string): string | undefined {
  return SIMULATION_LIMITS.find(([pattern]) => pattern.test(line))?.[1];
}
