/**
 * Deleting an Application. With the finalizer `resources-finalizer.argocd.argoproj.io` (or its `/foreground` and
 * `/background` forms) the controller first deletes the resources the application manages — only live objects whose
 * tracking annotation names this application and themselves, never one annotated `Delete=false` — waits until they
 * are gone, deletes the inventory, then removes the finalizer so Kubernetes deletes the Application. Without the
 * finalizer the resources stay, as in Argo CD.
 */
import { describeError } from '../errors.js';
import type { ApplicationDestination } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';
import { inventoryLocation } from '../sync/inventory.js';
import { optionIs, parseSyncOptions } from '../sync/sync-options.js';
import type { ControllerServices } from './services.js';

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const FINALIZERS = [RESOURCES_FINALIZER, `${RESOURCES_FINALIZER}/foreground`, `${RESOURCES_FINALIZER}/background`];
const POLL_MS = 2_000;

function propagationOf(finalizer: string): 'Foreground' | 'Background' {
  return finalizer.endsWith('/background') ? 'Background' : 'Foreground';
}

function kindsOf(status: unknown): { apiVersion: string; kind: string }[] {
  const resources = isPlainObject(status) && Array.isArray(status.resources) ? status.resources.filter(isPlainObject) : [];
  return resources.flatMap((entry) => (typeof entry.kind === 'string' && typeof entry.version === 'string'
    ? [{ apiVersion: typeof entry.group === 'string' && entry.group !== '' ? `${entry.group}/${entry.version}` : entry.version, kind: entry.kind }]
    : []));
}

function keepOnDelete(object: KubeObject): boolean {
  const options = parseSyncOptions((object.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').map((option) => option.trim()).filter((option) => option !== ''));
  return optionIs(options, 'Delete', 'false');
}

export async function handleDeletion(services: ControllerServices, object: KubeObject): Promise<{ requeueAfterMs?: number }> {
  const finalizers = Array.isArray(object.metadata.finalizers) ? (object.metadata.finalizers as string[]) : [];
  const ours = finalizers.find((finalizer) => FINALIZERS.includes(finalizer));
  if (ours === undefined || !services.writesAllowed()) return {};
  const name = object.metadata.name ?? '';
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const destination: ApplicationDestination = isPlainObject(spec.destination) ? spec.destination : {};
  const cluster = await services.clusterFor(destination);
  if ('error' in cluster) {
    services.log.warn({ app: name }, `cannot delete the resources of ${name}: ${cluster.error}; the finalizer stays`);
    return { requeueAfterMs: 30_000 };
  }
  await cluster.cache.ensureKinds(kindsOf(object.status)).catch(() => undefined);
  const remaining = cluster.cache.managedBy(name).filter((live) => !keepOnDelete(live));
  if (remaining.length > 0) {
    for (const live of remaining.filter((item) => item.metadata.deletionTimestamp === undefined)) {
      const ref = { apiVersion: live.apiVersion, kind: live.kind, name: live.metadata.name ?? '', ...(live.metadata.namespace === undefined ? {} : { namespace: live.metadata.namespace }) };
      await cluster.client.delete(ref, { propagationPolicy: propagationOf(ours) }).catch((error: unknown) => {
        services.log.warn({ app: name }, `could not delete ${live.kind}/${live.metadata.name ?? ''}: ${describeError(error)}`);
      });
    }
    services.log.info({ app: name }, `deleting ${remaining.length} resource(s) before removing the finalizer`);
    return { requeueAfterMs: POLL_MS };
  }
  const location = inventoryLocation(name, object.metadata.namespace);
  await cluster.client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: location.namespace, name: location.name }).catch(() => undefined);
  // A JSON patch that tests the list first: a finalizer someone else added meanwhile is not lost.
  await services.client.patch(
    { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace ?? services.namespace, name },
    [{ op: 'test', path: '/metadata/finalizers', value: finalizers }, { op: 'replace', path: '/metadata/finalizers', value: finalizers.filter((finalizer) => finalizer !== ours) }],
    { type: 'json' },
  );
  services.event(object, 'ResourcesDeleted', 'the application\'s resources were deleted; finalizer removed');
  return {};
}
