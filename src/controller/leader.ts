/**
 * Leader election on a `coordination.k8s.io/v1` Lease, so that several controller replicas run with one leader — the
 * behaviour of client-go's leaderelection package:
 *   - a candidate tries every retryPeriod: it creates the Lease when missing, and takes it over (a PUT carrying the
 *     observed resourceVersion, so exactly one of several candidates wins) when it is free, released or expired;
 *   - "expired" is judged by *local* time: when this process last saw the Lease's record change, plus the record's
 *     leaseDurationSeconds; the holder's clock (renewTime) is never compared with ours, so skew between nodes is harmless;
 *   - the leader renews every retryPeriod; when no renewal has succeeded for renewDeadline (< leaseDuration) it stops
 *     leading at once, before a standby can take over;
 *   - release() hands the Lease over at once (empty holder, 1 s duration) for a draining replica.
 * API failures never escape run(): they are logged with their class (retryable or terminal) and retried.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeError, LaunchpadError, describeError } from '../errors.js';
import type { KubeClient, ObjectRef } from '../kube/types.js';
import type { KubeObject } from '../model/resource.js';

export interface LeaderElectionOptions {
  readonly client: KubeClient;
  /** Where the Lease lives. */
  readonly namespace: string;
  /** @default 'launchpad-controller' */
  readonly name?: string;
  /** This process: pod name plus a random suffix, unique among the candidates. */
  readonly identity: string;
  /** How long a standby waits, after it last saw the Lease change, before it takes the Lease over. @default 15_000 */
  readonly leaseDurationMs?: number;
  /** How long the leader keeps retrying failed renewals before it gives up leading; < leaseDurationMs. @default 10_000 */
  readonly renewDeadlineMs?: number;
  /** Time between tries to acquire or renew; < renewDeadlineMs. @default 2_000 */
  readonly retryPeriodMs?: number;
  /** Called when this process becomes leader; `signal` aborts the moment leadership is lost or released. */
  readonly onStartedLeading: (signal: AbortSignal) => void;
  /** Called once after leading ends (lost or released); not called for a candidate that never led. */
  readonly onStoppedLeading: (reason: string) => void;
  /** Called whenever another holder (or this process) is seen to hold the Lease. */
  readonly onNewLeader?: (identity: string) => void;
  readonly log?: (message: string) => void;
}

export interface LeaderElector {
  /**
   * Competes for the Lease, then leads until `signal` aborts (the Lease is then released), release() is called or
   * leadership is lost. Resolves then; never rejects for API errors. An elector runs once.
   */
  run(signal: AbortSignal): Promise<void>;
  /** Stops competing; a leader hands the Lease over (standbys take it at once) and its leading signal aborts. */
  release(): Promise<void>;
  isLeader(): boolean;
}

export const DEFAULT_LEASE_NAME = 'launchpad-controller';
export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;

const LEASE_API_VERSION = 'coordination.k8s.io/v1';
const LEASE_KIND = 'Lease';
/** Waits between acquire tries get up to this share of retryPeriod added, so candidates do not move in lockstep. */
const JITTER = 0.1;

/** The leader election record as the Lease's spec holds it. */
interface LeaseRecord {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime: string | undefined;
  readonly leaseTransitions: number;
}

type Attempt =
  | { readonly kind: 'acquired' }
  | { readonly kind: 'held'; readonly holder: string; readonly expiresAt: number }
  | { readonly kind: 'failed' };

const ACQUIRED: Attempt = { kind: 'acquired' };
const FAILED: Attempt = { kind: 'failed' };

/** RFC 3339 with microseconds, as Kubernetes writes MicroTime: 2026-12-01T10:00:00.000000Z. */
export function microTime(date: Date = new Date()): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

/** Read through a call, so that a check after an await is not narrowed away by one before it. */
const isAborted = (signal: AbortSignal): boolean => signal.aborted;
const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): boolean => value === undefined || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * The record in a Lease's spec, or undefined when a field has the wrong type (such a Lease counts as expired). Missing
 * fields read as client-go reads them: no holder is a free Lease, no duration an expired one.
 */
export function parseLeaseRecord(lease: KubeObject): LeaseRecord | undefined {
  const spec = lease.spec ?? {};
  if (!isRecord(spec)) return undefined;
  const { holderIdentity = '', leaseDurationSeconds = 0, acquireTime, renewTime, leaseTransitions = 0 } = spec;
  if (typeof holderIdentity !== 'string' || !isCount(leaseDurationSeconds) || !isCount(leaseTransitions)) return undefined;
  if (!isTime(acquireTime) || !isTime(renewTime)) return undefined;
  return { holderIdentity, leaseDurationSeconds, acquireTime: acquireTime as string | undefined, leaseTransitions };
}

/** A Lease's transition count even when the rest of its record is unreadable. */
const transitionsOf = (lease: KubeObject): number => (isRecord(lease.spec) && isCount(lease.spec.leaseTransitions) ? lease.spec.leaseTransitions : 0);

function describeFailure(error: unknown): string {
  if (error instanceof KubeError) return `${error.retryable ? 'retryable' : 'terminal'} error: ${error.message}`;
  return `unexpected error: ${describeError(error)}`;
}

/** Resolves true after `ms`, false at once when `signal` aborts (before or during the wait). */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(Math.max(0, ms), undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` for at most `ms`: then its signal aborts (so it sends nothing more) and the result is a retryable
 * KubeError. A call still in flight is left to finish; its outcome is ignored.
 */
async function withTimeout<T>(subject: string, ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const attempt = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      attempt.abort();
      reject(new KubeError(subject, `no answer within ${ms} ms`, { errorClass: 'retryable' }));
    }, Math.max(0, ms));
  });
  const pending = work(attempt.signal);
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
    pending.catch(() => undefined);
  }
}

interface Timing {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

function timingOf(options: LeaderElectionOptions): Timing {
  const timing = {
    leaseDurationMs: options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS,
    renewDeadlineMs: options.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS,
    retryPeriodMs: options.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS,
  };
  const valid = timing.retryPeriodMs > 0 && timing.renewDeadlineMs > timing.retryPeriodMs && timing.leaseDurationMs > timing.renewDeadlineMs;
  if (!valid || !Object.values(timing).every(Number.isFinite)) {
    throw new LaunchpadError(`leader election: invalid timing ${JSON.stringify(timing)}`, { fix: 'use 0 < retryPeriodMs < renewDeadlineMs < leaseDurationMs' });
  }
  return timing;
}

/** Checks the options and returns an elector; nothing is sent until run(). */
export function createLeaderElector(options: LeaderElectionOptions): LeaderElector {
  const timing = timingOf(options);
  for (const [field, value] of [['namespace', options.namespace], ['name', options.name ?? DEFAULT_LEASE_NAME], ['identity', options.identity]] as const) {
    if (value === '') throw new LaunchpadError(`leader election: ${field} is empty`);
  }
  return new LeaseElector(options, timing);
}

class LeaseElector implements LeaderElector {
  private readonly ref: ObjectRef;
  private readonly subject: string;
  private readonly durationSeconds: number;
  /** Aborted by release(): ends the run loop. */
  private readonly stopper = new AbortController();
  private running: Promise<void> | undefined;
  /** Set while leading; aborting it tells the leader's work to stop. */
  private leading: AbortController | undefined;
  /** The Lease as last read or written, and when (local monotonic ms) its spec last changed as seen from here. */
  private lastLease: KubeObject | undefined;
  private observedSpec: string | undefined;
  private observedAt = 0;
  private reportedLeader: string | undefined;

  constructor(
    private readonly options: LeaderElectionOptions,
    private readonly timing: Timing,
  ) {
    const name = options.name ?? DEFAULT_LEASE_NAME;
    this.ref = { apiVersion: LEASE_API_VERSION, kind: LEASE_KIND, namespace: options.namespace, name };
    this.subject = `Lease/${options.namespace}/${name}`;
    this.durationSeconds = Math.max(1, Math.ceil(timing.leaseDurationMs / 1000));
  }

  isLeader(): boolean {
    return this.leading !== undefined;
  }

  run(signal: AbortSignal): Promise<void> {
    if (this.running !== undefined) return Promise.reject(new LaunchpadError('leader election: run() was already called; an elector runs once'));
    this.running = this.loop(AbortSignal.any([signal, this.stopper.signal]));
    return this.running;
  }

  async release(): Promise<void> {
    this.stopper.abort();
    if (this.running !== undefined) await this.running;
  }

  private log(message: string): void {
    this.options.log?.(`leader election ${this.subject} (${this.options.identity}): ${message}`);
  }

  private async loop(stop: AbortSignal): Promise<void> {
    if (!(await this.acquire(stop))) return;
    this.startLeading();
    const lost = await this.renew(stop);
    if (lost === undefined) {
      await this.handOver();
      this.stopLeading('released the lease');
    } else {
      this.stopLeading(lost);
    }
  }

  /** Tries until the Lease is ours (true) or `stop` aborts (false). */
  private async acquire(stop: AbortSignal): Promise<boolean> {
    this.log('waiting to acquire the lease');
    for (;;) {
      if (stop.aborted) return false;
      const attempt = await this.tryAcquireOrRenew(this.timing.renewDeadlineMs);
      if (attempt.kind === 'acquired') return true;
      let wait = this.timing.retryPeriodMs * (1 + Math.random() * JITTER);
      // Come back the moment the holder's lease runs out, rather than up to a retry period later.
      if (attempt.kind === 'held') wait = Math.min(wait, attempt.expiresAt - performance.now() + 1);
      if (!(await pause(wait, stop))) return false;
    }
  }

  /** Renews until `stop` aborts (undefined) or leadership is lost (the reason). */
  private async renew(stop: AbortSignal): Promise<string | undefined> {
    let renewedAt = performance.now();
    for (;;) {
      const deadline = renewedAt + this.timing.renewDeadlineMs;
      if (!(await pause(Math.min(this.timing.retryPeriodMs, deadline - performance.now()), stop))) return undefined;
      const started = performance.now();
      if (started >= deadline) return `no renewal succeeded within ${this.timing.renewDeadlineMs} ms`;
      const attempt = await this.tryAcquireOrRenew(deadline - started);
      if (attempt.kind === 'acquired') renewedAt = started;
      else if (attempt.kind === 'held') return `the lease is held by ${attempt.holder}`;
      else if (performance.now() >= deadline) return `no renewal succeeded within ${this.timing.renewDeadlineMs} ms`;
    }
  }

  private startLeading(): void {
    const leading = new AbortController();
    this.leading = leading;
    this.log('became leader');
    try {
      this.options.onStartedLeading(leading.signal);
    } catch (error) {
      this.log(`onStartedLeading failed: ${describeError(error)}`);
    }
  }

  /** Aborts the leading signal first (no network call before it), then tells the caller. */
  private stopLeading(reason: string): void {
    const leading = this.leading;
    this.leading = undefined;
    leading?.abort(new LaunchpadError(`leadership ended: ${reason}`));
    this.log(`stopped leading: ${reason}`);
    try {
      this.options.onStoppedLeading(reason);
    } catch (error) {
      this.log(`onStoppedLeading failed: ${describeError(error)}`);
    }
  }

  private async tryAcquireOrRenew(timeoutMs: number): Promise<Attempt> {
    try {
      return await withTimeout(this.subject, timeoutMs, (signal) => this.acquireOrRenew(signal));
    } catch (error) {
      if (error instanceof KubeError && error.status === 409) this.log('another candidate changed the lease first; will retry');
      else this.log(`acquire/renew failed, will retry: ${describeFailure(error)}`);
      return FAILED;
    }
  }

  /** One try: read the Lease, then create, renew or take it over. `signal` aborts when the try has timed out. */
  private async acquireOrRenew(signal: AbortSignal): Promise<Attempt> {
    const live = await this.options.client.get(this.ref);
    if (signal.aborted) return FAILED;
    if (live === undefined) {
      const created = await this.options.client.create(this.leaseObject(this.nextSpec(undefined, -1)));
      if (!isAborted(signal)) this.observe(created);
      return ACQUIRED;
    }
    const record = this.observe(live);
    const me = this.options.identity;
    if (record !== undefined && record.holderIdentity !== '' && record.holderIdentity !== me) {
      const expiresAt = this.observedAt + record.leaseDurationSeconds * 1000;
      if (expiresAt > performance.now()) return { kind: 'held', holder: record.holderIdentity, expiresAt };
      this.log(`the lease of ${record.holderIdentity} expired; taking over`);
    } else if (record === undefined) {
      this.log('the lease has fields of the wrong type; taking it over');
    }
    const resourceVersion = live.metadata.resourceVersion;
    if (typeof resourceVersion !== 'string' || resourceVersion === '') throw new KubeError(this.subject, 'the lease has no resourceVersion');
    const replaced = await this.options.client.replace({ ...live, spec: this.nextSpec(record, transitionsOf(live)) });
    if (!isAborted(signal)) this.observe(replaced);
    return ACQUIRED;
  }

  /**
   * The spec this process writes: a renewal keeps acquireTime and the transition count, a takeover bumps the count
   * (`transitions`, the Lease's count; -1 for a Lease being created, which starts at 0).
   */
  private nextSpec(record: LeaseRecord | undefined, transitions: number): Record<string, unknown> {
    const now = microTime();
    const renewal = record !== undefined && record.holderIdentity === this.options.identity;
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.durationSeconds,
      acquireTime: renewal ? (record.acquireTime ?? now) : now,
      renewTime: now,
      leaseTransitions: renewal ? record.leaseTransitions : transitions + 1,
    };
  }

  private leaseObject(spec: Record<string, unknown>): KubeObject {
    return { apiVersion: LEASE_API_VERSION, kind: LEASE_KIND, metadata: { name: this.ref.name, namespace: this.options.namespace }, spec };
  }

  /** Remembers the Lease, notes when its record changed (local time) and reports a new holder. */
  private observe(lease: KubeObject): LeaseRecord | undefined {
    this.lastLease = lease;
    const spec = JSON.stringify(lease.spec ?? null);
    if (spec !== this.observedSpec) {
      this.observedSpec = spec;
      this.observedAt = performance.now();
    }
    const record = parseLeaseRecord(lease);
    const holder = record?.holderIdentity ?? '';
    if (holder !== '' && holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      this.log(`new leader: ${holder}`);
      try {
        this.options.onNewLeader?.(holder);
      } catch (error) {
        this.log(`onNewLeader failed: ${describeError(error)}`);
      }
    }
    return record;
  }

  /**
   * Empties the holder with a 1 s duration, so a standby takes over at its next try. Uses the Lease as last written
   * (its resourceVersion); on a conflict reads it once more and gives up if it is no longer ours.
   */
  private async handOver(): Promise<void> {
    for (let round = 0; round < 2; round += 1) {
      try {
        const done = await withTimeout(this.subject, this.timing.renewDeadlineMs, (signal) => this.handOverOnce(round === 0 ? this.lastLease : undefined, signal));
        if (done) return;
      } catch (error) {
        const conflict = error instanceof KubeError && error.status === 409;
        this.log(`release failed${conflict && round === 0 ? ', reading the lease again' : ''}: ${describeFailure(error)}`);
        if (!conflict) return;
      }
    }
  }

  /** True when handled (released, or no longer ours); throws on API errors. */
  private async handOverOnce(known: KubeObject | undefined, signal: AbortSignal): Promise<boolean> {
    const lease = known ?? (await this.options.client.get(this.ref));
    if (lease === undefined || signal.aborted) return true;
    const record = parseLeaseRecord(lease);
    if (record?.holderIdentity !== this.options.identity) return true;
    const now = microTime();
    const spec = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: record.leaseTransitions };
    this.observe(await this.options.client.replace({ ...lease, spec }));
    this.log('released the lease');
    return true;
  }
}
