/**
 * Leader election on a real API server (tier 1): two candidates on one Lease, a leader that dies without releasing,
 * a leader whose API calls fail, a release, unreadable Leases — and two real processes, one killed with SIGKILL.
 * Waits are bounded (eventually) so a broken elector fails; assertions are about the order of events and who holds
 * the Lease, not about how fast it happened.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createLeaderElector, microTime, parseLeaseRecord } from '../../../src/controller/leader.js';
import type { LeaderElectionOptions, LeaderElector } from '../../../src/controller/leader.js';
import { KubeError } from '../../../src/errors.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/index.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { controlPlaneSkipReason, eventually, startControlPlane } from '../../../src/testing/index.js';

const NAMESPACE = 'leader-election';
/** Short timings for the in-process tests; the process test uses the defaults. */
const FAST = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 } as const;
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

type Fault = 'none' | 'hang' | 'fail';

/** A client whose calls can be made to hang forever (a frozen or killed process) or to fail with retryable errors. */
interface FaultyClient {
  readonly client: KubeClient;
  fault: Fault;
  /** Rewrites what get() returns (to serve a Lease with fields of the wrong type). */
  corruptGet?: (object: KubeObject) => KubeObject;
}

/** Calls the elector makes; every other method goes straight through. */
const GUARDED = new Set<PropertyKey>(['get', 'create', 'replace', 'apply', 'patch', 'delete', 'list']);

function faulty(inner: KubeClient): FaultyClient {
  const guard = (call: () => Promise<unknown>): Promise<unknown> => {
    if (state.fault === 'hang') return new Promise(() => undefined);
    if (state.fault === 'fail') {
      return Promise.reject(new KubeError(`Lease/${NAMESPACE}`, 'injected failure: HTTP 503 ServiceUnavailable', { status: 503, reason: 'ServiceUnavailable', errorClass: 'retryable' }));
    }
    return call();
  };
  const client = new Proxy(inner, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!GUARDED.has(property)) return (...args: unknown[]) => method.apply(target, args);
      return (...args: unknown[]) =>
        guard(async () => {
          const result = await method.apply(target, args);
          const corrupt = state.corruptGet;
          return property === 'get' && result !== undefined && corrupt !== undefined ? corrupt(result as KubeObject) : result;
        });
    },
  });
  const state: FaultyClient = { fault: 'none', client };
  return state;
}

/** One candidate: its elector, what it saw, and the run it is in. */
interface Candidate {
  readonly id: string;
  readonly elector: LeaderElector;
  readonly stop: AbortController;
  readonly newLeaders: string[];
  readonly logs: string[];
  /** The leading signal was aborted when onStoppedLeading ran. */
  readonly abortedBeforeStopped: boolean[];
  readonly leading: AbortSignal | undefined;
  readonly done: Promise<void>;
}

type CandidateOptions = Partial<Pick<LeaderElectionOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>>;

describe('leader election on a Lease, on a real API server', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let admin: KubeClient;
  const candidates: Candidate[] = [];
  const children: ChildProcess[] = [];

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    admin = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    for (const candidate of candidates) candidate.stop.abort();
    await Promise.race([Promise.all(candidates.map((candidate) => candidate.done)), sleep(15_000)]);
    admin.close?.();
    await plane.stop();
  });

  const lease = async (name: string): Promise<KubeObject> => {
    const object = await admin.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: NAMESPACE, name });
    assert.ok(object !== undefined, `Lease ${name} exists`);
    return object;
  };
  const spec = async (name: string): Promise<Record<string, unknown>> => (await lease(name)).spec as Record<string, unknown>;

  /** Starts a candidate; `events` gets "<id> started", "<id> aborted", "<id> stopped: <reason>" in order. */
  interface Setup {
    readonly lease: string;
    readonly events: string[];
    /** @default the admin client */
    readonly client?: KubeClient;
    /** @default FAST */
    readonly timing?: CandidateOptions;
  }

  function candidate(id: string, setup: Setup): Candidate {
    const { lease: leaseName, events, client = admin, timing = FAST } = setup;
    const stop = new AbortController();
    const newLeaders: string[] = [];
    const logs: string[] = [];
    const abortedBeforeStopped: boolean[] = [];
    const self: { leading: AbortSignal | undefined } = { leading: undefined };
    const elector = createLeaderElector({
      client,
      namespace: NAMESPACE,
      name: leaseName,
      identity: id,
      ...timing,
      onStartedLeading: (signal) => {
        self.leading = signal;
        events.push(`${id} started`);
        signal.addEventListener('abort', () => events.push(`${id} aborted`), { once: true });
      },
      onStoppedLeading: (reason) => {
        abortedBeforeStopped.push(self.leading?.aborted === true);
        events.push(`${id} stopped: ${reason}`);
      },
      onNewLeader: (leader) => newLeaders.push(leader),
      log: (message) => logs.push(message),
    });
    const created: Candidate = {
      id,
      elector,
      stop,
      newLeaders,
      logs,
      abortedBeforeStopped,
      get leading() {
        return self.leading;
      },
      done: elector.run(stop.signal),
    };
    candidates.push(created);
    return created;
  }

  const leads = (who: Candidate) => () => Promise.resolve(who.elector.isLeader());
  const finish = async (...who: Candidate[]): Promise<void> => {
    for (const one of who) one.stop.abort();
    await Promise.all(who.map((one) => one.done));
  };

  test('GIVEN two candidates on one Lease THEN exactly one leads, the Lease names it and the other sees it as leader', async () => {
    const events: string[] = [];
    const a = candidate('a-1', { lease: 'two-candidates', events });
    const b = candidate('b-1', { lease: 'two-candidates', events });
    const leader = await eventually(() => Promise.resolve([a, b].find((one) => one.elector.isLeader())), { what: 'a leader', timeoutMs: 15_000, intervalMs: 50 });
    const standby = leader === a ? b : a;
    await sleep(4 * FAST.retryPeriodMs); // several renewals and tries later, still one leader
    assert.equal(leader.elector.isLeader(), true);
    assert.equal(standby.elector.isLeader(), false);
    assert.deepEqual(events, [`${leader.id} started`]);
    const record = await spec('two-candidates');
    assert.equal(record.holderIdentity, leader.id);
    assert.equal(record.leaseDurationSeconds, 3);
    assert.equal(record.leaseTransitions, 0);
    assert.match(String(record.acquireTime), MICRO_TIME);
    assert.match(String(record.renewTime), MICRO_TIME);
    assert.deepEqual(standby.newLeaders, [leader.id]);
    assert.deepEqual(leader.newLeaders, [leader.id]);
    assert.equal(leader.leading?.aborted, false);
    await finish(a, b);
  });

  test('GIVEN the leader stops without releasing (killed) THEN the standby takes over once the lease runs out', async () => {
    const events: string[] = [];
    const frozen = faulty(admin);
    const a = candidate('a-2', { lease: 'killed-leader', events, client: frozen.client });
    await eventually(leads(a), { what: 'a-2 leading', timeoutMs: 15_000, intervalMs: 50 });
    const b = candidate('b-2', { lease: 'killed-leader', events });
    await eventually(() => Promise.resolve(b.newLeaders.includes('a-2')), { what: 'b-2 seeing a-2 lead', timeoutMs: 15_000, intervalMs: 50 });

    frozen.fault = 'hang'; // like SIGKILL: nothing more reaches the API server, nothing is released
    const bound = FAST.leaseDurationMs + 2 * FAST.retryPeriodMs;
    await eventually(leads(b), { what: 'b-2 taking over', timeoutMs: bound + 10_000, intervalMs: 50 });

    const record = await spec('killed-leader');
    assert.equal(record.holderIdentity, 'b-2');
    assert.equal(record.leaseTransitions, 1);
    assert.ok(events.indexOf('a-2 started') < events.indexOf('b-2 started'), events.join(', '));
    await finish(a, b);
  });

  test('GIVEN the leader\'s API calls fail THEN after renewDeadline its signal aborts and it stops leading, before the standby takes over', async () => {
    const events: string[] = [];
    const failing = faulty(admin);
    const a = candidate('a-3', { lease: 'failing-leader', events, client: failing.client });
    await eventually(leads(a), { what: 'a-3 leading', timeoutMs: 15_000, intervalMs: 50 });
    const b = candidate('b-3', { lease: 'failing-leader', events });
    await eventually(() => Promise.resolve(b.newLeaders.includes('a-3')), { what: 'b-3 seeing a-3 lead', timeoutMs: 15_000, intervalMs: 50 });

    failing.fault = 'fail';
    await eventually(leads(b), { what: 'b-3 taking over', timeoutMs: FAST.leaseDurationMs + 2 * FAST.retryPeriodMs + 10_000, intervalMs: 50 });
    await a.done; // leadership lost ends run()

    assert.deepEqual(events.slice(0, 3), ['a-3 started', 'a-3 aborted', `a-3 stopped: no renewal succeeded within ${FAST.renewDeadlineMs} ms`]);
    assert.equal(events[3], 'b-3 started');
    assert.deepEqual(a.abortedBeforeStopped, [true]);
    assert.equal(a.elector.isLeader(), false);
    assert.ok(a.logs.some((line) => line.includes('retryable error') && line.includes('injected failure')), a.logs.join('\n'));
    assert.equal((await spec('failing-leader')).holderIdentity, 'b-3');
    await finish(b);
  });

  test('GIVEN release() THEN the standby takes over at once (long before the lease would run out) and leaseTransitions increments', async () => {
    const slow = { leaseDurationMs: 60_000, renewDeadlineMs: 40_000, retryPeriodMs: 500 };
    const events: string[] = [];
    const a = candidate('a-4', { lease: 'released', events, timing: slow });
    await eventually(leads(a), { what: 'a-4 leading', timeoutMs: 15_000, intervalMs: 50 });
    const b = candidate('b-4', { lease: 'released', events, timing: slow });
    await eventually(() => Promise.resolve(b.newLeaders.includes('a-4')), { what: 'b-4 seeing a-4 lead', timeoutMs: 15_000, intervalMs: 50 });
    const before = await spec('released');

    await a.elector.release();
    assert.equal(a.elector.isLeader(), false);
    assert.equal(a.leading?.aborted, true);
    assert.deepEqual(events.slice(0, 3), ['a-4 started', 'a-4 aborted', 'a-4 stopped: released the lease']);
    await a.done;

    await eventually(leads(b), { what: 'b-4 taking over after the release', timeoutMs: 15_000, intervalMs: 50 });
    const record = await spec('released');
    assert.equal(record.holderIdentity, 'b-4');
    assert.equal(record.leaseTransitions, Number(before.leaseTransitions) + 1);
    assert.equal(record.leaseDurationSeconds, 60);
    await finish(b);
  });

  test('GIVEN run\'s signal aborts while leading THEN the Lease is released and run resolves', async () => {
    const events: string[] = [];
    const a = candidate('a-5', { lease: 'aborted-run', events });
    await eventually(leads(a), { what: 'a-5 leading', timeoutMs: 15_000, intervalMs: 50 });
    await finish(a);
    assert.deepEqual(events, ['a-5 started', 'a-5 aborted', 'a-5 stopped: released the lease']);
    const record = await spec('aborted-run');
    assert.equal(record.holderIdentity, '');
    assert.equal(record.leaseDurationSeconds, 1);
  });

  test('GIVEN a Lease without duration or renew time THEN a candidate takes it over (same object, by resourceVersion)', async () => {
    const created = await admin.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'incomplete', namespace: NAMESPACE }, spec: { holderIdentity: 'ghost' } });
    const events: string[] = [];
    const a = candidate('a-6', { lease: 'incomplete', events });
    await eventually(leads(a), { what: 'a-6 taking over', timeoutMs: 15_000, intervalMs: 50 });
    const taken = await lease('incomplete');
    assert.equal(taken.metadata.uid, created.metadata.uid);
    assert.equal((taken.spec as Record<string, unknown>).holderIdentity, 'a-6');
    assert.equal((taken.spec as Record<string, unknown>).leaseTransitions, 1);
    assert.deepEqual(a.newLeaders, ['ghost', 'a-6']);
    await finish(a);
  });

  test('GIVEN a Lease whose fields have the wrong types THEN it counts as expired and is taken over with its resourceVersion', async () => {
    const now = microTime();
    const created = await admin.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'garbage', namespace: NAMESPACE },
      spec: { holderIdentity: 'ghost', leaseDurationSeconds: 3600, acquireTime: now, renewTime: now, leaseTransitions: 7 },
    });
    // The server holds a valid hour-long lease of "ghost"; the candidate reads it with every field of the wrong type.
    const corrupt = faulty(admin);
    corrupt.corruptGet = (object) => ({ ...object, spec: { holderIdentity: 42, leaseDurationSeconds: 'forever', renewTime: 'yesterday', leaseTransitions: 'many' } });
    assert.equal(parseLeaseRecord(corrupt.corruptGet(created)), undefined);
    const events: string[] = [];
    const a = candidate('a-7', { lease: 'garbage', events, client: corrupt.client });
    await eventually(leads(a), { what: 'a-7 taking over', timeoutMs: 15_000, intervalMs: 50 });
    const taken = await lease('garbage');
    assert.equal(taken.metadata.uid, created.metadata.uid);
    assert.equal((taken.spec as Record<string, unknown>).holderIdentity, 'a-7');
    assert.ok(a.logs.some((line) => line.includes('wrong type')), a.logs.join('\n'));
    await finish(a);
  });

  test('GIVEN two controller processes WHEN the leader is killed with SIGKILL THEN the other prints LEADER within 20 s (default timings)', async (t) => {
    const script = fileURLToPath(new URL('./fixtures/leader-process.js', import.meta.url));
    const outputs = new Map<string, string[]>();
    const start = (id: string): ChildProcess => {
      const child = spawn(process.execPath, [script, plane.kubeconfigPath, NAMESPACE, 'processes', id], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      const lines: string[] = [];
      outputs.set(id, lines);
      let buffered = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        lines.push(...parts);
      });
      child.stderr.resume();
      return child;
    };
    const printed = (id: string, line: string) => () => Promise.resolve(outputs.get(id)?.includes(line) === true);
    const exited = (child: ChildProcess): Promise<void> => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else
        child.once('exit', () => {
          resolve();
        });
    });

    const first = start('proc-a');
    await eventually(printed('proc-a', 'LEADER proc-a'), { what: 'proc-a leading', timeoutMs: 30_000, intervalMs: 50 });
    const second = start('proc-b');
    await eventually(printed('proc-b', 'NEW-LEADER proc-a'), { what: 'proc-b seeing proc-a lead', timeoutMs: 30_000, intervalMs: 50 });
    assert.equal(outputs.get('proc-b')?.includes('LEADER proc-b'), false);

    assert.ok(first.pid !== undefined);
    const killedAt = Date.now();
    process.kill(first.pid, 'SIGKILL');
    await Promise.race([exited(first), sleep(5_000)]);
    assert.equal(first.signalCode, 'SIGKILL');

    await eventually(printed('proc-b', 'LEADER proc-b'), { what: 'proc-b taking over within 20 s of the SIGKILL', timeoutMs: 20_000, intervalMs: 50 });
    const tookOverMs = Date.now() - killedAt;
    assert.ok(tookOverMs < 20_000, `took over after ${tookOverMs} ms`);
    t.diagnostic(`proc-b took over ${tookOverMs} ms after proc-a was killed`);
    assert.equal((await spec('processes')).holderIdentity, 'proc-b');

    // SIGTERM drains: the survivor releases the Lease and exits.
    assert.ok(second.pid !== undefined);
    process.kill(second.pid, 'SIGTERM');
    await Promise.race([exited(second), sleep(15_000)]);
    assert.equal(second.exitCode, 0);
    assert.ok(outputs.get('proc-b')?.includes('STOPPED proc-b released the lease'), outputs.get('proc-b')?.join('\n'));
    assert.equal((await spec('processes')).holderIdentity, '');
  });
});

describe('leader election options', () => {
  const client = {} as KubeClient;
  const callbacks = { onStartedLeading: () => undefined, onStoppedLeading: () => undefined };

  test('timings must satisfy retryPeriod < renewDeadline < leaseDuration; names must not be empty', () => {
    const base = { client, namespace: 'ns', identity: 'me', ...callbacks };
    assert.throws(() => createLeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /invalid timing/);
    assert.throws(() => createLeaderElector({ ...base, retryPeriodMs: 0 }), /invalid timing/);
    assert.throws(() => createLeaderElector({ ...base, renewDeadlineMs: 2_000 }), /invalid timing/);
    assert.throws(() => createLeaderElector({ ...base, identity: '' }), /identity is empty/);
    assert.throws(() => createLeaderElector({ ...base, namespace: '' }), /namespace is empty/);
    assert.equal(createLeaderElector(base).isLeader(), false);
  });

  test('times are RFC 3339 with microseconds; a record with wrong types does not parse', () => {
    assert.equal(microTime(new Date(Date.UTC(2026, 11, 1, 10, 0, 0, 123))), '2026-12-01T10:00:00.123000Z');
    const lease = (spec: unknown): KubeObject => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec });
    assert.deepEqual(parseLeaseRecord(lease({ holderIdentity: 'x', leaseDurationSeconds: 15, leaseTransitions: 2 })), { holderIdentity: 'x', leaseDurationSeconds: 15, acquireTime: undefined, leaseTransitions: 2 });
    assert.deepEqual(parseLeaseRecord(lease(undefined)), { holderIdentity: '', leaseDurationSeconds: 0, acquireTime: undefined, leaseTransitions: 0 });
    for (const bad of [[], 'x', { holderIdentity: 1 }, { leaseDurationSeconds: '15' }, { leaseDurationSeconds: 1.5 }, { leaseTransitions: -1 }, { renewTime: 'soon' }, { acquireTime: 5 }]) {
      assert.equal(parseLeaseRecord(lease(bad)), undefined, JSON.stringify(bad));
    }
  });
});
