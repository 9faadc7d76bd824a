/**
 * The policy engine's public contract: what the offline commands (`launchpad policy`, `render --policies`, `diff`)
 * and the in-cluster half (src/policy/cluster: admission webhooks, reports, generate and cleanup controllers) call.
 * The engine is pure apart from the two seams it is handed: a {@link ContextLoader} for `configMap`/`apiCall` context
 * entries and a {@link ClusterReader} for generate's clone sources. Semantics follow Kyverno's documentation;
 * see docs/adr/0023-policy-engine.md.
 */
import type { KubeObject } from '../model/resource.js';

export type { KubeObject } from '../model/resource.js';

/** The four policy kinds the engine loads. */
export type PolicyKind = 'ClusterPolicy' | 'Policy' | 'ClusterCleanupPolicy' | 'CleanupPolicy';

/** What a failing validate rule does: refuse the request (Enforce) or only report it (Audit). */
export type FailureAction = 'Enforce' | 'Audit';

/** A rule's kind of work; a rule has exactly one. */
export type RuleType = 'validate' | 'mutate' | 'generate';

/** An admission operation, as in `AdmissionReview.request.operation`. */
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** Kyverno's per-rule outcome, as PolicyReports and `kyverno test` spell it. */
export type RuleStatus = 'pass' | 'fail' | 'skip' | 'error' | 'warn';

/**
 * A policy that was read and checked. Everything the engine needs is precomputed (JMESPath expressions parsed,
 * patterns checked), so evaluation never fails on the policy's own syntax. Treat it as opaque apart from these fields.
 */
export interface LoadedPolicy {
  readonly kind: PolicyKind;
  readonly name: string;
  /** The namespace of a namespaced `Policy`/`CleanupPolicy`; undefined for cluster-wide kinds. */
  readonly namespace: string | undefined;
  /** `spec.background` (default true): whether background scans apply the validate rules to existing objects. */
  readonly background: boolean;
  /** Rule names in declaration order, with their type; empty for cleanup policies. */
  readonly rules: readonly LoadedRule[];
  /** `spec.schedule` of a cleanup policy (a cron expression); undefined for other kinds. */
  readonly schedule: string | undefined;
  /** The object as written (for reports and messages). */
  readonly source: KubeObject;
}

/** One rule of a loaded policy, as the cluster half routes it. */
export interface LoadedRule {
  readonly name: string;
  readonly type: RuleType;
  readonly failureAction: FailureAction;
  /**
   * A mutate rule with `mutate.targets` (Kyverno's "mutate existing"): it never changes the admitted object; its
   * trigger is seen by the validating webhook and its targets are patched in the background afterwards.
   */
  readonly mutateExisting?: boolean;
  /** `mutateExistingOnPolicyUpdate` (the rule's or the policy's): existing triggers are processed when the policy is created or changed. */
  readonly mutateExistingOnPolicyUpdate?: boolean;
}

/** Where a bad policy came from, so the error can name the file. */
export interface PolicySourceInfo {
  /** The file the policy was read from, when there is one. */
  readonly file?: string;
}

/** Who sent the request, as the API server's `request.userInfo` plus the roles Kyverno resolves for it. */
export interface UserInfo {
  readonly username: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  /** `namespace:name` of the Roles bound to the user (Kyverno's `request.roles`). */
  readonly roles: readonly string[];
  /** Names of the ClusterRoles bound to the user (Kyverno's `request.clusterRoles`). */
  readonly clusterRoles: readonly string[];
}

/**
 * Reads what `context` entries ask for. Offline (CLI) a loader answers `configMap` from files or variables and has no
 * `apiCall`; in the cluster it reads the API server.
 */
export interface ContextLoader {
  /** The ConfigMap `namespace/name`, or undefined when it does not exist. */
  configMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  /**
   * Answers an `apiCall` entry (`urlPath` already substituted, `method`, `data`); absent offline, where such
   * entries make the rule `skip` with "not evaluable offline" unless a variable of the same name was supplied.
   */
  apiCall?(call: ApiCallRequest): Promise<unknown>;
}

/** An `apiCall` context entry after variable substitution. */
export interface ApiCallRequest {
  readonly urlPath: string;
  /** GET (default) or POST. */
  readonly method: 'GET' | 'POST';
  /** The POST body built from `data` entries. */
  readonly data: Readonly<Record<string, unknown>> | undefined;
}

/** Everything around an evaluation that is not the object itself. */
export interface EvaluationEnvironment {
  /** Labels of a namespace (for `namespaceSelector`); undefined when unknown. Synchronous: callers cache namespaces. */
  readonly namespaceLabels?: (namespace: string) => Readonly<Record<string, string>> | undefined;
  /** Answers `configMap`/`apiCall` context entries; without it both are reported as not evaluable. */
  readonly contextLoader?: ContextLoader;
  /**
   * Values that replace variables by name, as a kyverno-test `values.yaml` gives them (`request.operation`, a context
   * entry's name, a global value). They win over context entries of the same name.
   */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** The clock for `time_now*` and durations; default `new Date()`. */
  readonly now?: () => Date;
}

/** One admission request as the API server sends it, narrowed to what policies read. */
export interface AdmissionInput extends EvaluationEnvironment {
  readonly operation: Operation;
  /** The new object; for DELETE the API server sends none, so it is undefined. */
  readonly object: KubeObject | undefined;
  /** The object before the change (UPDATE, DELETE); undefined for CREATE. */
  readonly oldObject?: KubeObject;
  readonly userInfo?: UserInfo;
  /** `request.dryRun`: the request will not be persisted (generate rules then do nothing). */
  readonly dryRun?: boolean;
  /** `request.subResource` (e.g. `status`), empty for the main resource. */
  readonly subResource?: string;
}

/** One rule's outcome on one object. */
export interface RuleResult {
  readonly policy: string;
  /** The namespace of a namespaced policy; undefined for ClusterPolicy. */
  readonly policyNamespace: string | undefined;
  readonly rule: string;
  readonly type: RuleType;
  readonly status: RuleStatus;
  /** The rule's message with variables substituted (or why it skipped/errored); secret values are never quoted. */
  readonly message: string;
  /** Enforce or Audit; mutate and generate rules report Audit as they never refuse by themselves. */
  readonly action: FailureAction;
  /** The object the rule ran on: `Deployment/shop/web`. */
  readonly resource: string;
}

/** An RFC 6902 operation, as the mutating webhook returns it. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

/** The answer of the mutating step. */
export interface MutationResult {
  /** The object after every matching mutate rule ran, in policy then rule order. */
  readonly patchedObject: KubeObject | undefined;
  /** The JSON patch from the input object to `patchedObject` (empty when nothing changed). */
  readonly patch: readonly JsonPatchOperation[];
  readonly rules: readonly RuleResult[];
}

/** The answer of the validating step. */
export interface ValidationResult {
  /** False when any Enforce rule failed or errored (fail-closed). */
  readonly allowed: boolean;
  /** `policy/rule: message` for every Enforce rule that failed or errored, in order: the refusal text. */
  readonly denials: readonly string[];
  /** `policy/rule: message` for every Audit failure: returned to the client as admission warnings. */
  readonly warnings: readonly string[];
  readonly rules: readonly RuleResult[];
}

/** Mutate then validate on the mutated object, as the two webhooks do in turn (the offline commands use this). */
export interface AdmissionResult extends ValidationResult {
  readonly mutation: MutationResult;
}

/** Read access to the cluster for generate rules (clone sources, existing downstream objects). */
export interface ClusterReader {
  get(apiVersion: string, kind: string, namespace: string, name: string): Promise<KubeObject | undefined>;
  /** Objects of a kind in a namespace ('' = cluster-scoped or all), optionally filtered by a label selector. */
  list(apiVersion: string, kind: string, namespace: string, labelSelector?: Readonly<Record<string, string>>): Promise<KubeObject[]>;
}

/** What generate wants done to one downstream object. */
export interface GenerateAction {
  readonly action: 'create' | 'update' | 'delete';
  /** The full object to create or update (labels marking policy, rule and trigger included); for delete, its identity. */
  readonly object: KubeObject;
  readonly policy: string;
  readonly rule: string;
}

/** A generate evaluation for one trigger event. */
export interface GenerateInput extends EvaluationEnvironment {
  /** CREATE/UPDATE for a trigger that exists now, DELETE when the trigger went away. */
  readonly operation: Operation;
  readonly trigger: KubeObject;
  readonly userInfo?: UserInfo;
  readonly dryRun?: boolean;
}

export interface GenerateResult {
  readonly actions: readonly GenerateAction[];
  readonly rules: readonly RuleResult[];
}

/**
 * A mutate-existing evaluation for one trigger: an admission request the validating webhook saw (after it answered),
 * or an existing trigger when a policy with `mutateExistingOnPolicyUpdate` is created or changed, or at resync.
 */
export interface MutateExistingInput extends EvaluationEnvironment {
  /** The trigger's operation; '' for an existing trigger (then `match.operations` do not restrict, as in scans). */
  readonly operation: Operation | '';
  /** The trigger (`request.object`; for DELETE the deleted object, read as `request.oldObject`). */
  readonly trigger: KubeObject;
  /** The trigger before an UPDATE (`request.oldObject`). */
  readonly oldObject?: KubeObject;
  readonly userInfo?: UserInfo;
  /** The request was made by the mutate-existing controller itself: only rules with `skipBackgroundRequests: false` run. */
  readonly fromBackground?: boolean;
}

/** A target a mutate-existing evaluation changed: what to write. */
export interface PatchedTarget {
  /** The target as it was read. */
  readonly original: KubeObject;
  /** The target after every rule that reached it (in policy then rule order). */
  readonly patched: KubeObject;
  /** The RFC 6902 patch from `original` to `patched`. */
  readonly patch: readonly JsonPatchOperation[];
  /** `policy/rule` of each rule that changed it. */
  readonly by: readonly string[];
}

export interface MutateExistingResult {
  /** Targets that changed, each once. */
  readonly targets: readonly PatchedTarget[];
  /** One result per rule and target reached (resource = the target); a rule whose targets could not be read errors on the trigger. */
  readonly rules: readonly RuleResult[];
}

/** A clone source a generate rule reads: the cluster half watches these to propagate changes (synchronize). */
export interface CloneSourceRef {
  readonly policy: string;
  readonly rule: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  /** A single source (`clone.name`), or undefined for `cloneList` (then `selector` filters). */
  readonly name: string | undefined;
  readonly selector: Readonly<Record<string, string>> | undefined;
}

/** A cleanup policy run over the objects it might delete. */
export interface CleanupInput extends EvaluationEnvironment {
  /** Candidate objects (the cluster half lists the kinds of `match`); the engine applies match, exclude and conditions. */
  readonly candidates: readonly KubeObject[];
}

export interface CleanupResult {
  /** The objects to delete now. */
  readonly toDelete: readonly KubeObject[];
  /** Per candidate that matched: why it is kept or deleted (`pass` = deleted, `skip` = conditions false). */
  readonly rules: readonly RuleResult[];
}

/** The engine's functions, implemented in src/policy/engine.ts and re-exported from src/policy/index.ts. */
export interface PolicyEngine {
  /** Reads and checks one policy object; throws {@link PolicyErrorLike} naming policy, rule and field. */
  loadPolicy(object: unknown, source?: PolicySourceInfo): LoadedPolicy;
  mutate(policies: readonly LoadedPolicy[], input: AdmissionInput): Promise<MutationResult>;
  validate(policies: readonly LoadedPolicy[], input: AdmissionInput): Promise<ValidationResult>;
  /** Mutate, then validate the mutated object. */
  admit(policies: readonly LoadedPolicy[], input: AdmissionInput): Promise<AdmissionResult>;
  /** Validate rules of `background: true` policies on an existing object (Kyverno's background scan: no user, operation ''). */
  scan(policies: readonly LoadedPolicy[], object: KubeObject, environment?: EvaluationEnvironment): Promise<readonly RuleResult[]>;
  generate(policies: readonly LoadedPolicy[], input: GenerateInput, reader: ClusterReader): Promise<GenerateResult>;
  cloneSources(policies: readonly LoadedPolicy[]): readonly CloneSourceRef[];
  /** Mutate-existing rules (`mutate.targets`) for one trigger: the targets they select, read through `reader`, patched. */
  mutateExisting(policies: readonly LoadedPolicy[], input: MutateExistingInput, reader: ClusterReader): Promise<MutateExistingResult>;
  cleanup(policy: LoadedPolicy, input: CleanupInput): Promise<CleanupResult>;
  /** The first run of a cleanup policy's schedule strictly after `after`. */
  nextCleanupRun(policy: LoadedPolicy, after: Date): Date;
}

/** The shape of the engine's error: the policy, rule and field it is about, in the message too. */
export interface PolicyErrorLike extends Error {
  readonly policy: string;
  readonly rule: string | undefined;
  /** A dotted path into the policy (`spec.rules[0].validate.pattern.metadata`) or the object being evaluated. */
  readonly field: string | undefined;
}
