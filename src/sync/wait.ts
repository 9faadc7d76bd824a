/**
 * Waiting: for a wave's resources to become healthy (Degraded fails the sync, the deadline ends it with what is still
 * progressing), for hooks to complete, and for deleted objects to be gone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../model/resource.js';
import { formatResourceKey, resourceKey } from '../model/resource.js';
import type { KubeClient } from '../kube/types.js';
import type { HealthResult } from '../health/types.js';
import type { SyncContext } from './context.js';

export interface WaitResult {
  readonly ok: boolean;
  readonly message: string;
  /** Final health per object, by the object's display key. */
  readonly health: ReadonlyMap<string, HealthResult>;
}

function refOf(object: KubeObject) {
  const namespace = object.metadata.namespace;
  return { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? '', ...(namespace === undefined ? {} : { namespace }) };
}

async function pause(context: SyncContext): Promise<void> {
  await sleep(context.options.pollMs ?? 1_000, undefined, context.options.signal === undefined ? {} : { signal: context.options.signal });
}

/** Waits until every object is Healthy. Objects are re-read from the server until then. */
export async function waitHealthy(objects: readonly KubeObject[], context: SyncContext): Promise<WaitResult> {
  const health = new Map<string, HealthResult>();
  let pending = objects.map((object) => ({ object, label: formatResourceKey(resourceKey(object)) }));
  let first = true;
  while (pending.length > 0) {
    if (!first) {
      if (Date.now() > context.deadline) {
        const still = pending.map(({ label }) => `${label} (${health.get(label)?.message ?? 'no status yet'})`).join(', ');
        return { ok: false, message: `timed out waiting for health — still ${health.get(pending[0]?.label ?? '')?.status ?? 'Progressing'}: ${still}`, health };
      }
      await pause(context);
      pending = await Promise.all(pending.map(async ({ label, object }) => ({ label, object: (await context.options.client.get(refOf(object))) ?? object })));
    }
    first = false;
    const next: typeof pending = [];
    for (const item of pending) {
      const result = context.options.assessHealth(item.object);
      health.set(item.label, result);
      if (result.status === 'Degraded') return { ok: false, message: `${item.label} is Degraded: ${result.message}`, health };
      if (result.status !== 'Healthy') next.push(item);
    }
    pending = next;
    if (pending.length > 0) context.options.onWaiting?.(pending.map(({ label }) => ({ resource: label, health: health.get(label) ?? { status: 'Progressing', message: '' } })));
  }
  return { ok: true, message: '', health };
}

/** Deletes an object and waits until the server no longer has it (so a re-create does not collide). */
export async function deleteAndWait(client: KubeClient, object: KubeObject, context: SyncContext): Promise<void> {
  await client.delete(refOf(object), { propagationPolicy: 'Foreground' });
  while ((await client.get(refOf(object))) !== undefined) {
    if (Date.now() > context.deadline) throw new Error(`${formatResourceKey(resourceKey(object))}: still being deleted at the sync deadline`);
    await pause(context);
  }
}

function isEstablished(crd: KubeObject | undefined): boolean {
  const conditions = (crd?.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((condition) => condition.type === 'Established' && condition.status === 'True');
}

/** The group/version/kind triples a CRD serves. */
function servedKinds(crd: KubeObject): { readonly apiVersion: string; readonly kind: string }[] {
  const spec = (crd.spec ?? {}) as { group?: unknown; names?: { kind?: unknown }; versions?: { name?: unknown; served?: unknown }[] };
  const kind = spec.names?.kind;
  if (typeof spec.group !== 'string' || typeof kind !== 'string') return [];
  const group = spec.group;
  return (spec.versions ?? []).flatMap((version) => (typeof version.name === 'string' && version.served !== false ? [{ apiVersion: `${group}/${version.name}`, kind }] : []));
}

/**
 * Waits until CustomResourceDefinitions are Established and their kinds appear in discovery, so their custom
 * resources can be validated and applied. Discovery lags Established by a moment on a busy API server; a dry-run in
 * that moment would report the kind as unknown.
 */
export async function waitEstablished(crds: readonly KubeObject[], context: SyncContext): Promise<void> {
  const { client, signal } = context.options;
  const pauseBriefly = (): Promise<void> => sleep(100, undefined, signal === undefined ? {} : { signal });
  for (const crd of crds) {
    while (!isEstablished(await client.get(refOf(crd)))) {
      if (Date.now() > context.deadline) throw new Error(`${formatResourceKey(resourceKey(crd))}: not Established at the sync deadline`);
      await pauseBriefly();
    }
  }
  client.invalidateDiscovery();
  for (const crd of crds) {
    for (const served of servedKinds(crd)) {
      // resourceFor reads discovery again when the kind is missing.
      while ((await client.resourceFor(served.apiVersion, served.kind)) === undefined) {
        if (Date.now() > context.deadline) throw new Error(`${formatResourceKey(resourceKey(crd))}: Established, but ${served.kind} in ${served.apiVersion} was not served at the sync deadline`);
        await pauseBriefly();
      }
    }
  }
}
