/**
 * Runs the PreSync, Sync and PostSync phases wave by wave: within a wave, kinds in order and each kind's objects in
 * parallel; then wait until the wave is healthy (hooks: until they complete) before the next one. The first failure
 * stops the run; SyncFail hooks are the caller's business.
 */
import type { KubeObject } from '../model/resource.js';
import { createLimiter } from '../render/limit.js';
import type { Applied } from './apply.js';
import { applyTask } from './apply.js';
import type { SyncContext } from './context.js';
import type { SyncTask } from './plan.js';
import { groupByKindRank, groupByWave } from './plan.js';
import type { Validation } from './validate.js';
import { deleteAndWait, waitEstablished, waitHealthy } from './wait.js';

/** The message of a sync stopped by its signal (terminate, or the controller draining). */
export const TERMINATED = 'operation terminated before the next wave';

export interface PhaseResult {
  readonly ok: boolean;
  readonly message: string;
}

/** The wave's place in the run, for progress reports. */
interface WavePosition {
  readonly position: number;
  readonly waves: number;
}

function reporter(wave: readonly SyncTask[], where: WavePosition, context: SyncContext): (applied: number, boundary: boolean) => void {
  const head = wave[0];
  const onProgress = context.options.onProgress;
  if (head === undefined || onProgress === undefined) return () => undefined;
  return (applied, boundary) => { onProgress({ phase: head.phase, wave: head.wave, ...where, applied, total: wave.length, boundary, entries: context.entries }); };
}

async function applyWave(wave: readonly SyncTask[], context: SyncContext, validation: Validation, report: (applied: number, boundary: boolean) => void): Promise<Applied[]> {
  const limit = createLimiter(context.options.concurrency ?? 16);
  const applied: Applied[] = [];
  let done = 0;
  for (const group of groupByKindRank(wave)) {
    const results = await Promise.all(group.map((task) => limit(async () => {
      const result = await applyTask(task, context, validation);
      done += 1;
      report(done, false);
      return result;
    })));
    for (const result of results) context.record(result.entry);
    applied.push(...results);
    if (results.some((result) => result.entry.action === 'failed')) break;
    const crds = results.flatMap((result) => (result.object?.kind === 'CustomResourceDefinition' ? [result.object] : []));
    if (crds.length > 0 && !context.dryRun) await waitEstablished(crds, context);
  }
  return applied;
}

/** Deletes finished hooks whose policy says so. */
async function cleanUpHooks(hooks: readonly { task: SyncTask; object: KubeObject }[], succeeded: boolean, context: SyncContext): Promise<void> {
  const policy = succeeded ? 'HookSucceeded' : 'HookFailed';
  for (const { task, object } of hooks) {
    if (task.hook.deletePolicies.includes(policy)) await deleteAndWait(context.options.client, object, context);
  }
}

async function runWave(wave: readonly SyncTask[], where: WavePosition & { readonly isLast: boolean }, context: SyncContext, validation: Validation): Promise<PhaseResult> {
  const head = wave[0];
  if (head === undefined) return { ok: true, message: '' };
  context.say(`${head.phase} wave ${head.wave}: ${wave.length} resource${wave.length === 1 ? '' : 's'}`);
  const report = reporter(wave, where, context);
  report(0, true);
  const applied = await applyWave(wave, context, validation, report);
  // The wave's entries are recorded now: a boundary, whatever waiting for its health brings.
  report(applied.length, true);
  const failed = applied.find((result) => result.entry.action === 'failed');
  if (failed !== undefined) return { ok: false, message: failed.entry.message };
  if (context.dryRun) return { ok: true, message: '' };
  const written = applied.flatMap((result, index) => {
    const task = wave[index];
    return result.object === undefined || task === undefined ? [] : [{ task, object: result.object }];
  });
  await context.options.onWaveApplied?.(written.map(({ object }) => object));
  const hooks = written.filter(({ task }) => task.hook.phase !== undefined);
  const mustWait = hooks.length > 0 || !where.isLast || context.options.waitLastWave !== false;
  if (!mustWait) return { ok: true, message: '' };
  const health = await waitHealthy(written.map(({ object }) => object), context);
  await cleanUpHooks(hooks, health.ok, context);
  return { ok: health.ok, message: health.message };
}

/** Runs every phase but SyncFail. */
export async function runPhases(tasks: readonly SyncTask[], context: SyncContext, validation: Validation): Promise<PhaseResult> {
  const waves = groupByWave(tasks.filter((task) => task.phase !== 'SyncFail'));
  for (const [index, wave] of waves.entries()) {
    // Terminate and drain stop here, between waves, never in the middle of one.
    if (context.options.signal?.aborted === true) return { ok: false, message: TERMINATED };
    const result = await runWave(wave, { position: index + 1, waves: waves.length, isLast: index === waves.length - 1 }, context, validation);
    if (!result.ok) return result;
  }
  return { ok: true, message: '' };
}

/** Runs the SyncFail hooks after a failed sync; their own failure is reported, not thrown. */
export async function runSyncFailHooks(tasks: readonly SyncTask[], context: SyncContext, validation: Validation): Promise<void> {
  const hooks = tasks.filter((task) => task.phase === 'SyncFail');
  if (hooks.length === 0 || context.dryRun) return;
  context.say(`running ${hooks.length} SyncFail hook${hooks.length === 1 ? '' : 's'}`);
  const waves = groupByWave(hooks);
  for (const [index, wave] of waves.entries()) {
    const result = await runWave(wave, { position: index + 1, waves: waves.length, isLast: false }, context, validation);
    if (!result.ok) context.say(`SyncFail hook failed: ${result.message}`);
  }
}
