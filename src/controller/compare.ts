/**
 * Desired vs live for the controller: the sync status and health of each resource of an application, from the shared
 * live cache. A resource whose desired object and live object are both unchanged since the last comparison reuses
 * that comparison — so a refresh where nothing changed makes no request at all; otherwise the server-side dry-run
 * diff of `diff/` decides (defaults and webhooks included), as `launchpad diff --live` does.
 */
import { diffResources } from '../diff/index.js';
import { describeError } from '../errors.js';
import { aggregateHealth, isHook } from '../health/index.js';
import type { HealthResult } from '../health/types.js';
import type { Application } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { groupOf } from '../model/resource.js';
import type { KubeClient } from '../kube/types.js';
import { createLimiter } from '../render/limit.js';
import { desiredHash } from '../sync/inventory.js';
import type { ArgoCdSettings } from '../model/argocd-cm.js';
import { DEFAULT_ARGOCD_SETTINGS } from '../model/argocd-cm.js';
import { ignoreRulesFor, normalizeWithSettings } from '../settings/compare-settings.js';
import { excludedMessage, isExcludedObject, partitionExcluded } from '../settings/resource-filter.js';
import { managingAppOf, withTrackingAll } from '../settings/tracking.js';
import type { LiveCache } from './live-cache.js';

export type ResourceSyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';

/** One entry of `status.resources`, as Argo CD writes it. */
export interface ResourceStatus {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly status: ResourceSyncStatus;
  readonly health?: { readonly status: string; readonly message?: string };
  readonly hook?: boolean;
  readonly requiresPruning?: boolean;
  readonly syncWave?: number;
}

export interface Comparison {
  readonly resources: readonly ResourceStatus[];
  readonly sync: ResourceSyncStatus;
  readonly health: HealthResult;
  /** Container images of the desired workloads, sorted (status.summary.images). */
  readonly images: readonly string[];
  /** Resources another application tracks: SharedResourceWarning. */
  readonly shared: readonly string[];
  /** Why some resources could not be compared: ComparisonError. */
  readonly errors: readonly string[];
  /** Resources in the cluster tracked by no application, in namespaces the app deploys to (only when asked). */
  readonly orphans: readonly KubeObject[];
  /** Dry-run requests made (0 when nothing changed). */
  readonly requests: number;
  /** Desired objects argocd-cm excludes (ExcludedResourceWarning), in Argo CD's words. */
  readonly excluded: readonly string[];
}

export interface CompareInput {
  readonly app: Application;
  readonly desired: readonly KubeObject[];
  readonly cache: LiveCache;
  readonly client: KubeClient;
  readonly assessHealth: (object: KubeObject | undefined) => HealthResult;
  /** Earlier results by resource, reused when neither side changed; updated in place. */
  readonly memory: Map<string, { readonly key: string; readonly status: ResourceSyncStatus }>;
  /** @default 8 */
  readonly concurrency?: number;
  /** argocd-cm: exclusions, ignoreDifferences and knownTypeFields customizations, tracking. @default Argo CD's defaults */
  readonly settings?: ArgoCdSettings;
  /** The destination's API server URL, for exclusion rules' `clusters`. @default destination.server */
  readonly cluster?: string;
}

const IGNORE_EXTRANEOUS = /(^|,)\s*IgnoreExtraneous\s*(,|$)/;
const COMPARE_OPTIONS = 'argocd.argoproj.io/compare-options';

function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
}

function idOf(object: KubeObject): string {
  return `${groupOf(object.apiVersion)}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

function baseStatus(object: KubeObject): Omit<ResourceStatus, 'status'> {
  const wave = Number.parseInt(object.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '', 10);
  return {
    group: groupOf(object.apiVersion),
    version: versionOf(object.apiVersion),
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name ?? '',
    ...(Number.isFinite(wave) && wave !== 0 ? { syncWave: wave } : {}),
  };
}

function healthField(health: HealthResult): { readonly status: string; readonly message?: string } {
  return health.message === '' ? { status: health.status } : { status: health.status, message: health.message };
}

/** The Pod spec of a Pod, a workload's template or a CronJob's job template. */
function podSpecOf(object: KubeObject): { containers?: unknown; initContainers?: unknown } | undefined {
  const spec = object.spec as { template?: { spec?: unknown }; jobTemplate?: { spec?: { template?: { spec?: unknown } } }; containers?: unknown } | undefined;
  if (spec === undefined) return undefined;
  if (spec.containers !== undefined) return spec;
  return (spec.template?.spec ?? spec.jobTemplate?.spec?.template?.spec) as { containers?: unknown; initContainers?: unknown } | undefined;
}

/** Images of Pod templates and Pods (containers and init containers), for status.summary.images. */
export function imagesOf(objects: readonly KubeObject[]): string[] {
  const images = new Set<string>();
  for (const object of objects) {
    const podSpec = podSpecOf(object);
    const containers = [podSpec?.containers, podSpec?.initContainers].flatMap((list) => (Array.isArray(list) ? (list as { image?: unknown }[]) : []));
    for (const container of containers) if (typeof container.image === 'string') images.add(container.image);
  }
  return [...images].sort();
}

async function compareOne(input: CompareInput, desired: KubeObject, live: KubeObject | undefined): Promise<{ status: ResourceSyncStatus; error?: string; request: boolean }> {
  if (live === undefined) return { status: 'OutOfSync', request: false };
  const id = idOf(desired);
  const key = `${desiredHash(desired)}@${typeof live.metadata.resourceVersion === 'string' ? live.metadata.resourceVersion : ''}`;
  const remembered = input.memory.get(id);
  if (remembered?.key === key) return { status: remembered.status, request: false };
  try {
    const settings = input.settings ?? DEFAULT_ARGOCD_SETTINGS;
    const dryRun = await input.client.apply(desired, { dryRun: true });
    const diff = await diffResources({ desired: normalizeWithSettings(dryRun, settings), live: normalizeWithSettings(live, settings), ignore: ignoreRulesFor(input.app.spec.ignoreDifferences, settings) });
    const status: ResourceSyncStatus = diff.status === 'in-sync' ? 'Synced' : 'OutOfSync';
    input.memory.set(id, { key, status });
    return { status, request: true };
  } catch (error) {
    return { status: 'Unknown', error: `${desired.kind}/${desired.metadata.name ?? ''}: ${describeError(error)}`, request: true };
  }
}

interface Compared {
  readonly resource: ResourceStatus;
  readonly live: KubeObject | undefined;
  readonly desired: KubeObject;
  readonly health: HealthResult;
  readonly error: string | undefined;
  readonly request: boolean;
  readonly sharedWith: string | undefined;
}

function trackedByOther(app: string, live: KubeObject | undefined, settings: ArgoCdSettings): string | undefined {
  const owner = live === undefined ? undefined : managingAppOf(live, settings);
  return owner !== undefined && owner !== '' && owner !== app ? owner : undefined;
}

async function compareDesired(input: CompareInput, desired: KubeObject): Promise<Compared> {
  const live = input.cache.get({ apiVersion: desired.apiVersion, kind: desired.kind, namespace: desired.metadata.namespace, name: desired.metadata.name ?? '' });
  const health = input.assessHealth(live);
  const sharedWith = trackedByOther(input.app.metadata.name, live, input.settings ?? DEFAULT_ARGOCD_SETTINGS);
  const compared = await compareOne(input, desired, live);
  const resource: ResourceStatus = { ...baseStatus(desired), status: compared.status, health: live === undefined ? { status: 'Missing' } : healthField(health) };
  return { resource, live, desired, health, error: compared.error, request: compared.request, sharedWith };
}

/** Live objects the app tracks but no longer renders: they need pruning (unless told to be ignored). */
function extraneousOf(input: CompareInput, desiredIds: ReadonlySet<string>): ResourceStatus[] {
  return input.cache.managedBy(input.app.metadata.name)
    .filter((live) => !desiredIds.has(idOf(live)) && !isHook(live) && !isExcludedObject(input.settings ?? DEFAULT_ARGOCD_SETTINGS, live, clusterOf(input)))
    .map((live) => {
      const ignored = IGNORE_EXTRANEOUS.test(live.metadata.annotations?.[COMPARE_OPTIONS] ?? '');
      return { ...baseStatus(live), status: ignored ? 'Synced' : 'OutOfSync', requiresPruning: true, health: healthField(input.assessHealth(live)) } satisfies ResourceStatus;
    });
}

function overallSync(compared: readonly Compared[], extraneous: readonly ResourceStatus[]): ResourceSyncStatus {
  const all = [...compared.map((entry) => entry.resource), ...extraneous];
  if (all.some((resource) => resource.status === 'Unknown')) return 'Unknown';
  return all.every((resource) => resource.status === 'Synced') ? 'Synced' : 'OutOfSync';
}

function clusterOf(input: CompareInput): string {
  return input.cluster ?? input.app.spec.destination.server ?? input.app.spec.destination.name ?? '';
}

export async function compareApplication(input: CompareInput): Promise<Comparison> {
  const limit = createLimiter(input.concurrency ?? 8);
  const settings = input.settings ?? DEFAULT_ARGOCD_SETTINGS;
  // Excluded kinds are invisible, as in Argo CD; the rest carry the tracking the sync would write.
  const { kept, excluded } = partitionExcluded(input.desired, settings, clusterOf(input));
  const desired = withTrackingAll(kept, input.app.metadata.name, settings);
  // Hooks run during syncs and are not part of the compared state, as in Argo CD.
  const named = desired.filter((object) => (object.metadata.name ?? '') !== '' && !isHook(object));
  const compared = await Promise.all(named.map((desired) => limit(() => compareDesired(input, desired))));
  const desiredIds = new Set(named.map(idOf));
  const extraneous = extraneousOf(input, desiredIds);
  const health = aggregateHealth(compared.map((entry) => ({ object: entry.live, health: entry.health, desired: entry.desired })), { ignoreMissing: false });
  const resources = [...compared.map((entry) => entry.resource), ...extraneous].sort((a, b) => `${a.group}/${a.kind}/${a.namespace}/${a.name}`.localeCompare(`${b.group}/${b.kind}/${b.namespace}/${b.name}`));
  return {
    resources,
    sync: overallSync(compared, extraneous),
    health: named.length === 0 ? { status: 'Healthy', message: '' } : health,
    images: imagesOf(named),
    shared: compared.flatMap((entry) => (entry.sharedWith === undefined ? [] : [`${entry.desired.kind}/${entry.desired.metadata.name ?? ''} is part of applications ${input.app.metadata.name} and ${entry.sharedWith}`])),
    errors: compared.flatMap((entry) => (entry.error === undefined ? [] : [entry.error])),
    orphans: [],
    requests: compared.filter((entry) => entry.request).length,
    excluded: excluded.map(excludedMessage),
  };
}
