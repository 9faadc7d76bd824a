/**
 * GIVEN the conditions Argo CD's catalog and common configurations write WHEN evaluated against Applications
 * THEN they give what expr gives; unsupported constructs are refused at compile time, naming the construct; nothing
 * outside the data and the helpers is reachable.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExpressionError, compileExpression } from '../../../src/notifications/expr/compile.js';
import { notificationVars } from '../../../src/notifications/vars.js';

const APP = {
  metadata: { name: 'web', annotations: { 'example.com/version': 'v0.1' }, labels: { team: 'shop' } },
  spec: { source: { repoURL: 'git@github.com:acme/shop.git' } },
  status: {
    sync: { status: 'Synced', revision: 'abc123' },
    health: { status: 'Degraded' },
    operationState: { phase: 'Failed', startedAt: '2025-01-01T10:00:00Z', finishedAt: '2025-01-01T10:07:30Z', syncResult: { revision: 'abc123' } },
    conditions: [{ type: 'SyncError' }],
  },
};

const env = (app: unknown = APP): Readonly<Record<string, unknown>> => notificationVars({ app, context: { argocdUrl: 'https://cd.example.com' } });
const run = (source: string, app?: unknown): unknown => compileExpression(source).evaluate(env(app));

describe('expr conditions', () => {
  const cases: readonly (readonly [string, unknown])[] = [
    ["app.status.operationState.phase in ['Error', 'Failed']", true],
    ["app.status.operationState != nil and app.status.operationState.phase in ['Succeeded']", false],
    ["app.status.health.status == 'Degraded'", true],
    ["app.status.sync.status == 'Unknown' or not (app.status.health.status != 'Degraded')", true],
    ["app.status.sync.status == 'Synced' && !(app.status.health.status == 'Healthy')", true],
    ['app.status.operationState?.syncResult?.revision', 'abc123'],
    ['app.metadata.annotations["example.com/version"]', 'v0.1'],
    ['app.metadata.annotations["missing"] == nil', true],
    ['app.status.missing?.deeper.still', undefined],
    ["app.status.operationState.phase not in ['Succeeded']", true],
    ['len(app.status.conditions) > 0', true],
    ["'team' in app.metadata.labels", true],
    ["app.metadata.name matches '^w.b$'", true],
    ["app.metadata.name startsWith 'we' and app.metadata.name endsWith 'eb' and app.metadata.name contains 'e'", true],
    ['time.Parse(app.status.operationState.finishedAt).Sub(time.Parse(app.status.operationState.startedAt)).Minutes()', 7.5],
    ['time.Now().Sub(time.Parse(app.status.operationState.startedAt)).Minutes() >= 5', true],
    ['time.Parse(app.status.operationState.finishedAt).After(time.Parse(app.status.operationState.startedAt).Add(time.Minute * 7))', true],
    ["repo.FullNameByRepoURL(app.spec.source.repoURL) == 'acme/shop'", true],
    ["repo.RepoURLToHTTPS(app.spec.source.repoURL)", 'https://github.com/acme/shop.git'],
    ["strings.ToUpper(app.metadata.name) + '!'", 'WEB!'],
    ['1 + 2 * 3 == 7', true],
    ["app.status.sync.status == 'Synced' ? 'ok' : 'bad'", 'ok'],
    ['app.status.nothing ?? "fallback"', 'fallback'],
  ];
  for (const [source, expected] of cases) {
    test(source, () => {
      assert.deepEqual(run(source), expected);
    });
  }

  test('a field of nil is an error (the trigger is then false), as in expr', () => {
    assert.throws(() => run('app.status.operationState.phase == "Running"', { status: {} }), /cannot fetch phase from nil/);
  });

  test('durations scale and add like Go durations; a duration is not a number', () => {
    assert.equal(run('time.Minute * 2 == time.Minute + time.Minute'), true);
    assert.throws(() => run('time.Minute + 1'), /needs a number, got a duration/);
  });
});

describe('refused constructs', () => {
  const refused: readonly (readonly [string, RegExp])[] = [
    ['app.status.operationState.phase | upper', /unsupported operator "\|"/],
    ['all(app.status.conditions, {.type == "x"})', /cannot parse/],
    ['a === b', /unsupported operator "==="/],
    ['this.constructor', /unsupported construct.*"this"/],
    ['app.metadata.name app.metadata.name', /two expressions side by side/],
    ['a ~ b', /cannot parse|unsupported/],
  ];
  for (const [source, message] of refused) {
    test(source, () => {
      assert.throws(() => compileExpression(source), (error: unknown) => error instanceof ExpressionError && message.test(error.message));
    });
  }

  test('no prototype, constructor or global is reachable', () => {
    assert.equal(run('app.constructor'), undefined);
    assert.equal(run('app.metadata.__proto__'), undefined);
    assert.throws(() => run('process'), /unknown name "process"/);
    assert.throws(() => run('app.metadata.name.constructor'), /cannot index/);
    assert.throws(() => run('time.Now().constructor'), /has no method constructor/);
  });
});
