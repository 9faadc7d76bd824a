/**
 * The ValidatingWebhookConfiguration and MutatingWebhookConfiguration the add-on keeps in step with the loaded
 * policies. Each has up to two webhooks, one per failure policy, so that the API server's `failurePolicy` follows the
 * policy: a validate policy with an Enforce rule fails closed (an unreachable webhook refuses), an Audit-only one
 * fails open; mutate policies follow Kyverno's `spec.failurePolicy` (default Fail). Each webhook's path names its
 * class, and the handler evaluates only the policies of that class, so a request is never evaluated twice.
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

/** The four endpoints: a class of webhook (validate/mutate) and the failure policy of its policies. */
export type WebhookPath = '/validate/fail' | '/validate/ignore' | '/mutate/fail' | '/mutate/ignore';
export const WEBHOOK_PATHS: readonly WebhookPath[] = ['/validate/fail', '/validate/ignore', '/mutate/fail', '/mutate/ignore'];

/** Where the API server reaches the handler: a URL (controller outside the cluster) or a Service. */
export type WebhookEndpoint =
  | { readonly url: string; readonly caPem: string }
  | { readonly service: { readonly namespace: string; readonly name: string; readonly port: number }; readonly caPem: string };

export interface WebhookConfigOptions {
  readonly endpoint: WebhookEndpoint;
  /** Namespaces never sent to the webhooks (the controller's own and kube-system). */
  readonly excludedNamespaces: readonly string[];
  /** The API server's timeout per call, seconds (1–30). */
  readonly timeoutSeconds: number;
}

const DEFAULT_OPERATIONS: readonly Operation[] = ['CREATE', 'UPDATE'];

const failurePolicyOf = (policy: LoadedPolicy): 'Fail' | 'Ignore' | undefined => {
  const spec = isPlainObject(policy.source.spec) ? policy.source.spec : {};
  return spec.failurePolicy === 'Ignore' || spec.failurePolicy === 'Fail' ? spec.failurePolicy : undefined;
};

/**
 * Which validating endpoint evaluates a policy: `/validate/fail` when any validate rule is Enforce (unless the policy
 * asks for `failurePolicy: Ignore`), else `/validate/ignore`; undefined when it has no validate rule.
 */
export function validatePath(policy: LoadedPolicy): WebhookPath | undefined {
  const validate = policy.rules.filter((rule) => rule.type === 'validate');
  if (validate.length === 0) return undefined;
  const enforce = validate.some((rule) => rule.failureAction === 'Enforce');
  return enforce && failurePolicyOf(policy) !== 'Ignore' ? '/validate/fail' : '/validate/ignore';
}

/** `/mutate/fail` unless the policy says `failurePolicy: Ignore`; undefined when it has no mutate rule. */
export function mutatePath(policy: LoadedPolicy): WebhookPath | undefined {
  if (!policy.rules.some((rule) => rule.type === 'mutate')) return undefined;
  return failurePolicyOf(policy) === 'Ignore' ? '/mutate/ignore' : '/mutate/fail';
}

/** The policies an endpoint evaluates. */
export function policiesFor(path: WebhookPath, policies: readonly LoadedPolicy[]): LoadedPolicy[] {
  const route = path.startsWith('/validate') ? validatePath : mutatePath;
  return policies.filter((policy) => route(policy) === path);
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
    for (const match of ruleMatches(policy).filter((rule) => rule.type === type)) {
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
  const fail = path.endsWith('/fail');
  return {
    name: `${path.slice(1).replace('/', '-')}.policies.launchpad.dev`,
    admissionReviewVersions: ['v1'],
    clientConfig: clientConfig(options.endpoint, path),
    rules,
    failurePolicy: fail ? 'Fail' : 'Ignore',
    matchPolicy: 'Equivalent',
    namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...options.excludedNamespaces] }] },
    objectSelector: {},
    // Generate runs from watches, not from admission: evaluating a request changes nothing, dry-run or not.
    sideEffects: 'None',
    timeoutSeconds: options.timeoutSeconds,
    ...(mutating ? { reinvocationPolicy: 'IfNeeded' } : {}),
  };
}

const LABELS = { 'app.kubernetes.io/part-of': 'launchpad', 'app.kubernetes.io/component': 'policies' } as const;

function configuration(kind: string, name: string, webhooks: Record<string, unknown>[]): KubeObject {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name, labels: { ...LABELS } }, webhooks };
}

/** Both configurations for `policies`; a class with no rule has no webhook (an empty list is valid). */
export function webhookConfigurations(policies: readonly LoadedPolicy[], resources: readonly ResourceInfo[], options: WebhookConfigOptions): { readonly validating: KubeObject; readonly mutating: KubeObject } {
  const build = (paths: readonly WebhookPath[], type: 'validate' | 'mutate'): Record<string, unknown>[] =>
    paths.flatMap((path) => {
      const rules = admissionRules(policiesFor(path, policies), type, resources);
      return rules.length === 0 ? [] : [webhook(path, rules, options, type === 'mutate')];
    });
  return {
    validating: configuration('ValidatingWebhookConfiguration', VALIDATING_CONFIGURATION, build(['/validate/fail', '/validate/ignore'], 'validate')),
    mutating: configuration('MutatingWebhookConfiguration', MUTATING_CONFIGURATION, build(['/mutate/fail', '/mutate/ignore'], 'mutate')),
  };
}
