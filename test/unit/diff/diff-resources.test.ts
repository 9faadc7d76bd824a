/**
 * diffResources on objects captured from a real API server: the desired side is always the server's answer to a
 * dry-run server-side apply, the live side what `kubectl get` returned.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { diffResources, extraneousDiff } from '../../../src/diff/diff.js';
import { stopJqWorker } from '../../../src/diff/jq.js';
import { deepEqual } from '../../../src/diff/values.js';
import type { DiffStatus } from '../../../src/diff/types.js';
import type { IgnoreDifference } from '../../../src/model/application.js';
import { changedLines, fixture } from './fixtures.js';

after(() => stopJqWorker());

interface Case {
  readonly name: string;
  readonly desired: string;
  readonly live?: string;
  readonly ignore?: readonly IgnoreDifference[];
  readonly status: DiffStatus;
  /** The diff's +/- lines, exactly; omitted: not checked. */
  readonly changed?: readonly string[];
}

const REPLICAS_RULE: IgnoreDifference = { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] };

const cases: readonly Case[] = [
  { name: 'a dry-run of the unchanged Deployment is in sync although the server filled in defaults', desired: 'deployment-dry-run-identical', live: 'deployment-live', status: 'in-sync' },
  { name: 'a Service with server-assigned clusterIP, sessionAffinity and protocol is in sync', desired: 'service-dry-run-identical', live: 'service-live', status: 'in-sync' },
  {
    name: 'a replica change is out of sync and the diff shows exactly that line',
    desired: 'deployment-dry-run-replicas-3',
    live: 'deployment-live',
    status: 'out-of-sync',
    changed: ['-  replicas: 2', '+  replicas: 3'],
  },
  {
    name: 'an image change in a keyed container list shows the image line only',
    desired: 'deployment-dry-run-image',
    live: 'deployment-live',
    status: 'out-of-sync',
    changed: ['-          image: nginx:1.27', '+          image: nginx:1.28'],
  },
  { name: 'replicas owned by kubectl scale (not rendered) are not ours: in sync', desired: 'deployment-scaled-dry-run', live: 'deployment-scaled-live', status: 'in-sync' },
  {
    name: 'rendered replicas after kubectl scale: applying would take them back, so out of sync',
    desired: 'deployment-rescaled-dry-run',
    live: 'deployment-rescaled-live',
    status: 'out-of-sync',
    changed: ['-  replicas: 5', '+  replicas: 2'],
  },
  {
    name: 'managedFieldsManagers: fields kubectl owns in the live object are ignored',
    desired: 'deployment-rescaled-dry-run',
    live: 'deployment-rescaled-live',
    ignore: [{ group: '*', kind: '*', managedFieldsManagers: ['kubectl'] }],
    status: 'in-sync',
  },
  {
    name: 'managedFieldsManagers naming a manager that owns nothing changes nothing',
    desired: 'deployment-rescaled-dry-run',
    live: 'deployment-rescaled-live',
    ignore: [{ group: '*', kind: '*', managedFieldsManagers: ['kube-controller-manager'] }],
    status: 'out-of-sync',
  },
  { name: 'jsonPointers /spec/replicas ignores the replica change', desired: 'deployment-dry-run-replicas-3', live: 'deployment-live', ignore: [REPLICAS_RULE], status: 'in-sync' },
  {
    name: 'a rule for another name does not apply',
    desired: 'deployment-dry-run-replicas-3',
    live: 'deployment-live',
    ignore: [{ ...REPLICAS_RULE, name: 'other' }],
    status: 'out-of-sync',
  },
  {
    name: 'a rule without group means the core group and does not match apps/Deployment',
    desired: 'deployment-dry-run-replicas-3',
    live: 'deployment-live',
    ignore: [{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
    status: 'out-of-sync',
  },
  {
    name: 'jq select by container name ignores that container\'s image',
    desired: 'deployment-dry-run-image',
    live: 'deployment-live',
    ignore: [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "web") | .image'] }],
    status: 'in-sync',
  },
  {
    name: 'jq selecting another container leaves the change visible',
    desired: 'deployment-dry-run-image',
    live: 'deployment-live',
    ignore: [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "metrics") | .image'] }],
    status: 'out-of-sync',
    changed: ['-          image: nginx:1.27', '+          image: nginx:1.28'],
  },
  {
    name: 'a jq expression that fails at run time on this object (iterating over null) selects nothing, as in Argo CD',
    desired: 'deployment-dry-run-replicas-3',
    live: 'deployment-live',
    ignore: [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.initContainers[].image'] }],
    status: 'out-of-sync',
  },
  {
    name: 'a ConfigMap value change shows the key with old and new value',
    desired: 'configmap-dry-run-changed',
    live: 'configmap-live',
    status: 'out-of-sync',
    changed: ['-  LOG_LEVEL: info', '+  LOG_LEVEL: debug'],
  },
  {
    name: 'a key dropped from the render is removed by the apply, and the diff says so',
    desired: 'configmap-dry-run-key-removed',
    live: 'configmap-live',
    status: 'out-of-sync',
    changed: ['-  LOG_LEVEL: info'],
  },
  {
    name: 'jq with an index expression (.data["LOG_LEVEL"]) ignores that key',
    desired: 'configmap-dry-run-changed',
    live: 'configmap-live',
    ignore: [{ kind: 'ConfigMap', name: 'web-config', namespace: 'shop', jqPathExpressions: ['.data["LOG_LEVEL"]'] }],
    status: 'in-sync',
  },
  { name: 'a Secret applied as stringData with the same values is in sync', desired: 'secret-dry-run-identical-stringdata', live: 'secret-live', status: 'in-sync' },
  {
    name: 'a changed Secret value shows the key as changed, never the value',
    desired: 'secret-dry-run-changed',
    live: 'secret-live',
    status: 'out-of-sync',
    changed: ['-  password: <hidden>', '+  password: <hidden, changed>'],
  },
  { name: 'an added Secret key shows as added', desired: 'secret-dry-run-key-added', live: 'secret-live', status: 'out-of-sync', changed: ['+  token: <hidden>'] },
  { name: 'no live object: missing', desired: 'deployment-dry-run-create', status: 'missing' },
];

describe('diffResources on captured objects', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const result = await diffResources({ desired: fixture(c.desired), live: c.live === undefined ? undefined : fixture(c.live), ignore: c.ignore ?? [] });
      assert.equal(result.status, c.status, result.diff);
      if (c.status === 'in-sync') assert.equal(result.diff, '');
      else assert.notEqual(result.diff, '');
      if (c.changed !== undefined) assert.deepEqual(changedLines(result.diff), c.changed, result.diff);
    });
  }
});

describe('diffResources', () => {
  test('GIVEN a dry-run result carrying server defaults the render never set WHEN diffed with live THEN in sync', async () => {
    const desired = fixture('deployment-dry-run-identical');
    const spec = desired.spec as { progressDeadlineSeconds?: number; strategy?: { type?: string } };
    assert.equal(spec.progressDeadlineSeconds, 600);
    assert.equal(spec.strategy?.type, 'RollingUpdate');
    assert.equal((await diffResources({ desired, live: fixture('deployment-live') })).status, 'in-sync');
  });

  test('GIVEN dry-run and live differ in server metadata only (generation, managedFields) WHEN diffed THEN in sync', async () => {
    const desired = fixture('deployment-dry-run-replicas-3');
    const live = { ...fixture('deployment-live'), spec: desired.spec };
    assert.equal(deepEqual(desired, live), false);
    assert.equal((await diffResources({ desired, live })).status, 'in-sync');
  });

  test('the key names the object', async () => {
    const result = await diffResources({ desired: fixture('deployment-dry-run-replicas-3'), live: fixture('deployment-live') });
    assert.deepEqual(result.key, { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' });
    assert.match(result.diff, /^--- live\/Deployment\/shop\/web\n\+\+\+ desired\/Deployment\/shop\/web\n@@ /);
  });

  test('a missing object\'s diff adds every owned field and no server defaults', async () => {
    const result = await diffResources({ desired: fixture('deployment-dry-run-create') });
    const lines = changedLines(result.diff);
    assert.ok(lines.every((line) => line.startsWith('+')));
    assert.ok(lines.includes('+          image: nginx:1.27'));
    assert.ok(!lines.some((line) => /imagePullPolicy|terminationMessagePath|progressDeadlineSeconds|creationTimestamp|managedFields/.test(line)), result.diff);
  });

  test('a wider context shows more unchanged lines around the change', async () => {
    const options = { desired: fixture('deployment-dry-run-replicas-3'), live: fixture('deployment-live') };
    const narrow = await diffResources({ ...options, contextLines: 1 });
    const wide = await diffResources({ ...options, contextLines: 5 });
    assert.ok(wide.diff.split('\n').length > narrow.diff.split('\n').length);
  });

  test('a field manager that owns nothing here: the whole dry-run result is compared, change still found', async () => {
    const result = await diffResources({ desired: fixture('configmap-dry-run-changed'), live: fixture('configmap-live'), fieldManager: 'someone-else' });
    assert.equal(result.status, 'out-of-sync');
  });

  test('without managedFields (a plain rendered object) every field it sets is compared', async () => {
    const rendered = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'shop' }, data: { 'app.properties': 'color=blue\nsize=3\n', LOG_LEVEL: 'info' } };
    assert.equal((await diffResources({ desired: rendered, live: fixture('configmap-live') })).status, 'in-sync');
    const changed = { ...rendered, data: { ...rendered.data, LOG_LEVEL: 'warn' } };
    const result = await diffResources({ desired: changed, live: fixture('configmap-live') });
    assert.deepEqual(changedLines(result.diff), ['-  LOG_LEVEL: info', '+  LOG_LEVEL: warn']);
  });

  test('a plain rendered object adding a field the live object\'s owned set lacks: the addition is shown', async () => {
    const rendered = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'shop' }, data: { 'app.properties': 'color=blue\nsize=3\n', LOG_LEVEL: 'info', NEW: 'x' } };
    const result = await diffResources({ desired: rendered, live: fixture('configmap-live') });
    assert.deepEqual(changedLines(result.diff), ['+  NEW: x']);
  });

  test('an invalid jq expression is an error naming the expression', async () => {
    await assert.rejects(
      diffResources({ desired: fixture('deployment-dry-run-replicas-3'), live: fixture('deployment-live'), ignore: [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas['] }] }),
      /jqPathExpression "\.spec\.replicas\[" is not valid jq/,
    );
  });

  test('an invalid JSON pointer is an error saying how to write one', async () => {
    await assert.rejects(
      diffResources({ desired: fixture('deployment-dry-run-replicas-3'), live: fixture('deployment-live'), ignore: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['spec/replicas'] }] }),
      /jsonPointer "spec\/replicas" does not start with "\/"/,
    );
  });
});

describe('extraneousDiff', () => {
  test('an object in the inventory but not desired: every owned line removed', () => {
    const result = extraneousDiff(fixture('configmap-live'));
    assert.equal(result.status, 'extraneous');
    assert.deepEqual(result.key, { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'web-config' });
    const lines = changedLines(result.diff);
    assert.ok(lines.length > 0 && lines.every((line) => line.startsWith('-')));
    assert.ok(lines.includes('-  LOG_LEVEL: info'));
    assert.ok(!result.diff.includes('managedFields') && !result.diff.includes('resourceVersion'));
  });

  test('an object nobody applied with our manager is shown whole, without server noise', () => {
    const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', namespace: 'shop', uid: 'u-1', resourceVersion: '9' }, data: { a: '1' } };
    const result = extraneousDiff(live);
    assert.deepEqual(changedLines(result.diff), ['-apiVersion: v1', '-data:', '-  a: "1"', '-kind: ConfigMap', '-metadata:', '-  name: old', '-  namespace: shop']);
  });
});
