/**
 * GIVEN the process's shared informers on a real API server, THEN askers for the same kind, namespace and selector
 * share one watch, a late subscriber first receives what is already held, and a subscriber whose signal aborted
 * hears nothing more — what lets the controller, the API, notifications and ApplicationSets read one copy of every
 * Application.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SharedInformers } from '../../../src/controller/shared-informers.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient, WatchEvent } from '../../../src/kube/types.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';

const NS = 'shared-informers';

describe('shared informers', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  const stop = new AbortController();
  let watches = 0;

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    const real = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    // Counts the watches opened, to show that two askers share one.
    client = new Proxy(real, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (property === 'watch' && typeof value === 'function') {
          return (...args: unknown[]) => {
            watches += 1;
            return (value as (...inner: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === 'function' ? (value as (...inner: unknown[]) => unknown).bind(target) : value;
      },
    });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first', namespace: NS }, data: { a: '1' } });
  });

  after(async () => {
    stop.abort();
    client.close?.();
    await plane.stop();
  });

  test('GIVEN two askers for ConfigMaps in one namespace THEN one watch; a late subscriber gets the held objects first; an aborted one hears no more', async () => {
    const informers = new SharedInformers(client, stop.signal, { error: () => undefined });
    const first = informers.informer({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS });
    const early: string[] = [];
    first.subscribe((event: WatchEvent) => { early.push(`${event.type} ${event.object.metadata.name ?? ''}`); });
    await first.synced;
    const second = informers.informer({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS });
    assert.equal(second, first);
    assert.equal(watches, 1);
    assert.notEqual(informers.informer({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, labelSelector: 'team=web' }), first, 'another selector is another watch');

    const late: string[] = [];
    const lateStop = new AbortController();
    second.subscribe((event: WatchEvent) => { late.push(`${event.type} ${event.object.metadata.name ?? ''}`); }, lateStop.signal);
    assert.deepEqual(late, ['ADDED first']);

    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second', namespace: NS }, data: { b: '2' } });
    await eventually(() => Promise.resolve(late.includes('ADDED second') && early.includes('ADDED second') ? true : undefined), { what: 'both listeners to hear the new ConfigMap', timeoutMs: 10_000 });
    lateStop.abort();
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'third', namespace: NS }, data: { c: '3' } });
    await eventually(() => Promise.resolve(early.includes('ADDED third') ? true : undefined), { what: 'the remaining listener to hear the third ConfigMap', timeoutMs: 10_000 });
    assert.equal(late.includes('ADDED third'), false, 'a listener whose signal aborted heard a change');
    assert.deepEqual(early.slice(0, 1), ['ADDED first']);
  });
});
