/**
 * The mutate-existing controller: Kyverno's background controller for `mutate.targets` rules. Triggers come from
 * two places, and the work always happens after the fact, in the background, never inside a webhook answer:
 * - admission requests the validating webhook allowed (not dry-run), with their operation, user and old object;
 * - existing triggers, listed when a policy whose rule has `mutateExistingOnPolicyUpdate` is created or changed, and
 *   for every mutate-existing rule at each resync (`--policy-resync`, Kyverno's hourly reconciliation).
 * For each trigger the engine says which targets change; each is written as a JSON patch guarded by the target's
 * resourceVersion (a target changed meanwhile is read and patched again), with the controller's own identity and
 * field manager. Requests made by this controller itself trigger only rules that set `skipBackgroundRequests: false`
 * (Kyverno's default skips them), so a rule that targets its own trigger kind cannot loop by accident.
 */
import { describeError, KubeError } from '../../errors.js';
import type { KubeClient, ResourceInfo } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import { eventFor, recordEvent } from '../../controller/events.js';
import type { Logger } from '../../controller/services.js';
import type { ClusterReader, EvaluationEnvironment, JsonPatchOperation, LoadedPolicy, MutateExistingInput, PatchedTarget, PolicyEngine, UserInfo } from '../api.js';
import { skipsBackgroundRequests } from '../mutate-existing.js';
import type { AdmissionRequest } from './admission.js';
import { resolveKinds, ruleMatches } from './match-kinds.js';
import { CoalescingRunner } from './serial.js';

export const MUTATE_EXISTING_FIELD_MANAGER = 'launchpad-mutate-existing';

export interface MutateExistingControllerOptions {
  readonly client: KubeClient;
  readonly engine: Pick<PolicyEngine, 'mutateExisting'>;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** The shared environment; `fresh()` gives each trigger its own (a per-trigger apiCall cache). */
  readonly environment: EvaluationEnvironment;
  readonly fresh?: () => EvaluationEnvironment;
  readonly resources: () => Promise<readonly ResourceInfo[]>;
  /** Every mutate-existing rule is applied again to its existing triggers this often. */
  readonly resyncMs: number;
}

type Work = Omit<MutateExistingInput, keyof EvaluationEnvironment>;

const policyKey = (policy: { readonly namespace?: string | undefined; readonly name: string }): string => (policy.namespace === undefined ? policy.name : `${policy.namespace}/${policy.name}`);
const describeObject = (object: KubeObject): string => [object.kind, object.metadata.namespace, object.metadata.name].filter((part) => part !== undefined && part !== '').join('/');
/** What makes a policy "changed" for mutateExistingOnPolicyUpdate: its spec, as the API server bumps generation. */
const versionOf = (policy: LoadedPolicy): string => JSON.stringify(policy.source.spec ?? null);
/** Remember this many request uids: one request reaches both validating webhooks, and must run once. */
const SEEN_REQUESTS = 1000;
/** A target that keeps changing under us is left to the next trigger or resync after this many tries. */
const WRITE_ATTEMPTS = 3;

/** The field manager of a PATCH/UPDATE/CREATE, from `request.options` (not declared by AdmissionRequest). */
function fieldManagerOf(request: AdmissionRequest): string | undefined {
  const options = (request as { readonly options?: unknown }).options;
  return isPlainObject(options) && typeof options.fieldManager === 'string' ? options.fieldManager : undefined;
}

/**
 * The API server refuses a JSON patch whose `test` failed with 422 (Unprocessable Entity) — as it refuses a patch
 * that makes an invalid object; {@link MutateExistingController} tells the two apart by reading the target again.
 */
export function isStaleWrite(error: unknown): boolean {
  return error instanceof KubeError && error.status === 422;
}

function userOf(request: AdmissionRequest): UserInfo {
  return { username: request.userInfo?.username ?? '', groups: request.userInfo?.groups ?? [], roles: [], clusterRoles: [], ...(request.userInfo?.uid === undefined ? {} : { uid: request.userInfo.uid }) };
}

export class MutateExistingController {
  private policies: LoadedPolicy[] = [];
  private readonly versions = new Map<string, string>();
  private readonly queue: Work[] = [];
  private readonly seen = new Set<string>();
  private readonly runner: CoalescingRunner;
  private readonly interval: NodeJS.Timeout;
  private readonly reader: ClusterReader;
  /** Failures already recorded as Events since the policies last changed: a retry does not repeat them. */
  private readonly reported = new Set<string>();

  constructor(private readonly options: MutateExistingControllerOptions) {
    this.runner = new CoalescingRunner(() => this.drain(), (error) => { options.log.error({}, `mutate existing failed: ${describeError(error)}`); }, 20);
    this.interval = setInterval(() => { void this.enqueueExisting(this.policies).catch((error: unknown) => { options.log.warn({}, `mutate existing resync: ${describeError(error)}`); }); }, options.resyncMs);
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

  /** The policies changed: keep those with mutate-existing rules; new or changed ones with mutateExistingOnPolicyUpdate run on their existing triggers. */
  async setPolicies(policies: readonly LoadedPolicy[]): Promise<void> {
    this.policies = policies.filter((policy) => policy.rules.some((rule) => rule.mutateExisting === true));
    this.reported.clear();
    const changed = this.policies.filter((policy) => this.versions.get(policyKey(policy)) !== versionOf(policy));
    this.versions.clear();
    for (const policy of this.policies) this.versions.set(policyKey(policy), versionOf(policy));
    const onUpdate = changed.filter((policy) => policy.rules.some((rule) => rule.mutateExistingOnPolicyUpdate === true));
    await this.enqueueExisting(onUpdate, true);
  }

  /** An admission request the validating webhook allowed: its object may trigger mutate-existing rules. */
  onAdmission(request: AdmissionRequest): void {
    if (this.policies.length === 0 || request.dryRun === true) return;
    // Our own writes trigger only rules that opt in with skipBackgroundRequests: false (else a rule could loop).
    const fromBackground = fieldManagerOf(request) === MUTATE_EXISTING_FIELD_MANAGER;
    if (fromBackground && !this.policies.some((policy) => policy.rules.some((rule) => rule.mutateExisting === true && !skipsBackgroundRequests(policy, rule)))) return;
    if (this.seen.has(request.uid)) return;
    this.seen.add(request.uid);
    if (this.seen.size > SEEN_REQUESTS) this.seen.delete(this.seen.values().next().value as string);
    const trigger = request.object ?? request.oldObject ?? undefined;
    if (trigger === undefined) return;
    this.queue.push({ operation: request.operation, trigger, userInfo: userOf(request), fromBackground, ...(request.operation === 'UPDATE' && request.oldObject ? { oldObject: request.oldObject } : {}) });
    this.runner.request();
  }

  /** Resolves when every queued trigger has been handled (tests). */
  async settled(): Promise<void> {
    await this.runner.idle();
    while (this.queue.length > 0) {
      this.runner.request();
      await new Promise((resolve) => setTimeout(resolve, 25));
      await this.runner.idle();
    }
  }

  /** Resolves when no trigger is being processed (stop: nothing is written after it). */
  async idle(): Promise<void> {
    await this.runner.idle();
  }

  /** Lists the existing triggers of the mutate-existing rules of `policies` and queues each (operation ''). */
  private async enqueueExisting(policies: readonly LoadedPolicy[], onlyOnPolicyUpdate = false): Promise<void> {
    if (policies.length === 0) return;
    const resources = await this.options.resources();
    for (const policy of policies) {
      const wanted = new Set(policy.rules.filter((rule) => rule.mutateExisting === true && (!onlyOnPolicyUpdate || rule.mutateExistingOnPolicyUpdate === true)).map((rule) => rule.name));
      const kinds = ruleMatches(policy).filter((rule) => wanted.has(rule.rule)).flatMap((rule) => rule.kinds);
      for (const { info } of resolveKinds(kinds, resources).filter((resolved) => !resolved.resource.includes('/') && resolved.info.verbs.includes('list'))) {
        const apiVersion = info.group === '' ? info.version : `${info.group}/${info.version}`;
        try {
          const triggers = await this.options.client.list(apiVersion, info.kind, policy.namespace === undefined ? {} : { namespace: policy.namespace });
          for (const trigger of triggers) this.queue.push({ operation: '', trigger });
        } catch (error) {
          this.options.log.warn({ policy: policyKey(policy) }, `mutate existing cannot list ${info.kind}: ${describeError(error)}`);
        }
      }
    }
    this.runner.request();
  }

  private async drain(): Promise<void> {
    for (let work = this.queue.shift(); work !== undefined && !this.options.signal.aborted; work = this.queue.shift()) await this.process(work);
  }

  private async process(work: Work, attempt = 1): Promise<void> {
    const { engine, environment, fresh, log } = this.options;
    const trigger = describeObject(work.trigger);
    let result;
    try {
      result = await engine.mutateExisting(this.policies, { ...(fresh?.() ?? environment), ...work }, this.reader);
    } catch (error) {
      log.warn({ trigger }, `mutate existing: ${describeError(error)}`);
      return;
    }
    for (const rule of result.rules.filter((candidate) => candidate.status === 'error')) {
      this.report(rule.policy, `${rule.policy}/${rule.rule}: ${rule.resource} (trigger ${trigger}): ${rule.message}`);
    }
    let stale = false;
    for (const target of result.targets) {
      const outcome = await this.write(target, trigger);
      stale ||= outcome === 'stale';
    }
    // A target changed between our read and our write: evaluate the trigger again on what is there now.
    if (stale && attempt < WRITE_ATTEMPTS) await this.process(work, attempt + 1);
  }

  /** Writes one target as a JSON patch that applies only to the version that was read. */
  private async write(target: PatchedTarget, trigger: string): Promise<'written' | 'stale' | 'failed'> {
    const { client, log } = this.options;
    const { original } = target;
    const guard: JsonPatchOperation[] = original.metadata.resourceVersion === undefined ? [] : [{ op: 'test', path: '/metadata/resourceVersion', value: original.metadata.resourceVersion }];
    const ref = { apiVersion: original.apiVersion, kind: original.kind, name: original.metadata.name ?? '', ...(original.metadata.namespace === undefined ? {} : { namespace: original.metadata.namespace }) };
    try {
      await client.patch(ref, [...guard, ...target.patch], { type: 'json', fieldManager: MUTATE_EXISTING_FIELD_MANAGER });
      log.info({ rules: target.by.join(', '), trigger }, `mutate existing: patched ${describeObject(original)}`);
      return 'written';
    } catch (error) {
      const message = describeError(error);
      if (isStaleWrite(error) && (await client.get(ref).catch(() => undefined))?.metadata.resourceVersion !== original.metadata.resourceVersion) return 'stale';
      for (const by of target.by) this.report(by.split('/')[0] ?? by, `${by}: could not patch ${describeObject(original)} (trigger ${trigger}): ${message}`);
      return 'failed';
    }
  }

  private report(policyName: string, message: string): void {
    const { client, log } = this.options;
    if (this.reported.has(message)) return;
    this.reported.add(message);
    log.warn({}, `mutate existing: ${message}`);
    const policy = this.policies.find((candidate) => candidate.name === policyName);
    if (policy !== undefined) recordEvent(client, eventFor(policy.source, 'MutateExistingFailed', message, 'Warning'), (text) => { log.warn({}, text); });
  }

  private stop(): void {
    clearInterval(this.interval);
    this.runner.stop();
    this.queue.length = 0;
  }
}
