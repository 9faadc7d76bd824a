/**
 * GIVEN a real API server, a real git repository, the controller running with the notifications add-on, and a
 * stand-in SMTP server on 127.0.0.1 (STARTTLS, AUTH required, one mailbox that does not exist) configured as an
 * Argo CD user writes `service.email` with the password in argocd-notifications-secret WHEN Applications subscribed
 * by email sync THEN each subscribed address gets exactly one mail with the template's subject and body, a refused
 * address (550) becomes a Warning event and a failed-delivery metric while the controller goes on reconciling, and
 * the SMTP password appears in no log, event, Application or mail.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import { createLogger } from '../../../src/controller/log.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { crdManifests } from '../../../src/install/crds.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { NotificationsAddon } from '../../../src/notifications/addon.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';
import { startSmtp } from './stand-ins.js';
import type { SmtpStandIn } from './stand-ins.js';

const NS = 'argocd';
const PASSWORD = 'smtp-pa55word-never-shown';
const REFUSED = 'nobody@example.com';
const CONFIG_MAP = (name: string, value: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

type Status = { sync?: { status?: string; revision?: string }; health?: { status?: string }; operationState?: { phase?: string } };

function application(name: string, repo: GitFixture, recipients: string): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: NS, annotations: { 'notifications.argoproj.io/subscribe.on-sync-succeeded.email': recipients } },
    spec: {
      project: 'default',
      source: { repoURL: repo.url, path: name, targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}

describe('email notifications from a running controller to an SMTP server', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;
  let repo: GitFixture;
  let smtp: SmtpStandIn;
  let running: RunningController;
  let cacheDir: string;
  const logs: string[] = [];

  const status = async (name: string): Promise<Status> => ((await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name })) as KubeObject & { status?: Status }).status ?? {};
  const synced = (name: string): Promise<Status> => eventually(async () => {
    const current = await status(name);
    return current.operationState?.phase === 'Succeeded' && current.sync?.status === 'Synced' && current.health?.status === 'Healthy' ? current : undefined;
  }, { what: `${name} to sync`, timeoutMs: 90_000, intervalMs: 200 });
  const mailsTo = (address: string): SmtpStandIn['mails'] => smtp.mails.filter((mail) => mail.to.includes(address));

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    for (const crd of crdManifests()) await client.apply(crd);
    await waitEstablished(client, crdManifests());
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    smtp = await startSmtp({ username: 'launchpad', password: PASSWORD }, new Set([REFUSED]));
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-notifications-secret', namespace: NS }, stringData: { 'email-password': PASSWORD } });
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-notifications-cm', namespace: NS }, data: {
      // The stand-in's certificate is self-signed, as a relay inside a company often is.
      'service.email': `host: ${smtp.host}\nport: ${smtp.port}\nfrom: launchpad@example.com\nusername: launchpad\npassword: $email-password\ninsecure_skip_verify: true\n`,
      context: 'argocdUrl: https://cd.example.com\n',
    } });
    repo = await createGitRepo({ files: { 'web/config.yaml': CONFIG_MAP('web-config', 'hello'), 'lost/config.yaml': CONFIG_MAP('lost-config', 'hello') } });
    cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-email-cache-'));
    const out = new Writable({ write(chunk: Buffer, _encoding, done) { logs.push(chunk.toString('utf8')); done(); } });
    running = await runController({
      client, namespace: NS, listen: '127.0.0.1:0', leaderElect: false, processors: 2, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
      webhookInsecure: false, offline: false, cacheDir, log: createLogger({ level: 'debug', json: true, out }),
      addons: [new NotificationsAddon({ retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 } })],
    });
  });

  after(async () => {
    await running.stop();
    await smtp.close();
    client.close?.();
    await plane.stop();
    await repo.remove();
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('GIVEN a sync that succeeds THEN each subscribed address gets exactly one mail with the template\'s subject and body', async () => {
    await client.apply(application('web', repo, 'dev@example.com;ops@example.com'));
    const current = await synced('web');
    await eventually(() => Promise.resolve(mailsTo('dev@example.com').length === 1 && mailsTo('ops@example.com').length === 1), { what: 'the two mails', timeoutMs: 20_000, intervalMs: 100 });
    await sleep(2_000);
    for (const address of ['dev@example.com', 'ops@example.com']) {
      const mails = mailsTo(address);
      assert.equal(mails.length, 1, `exactly one mail to ${address}`);
      const [mail] = mails;
      assert.equal(mail?.from, 'launchpad@example.com');
      assert.deepEqual(mail.to, [address]);
      assert.equal(mail.subject, 'web synced');
      assert.match(mail.text, new RegExp(`^web synced to ${current.sync?.revision ?? 'no revision'} at \\d{4}-\\d\\d-\\d\\dT`));
    }
    assert.equal(smtp.mails.length, 2);
    assert.deepEqual(smtp.authFailures, [], 'the password from argocd-notifications-secret was accepted');
  });

  test('GIVEN the server refuses the address (550) THEN a Warning event and a failed-delivery metric, and the app is still reconciled', async () => {
    await client.apply(application('lost', repo, REFUSED));
    await synced('lost');
    const event = await eventually(async () => (await client.list('v1', 'Event', { namespace: NS })).find((item) => item.reason === 'NotificationFailed' && (item.involvedObject as { name?: string } | undefined)?.name === 'lost'), { what: 'the NotificationFailed event', timeoutMs: 20_000, intervalMs: 200 });
    assert.equal(event.type, 'Warning');
    assert.match(String(event.message), new RegExp(`notification on-sync-succeeded to email:${REFUSED} failed: email: SMTP 550 after 1 attempt`));
    const metrics = await (await fetch(`${running.server.url}/metrics`)).text();
    assert.match(metrics, /launchpad_notifications_deliveries_total\{service="email",trigger="on-sync-succeeded",succeeded="false"\} [1-9]/);
    assert.match(metrics, /launchpad_notifications_deliveries_total\{service="email",trigger="on-sync-succeeded",succeeded="true"\} 2/);
    assert.equal(mailsTo(REFUSED).length, 0);
    // Reconciliation goes on: drift on the app whose mail was refused is healed as usual.
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lost-config', namespace: 'lost' }, data: { value: 'tampered' } }, { fieldManager: 'kubectl-edit' });
    await eventually(async () => ((await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'lost', name: 'lost-config' }))?.data as { value?: string } | undefined)?.value === 'hello', { what: 'lost-config to be healed', timeoutMs: 30_000, intervalMs: 200 });
  });

  test('GIVEN all of the above THEN the SMTP password is in no log, event, Application or mail', async () => {
    const apps = await client.list('argoproj.io/v1alpha1', 'Application', { namespace: NS });
    const events = await client.list('v1', 'Event', { namespace: NS });
    assert.ok(logs.some((line) => line.includes('notification sent')), 'the logs were captured');
    const everything = [...logs, ...events.map((item) => JSON.stringify(item)), ...apps.map((item) => JSON.stringify(item)), ...smtp.mails.map((mail) => JSON.stringify(mail))];
    assert.equal(everything.find((text) => text.includes(PASSWORD)), undefined, 'the SMTP password leaked');
  });
});
