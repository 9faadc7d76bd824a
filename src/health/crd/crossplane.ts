/**
 * Crossplane, as Argo CD's bundled wildcard customizations judge it: every kind in a group ending `.crossplane.io`
 * (managed resources of the community providers, composites and claims in Crossplane's own groups, packages and
 * compositions) and every kind in a group ending `.upbound.io` (Upbound providers' managed resources).
 *
 * - Synced=False or LastAsyncOperation=False → Degraded with its message (the provider could not apply the spec).
 * - A readiness condition True → Healthy ("Resource is up-to-date."): Ready for every kind; for `.crossplane.io`
 *   also Healthy (packages), Offered and Established (definitions), ValidPipeline (compositions), RevisionHealthy.
 * - Kinds that have no status (Composition, ProviderConfig, …) → Healthy; a ProviderConfig with users → Healthy.
 * - Otherwise Progressing ("Provisioning ...").
 *
 * One deliberate difference: Argo CD's scripts call any object with no `status` at all Healthy (a precedence slip in
 * the Lua condition); a managed resource the provider has not reported on yet is Progressing here, so a sync wave
 * waits for it. pkg.crossplane.io/Provider has its own Argo CD script (Installed and Healthy), also here.
 */
import type { KubeObject } from '../../model/resource.js';
import { conditionsOf, field, isRecord } from '../fields.js';
import type { HealthResult } from '../types.js';
import { about } from './conditions.js';

const WITHOUT_STATUS = new Set(['Composition', 'CompositionRevision', 'DeploymentRuntimeConfig', 'ClusterProviderConfig', 'ProviderConfig', 'ProviderConfigUsage', 'ControllerConfig']);
const UPBOUND_WITHOUT_STATUS = new Set(['ClusterProviderConfig', 'ProviderConfig', 'ProviderConfigUsage']);
const READY_TYPES = ['Ready', 'Healthy', 'Offered', 'Established', 'ValidPipeline', 'RevisionHealthy'];
const UPBOUND_READY_TYPES = ['Ready'];

interface Family {
  readonly withoutStatus: ReadonlySet<string>;
  readonly readyTypes: readonly string[];
}

function crossplaneFamilyHealth(object: KubeObject, family: Family): HealthResult {
  const status = field(object, 'status');
  const empty = !isRecord(status) || Object.keys(status).length === 0;
  if (empty && family.withoutStatus.has(object.kind)) return about(object, 'Healthy', 'Resource is up-to-date.');
  if (!Array.isArray(field(status, 'conditions'))) {
    const isProviderConfig = object.kind === 'ProviderConfig' || object.kind === 'ClusterProviderConfig';
    if (isProviderConfig && field(status, 'users') !== undefined) return about(object, 'Healthy', 'Resource is in use.');
    return about(object, 'Progressing', 'Provisioning ...');
  }
  let healthy = false;
  for (const condition of conditionsOf(object)) {
    if ((condition.type === 'LastAsyncOperation' || condition.type === 'Synced') && condition.status === 'False') {
      return about(object, 'Degraded', condition.message);
    }
    if (family.readyTypes.includes(condition.type) && condition.status === 'True') healthy = true;
  }
  return healthy ? about(object, 'Healthy', 'Resource is up-to-date.') : about(object, 'Progressing', 'Provisioning ...');
}

/** Any kind in a `*.crossplane.io` group. */
export function crossplaneHealth(object: KubeObject): HealthResult {
  return crossplaneFamilyHealth(object, { withoutStatus: WITHOUT_STATUS, readyTypes: READY_TYPES });
}

/** Any kind in a `*.upbound.io` group. */
export function upboundHealth(object: KubeObject): HealthResult {
  return crossplaneFamilyHealth(object, { withoutStatus: UPBOUND_WITHOUT_STATUS, readyTypes: UPBOUND_READY_TYPES });
}

/** pkg.crossplane.io Provider: Installed and Healthy both True → Healthy, else Degraded with both reasons. */
export function crossplaneProviderHealth(provider: KubeObject): HealthResult {
  if (!Array.isArray(field(provider, 'status', 'conditions'))) return about(provider, 'Progressing', 'Waiting for provider to be installed');
  const conditions = conditionsOf(provider);
  const installed = conditions.findLast((condition) => condition.type === 'Installed');
  const healthy = conditions.findLast((condition) => condition.type === 'Healthy');
  const message = `${installed?.reason ?? ''} ${healthy?.reason ?? ''}`.trim();
  return about(provider, installed?.status === 'True' && healthy?.status === 'True' ? 'Healthy' : 'Degraded', message);
}
