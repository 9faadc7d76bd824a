/**
 * GIVEN the bundled example platform and a stand-in Slack on 127.0.0.1 that accepts only the stand-in bot token WHEN
 * `launchpad up --slack-api-url <stand-in>` runs it (a real local Kubernetes, the controller and its add-ons, the
 * upc-dev tree; the upstream charts are not reachable, so only the example's own applications sync) THEN every
 * successful sync of an example Application is announced exactly once in the platform's channel with the example's
 * bot name and Argo CD link, and nothing claims a sync succeeded that did not.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import { STAND_IN_SLACK_TOKEN } from '../../../src/notifications/example-setup.js';
import { controlPlaneSkipReason, eventually } from '../../../src/testing/index.js';
import { startSlack } from './stand-ins.js';
import type { StandIn } from './stand-ins.js';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
/** The example's own applications: they sync without the upstream charts. */
const SYNCING = ['app-of-apps-upc-dev', 'enterprise-apps', 'grafana-dashboards', 'namespaces', 'secrets'];
const SUCCEEDED = /^(\S+) synced to [0-9a-f]{40} at /;

type App = { metadata: { name?: string }; status?: { operationState?: { phase?: string }; history?: unknown[] } };

describe('launchpad up --slack-api-url on the example platform', { skip: controlPlaneSkipReason(2) }, () => {
  let slack: StandIn;
  let stateDir: string;
  let up: ChildProcess;
  let output = '';
  let client: KubeClient | undefined;

  const announced = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const request of slack.requests) {
      const app = SUCCEEDED.exec(String(request.body.text))?.[1];
      if (app !== undefined) counts.set(app, (counts.get(app) ?? 0) + 1);
    }
    return counts;
  };
  /** The applications whose last sync succeeded, with how many syncs succeeded (their deployment history). */
  const syncs = async (): Promise<Map<string, number>> => {
    client ??= await createKubeClient({ kubeconfig: join(stateDir, 'cluster', 'admin.kubeconfig') });
    const apps = (await client.list('argoproj.io/v1alpha1', 'Application', { namespace: 'argocd' })) as App[];
    return new Map(apps.filter((app) => app.status?.operationState?.phase === 'Succeeded').map((app) => [app.metadata.name ?? '', app.status?.history?.length ?? 0]));
  };

  before(async () => {
    slack = await startSlack(STAND_IN_SLACK_TOKEN);
    stateDir = await mkdtemp(join(tmpdir(), 'launchpad-up-slack-'));
    up = spawn(process.execPath, [join(repoRoot, 'bin', 'launchpad.js'), 'up', '--state-dir', stateDir, '--listen', '127.0.0.1:0', '--slack-api-url', slack.url, '--timeout', '5m'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    up.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    up.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  });

  after(async () => {
    client?.close?.();
    if (up.exitCode === null) {
      const exited = new Promise((resolve) => { up.once('exit', resolve); });
      // up stops its controller and its local Kubernetes on SIGTERM, as on Ctrl-C.
      up.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(60_000, false, { ref: false })]);
      if (!stopped) up.kill('SIGKILL');
    }
    await slack.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  test('GIVEN up runs the example THEN each successful sync is announced once in platform-deploys', async () => {
    await eventually(async () => {
      if (up.exitCode !== null) throw new Error(`launchpad up exited (${up.exitCode}):\n${output}`);
      const done = await syncs();
      if (SYNCING.every((name) => done.has(name) && announced().has(name))) return true;
      throw new Error(`succeeded: ${[...done.keys()].join(', ')}; announced: ${[...announced().keys()].join(', ')}; up said:\n${output.slice(-2_000)}`);
    }, { what: 'the example\'s applications to sync and be announced', timeoutMs: 150_000, intervalMs: 1_000 });
    // A second message would come from a duplicate send, never from the cluster: give one the time to arrive.
    await sleep(5_000);
    assert.match(output, /argocd-notifications-cm\) applied from .*cluster-resources\/notifications\/argocd-notifications-cm\.yaml/);
    assert.match(output, new RegExp(`argocd-notifications-secret created with the stand-in Slack token ${STAND_IN_SLACK_TOKEN}`));
    const succeeded = await syncs();
    const counts = announced();
    assert.deepEqual([...counts.keys()].sort(), [...succeeded.keys()].sort(), 'announced exactly the applications whose sync succeeded');
    const texts = slack.requests.map((request) => String(request.body.text)).filter((text) => SUCCEEDED.test(text));
    assert.equal(new Set(texts).size, texts.length, `a sync announced twice:\n${texts.join('\n')}`);
    // At most once per sync. An application that syncs again (self-heal) is announced again when its Running phase
    // was seen in between; two syncs in quick succession can read as one, as with Argo CD (conditions are levels).
    for (const [app, count] of counts) assert.ok(count <= (succeeded.get(app) ?? 0), `${app}: ${count} messages for ${succeeded.get(app) ?? 0} successful syncs:\n${texts.filter((text) => text.startsWith(`${app} `)).join('\n')}`);
    for (const request of slack.requests.filter((item) => SUCCEEDED.test(String(item.body.text)))) {
      const app = SUCCEEDED.exec(String(request.body.text))?.[1] ?? '';
      assert.equal(request.path, '/api/chat.postMessage');
      assert.equal(request.body.channel, 'platform-deploys', 'the empty subscriptions go to the example\'s defaultChannel');
      assert.equal(request.body.username, 'Launchpad');
      const [attachment] = request.body.attachments as { title_link?: string; color?: string }[];
      assert.equal(attachment?.title_link, `https://argocd.forteapps.net/applications/${app}`);
      assert.equal(attachment.color, '#18be52');
    }
  });
});
