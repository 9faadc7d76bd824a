/**
 * The policies in the cluster, as Argo CD (or kubectl) syncs them: the four Kyverno kinds are watched, each object is
 * loaded by the engine when it changes, and the set of loaded policies is handed on (debounced) to whoever rebuilds
 * from it — webhook configurations, background scans, generate and cleanup. A policy the engine refuses is left out
 * (the others keep working) and said so where its author looks: a Warning Event on it and `status.conditions`
 * Ready=False with the engine's message (policy, rule and field); a policy that loads gets Ready=True.
 */
import { describeError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { eventFor, recordEvent } from '../../controller/events.js';
import type { Logger } from '../../controller/services.js';
import type { LoadedPolicy, PolicyEngine } from '../api.js';
import { Informer, keyOf } from '../../controller/informer.js';

/** The kinds watched, at the versions Kyverno stores them. */
export const POLICY_KINDS = [
  { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' },
  { apiVersion: 'kyverno.io/v1', kind: 'Policy' },
  { apiVersion: 'kyverno.io/v2', kind: 'ClusterCleanupPolicy' },
  { apiVersion: 'kyverno.io/v2', kind: 'CleanupPolicy' },
] as const;

/** Which policies changed: the loaded set now. */
export type PoliciesListener = (policies: readonly LoadedPolicy[]) => void;

export interface PolicyStoreOptions {
  readonly client: KubeClient;
  readonly engine: Pick<PolicyEngine, 'loadPolicy'>;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** Changes arriving within this long are handed on together. @default 100 */
  readonly debounceMs?: number;
}

interface Entry {
  readonly generation: string;
  readonly policy: LoadedPolicy | undefined;
  readonly error: string | undefined;
}

type Ready = { readonly status: 'True' | 'False'; readonly reason: string; readonly message: string };

function readyOf(object: KubeObject): Ready | undefined {
  const conditions = (object.status as { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] } | undefined)?.conditions ?? [];
  const ready = conditions.find((condition) => condition.type === 'Ready');
  return ready === undefined ? undefined : { status: ready.status === 'True' ? 'True' : 'False', reason: ready.reason ?? '', message: ready.message ?? '' };
}

export class PolicyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: PoliciesListener[] = [];
  private readonly caches: Informer[];
  private timer: NodeJS.Timeout | undefined;
  readonly synced: Promise<void>;

  constructor(private readonly options: PolicyStoreOptions) {
    this.caches = POLICY_KINDS.map(({ apiVersion, kind }) => new Informer({
      client: options.client, apiVersion, kind, signal: options.signal,
      onChange: (event) => { this.onChange(event.type, event.object); },
      onError: (error) => { options.log.error({ kind }, `watching ${kind} failed: ${describeError(error)}`); },
    }));
    this.synced = Promise.all(this.caches.map((cache) => cache.synced)).then(() => undefined);
    options.signal.addEventListener('abort', () => { clearTimeout(this.timer); }, { once: true });
  }

  /** Called with the loaded set after every (debounced) change. */
  onPolicies(listener: PoliciesListener): void {
    this.listeners.push(listener);
  }

  /** Every policy that loaded, sorted by kind, namespace and name (a stable order for evaluation and reports). */
  policies(): LoadedPolicy[] {
    return [...this.entries.values()].flatMap((entry) => (entry.policy === undefined ? [] : [entry.policy]))
      .sort((a, b) => `${a.kind}/${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.kind}/${b.namespace ?? ''}/${b.name}`));
  }

  /**
   * `Kind/namespace/name` of each policy that exists but did not load: absent from policies() without being deleted,
   * so what it generated must be left alone until it loads again.
   */
  unloaded(): Set<string> {
    return new Set([...this.entries.entries()].flatMap(([key, entry]) => (entry.policy === undefined ? [key] : [])));
  }

  /** `Kind/namespace/name: message` for each policy that did not load. */
  errors(): string[] {
    return [...this.entries.entries()].flatMap(([key, entry]) => (entry.error === undefined ? [] : [`${key}: ${entry.error}`]));
  }

  private onChange(type: string, object: KubeObject): void {
    const key = `${object.kind}/${keyOf(object)}`;
    if (type === 'DELETED') {
      this.entries.delete(key);
      this.schedule();
      return;
    }
    // Status writes (ours included) do not change the generation: nothing to reload.
    const { generation: written, resourceVersion } = object.metadata;
    const generation = typeof written === 'number' ? String(written) : typeof resourceVersion === 'string' ? resourceVersion : '';
    if (this.entries.get(key)?.generation === generation) return;
    this.entries.set(key, this.load(object, generation));
    this.schedule();
  }

  private load(object: KubeObject, generation: string): Entry {
    try {
      const policy = this.options.engine.loadPolicy(object);
      this.report(object, { status: 'True', reason: 'Succeeded', message: 'Ready' });
      return { generation, policy, error: undefined };
    } catch (error) {
      const message = describeError(error);
      this.options.log.warn({ policy: `${object.kind}/${keyOf(object)}` }, `not loaded: ${message}`);
      this.report(object, { status: 'False', reason: 'Failed', message });
      return { generation, policy: undefined, error: message };
    }
  }

  /** Writes Ready to the policy's status (and a Warning Event when it failed), unless it already says so. */
  private report(object: KubeObject, ready: Ready): void {
    const current = readyOf(object);
    if (current?.status === ready.status && current.message === ready.message) return;
    const { client, log } = this.options;
    if (ready.status === 'False') recordEvent(client, eventFor(object, 'PolicyError', ready.message, 'Warning'), (message) => { log.warn({}, message); });
    const condition = { type: 'Ready', ...ready, lastTransitionTime: new Date().toISOString() };
    const ref = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? '', ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }) };
    void client.patch(ref, { status: { ready: ready.status === 'True', conditions: [condition] } }, { type: 'merge', subresource: 'status', fieldManager: 'launchpad-policies' })
      .catch((error: unknown) => { log.warn({ policy: ref.name }, `could not write status: ${describeError(error)}`); });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const policies = this.policies();
      for (const listener of this.listeners) listener(policies);
    }, this.options.debounceMs ?? 100);
  }
}
