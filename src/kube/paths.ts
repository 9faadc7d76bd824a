/** REST paths of kinds and objects, and how objects are named in messages. */
import { formatResourceKey, groupOf } from '../model/resource.js';
import type { ResourceInfo } from './types.js';

export interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

/** `apps/v1` → apps + v1; `v1` → the core group. */
export function splitApiVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${encodeURIComponent(version)}` : `/apis/${encodeURIComponent(group)}/${encodeURIComponent(version)}`;
}

/** The collection: namespaced kinds in one namespace, or across all when `namespace` is undefined. */
export function collectionPath(info: ResourceInfo, namespace: string | undefined): string {
  const scope = info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(info.group, info.version)}${scope}/${encodeURIComponent(info.resource)}`;
}

export function objectPath(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${collectionPath(info, namespace)}/${encodeURIComponent(name)}`;
}

/** `Deployment/shop/web`; cluster-scoped `Namespace/shop`; a generateName object shows its prefix: `Job/shop/migrate-`. */
export function describeObject(object: { readonly apiVersion: string; readonly kind: string; readonly namespace?: string | undefined; readonly name: string }): string {
  return formatResourceKey({ group: groupOf(object.apiVersion), kind: object.kind, namespace: object.namespace ?? '', name: object.name });
}

/** `Deployment (apps/v1) in namespace shop`, or `… in all namespaces`, for list and watch. */
export function describeCollection(apiVersion: string, kind: string, namespace: string | undefined): string {
  return `${kind} (${apiVersion}) in ${namespace === undefined ? 'all namespaces' : `namespace ${namespace}`}`;
}
