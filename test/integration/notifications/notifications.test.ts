/**
 * GIVEN a real API server with Launchpad's CRDs, argocd-notifications-cm/-secret as an Argo CD user writes them, a
 * stand-in Slack and a stand-in GitHub (real HTTP servers checking the bot token and the App's JWT), and the
 * notifications add-on running WHEN Applications' status changes as the controller writes it (sync succeeded,
 * failed, health degraded, a rollback) THEN exactly the expected messages arrive — once each, also across a
 * restart — threaded by groupingKey, retried after 429/5xx, and no Secret value reaches a message, a log or an event.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import type { Logger } from '../../../src/controller/services.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { crdManifests } from '../../../src/install/crds.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { NotificationsAddon } from '../../../src/notifications/addon.js';
import { NOTIFIED_ANNOTATION } from '../../../src/notifications/state.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';
import { startGitHub, startSlack } from './stand-ins.js';
import type { GitHubStandIn, StandIn } from './stand-ins.js';

const NS = 'argocd';
const repoRoot = new URL('../../../../', import.meta.url).pathname;
const TOKEN = 'xoxb-1111-secret-bot-token';
const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);
const FAST_RETRY = { attempts: 4, baseDelayMs: 100, maxDelayMs: 2_000 };

function recordingLogger(lines: string[]): Logger {
  const record = (level: string) => (fields: Readonly<Record<string, unknown>>, message: string): void => {
    lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
  };
  return { info: record('info'), warn: record('warn'), error: record('error'), debug: record('debug') };
}

const APP_REF = (name: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name });

describe('notifications on a real API server', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let slack: StandIn;
  let github: GitHubStandIn;
  let addon: NotificationsAddon;
  let stop: AbortController;
  const logs: string[] = [];
  const registry = new Registry();
  let clock = Date.parse('2030-01-01T00:00:00Z');

  const startAddon = async (namespace = NS): Promise<NotificationsAddon> => {
    const started = new NotificationsAddon({ retry: FAST_RETRY });
    stop = new AbortController();
    await started.start({ client, namespace, log: recordingLogger(logs), signal: stop.signal, registry });
    return started;
  };

  /** Writes status as the controller does after an operation (reconciledAt after finishedAt). */
  const setStatus = async (name: string, phase: string, revision: string, health = 'Healthy'): Promise<void> => {
    clock += 10_000;
    const at = (offset: number): string => new Date(clock + offset).toISOString().replace(/\.\d+Z$/, 'Z');
    await client.patch(APP_REF(name), { status: {
      sync: { status: phase === 'Succeeded' ? 'Synced' : 'OutOfSync', revision },
      health: { status: health },
      reconciledAt: at(2_000),
      operationState: { phase, message: phase === 'Failed' ? 'one or more objects failed to apply' : 'successfully synced', startedAt: at(0), ...(phase === 'Running' ? {} : { finishedAt: at(1_000) }), syncResult: { revision } },
    } }, { type: 'merge' });
  };

  const slackTo = (channel: string): Record<string, unknown>[] => slack.requests.filter((request) => request.body.channel === channel).map((request) => request.body);
  const notified = async (name: string): Promise<string> => (await client.get(APP_REF(name)))?.metadata.annotations?.[NOTIFIED_ANNOTATION] ?? '';
  const waitFor = <T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> => eventually(async () => check(), { what, timeoutMs: 20_000, intervalMs: 100 });
  /** Waits until nothing more arrives: the add-on processed the change and wrote its state. */
  const settle = (): Promise<void> => sleep(1_500);

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const crd of crdManifests()) await client.apply(crd);
    await waitEstablished(client, crdManifests());
    for (const namespace of [NS, 'broken']) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    slack = await startSlack(TOKEN);
    github = await startGitHub('4242', '77');
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-notifications-secret', namespace: NS }, stringData: { 'slack-token': TOKEN, 'github-key': github.privateKeyPem } });
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-notifications-cm', namespace: NS }, data: {
      'service.slack': `token: $slack-token\napiURL: ${slack.url}\n`,
      'service.github': `appID: "4242"\ninstallationID: "77"\nprivateKey: $github-key\nenterpriseBaseURL: ${github.url}\n`,
      context: 'argocdUrl: https://cd.example.com\n',
      'template.leaky': 'message: "note: {{index .app.metadata.annotations \\"note\\"}}"\n',
      'trigger.on-note': '- when: app.metadata.annotations?.note != nil\n  send: [leaky]\n',
    } });
    await client.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'shop', namespace: NS, annotations: { 'notifications.argoproj.io/subscribe.on-health-degraded.slack': 'alerts' } }, spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }] } });
    await client.apply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
      metadata: { name: 'web', namespace: NS, annotations: {
        'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'deploys',
        'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'deploys',
        'notifications.argoproj.io/subscribe.on-deployed.github': '',
      } },
      spec: { project: 'shop', source: { repoURL: 'https://github.com/acme/shop.git', path: 'web', targetRevision: 'HEAD' }, destination: { name: 'upc-prod', namespace: 'web' } },
    });
    addon = await startAddon();
  });

  after(async () => {
    stop.abort();
    await addon.stop();
    await slack.close();
    await github.close();
    client.close?.();
    await plane.stop();
  });

  test('GIVEN a sync that succeeds THEN one Slack message and a GitHub commit status and deployment on the synced revision', async () => {
    await setStatus('web', 'Succeeded', SHA1);
    await waitFor('the Slack message', () => slackTo('deploys').length === 1);
    await waitFor('the GitHub deployment status', () => github.requests.some((request) => request.path === '/repos/acme/shop/deployments/1/statuses'));
    await settle();
    const [message] = slackTo('deploys');
    assert.ok(message !== undefined);
    assert.match(String(message.text), new RegExp(`web synced to ${SHA1}`));
    const attachments = message.attachments as { title_link?: string; color?: string }[];
    assert.equal(attachments[0]?.title_link, 'https://cd.example.com/applications/web');
    const status = github.requests.find((request) => request.path === `/repos/acme/shop/statuses/${SHA1}`);
    assert.equal(status?.body.state, 'success');
    assert.equal(status.body.context, 'launchpad/web');
    const deployment = github.requests.find((request) => request.method === 'POST' && request.path === '/repos/acme/shop/deployments');
    assert.equal(deployment?.body.environment, 'upc-prod');
    assert.equal(deployment.body.ref, SHA1);
    assert.equal(slackTo('deploys').length, 1, 'exactly one message');
    assert.match(await notified('web'), /on-sync-succeeded:\[0\]\..*:slack:deploys/);
  });

  test('GIVEN the app degrades THEN one message to the channel its AppProject subscribes', async () => {
    await client.patch(APP_REF('web'), { status: { health: { status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' } } }, { type: 'merge' });
    await waitFor('the degraded message', () => slackTo('alerts').length === 1);
    await settle();
    assert.equal(slackTo('alerts').length, 1);
    assert.match(String(slackTo('alerts')[0]?.text), /web is Degraded: Deployment "web" exceeded its progress deadline/);
  });

  test('GIVEN a sync that fails THEN one message, in the thread of the app\'s first message (groupingKey)', async () => {
    await setStatus('web', 'Failed', SHA2, 'Degraded');
    await waitFor('the failure message', () => slackTo('deploys').length === 2);
    await settle();
    const [first, failure] = slackTo('deploys');
    assert.match(String(failure?.text), /Syncing web failed at .*: one or more objects failed to apply/);
    assert.equal(first?.thread_ts, undefined);
    assert.equal(failure?.thread_ts, '1700000000.000001', 'replies in the thread the first message started');
    assert.equal(slackTo('deploys').length, 2);
  });

  test('GIVEN the add-on restarts THEN nothing is sent again (the state is in the annotation)', async () => {
    const before = slack.requests.length + github.requests.length;
    stop.abort();
    await addon.stop();
    addon = await startAddon();
    await settle();
    await settle();
    assert.equal(slack.requests.length + github.requests.length, before);
    assert.ok(logs.some((line) => line.includes('configuration loaded')));
  });

  test('GIVEN a rollback to an already deployed revision THEN GitHub hears nothing (oncePer), Slack hears the new sync', async () => {
    await setStatus('web', 'Running', SHA2);
    await settle();
    await setStatus('web', 'Succeeded', SHA2);
    await waitFor('the SHA2 deployment', () => github.requests.some((request) => request.path === `/repos/acme/shop/statuses/${SHA2}`));
    await settle();
    const statusesBefore = github.requests.filter((request) => request.path.includes('/statuses')).length;
    await setStatus('web', 'Running', SHA1);
    await settle();
    await setStatus('web', 'Succeeded', SHA1);
    await waitFor('the Slack message of the rollback', () => slackTo('deploys').some((message) => String(message.text).includes(`synced to ${SHA1}`) && message !== slackTo('deploys')[0]));
    await settle();
    assert.equal(github.requests.filter((request) => request.path.includes('/statuses')).length, statusesBefore, 'on-deployed fires once per revision');
  });

  test('GIVEN Slack answers 429 (Retry-After) and 500 THEN the message is delivered once after the retries', async () => {
    const rawBefore = slack.raw.length;
    slack.failNext({ status: 429, headers: { 'retry-after': '1' } }, { status: 500 });
    await setStatus('web', 'Running', SHA2);
    await settle();
    await setStatus('web', 'Failed', SHA2);
    await waitFor('the retried message', () => slackTo('deploys').filter((message) => String(message.text).startsWith('Syncing web failed')).length === 2);
    await settle();
    assert.equal(slack.raw.length - rawBefore, 3, '429, 500, then success');
    assert.equal(slackTo('deploys').filter((message) => String(message.text).startsWith('Syncing web failed')).length, 2);
  });

  test('GIVEN a Secret value in rendered text THEN the message carries [redacted]', async () => {
    await client.patch(APP_REF('web'), { metadata: { annotations: { note: `token is ${TOKEN}`, 'notifications.argoproj.io/subscribe.on-note.slack': 'audit' } } }, { type: 'merge' });
    await waitFor('the audit message', () => slackTo('audit').length === 1);
    assert.equal(slackTo('audit')[0]?.text, 'note: token is [redacted]');
    // The test's own bait leaves the Application, so the leak check below looks at what Launchpad wrote.
    await client.patch(APP_REF('web'), { metadata: { annotations: { note: null } } }, { type: 'merge' });
  });

  test('GIVEN a bad token THEN a Warning event on the Application and a failed-delivery metric; no secret anywhere', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-notifications-secret', namespace: NS }, stringData: { 'slack-token': 'xoxb-9999-wrong-token', 'github-key': github.privateKeyPem } });
    await waitFor('the reload', () => logs.filter((line) => line.includes('configuration loaded')).length >= 3);
    await setStatus('web', 'Running', SHA1);
    await settle();
    await setStatus('web', 'Failed', SHA1);
    const event = await waitFor('the event', async () => (await client.list('v1', 'Event', { namespace: NS })).find((item) => item.reason === 'NotificationFailed'));
    assert.match(String(event.message), /notification on-sync-failed to slack:deploys failed: slack: chat.postMessage failed: invalid_auth — check the bot token/);
    const metrics = await registry.metrics();
    assert.match(metrics, /launchpad_notifications_deliveries_total\{service="slack",trigger="on-sync-failed",succeeded="false"\} 1/);
    assert.match(metrics, /launchpad_notifications_deliveries_total\{service="slack",trigger="on-sync-succeeded",succeeded="true"\} [1-9]/);
    const everything = [...logs, ...(await client.list('v1', 'Event', { namespace: NS })).map((item) => JSON.stringify(item)), JSON.stringify(await client.get(APP_REF('web'))), ...slack.requests.map((request) => request.raw)];
    for (const secret of [TOKEN, 'xoxb-9999-wrong-token', 'ghs_installation_token_value', github.privateKeyPem.split('\n')[1] ?? 'x']) {
      const leak = everything.find((text) => text.includes(secret));
      assert.equal(leak, undefined, `${secret.slice(0, 8)}… leaked`);
    }
  });

  test('GIVEN the example platform\'s configuration and --slack-api-url THEN its Applications\' empty subscriptions reach defaultChannel', async () => {
    const example = parse(await readFile(join(repoRoot, 'examples/platform/launchpad/cluster-resources/notifications/argocd-notifications-cm.yaml'), 'utf8')) as KubeObject;
    const gitea = parse(await readFile(join(repoRoot, 'examples/platform/launchpad/infra/base/gitea.yaml'), 'utf8')) as KubeObject;
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'example' } });
    await client.apply({ ...example, metadata: { ...example.metadata, namespace: 'example' } });
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-notifications-secret', namespace: 'example' }, stringData: { 'slack-token': TOKEN } });
    await client.apply({ ...gitea, metadata: { ...gitea.metadata, namespace: 'example', finalizers: [] } });
    const exampleStop = new AbortController();
    const exampleAddon = new NotificationsAddon({ retry: FAST_RETRY, slackApiUrl: slack.url.replace(/\/$/, '') });
    await exampleAddon.start({ client, namespace: 'example', log: recordingLogger(logs), signal: exampleStop.signal, registry });
    try {
      await client.patch({ ...APP_REF('gitea'), namespace: 'example' }, { status: { health: { status: 'Degraded', message: 'Deployment "gitea" exceeded its progress deadline' }, sync: { status: 'Synced' } } }, { type: 'merge' });
      await waitFor('the example platform\'s message', () => slackTo('platform-deploys').length === 1);
      const [message] = slackTo('platform-deploys');
      assert.equal(message?.username, 'Launchpad');
      assert.match(String(message.text), /gitea is Degraded: Deployment "gitea" exceeded its progress deadline/);
    } finally {
      exampleStop.abort();
      await exampleAddon.stop();
    }
  });

  test('GIVEN a trigger with an unsupported construct THEN the add-on does not start and names the trigger and the construct', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-notifications-cm', namespace: 'broken' }, data: { 'trigger.on-odd': '- when: app.status.sync.status | lower\n  send: [app-sync-succeeded]\n' } });
    const broken = new NotificationsAddon();
    const signal = new AbortController();
    await assert.rejects(broken.start({ client, namespace: 'broken', log: recordingLogger([]), signal: signal.signal, registry: new Registry() }), /ConfigMap\/broken\/argocd-notifications-cm trigger\.on-odd\[0\]\.when: unsupported operator "\|"/);
    signal.abort();
    await broken.stop();
  });
});
