/**
 * Applies the install objects in order with server-side apply. CRDs must be Established before a custom resource of
 * theirs can be applied, so the first object after a run of CRDs waits for them (bounded). The `default` AppProject
 * is created when missing and otherwise left as it is: an operator may have restricted it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LaunchpadError, UnknownKindError, describeError, isLaunchpadError } from '../errors.js';
import type { KubeClient, ObjectRef } from '../kube/types.js';
import { formatResourceKey, resourceKey } from '../model/resource.js';
import type { KubeObject } from '../model/resource.js';
import { CREATE_ONLY, INSTALL_MODE_ANNOTATION } from './names.js';

/** The field manager of `launchpad install`, apart from the controller's own (`launchpad-controller`). */
export const INSTALL_FIELD_MANAGER = 'launchpad-install';

/** @default 60 s: an API server establishes a CRD in well under a second; a minute means something is wrong. */
export const DEFAULT_ESTABLISH_TIMEOUT_MS = 60_000;

/** created: it was missing; configured: the apply changed it; unchanged: it already was so; kept: left as it was. */
export type InstallAction = 'created' | 'configured' | 'unchanged' | 'kept';

export interface AppliedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly action: InstallAction;
}

export interface ApplyInstallOptions {
  readonly client: KubeClient;
  /** How long to wait for the CRDs to be Established. @default DEFAULT_ESTABLISH_TIMEOUT_MS */
  readonly establishTimeoutMs?: number;
  /** Called after each object, in apply order (for progress lines). */
  readonly onApplied?: (applied: AppliedObject) => void;
}

function refOf(object: KubeObject): ObjectRef {
  const { apiVersion, kind, metadata } = object;
  return { apiVersion, kind, name: metadata.name ?? '', ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }) };
}

const describe = (object: KubeObject): string => formatResourceKey(resourceKey(object));

const isCrd = (object: KubeObject): boolean => object.kind === 'CustomResourceDefinition';

/** Objects applied only when missing: never overwrite what an operator (or another installer) owns since. */
const isCreateOnly = (object: KubeObject): boolean => object.metadata.annotations?.[INSTALL_MODE_ANNOTATION] === CREATE_ONLY[INSTALL_MODE_ANNOTATION];

export function isEstablished(crd: KubeObject | undefined): boolean {
  const conditions = (crd?.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((condition) => condition.type === 'Established' && condition.status === 'True');
}

/**
 * Waits until every CRD is Established, then forgets discovery so their kinds are found. `retry` completes the fix
 * of the timeout error: what to run again once the CRD's conditions are understood.
 */
export async function waitEstablished(client: KubeClient, crds: readonly KubeObject[], timeoutMs = DEFAULT_ESTABLISH_TIMEOUT_MS, retry = 'run launchpad install --apply again'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    while (!isEstablished(await client.get(refOf(crd)))) {
      if (Date.now() > deadline) {
        throw new LaunchpadError(`${describe(crd)}: not Established after ${timeoutMs / 1000}s`, {
          errorClass: 'retryable',
          fix: `see its conditions with kubectl get crd ${crd.metadata.name ?? ''} -o yaml, then ${retry}`,
        });
      }
      await sleep(200);
    }
  }
  client.invalidateDiscovery();
}

async function applyOne(client: KubeClient, object: KubeObject): Promise<InstallAction> {
  const before = await client.get(refOf(object));
  if (before !== undefined && isCreateOnly(object)) return 'kept';
  const after = await client.apply(object, { fieldManager: INSTALL_FIELD_MANAGER, force: true });
  if (before === undefined) return 'created';
  return before.metadata.resourceVersion === after.metadata.resourceVersion ? 'unchanged' : 'configured';
}

function failure(object: KubeObject, done: number, total: number, error: unknown): LaunchpadError {
  const where = `install stopped at ${describe(object)} (${done} of ${total} objects applied)`;
  if (error instanceof UnknownKindError) {
    return new LaunchpadError(`${where}: ${describeError(error)}`, {
      cause: error,
      fix: 'install the Application and AppProject CRDs (run without --no-crds), or Argo CD\'s',
    });
  }
  return new LaunchpadError(`${where}: ${describeError(error)}`, { cause: error, errorClass: isLaunchpadError(error) ? error.errorClass : 'terminal' });
}

/** Applies `objects` in order; returns what happened to each. Throws a LaunchpadError naming the object that failed. */
export async function applyInstall(objects: readonly KubeObject[], options: ApplyInstallOptions): Promise<AppliedObject[]> {
  const { client } = options;
  const results: AppliedObject[] = [];
  let pendingCrds: KubeObject[] = [];
  for (const object of objects) {
    if (!isCrd(object) && pendingCrds.length > 0) {
      await waitEstablished(client, pendingCrds, options.establishTimeoutMs);
      pendingCrds = [];
    }
    const action = await applyOne(client, object).catch((error: unknown) => {
      throw failure(object, results.length, objects.length, error);
    });
    if (isCrd(object)) pendingCrds.push(object);
    const { apiVersion, kind, metadata } = object;
    const applied: AppliedObject = { apiVersion, kind, name: metadata.name ?? '', ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }), action };
    results.push(applied);
    options.onApplied?.(applied);
  }
  if (pendingCrds.length > 0) await waitEstablished(client, pendingCrds, options.establishTimeoutMs);
  return results;
}
