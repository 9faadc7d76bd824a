/**
 * The generate controller: watches the kinds that trigger generate rules (Namespaces, for the secret cloner) and the
 * clone sources those rules read, asks the engine what each trigger's downstream objects must be, and writes them.
 * A new trigger gets its objects within moments of the watch event; a changed clone source is propagated to every
 * trigger's copy (synchronize); a deleted source or trigger is handled by the engine's answer (Kyverno's rules).
 *
 * "New" follows Kyverno: a trigger created after the policy gets its objects; one that existed before only when
 * the policy (or rule) says `generateExisting: true`. For the others only updates and deletions of objects already
 * generated are applied — which is also what keeps synchronized copies right across controller restarts.
 *
 * A generate rule that goes away (its policy deleted, or the rule removed) takes its downstream objects with it when
 * Kyverno would (generate-removal.ts): they are found by their `generate.kyverno.io` labels and deleted.
 */
import { describeError } from '../../errors.js';
import type { KubeClient, ResourceInfo } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import { eventFor, recordEvent } from '../../controller/events.js';
import type { Logger } from '../../controller/services.js';
import type { ClusterReader, CloneSourceRef, EvaluationEnvironment, GenerateAction, LoadedPolicy, Operation, PolicyEngine } from '../api.js';
import { Informer, keyOf } from '../../controller/informer.js';
import { GENERATE_LABELS } from '../generate.js';
import { policyStoreKey, removedGenerateRules } from './generate-removal.js';
import type { RemovedRule } from './generate-removal.js';
import { resolveKinds, ruleMatches } from './match-kinds.js';
import { CoalescingRunner } from './serial.js';

export const GENERATE_FIELD_MANAGER = 'launchpad-generate';

export interface GenerateControllerOptions {
  readonly client: KubeClient;
  readonly engine: Pick<PolicyEngine, 'generate' | 'cloneSources'>;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly environment: EvaluationEnvironment;
  readonly resources: () => Promise<readonly ResourceInfo[]>;
  /** Every trigger is reconciled again this often (repairs copies edited by hand). */
  readonly resyncMs: number;
}

interface Pending {
  readonly trigger: KubeObject;
  readonly operation: Operation;
}

const policyKey = (policy: { readonly namespace?: string | undefined; readonly name: string }): string => (policy.namespace === undefined ? policy.name : `${policy.namespace}/${policy.name}`);

/** Whether `policy` (or its rule `rule`) asks for `generateExisting`. */
function generateExisting(policy: LoadedPolicy, rule: string): boolean {
  const spec = isPlainObject(policy.source.spec) ? policy.source.spec : {};
  if (spec.generateExisting === true || spec.generateExistingOnPolicyUpdate === true) return true;
  const rules: unknown[] = Array.isArray(spec.rules) ? spec.rules : [];
  const raw = rules.find((candidate) => isPlainObject(candidate) && candidate.name === rule);
  return isPlainObject(raw) && isPlainObject(raw.generate) && raw.generate.generateExisting === true;
}

const timestamp = (object: KubeObject): string => (typeof object.metadata.creationTimestamp === 'string' ? object.metadata.creationTimestamp : '');

/** A trigger created no earlier than the policy is new to it (timestamps have second precision; a tie counts as new). */
function isNewTrigger(policy: LoadedPolicy, trigger: KubeObject): boolean {
  const policyTime = Date.parse(timestamp(policy.source));
  const triggerTime = Date.parse(timestamp(trigger));
  return Number.isNaN(policyTime) || Number.isNaN(triggerTime) || triggerTime >= policyTime;
}

/** The object as the API server should receive it: no server-set metadata. */
const SERVER_FIELDS = ['resourceVersion', 'uid', 'creationTimestamp', 'managedFields', 'generation', 'selfLink'];

function forApply(object: KubeObject): KubeObject {
  const metadata = Object.fromEntries(Object.entries(object.metadata).filter(([key]) => !SERVER_FIELDS.includes(key)));
  const rest = Object.fromEntries(Object.entries(object).filter(([key]) => key !== 'status'));
  return { ...rest, apiVersion: object.apiVersion, kind: object.kind, metadata };
}

const describeObject = (object: KubeObject): string => [object.kind, object.metadata.namespace, object.metadata.name].filter((part) => part !== undefined && part !== '').join('/');

function sourceMatches(ref: CloneSourceRef, object: KubeObject): boolean {
  if ((object.metadata.namespace ?? '') !== ref.namespace) return false;
  if (ref.name !== undefined) return object.metadata.name === ref.name;
  const labels = object.metadata.labels ?? {};
  return Object.entries(ref.selector ?? {}).every(([key, value]) => labels[key] === value);
}

export class GenerateController {
  private policies: LoadedPolicy[] = [];
  /** The generate policies last seen loaded (and kept while they fail to load), to tell which rules went away. */
  private known: LoadedPolicy[] = [];
  private byName = new Map<string, LoadedPolicy>();
  private sources: readonly CloneSourceRef[] = [];
  private readonly triggers = new Map<string, { readonly cache: Informer; readonly stop: AbortController; readonly policies: Set<string> }>();
  private readonly sourceWatches = new Map<string, { readonly cache: Informer; readonly stop: AbortController }>();
  private readonly pending = new Map<string, Pending>();
  private readonly runner: CoalescingRunner;
  private readonly interval: NodeJS.Timeout;
  private readonly reader: ClusterReader;
  /** Failures already recorded as Events since the policies last changed: a retry does not repeat them. */
  private readonly reported = new Set<string>();

  constructor(private readonly options: GenerateControllerOptions) {
    this.runner = new CoalescingRunner(() => this.drain(), (error) => { options.log.error({}, `generate failed: ${describeError(error)}`); }, 20);
    this.interval = setInterval(() => { this.enqueueAll(); }, options.resyncMs);
    options.signal.addEventListener('abort', () => { this.stop(); }, { once: true });
    const { client } = options;
    this.reader = {
      get: (apiVersion, kind, namespace, name) => client.get({ apiVersion, kind, name, ...(namespace === '' ? {} : { namespace }) }),
      list: (apiVersion, kind, namespace, labelSelector) => client.list(apiVersion, kind, {
        ...(namespace === '' ? {} : { namespace }),
        ...(labelSelector === undefined ? {} : { labelSelector: Object.entries(labelSelector).map(([key, value]) => `${key}=${value}`).join(',') }),
      }),
    };
  }

  /**
   * The policies changed: delete what removed rules generated (per Kyverno), watch the trigger kinds and clone sources,
   * then reconcile every trigger. `unloaded` names (`Kind/namespace/name`) policies that exist but did not load.
   */
  async setPolicies(policies: readonly LoadedPolicy[], unloaded: ReadonlySet<string> = new Set()): Promise<void> {
    this.policies = policies.filter((policy) => policy.rules.some((rule) => rule.type === 'generate'));
    const removed = removedGenerateRules(this.known, this.policies, unloaded);
    const current = new Set(this.policies.map(policyStoreKey));
    this.known = [...this.policies, ...this.known.filter((policy) => unloaded.has(policyStoreKey(policy)) && !current.has(policyStoreKey(policy)))];
    await this.removeDownstream(removed);
    this.reported.clear();
    this.byName = new Map(this.policies.map((policy) => [policyKey(policy), policy]));
    this.sources = this.options.engine.cloneSources(this.policies);
    const resources = await this.options.resources();
    const wanted = new Map<string, Set<string>>();
    for (const policy of this.policies) {
      const kinds = ruleMatches(policy).filter((rule) => rule.type === 'generate').flatMap((rule) => rule.kinds);
      for (const { info } of resolveKinds(kinds, resources).filter(({ resource }) => !resource.includes('/'))) {
        const key = `${info.group === '' ? '' : `${info.group}/`}${info.version}|${info.kind}`;
        wanted.set(key, (wanted.get(key) ?? new Set()).add(policyKey(policy)));
      }
    }
    this.retarget(this.triggers, wanted, (key, names) => ({ ...this.watch(key, (event) => { this.onTrigger(event.type, event.object); }), policies: names }));
    const sourceKinds = new Map(this.sources.map((ref) => [`${ref.apiVersion}|${ref.kind}|${ref.namespace}`, new Set<string>()]));
    this.retarget(this.sourceWatches, sourceKinds, (key) => this.watch(key, (event) => { this.onSource(event.object); }));
    for (const [key, entry] of this.triggers) {
      const names = wanted.get(key);
      if (names !== undefined) for (const name of names) entry.policies.add(name);
    }
    await Promise.all([...this.triggers.values()].map((entry) => entry.cache.synced));
    this.enqueueAll();
  }

  /** Resolves when every queued trigger has been handled (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.triggers.values(), ...this.sourceWatches.values()].map((entry) => entry.cache.synced));
    await this.runner.idle();
  }

  private retarget<T extends { readonly stop: AbortController }>(current: Map<string, T>, wanted: ReadonlyMap<string, Set<string>>, make: (key: string, names: Set<string>) => T): void {
    for (const [key, entry] of current) {
      if (wanted.has(key)) continue;
      entry.stop.abort();
      current.delete(key);
    }
    for (const [key, names] of wanted) if (!current.has(key)) current.set(key, make(key, names));
  }

  private watch(key: string, onChange: (event: { type: string; object: KubeObject }) => void): { readonly cache: Informer; readonly stop: AbortController } {
    const [apiVersion = '', kind = '', namespace] = key.split('|');
    const stop = new AbortController();
    this.options.signal.addEventListener('abort', () => { stop.abort(); }, { once: true });
    const cache = new Informer({
      client: this.options.client, apiVersion, kind, signal: stop.signal, onChange,
      ...(namespace === undefined || namespace === '' ? {} : { namespace }),
      onError: (error) => { this.options.log.warn({ kind }, `generate cannot watch ${kind}: ${describeError(error)}`); },
    });
    return { cache, stop };
  }

  private onTrigger(type: string, object: KubeObject): void {
    const operation: Operation = type === 'DELETED' ? 'DELETE' : type === 'ADDED' ? 'CREATE' : 'UPDATE';
    this.pending.set(`${object.apiVersion}|${object.kind}|${keyOf(object)}`, { trigger: object, operation });
    this.runner.request();
  }

  private onSource(object: KubeObject): void {
    // A deleted source still carries its labels, so a cloneList selector recognises it too.
    if (this.sources.some((ref) => ref.kind === object.kind && sourceMatches(ref, object))) this.enqueueAll();
  }

  private enqueueAll(): void {
    for (const entry of this.triggers.values()) {
      for (const trigger of entry.cache.list()) {
        const key = `${trigger.apiVersion}|${trigger.kind}|${keyOf(trigger)}`;
        if (!this.pending.has(key)) this.pending.set(key, { trigger, operation: 'UPDATE' });
      }
    }
    this.runner.request();
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const [key, item] = this.pending.entries().next().value as [string, Pending];
      this.pending.delete(key);
      await this.reconcile(item);
    }
  }

  private async reconcile(item: Pending): Promise<void> {
    const { engine, environment, log } = this.options;
    let actions: readonly GenerateAction[];
    try {
      ({ actions } = await engine.generate(this.policies, { ...environment, operation: item.operation, trigger: item.trigger }, this.reader));
    } catch (error) {
      log.warn({ trigger: describeObject(item.trigger) }, `generate: ${describeError(error)}`);
      return;
    }
    for (const action of actions) {
      const policy = this.byName.get(action.policy) ?? this.policies.find((candidate) => candidate.name === action.policy);
      if (action.action === 'create' && policy !== undefined && !isNewTrigger(policy, item.trigger) && !generateExisting(policy, action.rule)) continue;
      await this.perform(action, policy, item);
    }
  }

  private async perform(action: GenerateAction, policy: LoadedPolicy | undefined, item: Pending): Promise<void> {
    const { client, log } = this.options;
    const target = describeObject(action.object);
    try {
      if (action.action === 'delete') {
        const { apiVersion, kind, metadata } = action.object;
        await client.delete({ apiVersion, kind, name: metadata.name ?? '', ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }) }, { propagationPolicy: 'Background' });
      } else {
        await client.apply(forApply(action.object), { fieldManager: GENERATE_FIELD_MANAGER, force: true });
      }
      log.info({ policy: action.policy, rule: action.rule, trigger: describeObject(item.trigger) }, `generate: ${action.action} ${target}`);
    } catch (error) {
      // A trigger on its way out (a terminating namespace) refuses new objects: nothing to report.
      if (item.operation === 'DELETE') return;
      const message = `${action.policy}/${action.rule}: could not ${action.action} ${target} for ${describeObject(item.trigger)}: ${describeError(error)}`;
      if (this.reported.has(message)) return;
      this.reported.add(message);
      log.warn({}, `generate: ${message}`);
      if (policy !== undefined) recordEvent(client, eventFor(policy.source, 'GenerateFailed', message, 'Warning'), (text) => { log.warn({}, text); });
    }
  }

  /** Deletes the downstream objects of removed rules that synchronize them (found by their generate labels). */
  private async removeDownstream(removed: readonly RemovedRule[]): Promise<void> {
    const { client, log } = this.options;
    for (const rule of removed.filter((entry) => entry.deleteDownstream)) {
      const labelSelector = `${GENERATE_LABELS.managedBy}=kyverno,${GENERATE_LABELS.policy}=${rule.policy},${GENERATE_LABELS.rule}=${rule.rule}`;
      for (const { apiVersion, kind } of rule.kinds) {
        let objects: KubeObject[];
        try {
          objects = await client.list(apiVersion, kind, { labelSelector });
        } catch (error) {
          log.warn({ policy: rule.policy, rule: rule.rule }, `generate: cannot list the ${kind} objects the removed rule made: ${describeError(error)}`);
          continue;
        }
        // A ClusterPolicy and a Policy may share a name: the policy-namespace label tells them apart.
        const own = objects.filter((object) => (object.metadata.labels?.[GENERATE_LABELS.policyNamespace] ?? '') === (rule.policyNamespace ?? ''));
        for (const object of own) await this.deleteRemoved(object, rule);
      }
    }
  }

  private async deleteRemoved(object: KubeObject, rule: RemovedRule): Promise<void> {
    const { client, log } = this.options;
    const { apiVersion, kind, metadata } = object;
    try {
      await client.delete({ apiVersion, kind, name: metadata.name ?? '', ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }) }, { propagationPolicy: 'Background' });
      log.info({ policy: rule.policy, rule: rule.rule }, `generate: deleted ${describeObject(object)}: its synchronized rule was removed`);
    } catch (error) {
      log.warn({ policy: rule.policy, rule: rule.rule }, `generate: could not delete ${describeObject(object)} after its rule was removed: ${describeError(error)}`);
    }
  }

  private stop(): void {
    clearInterval(this.interval);
    this.runner.stop();
    for (const entry of [...this.triggers.values(), ...this.sourceWatches.values()]) entry.stop.abort();
  }
}
