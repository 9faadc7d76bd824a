/**
 * GIVEN argocd-notifications-cm/-secret as Argo CD users write them WHEN parsed and compiled THEN services,
 * templates, triggers, subscriptions and default triggers read as Argo CD reads them; `$key` references come from
 * the Secret; mistakes are errors naming the key and the fix; the notified state and the catalog behave as Argo CD's.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileNotifications } from '../../../src/notifications/compile.js';
import { NotificationsConfigError, parseNotificationsConfig } from '../../../src/notifications/config.js';
import { evaluateApp, statusRefreshed } from '../../../src/notifications/engine.js';
import type { AppObject } from '../../../src/notifications/engine.js';
import { createRedactor } from '../../../src/notifications/redact.js';
import { NOTIFIED_ANNOTATION } from '../../../src/notifications/state.js';
import { compileSelector, destinationsFor } from '../../../src/notifications/subscriptions.js';

const WHERE = 'ConfigMap/argocd/argocd-notifications-cm';
const parseConfig = (data: Record<string, string>, secret?: Record<string, string>): ReturnType<typeof parseNotificationsConfig> => parseNotificationsConfig({ data, secret, where: WHERE });

describe('argocd-notifications-cm', () => {
  test('services by type and name, $key references from the Secret, context with argocdUrl', () => {
    const config = parseConfig({
      'service.slack': 'token: $slack-token\nusername: bot\n',
      'service.webhook.ci': 'url: https://ci.example.com/hook\nheaders:\n- name: X-Token\n  value: $ci-token\n',
      context: 'argocdUrl: https://cd.example.com\nenv: prod\n',
    }, { 'slack-token': 'xoxb-123', 'ci-token': 'tok-456' });
    assert.deepEqual(config.services.get('slack'), { name: 'slack', type: 'slack', options: { token: 'xoxb-123', username: 'bot' } });
    assert.deepEqual(config.services.get('ci')?.options.headers, [{ name: 'X-Token', value: 'tok-456' }]);
    assert.deepEqual(config.context, { argocdUrl: 'https://cd.example.com', env: 'prod' });
    assert.deepEqual(config.secretValues, ['xoxb-123', 'tok-456']);
  });

  test('a $key the Secret lacks makes that service unavailable with the fix, not the whole configuration', () => {
    const config = parseConfig({ 'service.slack': 'token: $slack-token\n', 'service.webhook.ci': 'url: https://ci\n' });
    assert.match(config.services.get('slack')?.unavailable ?? '', /service\.slack references \$slack-token, which Secret argocd-notifications-secret does not hold — add the key/);
    assert.equal(config.services.get('ci')?.unavailable, undefined);
  });

  test('triggers, templates, subscriptions, defaultTriggers and defaultTriggers.<service>', () => {
    const config = parseConfig({
      'trigger.on-prod-sync': "- when: app.metadata.labels.env == 'prod'\n  oncePer: app.status.sync.revision\n  send: [deployed]\n- send: [never]\n",
      'template.deployed': 'message: "{{.app.metadata.name}} deployed"\nslack:\n  groupingKey: "{{.app.metadata.name}}"\n  deliveryPolicy: PostAndUpdate\n',
      subscriptions: '- recipients: [slack:ops, email:ops@example.com]\n  triggers: [on-sync-failed]\n  selector: team=shop\n',
      defaultTriggers: '- on-sync-succeeded\n',
      'defaultTriggers.mattermost': '- on-deployed\n',
    });
    assert.deepEqual(config.triggers.get('on-prod-sync'), [
      { when: "app.metadata.labels.env == 'prod'", oncePer: 'app.status.sync.revision', send: ['deployed'] },
      { when: 'false', send: ['never'] },
    ]);
    assert.equal(config.templates.get('deployed')?.slack?.deliveryPolicy, 'PostAndUpdate');
    assert.deepEqual(config.subscriptions, [{ recipients: ['slack:ops', 'email:ops@example.com'], triggers: ['on-sync-failed'], selector: 'team=shop' }]);
    assert.deepEqual(config.defaultTriggers, ['on-sync-succeeded']);
    assert.deepEqual(config.serviceDefaultTriggers.get('mattermost'), ['on-deployed']);
  });

  const errors: readonly (readonly [Record<string, string>, RegExp])[] = [
    [{ 'trigger.on-x': 'when: true' }, /ConfigMap\/argocd\/argocd-notifications-cm trigger\.on-x: must be a list of conditions/],
    [{ 'trigger.on-x': '- when: [1]\n  send: [a]' }, /trigger\.on-x\[0\]\.when: must be an expression string/],
    [{ 'service.a.b.c': 'x: 1' }, /service\.a\.b\.c: invalid service key/],
    [{ 'template.t': 'message: [\n' }, /template\.t: not valid YAML/],
    [{ subscriptions: 'recipients: [a]' }, /subscriptions: must be a list/],
  ];
  for (const [data, message] of errors) {
    test(`refuses ${JSON.stringify(data)}`, () => {
      assert.throws(() => parseConfig(data), (error: unknown) => error instanceof NotificationsConfigError && message.test(error.message));
    });
  }
});

describe('compiling', () => {
  test('the catalog is there without configuration; a ConfigMap entry replaces a built-in one', () => {
    const compiled = compileNotifications(parseConfig({ 'template.app-sync-succeeded': 'message: custom\n' }));
    assert.deepEqual([...compiled.triggers.keys()].sort(), ['on-created', 'on-deleted', 'on-deployed', 'on-health-degraded', 'on-sync-failed', 'on-sync-running', 'on-sync-status-unknown', 'on-sync-succeeded']);
    assert.equal(compiled.templates.get('app-sync-succeeded')?.message?.execute({}), 'custom');
  });

  const refused: readonly (readonly [Record<string, string>, RegExp])[] = [
    [{ 'trigger.on-x': '- when: app.a | b\n  send: [app-sync-succeeded]\n' }, /trigger\.on-x\[0\]\.when: unsupported operator "\|"/],
    [{ 'trigger.on-x': '- when: "true"\n  send: [nope]\n' }, /trigger\.on-x\[0\]\.send: template "nope" is not defined/],
    [{ 'template.t': 'message: "{{.app | frobnicate}}"\n' }, /template\.t message: .*function "frobnicate" not defined/],
    [{ 'template.t': 'message: "{{(call .repo.GetCommitMetadata .app.status.sync.revision).Author}}"\n' }, /template\.t message: repo\.GetCommitMetadata is not supported/],
    [{ 'service.teams': 'recipientUrls: {}\n' }, /service\.teams: service type "teams" is not supported by Launchpad — use one of slack, webhook, github, email/],
    [{ 'service.slack': 'username: x\n' }, /service\.slack: no token/],
  ];
  for (const [data, message] of refused) {
    test(`refuses ${Object.keys(data).join(', ')}: ${message.source}`, () => {
      assert.throws(() => compileNotifications(parseConfig(data), {}, WHERE), (error: unknown) => error instanceof NotificationsConfigError && message.test(error.message) && error.message.startsWith(WHERE));
    });
  }
});

describe('subscriptions', () => {
  const config = parseConfig({ defaultTriggers: '- on-sync-failed\n', 'defaultTriggers.email': '- on-deployed\n', subscriptions: '- recipients: [slack:audit]\n  selector: team in (shop, web), env!=dev\n' });

  test('annotations on the app and its project, service default triggers, empty value = one empty recipient, selectors', () => {
    const destinations = destinationsFor({
      appAnnotations: { 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'a; b', 'notifications.argoproj.io/subscribe.slack': '', 'notifications.argoproj.io/subscribe.email': 'ops@example.com', unrelated: 'x' },
      appLabels: { team: 'shop', env: 'prod' },
      projectAnnotations: { 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'b;c' },
    }, config);
    assert.deepEqual(Object.fromEntries(destinations), {
      'on-sync-succeeded': [{ service: 'slack', recipient: 'a' }, { service: 'slack', recipient: 'b' }, { service: 'slack', recipient: 'c' }],
      'on-sync-failed': [{ service: 'slack', recipient: '' }, { service: 'slack', recipient: 'audit' }],
      'on-deployed': [{ service: 'email', recipient: 'ops@example.com' }],
    });
  });

  test('label selectors as Kubernetes reads them', () => {
    const select = compileSelector('team in (shop, web), env!=dev, tier, !legacy');
    assert.equal(select({ team: 'web', env: 'prod', tier: '1' }), true);
    assert.equal(select({ team: 'web', env: 'dev', tier: '1' }), false);
    assert.equal(select({ team: 'web', tier: '1', legacy: 'y' }), false);
    assert.equal(select({ team: 'ops', tier: '1' }), false);
  });
});

describe('dedup as Argo CD', () => {
  const compiled = compileNotifications(parseConfig({}));
  type Status = NonNullable<AppObject['status']> & Readonly<Record<string, unknown>>;
  const app = (status: Status, notified?: string): AppObject => ({
    metadata: { name: 'web', annotations: { 'notifications.argoproj.io/subscribe.on-deployed.slack': 'ch', 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'ch', ...(notified === undefined ? {} : { [NOTIFIED_ANNOTATION]: notified }) } },
    status,
  });
  const succeeded = (revision: string): Status => ({ operationState: { phase: 'Succeeded', syncResult: { revision } }, health: { status: 'Healthy' } });

  test('a true condition sends once; the key re-arms when it turns false; oncePer keys stay (rollback is silent)', () => {
    const first = evaluateApp(compiled, app(succeeded('r1')), undefined);
    assert.deepEqual(first.deliveries.map((delivery) => delivery.trigger).sort(), ['on-deployed', 'on-sync-succeeded']);
    assert.ok(first.deliveries.find((delivery) => delivery.trigger === 'on-deployed')?.stateKey.startsWith('r1:on-deployed:[0].'));
    const again = evaluateApp(compiled, app(succeeded('r1'), first.state.serialize()), undefined);
    assert.equal(again.deliveries.length, 0);
    const running = evaluateApp(compiled, app({ operationState: { phase: 'Running' } }, first.state.serialize()), undefined);
    assert.equal(running.deliveries.length, 0);
    const rollback = evaluateApp(compiled, app(succeeded('r1'), running.state.serialize()), undefined);
    assert.deepEqual(rollback.deliveries.map((delivery) => delivery.trigger), ['on-sync-succeeded']);
  });

  test('an unreadable annotation is an empty state; a status older than the operation is not evaluated yet', () => {
    assert.equal(evaluateApp(compiled, app(succeeded('r2'), '{not json'), undefined).deliveries.length, 2);
    assert.equal(statusRefreshed({ metadata: {}, status: { reconciledAt: '2030-01-01T00:00:00Z', operationState: { phase: 'Succeeded', finishedAt: '2030-01-01T00:00:05Z' } } }), false);
    assert.equal(statusRefreshed({ metadata: {}, status: { reconciledAt: '2030-01-01T00:00:06Z', operationState: { phase: 'Succeeded', finishedAt: '2030-01-01T00:00:05Z' } } }), true);
  });
});

test('the redactor replaces every Secret value, the longest first', () => {
  const redact = createRedactor(['abcd', 'abcdef', 'no']);
  assert.equal(redact('x abcdef y abcd z no'), 'x [redacted] y [redacted] z no');
});
