/**
 * GIVEN the progress publisher of a running operation WHEN the sync engine reports quickly THEN it writes at once,
 * then at most one more per interval, every wave boundary immediately, never two at the same time, and nothing once
 * closed — so a big sync cannot flood the API server and no progress can land after the final state.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OperationProgress } from '../../../src/controller/operation-progress.js';
import type { ProgressSnapshot } from '../../../src/controller/operation-progress.js';
import type { ChangeEntry } from '../../../src/sync/changeset.js';
import type { SyncProgress } from '../../../src/sync/progress.js';
import { describeProgress } from '../../../src/sync/progress.js';

const entry = (name: string): ChangeEntry => ({ key: { group: '', kind: 'ConfigMap', namespace: 'shop', name }, action: 'created', message: '', durationMs: 1 });

const event = (applied: number, boundary: boolean, entries: readonly ChangeEntry[] = []): SyncProgress => ({ phase: 'Sync', wave: 0, position: 2, waves: 5, applied, total: 12, boundary, entries });

describe('operation progress', () => {
  test('GIVEN a wave THEN the message says where the run is, hook phases named', () => {
    assert.equal(describeProgress({ phase: 'Sync', position: 2, waves: 5, applied: 7, total: 12 }), 'wave 2/5: 7 of 12 resources applied');
    assert.equal(describeProgress({ phase: 'PreSync', position: 1, waves: 3, applied: 0, total: 1 }), 'PreSync wave 1/3: 0 of 1 resource applied');
  });

  test('GIVEN a burst of reports within the interval THEN one write goes at once and the rest wait; boundaries are written every time', async () => {
    const writes: ProgressSnapshot[] = [];
    let inFlight = 0;
    let overlapped = false;
    const progress = new OperationProgress({
      intervalMs: 60_000,
      write: async (snapshot) => {
        inFlight += 1;
        overlapped ||= inFlight > 1;
        await new Promise((resolve) => setImmediate(resolve));
        writes.push(snapshot);
        inFlight -= 1;
      },
    });
    for (let applied = 1; applied <= 50; applied += 1) progress.progress(event(applied, false, [entry(`c${applied}`)]));
    progress.progress(event(12, true, [entry('a'), entry('b')]));
    progress.waiting([{ resource: 'Deployment/shop/web' }]);
    progress.progress(event(0, true));
    // Let the queued writes run, as they do while a sync goes on (close drops what is still queued).
    for (let turn = 0; turn < 1_000 && writes.length < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    await progress.close();
    assert.deepEqual(writes.map((write) => write.message), ['wave 2/5: 1 of 12 resources applied', 'wave 2/5: 12 of 12 resources applied', 'wave 2/5: 0 of 12 resources applied']);
    assert.deepEqual(writes[1]?.entries.map((item) => item.key.name), ['a', 'b']);
    assert.equal(overlapped, false, 'writes never overlap');
  });

  test('GIVEN a report waiting for its interval WHEN it comes THEN it carries the latest state, and the health wait is named', async () => {
    const writes: ProgressSnapshot[] = [];
    const progress = new OperationProgress({ intervalMs: 20, write: (snapshot) => { writes.push(snapshot); return Promise.resolve(); } });
    progress.progress(event(1, false));
    progress.progress(event(12, false));
    progress.waiting([{ resource: 'Deployment/shop/web' }, { resource: 'Deployment/shop/api' }]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await progress.close();
    assert.deepEqual(writes.map((write) => write.message), ['wave 2/5: 1 of 12 resources applied', 'wave 2/5: 12 of 12 resources applied; waiting for 2 resources (Deployment/shop/web, …) to become healthy']);
  });

  test('GIVEN writes queued behind a slow one WHEN the operation ends THEN the slow one completes and the queued ones are dropped', async () => {
    const writes: string[] = [];
    let release: () => void = () => undefined;
    const progress = new OperationProgress({ write: async (snapshot) => {
      if (writes.length === 0) await new Promise<void>((resolve) => { release = resolve; });
      writes.push(snapshot.message);
    } });
    progress.progress(event(1, true));
    await new Promise((resolve) => setImmediate(resolve));
    progress.progress(event(2, true));
    const closed = progress.close();
    release();
    await closed;
    assert.deepEqual(writes, ['wave 2/5: 1 of 12 resources applied']);
  });

  test('GIVEN a closed publisher THEN nothing more is written', async () => {
    const writes: ProgressSnapshot[] = [];
    const progress = new OperationProgress({ write: (snapshot) => { writes.push(snapshot); return Promise.resolve(); } });
    await progress.close();
    progress.progress(event(3, true));
    progress.say('attempt 1 failed');
    assert.deepEqual(writes, []);
  });
});
