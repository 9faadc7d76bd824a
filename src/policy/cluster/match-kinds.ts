/**
 * Which kinds and operations a policy's rules (and a cleanup policy) match, read from the policy as written: the
 * webhook configurations list them, the generate controller watches the trigger kinds and the cleanup controller lists
 * the candidate kinds. This over-approximates on purpose — the engine still applies every match and exclude clause to
 * each object — so a kind is never missed; it only has to be narrow enough to keep unrelated requests away.
 */
import type { ResourceInfo } from '../../kube/types.js';
import { isPlainObject } from '../../model/values.js';
import type { LoadedPolicy, Operation, RuleType } from '../api.js';

/** `[group/]version/Kind[/subresource]` as Kyverno's `kinds` entries write it; an absent part matches any. */
export interface KindSelector {
  readonly group: string | undefined;
  readonly version: string | undefined;
  /** The kind; `*` and `?` are wildcards. */
  readonly kind: string;
  readonly subresource: string | undefined;
}

export interface RuleMatch {
  readonly rule: string;
  readonly type: RuleType;
  readonly kinds: readonly KindSelector[];
  /** The operations named in `match`; undefined when any filter names none (then every default operation). */
  readonly operations: readonly Operation[] | undefined;
}

const startsUpper = (text: string): boolean => /^[A-Z*?]/.test(text);

/** Parses one `kinds` entry: `Pod`, `v1/Pod`, `apps/v1/Deployment`, `Pod/exec`, `apps/v1/Deployment/scale`, `*`. */
export function parseKindSelector(text: string): KindSelector {
  const parts = text.split('/');
  const [a = '', b = '', c = '', d = ''] = parts;
  switch (parts.length) {
    case 1:
      return { group: undefined, version: undefined, kind: a, subresource: undefined };
    case 2:
      // `v1/Pod` (version/kind) or `Pod/exec` (kind/subresource): a kind starts with a capital letter.
      return startsUpper(a) ? { group: undefined, version: undefined, kind: a, subresource: b } : { group: '', version: a, kind: b, subresource: undefined };
    case 3:
      return startsUpper(b) ? { group: '', version: a, kind: b, subresource: c } : { group: a, version: b, kind: c, subresource: undefined };
    default:
      return { group: a, version: b, kind: c, subresource: d };
  }
}

type Filter = Record<string, unknown>;

/** The resource filters of a `match` block: `any`, `all` and the legacy single `resources`. */
function filtersOf(match: unknown): Filter[] {
  if (!isPlainObject(match)) return [];
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
  const listed = [...list(match.any), ...list(match.all)];
  const legacy: unknown[] = isPlainObject(match.resources) ? [match] : [];
  return [...listed, ...legacy].filter(isPlainObject).map((filter) => (isPlainObject(filter.resources) ? filter.resources : {}));
}

const OPERATIONS = new Set<string>(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

/** Kinds and operations of one `match` block (a rule's, or a cleanup policy's spec). */
export function matchKinds(match: unknown): { readonly kinds: KindSelector[]; readonly operations: Operation[] | undefined } {
  const filters = filtersOf(match);
  const named = filters.flatMap((filter) => (Array.isArray(filter.kinds) ? filter.kinds.filter((kind): kind is string => typeof kind === 'string') : []));
  // A filter without kinds matches by other fields (names, selectors): every kind is a candidate.
  const anyKind = filters.length === 0 || filters.some((filter) => !Array.isArray(filter.kinds) || filter.kinds.length === 0);
  const kinds = (anyKind ? ['*'] : [...new Set(named)]).map(parseKindSelector);
  const lists = filters.map((filter) => (Array.isArray(filter.operations) ? filter.operations.filter((op): op is Operation => typeof op === 'string' && OPERATIONS.has(op)) : undefined));
  const operations = lists.length === 0 || lists.some((list) => list === undefined || list.length === 0) ? undefined : [...new Set(lists.flat() as Operation[])];
  return { kinds, operations };
}

/** Each rule of a ClusterPolicy/Policy with its kinds and operations, in declaration order. */
export function ruleMatches(policy: LoadedPolicy): RuleMatch[] {
  const spec = isPlainObject(policy.source.spec) ? policy.source.spec : {};
  const rawRules = Array.isArray(spec.rules) ? spec.rules.filter(isPlainObject) : [];
  return policy.rules.map((rule) => {
    const raw = rawRules.find((candidate) => candidate.name === rule.name);
    return { rule: rule.name, type: rule.type, ...matchKinds(raw?.match) };
  });
}

/** The kinds a cleanup policy's `spec.match` names. */
export function cleanupKinds(policy: LoadedPolicy): KindSelector[] {
  const spec = isPlainObject(policy.source.spec) ? policy.source.spec : {};
  return matchKinds(spec.match).kinds;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function matches(selector: KindSelector, info: ResourceInfo): boolean {
  if (selector.group !== undefined && selector.group !== '*' && !globToRegExp(selector.group).test(info.group)) return false;
  if (selector.version !== undefined && selector.version !== '*' && !globToRegExp(selector.version).test(info.version)) return false;
  return globToRegExp(selector.kind).test(info.kind);
}

/**
 * Kinds that a wildcard must never reach: the API server's own bookkeeping (events, leases, reviews), written so often
 * that sending each to a webhook would slow the whole cluster and gain nothing. A policy naming one explicitly still
 * gets it.
 */
const WILDCARD_DENY = new Set(['Event', 'Lease', 'TokenReview', 'SubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'LocalSubjectAccessReview', 'SelfSubjectReview', 'TokenRequest', 'Binding', 'ComponentStatus', 'EndpointSlice', 'Endpoints']);

export interface ResolvedResource {
  readonly info: ResourceInfo;
  /** `pods` or `pods/exec`. */
  readonly resource: string;
}

/** The served resources each selector names (with its subresource), deduplicated, in discovery order. */
export function resolveKinds(selectors: readonly KindSelector[], resources: readonly ResourceInfo[]): ResolvedResource[] {
  const seen = new Set<string>();
  const out: ResolvedResource[] = [];
  for (const selector of selectors) {
    const wildcard = /[*?]/.test(selector.kind);
    for (const info of resources) {
      if (!matches(selector, info) || (wildcard && WILDCARD_DENY.has(info.kind))) continue;
      const resource = selector.subresource === undefined ? info.resource : `${info.resource}/${selector.subresource}`;
      const key = `${info.group}/${info.version}/${resource}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ info, resource });
    }
  }
  return out;
}
