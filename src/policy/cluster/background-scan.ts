/**
 * Background scans: the validate rules of `background: true` policies (Kyverno's default) applied to the objects
 * already in the cluster, written as PolicyReports per namespace and a ClusterPolicyReport. Each kind the policies
 * match is watched, so a report follows an object within moments of its change; the whole set is scanned again when
 * the policies change and every `intervalMs`. Reports are written only when their results change.
 */
import { describeError } from '../../errors.js';
import type { KubeClient, ResourceInfo } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import type { Logger } from '../../controller/services.js';
import type { EvaluationEnvironment, LoadedPolicy, PolicyEngine } from '../api.js';
import { Informer, keyOf } from '../../controller/informer.js';
import { resolveKinds, ruleMatches } from './match-kinds.js';
import type { ScannedObject } from './report-objects.js';
import { CLUSTER_REPORT_NAME, NAMESPACE_REPORT_PREFIX, REPORT_API_VERSION, REPORT_LABELS, buildReports, reportFingerprint } from './report-objects.js';
import { CoalescingRunner } from './serial.js';

export interface BackgroundScannerOptions {
  readonly client: KubeClient;
  readonly engine: Pick<PolicyEngine, 'scan'>;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly environment: EvaluationEnvironment;
  /** Every served kind (discovery), to resolve the policies' kinds. */
  readonly resources: () => Promise<readonly ResourceInfo[]>;
  /** Full rescan period. */
  readonly intervalMs: number;
}

interface Watched {
  readonly cache: Informer;
  readonly stop: AbortController;
}

const FIELD_MANAGER = 'launchpad-policies';
const LABEL_SELECTOR = Object.entries(REPORT_LABELS).map(([key, value]) => `${key}=${value}`).join(',');

/** Policies whose validate rules run in the background. */
export function backgroundPolicies(policies: readonly LoadedPolicy[]): LoadedPolicy[] {
  return policies.filter((policy) => policy.background && policy.rules.some((rule) => rule.type === 'validate'));
}

export class BackgroundScanner {
  private policies: LoadedPolicy[] = [];
  private readonly watched = new Map<string, Watched>();
  private readonly scanned = new Map<string, ScannedObject>();
  private readonly dirty = new Set<string>();
  private readonly written = new Map<string, string>();
  private readonly runner: CoalescingRunner;
  private readonly interval: NodeJS.Timeout;
  private seeded = false;

  constructor(private readonly options: BackgroundScannerOptions) {
    this.runner = new CoalescingRunner(() => this.flush(), (error) => { options.log.error({}, `background scan failed: ${describeError(error)}`); }, 200);
    this.interval = setInterval(() => { this.markAll(); }, options.intervalMs);
    options.signal.addEventListener('abort', () => { this.stop(); }, { once: true });
  }

  /** The policies changed: watch the kinds they match now and scan everything again. */
  async setPolicies(policies: readonly LoadedPolicy[]): Promise<void> {
    this.policies = backgroundPolicies(policies);
    const selectors = this.policies.flatMap((policy) => ruleMatches(policy).filter((rule) => rule.type === 'validate').flatMap((rule) => rule.kinds));
    const wanted = resolveKinds(selectors, await this.options.resources()).filter(({ resource, info }) => !resource.includes('/') && info.verbs.includes('watch'));
    const keys = new Set(wanted.map(({ info }) => `${info.group === '' ? '' : `${info.group}/`}${info.version}|${info.kind}`));
    for (const [key, entry] of this.watched) {
      if (keys.has(key)) continue;
      entry.stop.abort();
      this.watched.delete(key);
      for (const objectKey of this.scanned.keys()) if (objectKey.startsWith(`${key}|`)) this.scanned.delete(objectKey);
    }
    for (const key of keys) if (!this.watched.has(key)) this.watch(key);
    this.markAll();
  }

  /** Resolves when every report reflects the objects seen so far (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.watched.values()].map((entry) => entry.cache.synced));
    await this.runner.idle();
  }

  private watch(key: string): void {
    const [apiVersion = '', kind = ''] = key.split('|');
    const stop = new AbortController();
    this.options.signal.addEventListener('abort', () => { stop.abort(); }, { once: true });
    const cache = new Informer({
      client: this.options.client, apiVersion, kind, signal: stop.signal,
      onChange: (event) => {
        const objectKey = `${key}|${keyOf(event.object)}`;
        if (event.type === 'DELETED') this.scanned.delete(objectKey);
        else this.dirty.add(objectKey);
        this.runner.request();
      },
      onError: (error) => { this.options.log.warn({ kind }, `background scan cannot watch ${kind}: ${describeError(error)}`); },
    });
    this.watched.set(key, { cache, stop });
  }

  private markAll(): void {
    for (const [key, entry] of this.watched) for (const object of entry.cache.list()) this.dirty.add(`${key}|${keyOf(object)}`);
    this.runner.request();
  }

  private objectFor(objectKey: string): KubeObject | undefined {
    const [apiVersion = '', kind = '', path = ''] = objectKey.split('|');
    const [namespace = '', name = ''] = path.split('/');
    return this.watched.get(`${apiVersion}|${kind}`)?.cache.get(name, namespace);
  }

  private async flush(): Promise<void> {
    const keys = [...this.dirty];
    this.dirty.clear();
    const scannedAt = Math.floor(Date.now() / 1000);
    for (const objectKey of keys) {
      const object = this.objectFor(objectKey);
      if (object === undefined) {
        this.scanned.delete(objectKey);
        continue;
      }
      try {
        const results = await this.options.engine.scan(this.policies, object, this.options.environment);
        this.scanned.set(objectKey, { object, results, scannedAt });
      } catch (error) {
        this.options.log.warn({ object: objectKey }, `background scan: ${describeError(error)}`);
      }
    }
    await this.writeReports();
  }

  private async writeReports(): Promise<void> {
    const { client, log } = this.options;
    if (!this.seeded) {
      try {
        await this.seedWritten();
      } catch (error) {
        // Report kinds created a moment ago can answer "storage is (re)initializing": try again shortly.
        log.debug({}, `background scan: reports not readable yet: ${describeError(error)}`);
        setTimeout(() => { this.markAll(); }, 1000).unref();
        return;
      }
    }
    const reports = buildReports([...this.scanned.values()], this.policies);
    for (const [namespace, report] of reports) {
      const fingerprint = reportFingerprint(report);
      if (this.written.get(namespace) === fingerprint) continue;
      try {
        await client.apply(report, { fieldManager: FIELD_MANAGER, force: true });
        this.written.set(namespace, fingerprint);
      } catch (error) {
        log.warn({ namespace }, `could not write ${report.kind}/${report.metadata.name ?? ''}: ${describeError(error)}`);
      }
    }
    for (const namespace of [...this.written.keys()]) {
      if (reports.has(namespace)) continue;
      await this.deleteReport(namespace);
    }
  }

  /** Reports a previous run left behind: known, so that stale ones are deleted and equal ones not rewritten. */
  private async seedWritten(): Promise<void> {
    const { client } = this.options;
    const existing = [
      ...(await client.list(REPORT_API_VERSION, 'PolicyReport', { labelSelector: LABEL_SELECTOR })),
      ...(await client.list(REPORT_API_VERSION, 'ClusterPolicyReport', { labelSelector: LABEL_SELECTOR })),
    ];
    for (const report of existing) this.written.set(report.metadata.namespace ?? '', reportFingerprint(report));
    this.seeded = true;
  }

  private async deleteReport(namespace: string): Promise<void> {
    const ref = namespace === ''
      ? { apiVersion: REPORT_API_VERSION, kind: 'ClusterPolicyReport', name: CLUSTER_REPORT_NAME }
      : { apiVersion: REPORT_API_VERSION, kind: 'PolicyReport', namespace, name: `${NAMESPACE_REPORT_PREFIX}${namespace}` };
    try {
      await this.options.client.delete(ref, { propagationPolicy: 'Background' });
      this.written.delete(namespace);
    } catch (error) {
      this.options.log.warn({ namespace }, `could not delete a stale report: ${describeError(error)}`);
    }
  }

  private stop(): void {
    clearInterval(this.interval);
    this.runner.stop();
    for (const entry of this.watched.values()) entry.stop.abort();
    this.watched.clear();
  }
}
