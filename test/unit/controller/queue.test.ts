import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkQueue } from '../../../src/controller/queue.js';

/** Runs one processor until `count` keys were handled; returns them in the order they were handled. */
async function drain(queue: WorkQueue, count: number): Promise<string[]> {
  const handled: string[] = [];
  const controller = new AbortController();
  await queue.run(async (key) => {
    handled.push(key);
    if (handled.length === count) controller.abort();
    await Promise.resolve();
  }, controller.signal);
  return handled;
}

test('GIVEN keys waiting WHEN one is added first THEN it is handled before them, once, even if it was already waiting', async () => {
  const queue = new WorkQueue({ processors: 1 });
  for (const key of ['a', 'b', 'c', 'd']) queue.add(key);
  queue.addFirst('c');
  queue.addFirst('z');
  queue.add('z');
  assert.deepEqual(await drain(queue, 5), ['z', 'c', 'a', 'b', 'd']);
});

test('GIVEN keys waiting WHEN one is added first after a delay THEN it is handled before them once the delay is over', async () => {
  const queue = new WorkQueue({ processors: 1 });
  queue.addFirst('late', 30);
  const handled: string[] = [];
  const controller = new AbortController();
  const run = queue.run(async (key) => {
    handled.push(key);
    // The first key takes long enough for the delayed one to come due while the others still wait.
    if (key === 'a') await new Promise((resolve) => setTimeout(resolve, 60));
    if (handled.length === 4) controller.abort();
  }, controller.signal);
  for (const key of ['a', 'b', 'c']) queue.add(key);
  await run;
  assert.deepEqual(handled, ['a', 'late', 'b', 'c']);
});
