/**
 * The ValidatingWebhookConfiguration and MutatingWebhookConfiguration the add-on keeps in step with the loaded
 * policies. Each has one webhook per failure policy and timeout, so that the API server's `failurePolicy` follows the
 * policy: a validate policy with an Enforce rule fails closed (an unreachable webhook refuses), an Audit-only one
 * fails open; mutate policies follow Kyverno's `spec.failurePolicy` (default Fail); and a policy's
 * `spec.webhookTimeoutSeconds` is the `timeoutSeconds` of its own webhook (policies without one share the default's).
 * Each webhook's path names its class and timeout, and the handler evaluates only the policies of that path, so a
 * request is never evaluated twice.
 *
 * What keeps a broken webhook from locking the cluster out: the controller's own namespace and kube-system are never
 * sent (namespaceSelector), the API server's bookkeeping kinds are never reached by a wildcard, and the API server
 * gives up after `timeoutSeconds` — well past the handler's own budget, which answers first.
 */
import type { ResourceInfo } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import type { LoadedPolicy, Operation } from '../api.js';
import { resolveKinds, ruleMatches } from './match-kinds.js';

export const VALIDATING_CONFIGURATION = 'launchpad-policy-validating';
export const MUTATING_CONFIGURATION = 'launchpad-policy-mutating';

/** The four classes of endpoint: a kind of webhook (validate/mutate) and the failure policy of its policies. */
export type WebhookBasePath = '/validate/fail' | '/validate/ignore' | '/mutate/fail' | '/mutate/ignore';
export const WEBHOOK_PATHS: readonly WebhookBasePath[] = ['/validate/fail', '/validate/ignore', '/mutate/fail', '/mutate/ignore'];
/** An endpoint: a class, plus `/<n>s` for policies whose `webhookTimeoutSeconds` differs from the default. */
export type WebhookPath = WebhookBasePath | `${WebhookBasePath}/${number}s`;

/** What a path says: the class, whether it fails closed, and its own timeout (undefined: the default). */
export interface WebhookRoute {
  readonly base: WebhookBasePath;
  readonly type: 'validate' | 'mutate';
  readonly failClosed: boolean;
  readonly timeoutSeconds: number | undefined;
}

/** Kyverno's bounds for `spec.webhookTimeoutSeconds` (the API server's own). */
export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 30;

/** The route of an endpoint path, or undefined when it is not one (the server answers 404). */
export function parseWebhookPath(path: string): WebhookRoute | undefined {
  const match = /^(\/(validate|mutate)\/(fail|ignore))(?:\/(\d{1,2})s)?$/.exec(path);
  if (match === null) return undefined;
  const timeout = match[4] === undefined ? undefined : Number(match[4]);
  if (timeout !== undefined && (timeout < MIN_TIMEOUT_SECONDS || timeout > MAX_TIMEOUT_SECONDS)) return undefined;
  return { base: match[1] as WebhookBasePath, type: match[2] as 'validate' | 'mutate', failClosed: match[3] === 'fail', timeoutSeconds: timeout };
}

/**
 * How long the handler may wait for the engine on an endpoint registered with `timeoutSeconds`: the add-on's cap
 * (`--policy-admission-budget`), but never more than three quarters of the API server's timeout — the rest is for
 * the network and the answer itself, so the handler's verdict (not the API server's failurePolicy) decides.
 */
export function admissionBudgetMs(timeoutSeconds: number, capMs: number): number {
  return Math.min(capMs, Math.floor(timeoutSeconds * 750));
}

/** Where the API server reaches the handler: a URL (controller outside the cluster) or a Service. */
export type WebhookEndpoint =
  | { readonly url: string; readonly caPem: string }
  | { readonly service: { readonly namespace: string; readonly name: string; readonly port: number }; readonly caPem: string };

export interface WebhookConfigOptions {
  readonly endpoint: WebhookEndpoint;
  /** Namespaces never sent to the webhooks (the controller's own and kube-system). */
  readonly excludedNamespaces: readonly string[];
  /** The API server's timeout per call for policies without `spec.webhookTimeoutSeconds`, seconds (1–30). */
  readonly timeoutSeconds: number;
}

const DEFAULT_OPERATIONS: readonly Operation[] = ['CREATE', 'UPDATE'];

const failurePolicyOf = (policy: LoadedPolicy): 'Fail' | 'Ignore' | undefined => {
  const spec = isPlainObject(policy.source.spec) ? policy.source.spec : {};
  return spec.failurePolicy === 'Ignore' || spec.failurePolicy === 'Fail' ? spec.failurePolicy : undefined;
};

/** `spec.webhookTimeoutSeconds` when the policy sets it (the engine checked it is 1–30 when loading). */
export function policyTimeoutSeconds(policy: LoadedPolicy): number | undefined {
  const spec = isPlainObject(policy.source.spec) ? policy.source.spec : {};
  return typeof spec.webhookTimeoutSeconds === 'number' ? spec.webhookTimeoutSeconds : undefined;
}

/** A base path with the policy's own timeout when it differs from the default. */
function withTimeout(base: WebhookBasePath, policy: LoadedPolicy, defaultTimeout: number): WebhookPath {
  const timeout = policyTimeoutSeconds(policy);
  return timeout === undefined || timeout === defaultTimeout ? base : `${base}/${timeout}s`;
}

/**
 * Which validating endpoint evaluates a policy: `/validate/fail` when any validate rule is Enforce (unless the policy
 * asks for `failurePolicy: Ignore`), else `/validate/ignore`; undefined when it has no validate rule.
 */
export function validatePath(policy: LoadedPolicy): WebhookBasePath | undefined {
  const validate = policy.rules.filter((rule) => rule.type === 'validate');
  // Mutate-existing rules are triggered from the validating webhook, as in Kyverno; they never refuse.
  if (validate.length === 0) return policy.rules.some((rule) => rule.mutateExisting === true) ? '/validate/ignore' : undefined;
  const enforce = validate.some((rule) => rule.failureAction === 'Enforce');
  return enforce && failurePolicyOf(policy) !== 'Ignore' ? '/validate/fail' : '/validate/ignore';
}

/** `/mutate/fail` unless the policy says `failurePolicy: Ignore`; undefined when it has no mutate rule. */
export function mutatePath(policy: LoadedPolicy): WebhookBasePath | undefined {
  if (!policy.rules.some((rule) => rule.type === 'mutate' && rule.mutateExisting !== true)) return undefined;
  return failurePolicyOf(policy) === 'Ignore' ? '/mutate/ignore' : '/mutate/fail';
}

/** The endpoints a policy is evaluated on: one validating and one mutating at most. */
function pathsOf(policy: LoadedPolicy, defaultTimeout: number): WebhookPath[] {
  return [validatePath(policy), mutatePath(policy)].flatMap((base) => (base === undefined ? [] : [withTimeout(base, policy, defaultTimeout)]));
}

/** Order of endpoints: class as in WEBHOOK_PATHS, the default timeout first, then by timeout. */
function comparePaths(a: WebhookPath, b: WebhookPath): number {
  const ra = parseWebhookPath(a);
  const rb = parseWebhookPath(b);
  const byBase = WEBHOOK_PATHS.indexOf(ra?.base ?? '/validate/fail') - WEBHOOK_PATHS.indexOf(rb?.base ?? '/validate/fail');
  return byBase !== 0 ? byBase : (ra?.timeoutSeconds ?? 0) - (rb?.timeoutSeconds ?? 0);
}

/** Every endpoint that has policies, with the policies it evaluates (in the order given), sorted. */
export function policiesByPath(policies: readonly LoadedPolicy[], defaultTimeout: number): Map<WebhookPath, LoadedPolicy[]> {
  const byPath = new Map<WebhookPath, LoadedPolicy[]>();
  for (const policy of policies) {
    for (const path of pathsOf(policy, defaultTimeout)) byPath.set(path, [...(byPath.get(path) ?? []), policy]);
  }
  return new Map([...byPath.entries()].sort(([a], [b]) => comparePaths(a, b)));
}

/** The policies an endpoint evaluates. */
export function policiesFor(path: WebhookPath, policies: readonly LoadedPolicy[], defaultTimeout: number): LoadedPolicy[] {
  return policiesByPath(policies, defaultTimeout).get(path) ?? [];
}

interface WebhookRule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
  scope: '*';
}

/** Admission rules for the given rule type of `policies`, merged by group, version and operations, sorted. */
export function admissionRules(policies: readonly LoadedPolicy[], type: 'validate' | 'mutate', resources: readonly ResourceInfo[]): WebhookRule[] {
  const merged = new Map<string, WebhookRule>();
  for (const policy of policies) {
    // A mutate-existing rule's triggers go to the validating webhook (see validatePath), not the mutating one.
    const existing = new Set(policy.rules.filter((rule) => rule.mutateExisting === true).map((rule) => rule.name));
    const routed = (rule: { readonly rule: string; readonly type: string }): boolean => (existing.has(rule.rule) ? type === 'validate' : rule.type === type);
    for (const match of ruleMatches(policy).filter(routed)) {
      const operations = [...(match.operations ?? DEFAULT_OPERATIONS)].sort();
      for (const { info, resource } of resolveKinds(match.kinds, resources)) {
        const key = `${info.group}|${info.version}|${operations.join(',')}`;
        const entry = merged.get(key) ?? { apiGroups: [info.group], apiVersions: [info.version], operations, resources: [], scope: '*' as const };
        if (!entry.resources.includes(resource)) entry.resources.push(resource);
        merged.set(key, entry);
      }
    }
  }
  return [...merged.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, rule]) => ({ ...rule, resources: [...rule.resources].sort() }));
}

function clientConfig(endpoint: WebhookEndpoint, path: WebhookPath): Record<string, unknown> {
  const caBundle = Buffer.from(endpoint.caPem, 'utf8').toString('base64');
  if ('url' in endpoint) return { url: `${endpoint.url.replace(/\/$/, '')}${path}`, caBundle };
  return { service: { ...endpoint.service, path }, caBundle };
}

function webhook(path: WebhookPath, rules: WebhookRule[], options: WebhookConfigOptions, mutating: boolean): Record<string, unknown> {
  const route = parseWebhookPath(path);
  const fail = route?.failClosed === true;
  return {
    name: `${path.slice(1).replaceAll('/', '-')}.policies.launchpad.dev`,
    admissionReviewVersions: ['v1'],
    clientConfig: clientConfig(options.endpoint, path),
    rules,
    failurePolicy: fail ? 'Fail' : 'Ignore',
    matchPolicy: 'Equivalent',
    namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...options.excludedNamespaces] }] },
    objectSelector: {},
    // Generate runs from watches, not from admission: evaluating a request changes nothing, dry-run or not.
    sideEffects: 'None',
    timeoutSeconds: route?.timeoutSeconds ?? options.timeoutSeconds,
    ...(mutating ? { reinvocationPolicy: 'IfNeeded' } : {}),
  };
}

const LABELS = { 'app.kubernetes.io/part-of': 'launchpad', 'app.kubernetes.io/component': 'policies' } as const;

function configuration(kind: string, name: string, webhooks: Record<string, unknown>[]): KubeObject {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name, labels: { ...LABELS } }, webhooks };
}

/** Both configurations for `policies`; an endpoint with no rule has no webhook (an empty list is valid). */
export function webhookConfigurations(policies: readonly LoadedPolicy[], resources: readonly ResourceInfo[], options: WebhookConfigOptions): { readonly validating: KubeObject; readonly mutating: KubeObject } {
  const byPath = [...policiesByPath(policies, options.timeoutSeconds).entries()];
  const build = (type: 'validate' | 'mutate'): Record<string, unknown>[] =>
    byPath.filter(([path]) => path.startsWith(`/${type}/`)).flatMap(([path, selected]) => {
      const rules = admissionRules(selected, type, resources);
      return rules.length === 0 ? [] : [webhook(path, rules, options, type === 'mutate')];
    });
  return {
    validating: configuration('ValidatingWebhookConfiguration', VALIDATING_CONFIGURATION, build('validate')),
    mutating: configuration('MutatingWebhookConfiguration', MUTATING_CONFIGURATION, build('mutate')),
  };
}
