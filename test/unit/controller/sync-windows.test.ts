import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoSyncDecision } from '../../../src/controller/automation.js';
import type { AutoSyncInput } from '../../../src/controller/automation.js';
import { describeWindow, isAssigned, syncWindowVerdict } from '../../../src/controller/sync-windows.js';
import type { AppProject, Application } from '../../../src/model/application.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { SyncWindow } from '../../../src/model/sync-windows.js';
import { syncWindowLines } from '../../../src/cli/commands/app/sync-window-lines.js';

// A fixed clock: Wednesday 2026-03-04 10:30 UTC.
const NOW = Date.parse('2026-03-04T10:30:00Z');

function project(windows: readonly SyncWindow[]): AppProject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'shop' }, spec: { syncWindows: windows } };
}

function app(name = 'web', destination: Application['spec']['destination'] = { server: 'https://kubernetes.default.svc', namespace: 'shop' }): Application {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name }, spec: { project: 'shop', destination, source: { repoURL: 'https://git.example/repo.git', path: 'web' } } };
}

// Windows relative to NOW: one open since 10:00 for 1h, one that opens at 22:00, every day.
const OPEN_NOW = { schedule: '0 10 * * *', duration: '1h' };
const CLOSED_NOW = { schedule: '0 22 * * *', duration: '1h' };
const ALL = { applications: ['*'] };

const cases: readonly { readonly name: string; readonly windows: readonly SyncWindow[]; readonly auto: boolean; readonly manual: boolean }[] = [
  { name: 'no windows', windows: [], auto: true, manual: true },
  { name: 'active deny', windows: [{ kind: 'deny', ...OPEN_NOW, ...ALL }], auto: false, manual: false },
  { name: 'active deny with manualSync', windows: [{ kind: 'deny', ...OPEN_NOW, ...ALL, manualSync: true }], auto: false, manual: true },
  { name: 'two active denies, one without manualSync', windows: [{ kind: 'deny', ...OPEN_NOW, ...ALL, manualSync: true }, { kind: 'deny', ...OPEN_NOW, ...ALL }], auto: false, manual: false },
  { name: 'inactive deny', windows: [{ kind: 'deny', ...CLOSED_NOW, ...ALL }], auto: true, manual: true },
  { name: 'active allow', windows: [{ kind: 'allow', ...OPEN_NOW, ...ALL }], auto: true, manual: true },
  { name: 'inactive allow', windows: [{ kind: 'allow', ...CLOSED_NOW, ...ALL }], auto: false, manual: false },
  { name: 'inactive allow with manualSync', windows: [{ kind: 'allow', ...CLOSED_NOW, ...ALL, manualSync: true }], auto: false, manual: true },
  { name: 'two inactive allows, one without manualSync', windows: [{ kind: 'allow', ...CLOSED_NOW, ...ALL, manualSync: true }, { kind: 'allow', ...CLOSED_NOW, ...ALL }], auto: false, manual: false },
  { name: 'an active allow beside an inactive one', windows: [{ kind: 'allow', ...OPEN_NOW, ...ALL }, { kind: 'allow', ...CLOSED_NOW, ...ALL }], auto: true, manual: true },
  { name: 'active deny beats active allow', windows: [{ kind: 'allow', ...OPEN_NOW, ...ALL }, { kind: 'deny', ...OPEN_NOW, ...ALL }], auto: false, manual: false },
  { name: 'inactive deny beside inactive allow', windows: [{ kind: 'deny', ...CLOSED_NOW, ...ALL }, { kind: 'allow', ...CLOSED_NOW, ...ALL }], auto: false, manual: false },
  { name: 'active deny for another application only', windows: [{ kind: 'deny', ...OPEN_NOW, applications: ['billing-*'] }], auto: true, manual: true },
  { name: 'a deny window that names nothing applies to nothing', windows: [{ kind: 'deny', ...OPEN_NOW }], auto: true, manual: true },
  { name: 'active deny on the namespace', windows: [{ kind: 'deny', ...OPEN_NOW, namespaces: ['sh*'] }], auto: false, manual: false },
  { name: 'active deny on the cluster URL', windows: [{ kind: 'deny', ...OPEN_NOW, clusters: ['https://kubernetes.*'] }], auto: false, manual: false },
  { name: 'OR: application does not match but namespace does', windows: [{ kind: 'deny', ...OPEN_NOW, applications: ['other'], namespaces: ['shop'] }], auto: false, manual: false },
  { name: 'AND: application does not match, namespace does', windows: [{ kind: 'deny', ...OPEN_NOW, applications: ['other'], namespaces: ['shop'], andOperator: true }], auto: true, manual: true },
  { name: 'AND: application and namespace match', windows: [{ kind: 'deny', ...OPEN_NOW, applications: ['w?b'], namespaces: ['shop'], andOperator: true }], auto: false, manual: false },
  { name: 'deny open at 11:00 Berlin time (10:00 UTC)', windows: [{ kind: 'deny', schedule: '0 11 * * *', duration: '1h', timeZone: 'Europe/Berlin', ...ALL }], auto: false, manual: false },
  { name: 'deny at 10:00 New York time is not open at 10:30 UTC', windows: [{ kind: 'deny', schedule: '0 10 * * *', duration: '1h', timeZone: 'America/New_York', ...ALL }], auto: true, manual: true },
  { name: 'deny on weekends is not open on a Wednesday', windows: [{ kind: 'deny', schedule: '0 0 * * SAT', duration: '48h', ...ALL }], auto: true, manual: true },
  { name: 'deny 1h30m since 09:01 is still open', windows: [{ kind: 'deny', schedule: '1 9 * * *', duration: '1h30m', ...ALL }], auto: false, manual: false },
  { name: 'deny 1h since 09:00 closed at 10:00', windows: [{ kind: 'deny', schedule: '0 9 * * *', duration: '1h', ...ALL }], auto: true, manual: true },
];

for (const entry of cases) {
  test(`GIVEN ${entry.name} WHEN deciding THEN automated ${entry.auto ? 'syncs' : 'is blocked'} and manual ${entry.manual ? 'syncs' : 'is blocked'}`, () => {
    assert.equal(syncWindowVerdict(project(entry.windows), app(), { manual: false, now: NOW }).canSync, entry.auto);
    assert.equal(syncWindowVerdict(project(entry.windows), app(), { manual: true, now: NOW }).canSync, entry.manual);
  });
}

test('GIVEN a window on a cluster name WHEN the destination names the cluster THEN it matches the name, not only the server', () => {
  const window: SyncWindow = { kind: 'deny', ...OPEN_NOW, clusters: ['prod-*'] };
  assert.equal(isAssigned(window, app('web', { name: 'prod-eu', namespace: 'shop' })), true);
  assert.equal(isAssigned(window, app('web', { name: 'staging', namespace: 'shop' })), false);
});

test('GIVEN an active deny with syncOverrun WHEN the operation started before it opened THEN it may go on; one started inside may not', () => {
  const windows = project([{ kind: 'deny', ...OPEN_NOW, ...ALL, syncOverrun: true }]);
  assert.equal(syncWindowVerdict(windows, app(), { manual: false, now: NOW, operationStartedAt: Date.parse('2026-03-04T09:55:00Z') }).canSync, true);
  assert.equal(syncWindowVerdict(windows, app(), { manual: false, now: NOW, operationStartedAt: Date.parse('2026-03-04T10:05:00Z') }).canSync, false);
  const noOverrun = project([{ kind: 'deny', ...OPEN_NOW, ...ALL }]);
  assert.equal(syncWindowVerdict(noOverrun, app(), { manual: false, now: NOW, operationStartedAt: Date.parse('2026-03-04T09:55:00Z') }).canSync, false);
});

test('GIVEN an allow window that closed with syncOverrun WHEN the operation started inside it THEN it may go on', () => {
  const windows = project([{ kind: 'allow', schedule: '0 10 * * *', duration: '20m', ...ALL, syncOverrun: true }]);
  assert.equal(syncWindowVerdict(windows, app(), { manual: false, now: NOW, operationStartedAt: Date.parse('2026-03-04T10:10:00Z') }).canSync, true);
  assert.equal(syncWindowVerdict(windows, app(), { manual: false, now: NOW }).canSync, false);
});

test('GIVEN an active deny WHEN deciding THEN the next change is its end; an inactive one opens at its next start', () => {
  const active = syncWindowVerdict(project([{ kind: 'deny', ...OPEN_NOW, ...ALL }]), app(), { manual: false, now: NOW });
  assert.equal(new Date(active.nextChangeAt ?? 0).toISOString(), '2026-03-04T11:00:00.000Z');
  assert.deepEqual(active.active.map((window) => describeWindow(window, NOW)), ['deny "0 10 * * *" for 1h (active)']);
  const inactive = syncWindowVerdict(project([{ kind: 'allow', ...CLOSED_NOW, ...ALL }]), app(), { manual: false, now: NOW });
  assert.equal(new Date(inactive.nextChangeAt ?? 0).toISOString(), '2026-03-04T22:00:01.000Z');
});

test('GIVEN a deny window that reopens every minute for an hour WHEN deciding THEN it never closes and no re-check is scheduled', () => {
  const verdict = syncWindowVerdict(project([{ kind: 'deny', schedule: '* * * * *', duration: '1h', ...ALL }]), app(), { manual: false, now: NOW });
  assert.equal(verdict.canSync, false);
  assert.equal(verdict.nextChangeAt, undefined);
});

const invalid: readonly { readonly window: SyncWindow; readonly field: string; readonly says: RegExp }[] = [
  { window: { kind: 'deny', schedule: '0 25 * * *', duration: '1h', ...ALL }, field: 'schedule', says: /cannot parse schedule "0 25 \* \* \*".*five cron fields/ },
  { window: { kind: 'deny', schedule: '0 0 10 * * *', duration: '1h', ...ALL }, field: 'schedule', says: /expected exactly 5 fields, found 6/ },
  { window: { kind: 'deny', schedule: '@daily', duration: '1h', ...ALL }, field: 'schedule', says: /descriptors such as @daily/ },
  { window: { kind: 'deny', schedule: '0 0 L * *', duration: '1h', ...ALL }, field: 'schedule', says: /"L" is not a cron field Argo CD accepts/ },
  { window: { kind: 'deny', schedule: '0 22 * * *', duration: '1 hour', ...ALL }, field: 'duration', says: /cannot parse duration "1 hour" — use a Go duration such as "1h"/ },
  { window: { kind: 'deny', schedule: '0 22 * * *', ...ALL }, field: 'duration', says: /duration is missing/ },
  { window: { kind: 'block', schedule: '0 22 * * *', duration: '1h', ...ALL }, field: 'kind', says: /kind "block" is neither allow nor deny — set kind: allow or kind: deny/ },
];

for (const entry of invalid) {
  test(`GIVEN a window with a bad ${entry.field} WHEN deciding THEN syncs are blocked, manual ones too, and the problem names the field and the fix`, () => {
    const verdict = syncWindowVerdict(project([entry.window]), app(), { manual: true, now: NOW });
    assert.equal(verdict.canSync, false);
    assert.equal(verdict.problems.length, 1);
    assert.ok(verdict.problems[0]?.startsWith(`AppProject/shop spec.syncWindows[0].${entry.field}: `), verdict.problems[0]);
    assert.match(verdict.problems[0] ?? '', entry.says);
  });
}

test('GIVEN a bad window for another application WHEN deciding for this one THEN it neither blocks nor is reported', () => {
  const verdict = syncWindowVerdict(project([{ kind: 'deny', schedule: 'nope', duration: '1h', applications: ['billing'] }]), app(), { manual: false, now: NOW });
  assert.equal(verdict.canSync, true);
  assert.deepEqual(verdict.problems, []);
});

test('GIVEN an unknown time zone WHEN deciding THEN the schedule is read in UTC, as Argo CD does, and the problem is reported', () => {
  const verdict = syncWindowVerdict(project([{ kind: 'deny', ...OPEN_NOW, ...ALL, timeZone: 'Mars/Olympus' }]), app(), { manual: false, now: NOW });
  assert.equal(verdict.canSync, false);
  assert.equal(verdict.problems.length, 1);
  assert.match(verdict.problems[0] ?? '', /^AppProject\/shop spec\.syncWindows\[0\]\.timeZone: unknown time zone "Mars\/Olympus", so the schedule is read in UTC .* use an IANA name/);
});

function autoInput(syncWindows: AutoSyncInput['syncWindows']): AutoSyncInput {
  const base = app();
  return {
    app: { ...base, spec: { ...base.spec, syncPolicy: { automated: { selfHeal: true } } } },
    sync: 'OutOfSync', resources: [], revisions: ['abc123'], desiredCount: 1, operationState: undefined, operationRunning: false,
    now: NOW, selfHealTimeoutMs: 5_000, ...(syncWindows === undefined ? {} : { syncWindows }),
  };
}

test('GIVEN an automated app out of sync WHEN a window blocks THEN the decision is blocked with a re-check when the window changes', () => {
  assert.equal(autoSyncDecision(autoInput(undefined)).action, 'sync');
  assert.equal(autoSyncDecision(autoInput({ canSync: true })).action, 'sync');
  const blocked = autoSyncDecision(autoInput({ canSync: false, nextChangeAt: NOW + 30 * 60_000 }));
  assert.ok(blocked.action === 'blocked', blocked.action);
  assert.equal(blocked.recheckAfterMs, 30 * 60_000);
  assert.match(blocked.reason, /sync prevented by sync window/);
});

test('GIVEN an app in sync WHEN a window blocks THEN nothing is reported as blocked (there was nothing to sync)', () => {
  assert.equal(autoSyncDecision({ ...autoInput({ canSync: false }), sync: 'Synced' }).action, 'none');
});

test('GIVEN windows on the project WHEN `app get` describes the app THEN it says Sync Denied, Manual Allowed or Sync Allowed as argocd app get does', () => {
  const object = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'web' }, spec: { project: 'shop', destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } } };
  const projectObject = (windows: readonly SyncWindow[]): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'shop' }, spec: { syncWindows: windows } });
  const status = (windows: readonly SyncWindow[]): string | undefined => syncWindowLines(object, projectObject(windows), NOW)[0]?.[1];
  assert.equal(status([{ kind: 'deny', ...OPEN_NOW, ...ALL }]), 'Sync Denied');
  assert.equal(status([{ kind: 'deny', ...OPEN_NOW, ...ALL, manualSync: true }]), 'Manual Allowed');
  assert.equal(status([{ kind: 'allow', ...CLOSED_NOW, ...ALL, manualSync: true }]), 'Manual Allowed');
  assert.equal(status([{ kind: 'allow', ...OPEN_NOW, ...ALL }]), 'Sync Allowed');
  assert.equal(status([{ kind: 'deny', ...CLOSED_NOW, ...ALL }]), 'Sync Allowed');
  assert.deepEqual(syncWindowLines(object, projectObject([{ kind: 'deny', ...OPEN_NOW, applications: ['other'] }]), NOW), [], 'no window assigned: nothing shown');
  assert.deepEqual(syncWindowLines(object, projectObject([{ kind: 'deny', schedule: 'soon', duration: '1h', ...ALL }]), NOW).map(([label]) => label), ['Sync Window', 'Window Problems']);
});
