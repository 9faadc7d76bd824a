/**
 * Reads the live objects a sync needs with as few requests as possible: one LIST per kind and namespace when a sync
 * holds several objects of it (a 1,000-object sync costs a handful of requests instead of 1,000 GETs), a GET otherwise;
 * none at all for kinds a watch cache holds.
 */
import type { KubeObject } from '../model/resource.js';
import type { KubeClient } from '../kube/types.js';
import type { CachedRead } from './context.js';
import type { SyncTask } from './plan.js';

const LIST_THRESHOLD = 4;

function groupKey(object: KubeObject): string {
  return `${object.apiVersion}\n${object.kind}\n${object.metadata.namespace ?? ''}`;
}

export function liveLookup(tasks: readonly SyncTask[], client: KubeClient, cachedRead?: CachedRead): (object: KubeObject) => Promise<KubeObject | undefined> {
  const sizes = new Map<string, number>();
  for (const { object } of tasks) sizes.set(groupKey(object), (sizes.get(groupKey(object)) ?? 0) + 1);
  const lists = new Map<string, Promise<Map<string, KubeObject>>>();
  return async (object) => {
    const key = groupKey(object);
    const namespace = object.metadata.namespace;
    const name = object.metadata.name ?? '';
    const cached = cachedRead?.({ apiVersion: object.apiVersion, kind: object.kind, name, ...(namespace === undefined ? {} : { namespace }) });
    if (cached !== undefined) return cached.object;
    if ((sizes.get(key) ?? 0) < LIST_THRESHOLD) {
      return client.get({ apiVersion: object.apiVersion, kind: object.kind, name, ...(namespace === undefined ? {} : { namespace }) });
    }
    let list = lists.get(key);
    if (list === undefined) {
      list = client.list(object.apiVersion, object.kind, namespace === undefined ? {} : { namespace })
        .then((items) => new Map(items.map((item) => [item.metadata.name ?? '', item])));
      lists.set(key, list);
    }
    return (await list).get(name);
  };
}
