/**
 * The inventory: the set of objects an application applied, recorded in the cluster as a ConfigMap
 * (`launchpad-inventory-<app>` in the Application's namespace, `argocd` for Argo CD-style layouts). Prune is
 * previous inventory − current desired, and every candidate is checked against its live tracking annotation first.
 */
import { createHash } from 'node:crypto';
import type { KubeObject, ResourceKey } from '../model/resource.js';
import { groupOf, resourceKeyString } from '../model/resource.js';
import type { KubeClient } from '../kube/types.js';
import type { CachedRead } from './context.js';

export interface InventoryEntry extends ResourceKey {
  readonly apiVersion: string;
  /** Hash of the desired object last applied, and the resourceVersion the server gave it: when both still match,
   * nothing changed on either side and the object needs neither a dry-run nor a write. */
  readonly desiredHash?: string;
  readonly resourceVersion?: string;
}

export interface InventoryLocation {
  readonly namespace: string;
  readonly name: string;
}

const DATA_KEY = 'inventory.json';

export function inventoryLocation(appName: string, appNamespace: string | undefined): InventoryLocation {
  return { namespace: appNamespace ?? 'argocd', name: `launchpad-inventory-${appName}`.slice(0, 253) };
}

/** A stable hash of a desired object (rendered output is deterministic, so equal objects hash equal). */
export function desiredHash(object: KubeObject): string {
  return createHash('sha256').update(JSON.stringify(object)).digest('hex').slice(0, 32);
}

export function inventoryEntryOf(object: KubeObject, applied?: { readonly resourceVersion: string }): InventoryEntry {
  return {
    ...(applied === undefined ? {} : { desiredHash: desiredHash(object), resourceVersion: applied.resourceVersion }),
    apiVersion: object.apiVersion,
    group: groupOf(object.apiVersion),
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name ?? '',
  };
}

function isEntry(value: unknown): value is InventoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return ['apiVersion', 'group', 'kind', 'namespace', 'name'].every((field) => typeof entry[field] === 'string');
}

export async function readInventory(client: KubeClient, location: InventoryLocation, cachedRead?: CachedRead): Promise<InventoryEntry[]> {
  const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: location.namespace, name: location.name };
  // A cached inventory a moment old is safe: every prune candidate is re-read from the API server before deletion.
  const cached = cachedRead?.(ref);
  const configMap = cached === undefined ? await client.get(ref) : cached.object;
  const raw = (configMap?.data as Record<string, string> | undefined)?.[DATA_KEY];
  if (raw === undefined) return [];
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
}

/** Writes the inventory, unless it equals `previous` (a no-change sync writes nothing at all). */
export async function writeInventory(client: KubeClient, location: InventoryLocation, entries: readonly InventoryEntry[], known: { readonly previous?: readonly InventoryEntry[]; readonly cachedRead?: CachedRead | undefined } = {}): Promise<void> {
  const { previous, cachedRead } = known;
  const unique = new Map(entries.map((entry) => [resourceKeyString(entry), entry]));
  const sorted = [...unique.values()].sort((a, b) => resourceKeyString(a).localeCompare(resourceKeyString(b)));
  if (previous !== undefined && JSON.stringify(sorted) === JSON.stringify(previous)) return;
  const namespaceRef = { apiVersion: 'v1', kind: 'Namespace', name: location.namespace };
  const cachedNamespace = cachedRead?.(namespaceRef);
  const namespace = cachedNamespace === undefined ? await client.get(namespaceRef) : cachedNamespace.object;
  if (namespace === undefined) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: location.namespace } });
  await client.apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: location.name, namespace: location.namespace, labels: { 'app.kubernetes.io/managed-by': 'launchpad' } },
    data: { [DATA_KEY]: JSON.stringify(sorted) },
  });
}
