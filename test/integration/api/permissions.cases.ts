/**
 * Cases of the API test that share its world (one control plane): per-application permissions in the get and list
 * responses, Argo CD's can-i endpoint, and the live manifest of resource-tree nodes — which must never turn into a
 * proxy for reading anything else in the cluster. Registered from api.test.ts, in its describe block.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createToken } from '../../../src/api/auth/tokens.js';
import { eventually } from '../../../src/testing/index.js';
import type { ApiWorld } from './fixture.js';
import { NS, PLANTED } from './fixture.js';
import { Browser } from './http-client.js';

type Json = Record<string, unknown>;

export function registerPermissionCases(worldOf: () => ApiWorld): void {
  const as = async (account: string): Promise<(path: string) => Promise<{ status: number; json: Json; text: string }>> => {
    const world = worldOf();
    const { token } = await createToken(world.client, NS, { account, description: `${account} permission cases`, createdBy: 'test' });
    const browser = new Browser(world.url);
    return async (path) => {
      const response = await browser.request('GET', path, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, json: (response.json ?? {}) as Json, text: response.text };
    };
  };

  test('GIVEN admin and the readonly reader THEN the application response says what each may do, and the list says it per item', async () => {
    const admin = await as('admin');
    const reader = await as('reader');
    const all = { sync: true, rollback: true, refresh: true, terminate: true, delete: true, override: true };
    assert.deepEqual((await admin('/api/v1/applications/web')).json.permissions, all);
    const readOnly = { sync: false, rollback: false, refresh: true, terminate: false, delete: false, override: false };
    const got = await reader('/api/v1/applications/web');
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.permissions, readOnly);
    assert.equal((got.json.metadata as Json).name, 'web', 'still the Application object');
    const listed = (await reader('/api/v1/applications')).json.items as { name: string; permissions: Json }[];
    assert.ok(listed.length > 0);
    for (const item of listed) assert.deepEqual(item.permissions, readOnly, item.name);
    const adminListed = (await admin('/api/v1/applications')).json.items as { name: string; permissions: Json }[];
    for (const item of adminListed) assert.deepEqual(item.permissions, all, item.name);
  });

  test('GIVEN can-i THEN it answers yes/no as Argo CD for project/app objects (slash as is or encoded), and 400 for an unknown action or resource', async () => {
    const admin = await as('admin');
    const reader = await as('reader');
    assert.deepEqual((await admin('/api/v1/account/can-i/applications/sync/default/web')).json, { value: 'yes' });
    assert.deepEqual((await reader('/api/v1/account/can-i/applications/sync/default/web')).json, { value: 'no' });
    assert.deepEqual((await reader('/api/v1/account/can-i/applications/sync/default%2Fweb')).json, { value: 'no' });
    assert.deepEqual((await reader('/api/v1/account/can-i/applications/get/default%2Fweb')).json, { value: 'yes' });
    assert.deepEqual((await reader('/api/v1/account/can-i/clusters/create/https:%2F%2Fkubernetes.default.svc')).json, { value: 'no' });
    assert.deepEqual((await admin('/api/v1/account/can-i/clusters/create/*')).json, { value: 'yes' });
    const badAction = await reader('/api/v1/account/can-i/applications/explode/default%2Fweb');
    assert.equal(badAction.status, 400);
    assert.match(badAction.json.error as string, /unknown action "explode"/);
    assert.match(badAction.json.fix as string, /get, create, update, delete, sync, override, action, invoke/);
    assert.equal((await reader('/api/v1/account/can-i/rockets/get/x')).status, 400);
    assert.equal((await new Browser(worldOf().url).request('GET', '/api/v1/account/can-i/applications/get/default%2Fweb')).status, 401);
  });

  test('GIVEN the resource tree of web THEN the live manifest of a managed object and of a Pod Kubernetes made is served, Secret values hidden; anything outside the tree is a 404', async () => {
    const reader = await as('reader');
    const deployment = await reader('/api/v1/applications/web/resource?group=apps&version=v1&kind=Deployment&namespace=web&name=web');
    assert.equal(deployment.status, 200, deployment.text);
    const manifest = deployment.json.manifest as { kind: string; metadata: Json; status?: Json };
    assert.equal(manifest.kind, 'Deployment');
    assert.equal(manifest.metadata.managedFields, undefined);
    const pod = await eventually(async () => {
      const tree = (await reader('/api/v1/applications/web/resource-tree')).json as { nodes: { kind: string; name: string; namespace: string; version: string; group: string }[] };
      return tree.nodes.find((node) => node.kind === 'Pod');
    }, { what: 'a Pod in web\'s tree', timeoutMs: 30_000, intervalMs: 300 });
    const live = await reader(`/api/v1/applications/web/resource?version=v1&kind=Pod&namespace=${pod.namespace}&name=${pod.name}`);
    assert.equal(live.status, 200, live.text);
    assert.equal(((live.json.manifest as Json).metadata as Json).name, pod.name);
    const secret = await reader('/api/v1/applications/web/resource?version=v1&kind=Secret&namespace=web&name=web-secret');
    assert.equal(secret.status, 200, secret.text);
    assert.deepEqual((secret.json.manifest as Json).data, { password: '<hidden>' });
    assert.ok(!secret.text.includes(PLANTED) && !secret.text.includes(Buffer.from(PLANTED).toString('base64')));
    // Real objects, not in web's tree: the API's own Secret, another app's ConfigMap, a system Pod.
    for (const outside of ['version=v1&kind=Secret&namespace=argocd&name=argocd-secret', 'version=v1&kind=ConfigMap&namespace=other&name=other-config', 'version=v1&kind=ConfigMap&namespace=kube-system&name=extension-apiserver-authentication']) {
      const response = await reader(`/api/v1/applications/web/resource?${outside}`);
      assert.equal(response.status, 404, `${outside}: ${response.text}`);
      assert.match(response.json.error as string, /in the resource tree of application "web" not found/);
    }
    assert.equal((await reader('/api/v1/applications/web/resource?version=v1&name=web')).status, 400, 'kind is required');
  });
}
