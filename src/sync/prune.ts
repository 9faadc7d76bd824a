/**
 * Prune: what the previous inventory holds and the desired state no longer does, deleted in reverse wave order —
 * but only objects whose live tracking annotation still names this application, never with `Prune=false`, and
 * `Prune=confirm` only when confirmed. Leftovers that were kept stay in the inventory, so they are not forgotten.
 */
import { describeError } from '../errors.js';
import { syncWaveOf } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { resourceKeyString } from '../model/resource.js';
import { createLimiter } from '../render/limit.js';
import type { ChangeEntry } from './changeset.js';
import type { SyncContext } from './context.js';
import { clusterOf, settingsOf } from './context.js';
import { isExcludedKind } from '../settings/resource-filter.js';
import type { InventoryEntry } from './inventory.js';
import { optionIs, resourceSyncOptions } from './sync-options.js';
import { trackedBy } from './validate.js';

export interface PruneResult {
  /** Leftovers not deleted (Prune=false, unconfirmed, failed): they stay in the inventory. */
  readonly kept: InventoryEntry[];
}

interface Candidate {
  readonly entry: InventoryEntry;
  readonly live: KubeObject;
}

function propagation(options: ReadonlyMap<string, string>): 'Foreground' | 'Background' | 'Orphan' {
  const value = options.get('PrunePropagationPolicy')?.toLowerCase();
  if (value === 'background') return 'Background';
  if (value === 'orphan') return 'Orphan';
  return 'Foreground';
}

function refOf(entry: InventoryEntry) {
  return { apiVersion: entry.apiVersion, kind: entry.kind, name: entry.name, ...(entry.namespace === '' ? {} : { namespace: entry.namespace }) };
}

async function pruneOne(candidate: Candidate, context: SyncContext, result: PruneResult): Promise<void> {
  const started = Date.now();
  const key = candidate.entry;
  const options = resourceSyncOptions(candidate.live, context.appOptions);
  const keep = (message: string, action: ChangeEntry['action'] = 'skipped'): void => {
    result.kept.push(candidate.entry);
    context.record({ key, action, message, durationMs: Date.now() - started });
  };
  if (optionIs(options, 'Prune', 'false')) {
    keep('not pruned: Prune=false');
    return;
  }
  if (optionIs(options, 'Prune', 'confirm') && context.options.confirmPrune !== true) {
    keep('not pruned: Prune=confirm needs confirmation (--confirm-prune)');
    return;
  }
  if (context.dryRun) {
    context.record({ key, action: 'pruned', message: 'dry run: not deleted', durationMs: 0 });
    return;
  }
  try {
    await context.options.client.delete(refOf(key), { propagationPolicy: propagation(options) });
    context.record({ key, action: 'pruned', message: '', durationMs: Date.now() - started });
  } catch (error) {
    keep(describeError(error), 'failed');
  }
}

export async function prune(previous: readonly InventoryEntry[], desiredIds: ReadonlySet<string>, context: SyncContext): Promise<PruneResult> {
  const result: PruneResult = { kept: [] };
  const leftovers = previous.filter((entry) => !desiredIds.has(resourceKeyString(entry)));
  const candidates: Candidate[] = [];
  const settings = settingsOf(context);
  for (const entry of leftovers) {
    // Argo CD does not see excluded kinds at all: never pruned, but remembered in case the exclusion is lifted.
    if (isExcludedKind(settings, entry.group, entry.kind, clusterOf(context))) {
      result.kept.push(entry);
      context.say(`not pruning ${entry.kind}/${entry.namespace === '' ? '' : `${entry.namespace}/`}${entry.name}: its kind is excluded in argocd-cm (resource.exclusions/inclusions)`);
      continue;
    }
    const live = await context.options.client.get(refOf(entry));
    if (live === undefined) continue; // already gone
    if (trackedBy(live, settings) !== context.app.metadata.name) {
      context.say(`not pruning ${entry.kind}/${entry.namespace === '' ? '' : `${entry.namespace}/`}${entry.name}: its tracking annotation no longer names this application`);
      continue;
    }
    candidates.push({ entry, live });
  }
  // Reverse wave order: the last wave's objects go first.
  const waves = [...new Set(candidates.map((c) => syncWaveOf(c.live.metadata.annotations)))].sort((a, b) => b - a);
  const limit = createLimiter(context.options.concurrency ?? 16);
  for (const wave of waves) {
    const inWave = candidates.filter((c) => syncWaveOf(c.live.metadata.annotations) === wave);
    await Promise.all(inWave.map((candidate) => limit(() => pruneOne(candidate, context, result))));
  }
  return result;
}
