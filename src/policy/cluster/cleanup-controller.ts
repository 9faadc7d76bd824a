/**
 * The cleanup controller: each ClusterCleanupPolicy/CleanupPolicy runs on its cron `schedule`. A run lists the kinds
 * the policy matches (a CleanupPolicy only in its own namespace), lets the engine apply match, exclude and
 * `conditions` on `target`, and deletes what it answers (background propagation, as Kyverno does). Timers are set
 * afresh whenever the policies change; a run that fails is logged and the next one is scheduled as usual.
 */
import { describeError } from '../../errors.js';
import type { KubeClient, ResourceInfo } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { eventFor, recordEvent } from '../../controller/events.js';
import type { Logger } from '../../controller/services.js';
import type { EvaluationEnvironment, LoadedPolicy, PolicyEngine } from '../api.js';
import { cleanupKinds, resolveKinds } from './match-kinds.js';

export interface CleanupControllerOptions {
  readonly client: KubeClient;
  readonly engine: Pick<PolicyEngine, 'cleanup' | 'nextCleanupRun'>;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly environment: EvaluationEnvironment;
  readonly resources: () => Promise<readonly ResourceInfo[]>;
  /** The clock; tests may move it. @default Date.now */
  readonly now?: () => number;
}

/** setTimeout's longest delay (about 24.8 days); a later run is reached by waking up and scheduling again. */
const MAX_DELAY_MS = 2 ** 31 - 1;

const keyOf = (policy: LoadedPolicy): string => `${policy.kind}/${policy.namespace ?? ''}/${policy.name}`;

const describeObject = (object: KubeObject): string => [object.kind, object.metadata.namespace, object.metadata.name].filter((part) => part !== undefined && part !== '').join('/');

export class CleanupController {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly runs = new Set<Promise<void>>();
  /** Keys of the policies scheduled now: a run that ends after its policy was removed does not schedule it again. */
  private current = new Set<string>();

  constructor(private readonly options: CleanupControllerOptions) {
    options.signal.addEventListener('abort', () => { this.clear(); }, { once: true });
  }

  setPolicies(policies: readonly LoadedPolicy[]): void {
    this.clear();
    const scheduled = policies.filter((candidate) => candidate.schedule !== undefined);
    this.current = new Set(scheduled.map(keyOf));
    for (const policy of scheduled) this.schedule(policy);
  }

  /** Runs one policy now (its schedule aside); resolves with the objects deleted. */
  async runNow(policy: LoadedPolicy): Promise<string[]> {
    const { client, engine, environment, log } = this.options;
    const resources = resolveKinds(cleanupKinds(policy), await this.options.resources()).filter(({ resource, info }) => !resource.includes('/') && info.verbs.includes('list') && info.verbs.includes('delete'));
    const candidates: KubeObject[] = [];
    for (const { info } of resources) {
      const apiVersion = info.group === '' ? info.version : `${info.group}/${info.version}`;
      candidates.push(...(await client.list(apiVersion, info.kind, policy.namespace === undefined ? {} : { namespace: policy.namespace })).map((object) => ({ ...object, apiVersion, kind: info.kind })));
    }
    const { toDelete } = await engine.cleanup(policy, { ...environment, candidates });
    const deleted: string[] = [];
    for (const object of toDelete) {
      const { apiVersion, kind, metadata } = object;
      try {
        await client.delete({ apiVersion, kind, name: metadata.name ?? '', ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }) }, { propagationPolicy: 'Background' });
        deleted.push(describeObject(object));
      } catch (error) {
        log.warn({ policy: policy.name }, `cleanup: could not delete ${describeObject(object)}: ${describeError(error)}`);
      }
    }
    if (deleted.length > 0) {
      log.info({ policy: policy.name }, `cleanup: deleted ${deleted.join(', ')}`);
      recordEvent(client, eventFor(policy.source, 'CleanupSucceeded', `deleted ${deleted.length}: ${deleted.join(', ')}`, 'Normal'), (text) => { log.warn({}, text); });
    }
    return deleted;
  }

  /** Resolves when no run is going (stop, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.runs]);
  }

  private schedule(policy: LoadedPolicy): void {
    const now = this.options.now ?? Date.now;
    const key = keyOf(policy);
    let next: Date;
    try {
      next = this.options.engine.nextCleanupRun(policy, new Date(now()));
    } catch (error) {
      this.options.log.warn({ policy: policy.name }, `cleanup: no next run: ${describeError(error)}`);
      return;
    }
    const delay = Math.max(0, next.getTime() - now());
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (this.options.signal.aborted) return;
      if (delay > MAX_DELAY_MS) {
        this.schedule(policy);
        return;
      }
      const run = this.runNow(policy).then(() => undefined, (error: unknown) => {
        this.options.log.error({ policy: policy.name }, `cleanup run failed: ${describeError(error)}`);
      }).finally(() => {
        this.runs.delete(run);
        if (!this.options.signal.aborted && this.current.has(key) && !this.timers.has(key)) this.schedule(policy);
      });
      this.runs.add(run);
    }, Math.min(delay, MAX_DELAY_MS));
    timer.unref();
    this.timers.set(key, timer);
  }

  private clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
