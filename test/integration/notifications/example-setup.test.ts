/**
 * GIVEN a real API server and the bundled example platform WHEN `launchpad up` prepares its notifications
 * (installExampleNotifications) with and without `--slack-api-url` THEN the example's argocd-notifications-cm is in
 * the namespace as written in Git, a stand-in token Secret exists only while a stand-in Slack is used, and a Secret
 * the user created is never replaced or deleted.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import { bundledExample } from '../../../src/local/up.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { STAND_IN_ANNOTATION, STAND_IN_SLACK_TOKEN, exampleNotificationsFile, installExampleNotifications } from '../../../src/notifications/example-setup.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, startControlPlane } from '../../../src/testing/index.js';

const NS = 'argocd';
const SECRET = { apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'argocd-notifications-secret' };

describe('up installs the example platform\'s notifications', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  const { root } = bundledExample();

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });

  after(async () => {
    client.close?.();
    await plane.stop();
  });

  test('GIVEN --slack-api-url THEN the ConfigMap as in Git and a marked Secret with the stand-in token', async () => {
    const lines = await installExampleNotifications(client, root, NS, { standInSlack: true });
    assert.equal(lines.length, 2, lines.join('\n'));
    const inGit = parse(await readFile(exampleNotificationsFile(root), 'utf8')) as KubeObject;
    const live = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'argocd-notifications-cm' });
    assert.deepEqual(live?.data, inGit.data);
    const secret = await client.get(SECRET);
    assert.equal(secret?.metadata.annotations?.[STAND_IN_ANNOTATION], 'true');
    assert.equal(Buffer.from(String((secret.data as Record<string, string>)['slack-token']), 'base64').toString('utf8'), STAND_IN_SLACK_TOKEN);
  });

  test('GIVEN a later up without the flag THEN the stand-in Secret is removed and the way to add a real token is said', async () => {
    const lines = await installExampleNotifications(client, root, NS, { standInSlack: false });
    assert.equal(await client.get(SECRET), undefined);
    assert.match(lines.join('\n'), /stand-in Slack token Secret .* removed/);
    const next = await installExampleNotifications(client, root, NS, { standInSlack: false });
    assert.match(next.join('\n'), /kubectl -n argocd create secret generic argocd-notifications-secret --from-literal=slack-token=xoxb-/);
  });

  test('GIVEN the user\'s own Secret THEN neither up touches it', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: SECRET.name, namespace: NS }, stringData: { 'slack-token': 'xoxb-real-one' } });
    const before = (await client.get(SECRET))?.metadata.resourceVersion;
    const withFlag = await installExampleNotifications(client, root, NS, { standInSlack: true });
    assert.match(withFlag.join('\n'), /argocd-notifications-secret exists: its slack-token is sent to the --slack-api-url server/);
    await installExampleNotifications(client, root, NS, { standInSlack: false });
    assert.equal((await client.get(SECRET))?.metadata.resourceVersion, before);
  });

  test('GIVEN a root without the example\'s file THEN nothing is installed', async () => {
    assert.deepEqual(await installExampleNotifications(client, '/nonexistent/root.yaml', 'elsewhere', { standInSlack: true }), []);
  });
});
