/**
 * Desired vs live for one rendered application, without changing anything: each resource's server-side diff (the
 * dry-run result compared on the fields Launchpad owns, ignoreDifferences applied, secrets redacted), its health,
 * and the extraneous objects the inventory still lists. Feeds `launchpad diff --live` and `launchpad status`.
 */
import { describeError } from '../errors.js';
import { diffResources, extraneousDiff } from '../diff/index.js';
import type { ResourceDiff } from '../diff/types.js';
import { aggregateHealth } from '../health/index.js';
import type { HealthResult } from '../health/types.js';
import type { KubeObject, ResourceKey } from '../model/resource.js';
import { resourceKey, resourceKeyString } from '../model/resource.js';
import type { KubeClient } from '../kube/types.js';
import { createLimiter } from '../render/limit.js';
import type { RenderedApp } from '../render/types.js';
import { inventoryLocation, readInventory } from './inventory.js';
import { liveLookup } from './live-lookup.js';
import { planTasks } from './plan.js';
import { trackedBy } from './validate.js';
import type { ArgoCdSettings } from '../model/argocd-cm.js';
import { DEFAULT_ARGOCD_SETTINGS } from '../model/argocd-cm.js';
import { ignoreRulesFor, normalizeWithSettings } from '../settings/compare-settings.js';
import { excludedMessage, isExcludedKind, partitionExcluded } from '../settings/resource-filter.js';
import { withTrackingAll } from '../settings/tracking.js';

export interface LiveResourceState {
  readonly key: ResourceKey;
  readonly diff: ResourceDiff | undefined;
  readonly health: HealthResult;
  /** Why the comparison failed (unknown kind, dry-run rejected); the diff is then undefined. */
  readonly error: string | undefined;
}

export interface LiveState {
  readonly app: string;
  readonly resources: readonly LiveResourceState[];
  readonly extraneous: readonly ResourceDiff[];
  readonly sync: 'Synced' | 'OutOfSync' | 'Unknown';
  readonly health: HealthResult;
  /** Desired objects argocd-cm excludes: not compared (Argo CD's ExcludedResourceWarning), with why. */
  readonly excluded: readonly { readonly key: ResourceKey; readonly message: string }[];
}

export interface LiveStateOptions {
  readonly client: KubeClient;
  readonly assessHealth: (object: KubeObject | undefined) => HealthResult;
  /** @default 16 */
  readonly concurrency?: number;
  /** argocd-cm: exclusions, ignoreDifferences and knownTypeFields customizations, tracking. @default Argo CD's defaults */
  readonly settings?: ArgoCdSettings;
}

type LiveLookup = (object: KubeObject) => Promise<KubeObject | undefined>;

async function compareOne(app: RenderedApp, desired: KubeObject, options: LiveStateOptions & { readonly lookupLive: LiveLookup }): Promise<LiveResourceState & { live: KubeObject | undefined }> {
  const key = resourceKey(desired);
  const live = await options.lookupLive(desired).catch(() => undefined);
  const health = options.assessHealth(live);
  try {
    const settings = options.settings ?? DEFAULT_ARGOCD_SETTINGS;
    const dryRun = await options.client.apply(desired, { dryRun: true });
    const diff = await diffResources({ desired: normalizeWithSettings(dryRun, settings), live: normalizeWithSettings(live, settings), ignore: ignoreRulesFor(app.application.spec.ignoreDifferences, settings) });
    return { key, diff, health, error: undefined, live };
  } catch (error) {
    return { key, diff: undefined, health, error: describeError(error), live };
  }
}

export async function compareLive(app: RenderedApp, options: LiveStateOptions): Promise<LiveState> {
  const settings = options.settings ?? DEFAULT_ARGOCD_SETTINGS;
  const cluster = app.application.spec.destination.server ?? app.application.spec.destination.name ?? '';
  const { kept, excluded } = partitionExcluded(app.resources, settings, cluster);
  const resources = planTasks(withTrackingAll(kept, app.name, settings)).filter((task) => task.hook.phase === undefined && task.object.metadata.name !== undefined);
  const limit = createLimiter(options.concurrency ?? 16);
  // The same LIST-per-kind reads the sync uses, instead of one GET per resource.
  const lookupLive = liveLookup(resources, options.client);
  const compared = await Promise.all(resources.map((task) => limit(() => compareOne(app, task.object, { ...options, lookupLive }))));
  const desiredIds = new Set(resources.map((task) => task.id));
  const inventory = await readInventory(options.client, inventoryLocation(app.name, app.application.metadata.namespace)).catch(() => []);
  const extraneous: ResourceDiff[] = [];
  for (const entry of inventory.filter((item) => !desiredIds.has(resourceKeyString(item)) && !isExcludedKind(settings, item.group, item.kind, cluster))) {
    const live = await options.client.get({ apiVersion: entry.apiVersion, kind: entry.kind, name: entry.name, ...(entry.namespace === '' ? {} : { namespace: entry.namespace }) });
    if (live !== undefined && trackedBy(live, settings) === app.name) extraneous.push(extraneousDiff(live));
  }
  const inSync = compared.every((state) => state.diff?.status === 'in-sync') && extraneous.length === 0;
  const unknown = compared.some((state) => state.error !== undefined);
  const health = aggregateHealth(compared.map((state, index) => ({ object: state.live, health: state.health, desired: resources[index]?.object })));
  return {
    app: app.name,
    resources: compared.map(({ key, diff, health: resourceHealth, error }) => ({ key, diff, health: resourceHealth, error })),
    extraneous,
    sync: unknown ? 'Unknown' : inSync ? 'Synced' : 'OutOfSync',
    health,
    excluded: excluded.map((object) => ({ key: resourceKey(object), message: excludedMessage(object) })),
  };
}
