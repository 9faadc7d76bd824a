/**
 * GIVEN a real API server with controllers and a kwok node, WHEN applications are synced, THEN waves, hooks, health
 * gates, dry-run validation, prune and retry behave as a GitOps user expects — observed through the API itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KubeObject } from '../../../src/model/resource.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import { controlPlaneSkipReason, startControlPlane } from '../../../src/testing/index.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { actions, app, configMap, deployment, job, runSync } from './helpers.js';

describe('sync engine against a real control plane', { skip: controlPlaneSkipReason(2) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;

  before(async () => {
    plane = await startControlPlane({ tier: 2 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
  });

  after(async () => {
    await plane.stop();
  });

  const namespace = async (name: string): Promise<void> => {
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  };

  test('waves apply in order, each after the previous one is healthy; a re-sync changes nothing', async () => {
    await namespace('waves');
    const seen: string[] = [];
    const abort = new AbortController();
    const watching = client.watch('v1', 'ConfigMap', { namespace: 'waves', signal: abort.signal }, (event) => {
      if (event.type === 'ADDED') seen.push(event.object.metadata.name ?? '');
    });
    const objects: KubeObject[] = [
      configMap('third', 'waves', { 'argocd.argoproj.io/sync-wave': '2' }),
      deployment('web', 'waves', { annotations: { 'argocd.argoproj.io/sync-wave': '1' } }),
      configMap('second', 'waves', { 'argocd.argoproj.io/sync-wave': '1' }),
      configMap('first', 'waves', { 'argocd.argoproj.io/sync-wave': '-1' }),
    ];
    const first = await runSync(client, app('waves', 'waves'), objects);
    assert.equal(first.outcome, 'Succeeded', first.message);
    assert.deepEqual(actions(first), ['ConfigMap/first created', 'ConfigMap/second created', 'Deployment/web created', 'ConfigMap/third created']);
    const web = await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'waves', name: 'web' });
    assert.equal((web?.status as { availableReplicas?: number } | undefined)?.availableReplicas, 1, 'wave 2 ran only after the Deployment was available');
    await new Promise((resolve) => setTimeout(resolve, 500));
    abort.abort();
    await watching;
    assert.deepEqual(seen.filter((name) => name !== 'kube-root-ca.crt'), ['first', 'second', 'third']);
    const again = await runSync(client, app('waves', 'waves'), objects);
    assert.equal(again.outcome, 'Succeeded');
    assert.ok(again.entries.every((entry) => entry.action === 'unchanged'), actions(again).join(', '));
  });

  test('a dry-run rejection (unknown kind) applies nothing and names the object', async () => {
    await namespace('rejected');
    const objects: KubeObject[] = [
      configMap('would-be-applied', 'rejected'),
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'rejected' } },
    ];
    const result = await runSync(client, app('rejected', 'rejected'), objects);
    assert.equal(result.outcome, 'Failed');
    assert.match(result.message, /dry-run rejected 1 object\(s\); nothing was applied/);
    assert.match(result.entries.find((entry) => entry.action === 'failed')?.message ?? '', /Widget\/rejected\/w.*does not know kind Widget/);
    assert.equal(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'rejected', name: 'would-be-applied' }), undefined);
  });

  test('a CRD and its custom resources in one sync: the resources are validated after the CRD wave', async () => {
    await namespace('crds');
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.launchpad.test' },
      spec: { group: 'launchpad.test', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    const gadget: KubeObject = { apiVersion: 'launchpad.test/v1', kind: 'Gadget', metadata: { name: 'g1', namespace: 'crds' }, spec: { size: 3 } };
    const result = await runSync(client, app('crds', 'crds'), [crd, gadget]);
    assert.equal(result.outcome, 'Succeeded', result.message);
    assert.ok(await client.get({ apiVersion: 'launchpad.test/v1', kind: 'Gadget', namespace: 'crds', name: 'g1' }));
  });

  test('hooks run in their phase and are deleted per policy; a failure stops later waves and runs SyncFail hooks', async () => {
    await namespace('hooks');
    const ok = await runSync(client, app('hooks', 'hooks'), [
      job('migrate', 'hooks', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }),
      configMap('app', 'hooks'),
      configMap('notify', 'hooks', { 'argocd.argoproj.io/hook': 'PostSync' }),
    ]);
    assert.equal(ok.outcome, 'Succeeded', ok.message);
    assert.deepEqual(actions(ok), ['Job/migrate created', 'ConfigMap/app created', 'ConfigMap/notify created']);
    assert.equal(await client.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'hooks', name: 'migrate' }), undefined, 'HookSucceeded deleted the finished Job');
    assert.ok(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'hooks', name: 'notify' }), 'a hook without policy stays until the next run');

    const failed = await runSync(client, app('hooks-fail', 'hooks'), [
      job('never-runs', 'hooks', { 'argocd.argoproj.io/sync-wave': '1' }, { neverScheduled: true }),
      configMap('after-failure', 'hooks', { 'argocd.argoproj.io/sync-wave': '2' }),
      configMap('on-fail', 'hooks', { 'argocd.argoproj.io/hook': 'SyncFail' }),
    ]);
    assert.equal(failed.outcome, 'Failed');
    assert.match(failed.message, /Job\/hooks\/never-runs is Degraded/);
    assert.equal(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'hooks', name: 'after-failure' }), undefined, 'wave 2 never ran');
    assert.ok(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'hooks', name: 'on-fail' }), 'the SyncFail hook ran');
  });

  test('a Deployment that cannot be scheduled times out with what is still progressing', async () => {
    await namespace('stuck');
    const result = await runSync(client, app('stuck', 'stuck'), [deployment('stuck', 'stuck', { nodeSelector: { 'launchpad.test/no-such-node': 'true' } })], { timeoutMs: 3_000 });
    assert.equal(result.outcome, 'Failed');
    assert.match(result.message, /timed out waiting for health — still Progressing: Deployment\/stuck\/stuck \(/);
  });

  test('prune deletes only leftovers this app tracks, respects Prune=false, and an empty render prunes nothing', async () => {
    await namespace('prune');
    const application = app('pruner', 'prune', { automated: { prune: true } });
    await runSync(client, application, [configMap('keep', 'prune'), configMap('drop', 'prune'), configMap('precious', 'prune', { 'argocd.argoproj.io/sync-options': 'Prune=false' }), configMap('stolen', 'prune')]);
    // Another application takes "stolen" over: its tracking annotation now names someone else.
    await client.apply({ ...configMap('stolen', 'prune'), metadata: { name: 'stolen', namespace: 'prune', annotations: { 'argocd.argoproj.io/tracking-id': 'other:/ConfigMap:prune/stolen' } } }, { fieldManager: 'other' });
    const empty = await runSync(client, application, []);
    assert.equal(empty.outcome, 'Succeeded');
    assert.ok(empty.messages.some((message) => message.includes('the desired state is empty')), empty.messages.join('\n'));
    assert.ok(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prune', name: 'drop' }), 'an empty render pruned nothing');

    const result = await runSync(client, application, [configMap('keep', 'prune')]);
    assert.equal(result.outcome, 'Succeeded', result.message);
    assert.deepEqual(actions(result).sort(), ['ConfigMap/drop pruned', 'ConfigMap/keep unchanged', 'ConfigMap/precious skipped']);
    const dropped = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prune', name: 'drop' });
    assert.ok(dropped === undefined || dropped.metadata.deletionTimestamp !== undefined, 'drop is deleted (foreground deletion may still be finishing)');
    assert.ok(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prune', name: 'precious' }));
    assert.ok(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prune', name: 'stolen' }), 'never prune what another app tracks');
  });

  test('retry follows syncPolicy.retry and reports each attempt; Secret values appear in no message', async () => {
    await namespace('retry');
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'retry' }, stringData: { password: 'hunter2-do-not-print' } };
    const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'retry' } };
    const result = await runSync(client, app('retry', 'retry', { retry: { limit: 2, backoff: { duration: '100ms', factor: 2, maxDuration: '1s' } } }), [secret, widget]);
    assert.equal(result.outcome, 'Failed');
    assert.equal(result.attempts, 3);
    assert.deepEqual(result.messages.filter((m) => m.startsWith('attempt')).map((m) => /retrying in \d+s .*\(attempt (\d) of 3\)/.exec(m)?.[1]), ['2', '3']);
    assert.doesNotMatch(JSON.stringify(result), /hunter2/);
  });

  test('an object another application tracks is never modified; FailOnSharedResource=true refuses the sync', async () => {
    await namespace('shared');
    const owned = configMap('owned', 'shared', {}, { who: 'other' });
    await client.apply({ ...owned, metadata: { ...owned.metadata, annotations: { 'argocd.argoproj.io/tracking-id': 'other:/ConfigMap:shared/owned' } } }, { fieldManager: 'other' });
    const mine = [configMap('owned', 'shared', {}, { who: 'me' }), configMap('mine', 'shared')];
    const skipped = await runSync(client, app('me', 'shared'), mine);
    assert.equal(skipped.outcome, 'Succeeded', skipped.message);
    assert.match(skipped.entries.find((entry) => entry.key.name === 'owned')?.message ?? '', /shared resource: tracked by application "other", not modified/);
    const live = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shared', name: 'owned' });
    assert.equal((live?.data as Record<string, string> | undefined)?.who, 'other');
    const strict = await runSync(client, app('me-strict', 'shared', { syncOptions: ['FailOnSharedResource=true'] }), [configMap('owned', 'shared'), configMap('strict-new', 'shared')]);
    assert.equal(strict.outcome, 'Failed');
    assert.match(strict.message, /FailOnSharedResource=true.*nothing was applied/);
    assert.equal(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shared', name: 'strict-new' }), undefined);
  });

  test('Replace=true replaces the object instead of patching it', async () => {
    await namespace('replace');
    await client.apply(configMap('r', 'replace', {}, { a: '1', stale: 'x' }), { fieldManager: 'someone-else' });
    const result = await runSync(client, app('replacer', 'replace'), [configMap('r', 'replace', { 'argocd.argoproj.io/sync-options': 'Replace=true' }, { a: '2' })]);
    assert.equal(result.outcome, 'Succeeded', result.message);
    const live = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'replace', name: 'r' });
    assert.deepEqual(live?.data, { a: '2' }, 'a replace drops fields the desired object does not have, whoever set them');
  });

  test('a render that failed is never synced', async () => {
    const { syncApplication } = await import('../../../src/sync/engine.js');
    const { assessHealth } = await import('../../../src/health/index.js');
    const result = await syncApplication({ app: app('broken', 'broken'), objects: [], renderStatus: 'error', renderMessage: 'helm template failed: boom' }, { client, assessHealth });
    assert.equal(result.outcome, 'Refused');
    assert.match(result.message, /not syncing: the render failed: helm template failed: boom/);
  });
});
