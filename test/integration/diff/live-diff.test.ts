/**
 * The whole server-side diff against a real API server (tier 1): render → dry-run server-side apply with field
 * manager "launchpad" → diff with the live object → apply → in sync. kubectl (built with the control plane) talks to
 * the server, so the diff sees exactly the JSON the API server sends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { diffResources, extraneousDiff } from '../../../src/diff/diff.js';
import { stopJqWorker } from '../../../src/diff/jq.js';
import { respectIgnoreDifferences } from '../../../src/diff/respect.js';
import type { IgnoreDifference } from '../../../src/model/application.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { runProcess } from '../../../src/process/run.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, startControlPlane } from '../../../src/testing/index.js';

const skip = controlPlaneSkipReason(1);
const NS = 'diff-live';
const APPLY = ['apply', '--server-side', '--field-manager=launchpad', '--force-conflicts', '--show-managed-fields', '-o', 'json', '-f', '-'];

function deployment(replicas: number, image = 'nginx:1.27'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS, labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

function secret(password: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: NS }, type: 'Opaque', stringData: { user: 'app', password } };
}

const changedLines = (diff: string): string[] => diff.split('\n').filter((line) => /^[+-]/.test(line) && !/^(\+\+\+|---) /.test(line));

describe('server-side diff against kube-apiserver', { skip }, () => {
  let plane: ControlPlane;

  async function kubectl(args: readonly string[], input?: string): Promise<string> {
    const result = await runProcess(plane.binaries.kubectl, ['--kubeconfig', plane.kubeconfigPath, ...args], input === undefined ? {} : { input });
    return result.stdout;
  }

  const apply = async (object: KubeObject, dryRun = false): Promise<KubeObject> => JSON.parse(await kubectl(dryRun ? [...APPLY, '--dry-run=server'] : APPLY, JSON.stringify(object))) as KubeObject;

  async function get(object: KubeObject): Promise<KubeObject | undefined> {
    const out = await kubectl(['get', object.kind, String(object.metadata.name), '-n', NS, '--show-managed-fields', '-o', 'json', '--ignore-not-found']);
    return out.trim() === '' ? undefined : (JSON.parse(out) as KubeObject);
  }

  async function diffLive(rendered: KubeObject, ignore: readonly IgnoreDifference[] = []): Promise<Awaited<ReturnType<typeof diffResources>>> {
    return diffResources({ desired: await apply(rendered, true), live: await get(rendered), ignore });
  }

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    await kubectl(['create', 'namespace', NS]);
  });

  after(async () => {
    await stopJqWorker();
    await plane.stop();
  });

  test('a new Deployment is missing; once applied it is in sync although the server added defaults', async () => {
    const missing = await diffLive(deployment(2));
    assert.equal(missing.status, 'missing');
    assert.ok(changedLines(missing.diff).includes('+  replicas: 2'), missing.diff);
    await apply(deployment(2));
    const live = await get(deployment(2));
    assert.equal((live?.spec as { progressDeadlineSeconds?: number }).progressDeadlineSeconds, 600);
    const synced = await diffLive(deployment(2));
    assert.equal(synced.status, 'in-sync', synced.diff);
  });

  test('a replica change is out of sync and the diff shows exactly that line', async () => {
    const result = await diffLive(deployment(3));
    assert.equal(result.status, 'out-of-sync');
    assert.deepEqual(changedLines(result.diff), ['-  replicas: 2', '+  replicas: 3']);
    assert.equal((await diffLive(deployment(3), [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }])).status, 'in-sync');
  });

  test('an image change is ignored by a jq rule selecting the container by name', async () => {
    const rule: IgnoreDifference = { group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "web") | .image'] };
    assert.equal((await diffLive(deployment(2, 'nginx:1.28'))).status, 'out-of-sync');
    assert.equal((await diffLive(deployment(2, 'nginx:1.28'), [rule])).status, 'in-sync');
  });

  test('kubectl scale: out of sync; managedFieldsManagers ignores it; RespectIgnoreDifferences keeps it through an apply', async () => {
    await kubectl(['scale', 'deployment', 'web', '-n', NS, '--replicas=5']);
    const scaled = await diffLive(deployment(2));
    assert.deepEqual(changedLines(scaled.diff), ['-  replicas: 5', '+  replicas: 2']);
    const rules: IgnoreDifference[] = [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kubectl'] }];
    assert.equal((await diffLive(deployment(2), rules)).status, 'in-sync');

    const toApply = await respectIgnoreDifferences(deployment(2), await get(deployment(2)), rules);
    await apply(toApply);
    assert.equal(((await get(deployment(2)))?.spec as { replicas: number }).replicas, 5);
    assert.equal((await diffLive(toApply)).status, 'in-sync');
  });

  test('a Secret value change names the key and never a value, plain or base64', async () => {
    await apply(secret('first-password'));
    assert.equal((await diffLive(secret('first-password'))).status, 'in-sync');
    const result = await diffLive(secret('second-password'));
    assert.equal(result.status, 'out-of-sync');
    assert.deepEqual(changedLines(result.diff), ['-  password: <hidden>', '+  password: <hidden, changed>']);
    const text = JSON.stringify(result);
    for (const value of ['first-password', 'second-password', 'app']) {
      assert.ok(!text.includes(`: ${value}`) && !text.includes(Buffer.from(value).toString('base64')), `${value} leaked: ${text}`);
    }
  });

  test('an object no longer rendered is extraneous, shown as removed', async () => {
    const live = await get(secret('x'));
    assert.ok(live !== undefined);
    const result = extraneousDiff(live);
    assert.equal(result.status, 'extraneous');
    assert.ok(changedLines(result.diff).every((line) => line.startsWith('-')));
    for (const value of ['first-password', 'second-password']) {
      assert.ok(!JSON.stringify(result).includes(Buffer.from(value).toString('base64')) && !JSON.stringify(result).includes(value));
    }
  });
});
