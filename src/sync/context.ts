/** What every step of a sync shares: the client, the options, the ChangeSet being built, progress reporting. */
import type { Application } from '../model/application.js';
import type { ArgoCdSettings } from '../model/argocd-cm.js';
import { DEFAULT_ARGOCD_SETTINGS } from '../model/argocd-cm.js';
import type { KubeObject } from '../model/resource.js';
import type { HealthResult } from '../health/types.js';
import type { KubeClient, ObjectRef } from '../kube/types.js';
import type { ChangeEntry } from './changeset.js';
import type { InventoryEntry } from './inventory.js';
import type { SyncProgress } from './progress.js';
import type { SyncOptions } from './sync-options.js';

export interface SyncRunOptions {
  readonly client: KubeClient;
  /** Delete resources that left the desired state. @default the Application's syncPolicy.automated.prune */
  readonly prune?: boolean;
  /** Validate and compute everything, write nothing. @default false */
  readonly dryRun?: boolean;
  /** Per sync attempt. @default 300_000 */
  readonly timeoutMs?: number;
  /** Wait for the last wave to be healthy too (Argo CD does not). @default true */
  readonly waitLastWave?: boolean;
  /** Prune resources marked `Prune=confirm` / delete-confirm. @default false */
  readonly confirmPrune?: boolean;
  /** How health is judged; the engine's health package by default. */
  readonly assessHealth: (object: KubeObject | undefined) => HealthResult;
  /**
   * Objects to consider for pruning besides the inventory: live objects whose tracking annotation names the app (the
   * controller's live cache), so a cluster another Argo CD-compatible tool managed — no inventory — prunes right.
   * Each is still checked against its live tracking annotation before deletion. @default none
   */
  readonly pruneCandidates?: readonly InventoryEntry[];
  /**
   * argocd-cm settings: excluded kinds are neither applied nor pruned, ignoreDifferences customizations apply to
   * RespectIgnoreDifferences, the tracking method decides the label/annotation written and read.
   * @default Argo CD's defaults
   */
  readonly settings?: ArgoCdSettings;
  /** The destination cluster's API server URL, matched against exclusion rules' `clusters`. @default destination.server */
  readonly cluster?: string;
  /** Parallel requests to the API server within a wave. @default 16 */
  readonly concurrency?: number;
  /** Health poll interval. @default 1_000 */
  readonly pollMs?: number;
  /**
   * Called after a wave is written and before its health is awaited, with what was written. `--cascade` uses it to
   * sync child Applications right there, so their health can gate the parent's next wave.
   */
  readonly onWaveApplied?: (objects: readonly KubeObject[]) => Promise<void>;
  readonly onEntry?: (entry: ChangeEntry) => void;
  /** Called on every health poll with what is not Healthy yet (for a live view). */
  readonly onWaiting?: (pending: readonly { readonly resource: string; readonly health: HealthResult }[]) => void;
  readonly onMessage?: (message: string) => void;
  /** Where the run is: each wave's start and end, and each resource applied within it. */
  readonly onProgress?: (progress: SyncProgress) => void;
  /** Aborts waiting and retrying (Ctrl-C). */
  readonly signal?: AbortSignal;
  /**
   * A watch cache's view of the cluster (the controller's), read instead of the API server where a later write
   * re-checks anyway: live objects before the dry-run, namespace existence, the inventory. @default none (API reads)
   */
  readonly cachedRead?: CachedRead;
}

/** `{ object }` for a kind the cache holds (`object` undefined: not there), `undefined` for a kind it does not hold. */
export type CachedRead = (ref: ObjectRef) => { readonly object: KubeObject | undefined } | undefined;

export interface SyncContext {
  readonly app: Application;
  readonly options: SyncRunOptions;
  readonly appOptions: SyncOptions;
  readonly entries: ChangeEntry[];
  readonly deadline: number;
  readonly dryRun: boolean;
  record(entry: ChangeEntry): void;
  say(message: string): void;
}

export function settingsOf(context: Pick<SyncContext, 'options'>): ArgoCdSettings {
  return context.options.settings ?? DEFAULT_ARGOCD_SETTINGS;
}

/** The cluster name exclusion rules match: the destination's server URL (or its name when only that is given). */
export function clusterOf(context: Pick<SyncContext, 'options' | 'app'>): string {
  return context.options.cluster ?? context.app.spec.destination.server ?? context.app.spec.destination.name ?? '';
}

export function createContext(app: Application, options: SyncRunOptions, appOptions: SyncOptions): SyncContext {
  const entries: ChangeEntry[] = [];
  return {
    app,
    options,
    appOptions,
    entries,
    deadline: Date.now() + (options.timeoutMs ?? 300_000),
    dryRun: options.dryRun === true,
    record(entry) {
      entries.push(entry);
      options.onEntry?.(entry);
    },
    say(message) {
      options.onMessage?.(message);
    },
  };
}
