/**
 * What argocd-cm changes in a comparison, for the callers of `diffResources`: the ignoreDifferences rules (the
 * Application's plus the customizations for the object's group/kind and for all kinds) and the normalization both
 * sides get first (knownTypeFields; with `ignoreAggregatedRoles`, the rules of aggregated ClusterRoles).
 */
import type { IgnoreDifference } from '../model/application.js';
import type { ArgoCdSettings } from '../model/argocd-cm.js';
import type { KubeObject } from '../model/resource.js';
import { groupOf } from '../model/resource.js';
import { normalizeKnownTypes } from './known-types.js';

/** An override key (`group/Kind`, `Kind`, `*` + `/` + `*`) as a rule's group and kind. */
function groupKindOf(key: string): { group: string; kind: string } {
  const slash = key.indexOf('/');
  return slash === -1 ? { group: '', kind: key } : { group: key.slice(0, slash), kind: key.slice(slash + 1) };
}

/** argocd-cm's `resource.customizations.ignoreDifferences.*` as Application-style ignoreDifferences rules. */
export function globalIgnoreRules(settings: ArgoCdSettings): IgnoreDifference[] {
  const rules: IgnoreDifference[] = [];
  for (const [key, override] of settings.overrides) {
    const diff = override.ignoreDifferences;
    if (diff === undefined) continue;
    if (diff.jsonPointers.length + diff.jqPathExpressions.length + diff.managedFieldsManagers.length === 0) continue;
    rules.push({
      ...groupKindOf(key),
      ...(diff.jsonPointers.length > 0 ? { jsonPointers: diff.jsonPointers } : {}),
      ...(diff.jqPathExpressions.length > 0 ? { jqPathExpressions: diff.jqPathExpressions } : {}),
      ...(diff.managedFieldsManagers.length > 0 ? { managedFieldsManagers: diff.managedFieldsManagers } : {}),
    });
  }
  return rules;
}

/** The rules a comparison of the Application's resources uses: its own, then argocd-cm's. */
export function ignoreRulesFor(appRules: readonly IgnoreDifference[] | undefined, settings: ArgoCdSettings): IgnoreDifference[] {
  return [...(appRules ?? []), ...globalIgnoreRules(settings)];
}

function isAggregatedRole(object: KubeObject): boolean {
  const aggregation = (object as { aggregationRule?: unknown }).aggregationRule;
  return groupOf(object.apiVersion) === 'rbac.authorization.k8s.io' && (object.kind === 'ClusterRole' || object.kind === 'Role') && typeof aggregation === 'object' && aggregation !== null && !Array.isArray(aggregation);
}

/** One side of a comparison as argocd-cm says to see it. Returns the input itself when nothing applies. */
export function normalizeWithSettings(object: KubeObject, settings: ArgoCdSettings): KubeObject;
export function normalizeWithSettings(object: KubeObject | undefined, settings: ArgoCdSettings): KubeObject | undefined;
export function normalizeWithSettings(object: KubeObject | undefined, settings: ArgoCdSettings): KubeObject | undefined {
  if (object === undefined) return undefined;
  let result = normalizeKnownTypes(object, settings);
  // The aggregation controller owns an aggregated role's rules: they are not compared (Argo CD's option).
  if (settings.compareOptions.ignoreAggregatedRoles && isAggregatedRole(result)) {
    const rest: Record<string, unknown> = { ...result };
    delete rest.rules;
    result = rest as KubeObject;
  }
  return result;
}
