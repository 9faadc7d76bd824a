/**
 * `resource.exclusions` / `resource.inclusions`: which kinds Argo CD acts as if did not exist — never applied, pruned,
 * watched or compared. API groups and clusters are globs, kinds exact or `*`, an empty list matches everything.
 * Argo CD always excludes a few high-churn kinds too (Events, metrics, Leases); they are included here.
 */
import type { ArgoCdSettings, FilteredResource } from '../model/argocd-cm.js';
import type { KubeObject } from '../model/resource.js';
import { groupOf } from '../model/resource.js';
import { globMatch } from './glob.js';

/** Always excluded, whatever argocd-cm says (Argo CD's core exclusions). */
export const CORE_EXCLUSIONS: readonly FilteredResource[] = [
  { apiGroups: ['events.k8s.io', 'metrics.k8s.io'], kinds: [], clusters: [] },
  { apiGroups: [''], kinds: ['Event'], clusters: [] },
  { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'], clusters: [] },
];

function matchesCluster(rule: FilteredResource, cluster: string): boolean {
  return rule.clusters.length === 0 || rule.clusters.some((pattern) => globMatch(pattern, cluster));
}

function matches(rule: FilteredResource, group: string, kind: string, cluster: string): boolean {
  const groupOk = rule.apiGroups.length === 0 || rule.apiGroups.some((pattern) => globMatch(pattern, group));
  const kindOk = rule.kinds.length === 0 || rule.kinds.some((pattern) => pattern === '*' || pattern === kind);
  return groupOk && kindOk && matchesCluster(rule, cluster);
}

/**
 * Whether a kind is excluded on a cluster (its API server URL): excluded wins; else included is allowed; else, when
 * any inclusion rule names this cluster, everything not included is excluded; else allowed.
 */
export function isExcludedKind(settings: Pick<ArgoCdSettings, 'exclusions' | 'inclusions'>, group: string, kind: string, cluster: string): boolean {
  if ([...CORE_EXCLUSIONS, ...settings.exclusions].some((rule) => matches(rule, group, kind, cluster))) return true;
  if (settings.inclusions.some((rule) => matches(rule, group, kind, cluster))) return false;
  return settings.inclusions.some((rule) => matchesCluster(rule, cluster));
}

export function isExcludedObject(settings: Pick<ArgoCdSettings, 'exclusions' | 'inclusions'>, object: Pick<KubeObject, 'apiVersion' | 'kind'>, cluster: string): boolean {
  return isExcludedKind(settings, groupOf(object.apiVersion), object.kind, cluster);
}

/** Argo CD's condition text for a desired object left out. */
export function excludedMessage(object: KubeObject): string {
  return `Resource ${groupOf(object.apiVersion)}/${object.kind} ${object.metadata.name ?? ''} is excluded in the settings`;
}

/** Splits desired objects into those to act on and those excluded by the settings. */
export function partitionExcluded<T extends KubeObject>(objects: readonly T[], settings: Pick<ArgoCdSettings, 'exclusions' | 'inclusions'>, cluster: string): { readonly kept: T[]; readonly excluded: T[] } {
  const kept: T[] = [];
  const excluded: T[] = [];
  for (const object of objects) (isExcludedObject(settings, object, cluster) ? excluded : kept).push(object);
  return { kept, excluded };
}
