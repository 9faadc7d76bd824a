/**
 * `match` and `exclude` (https://kyverno.io/docs/writing-policies/match-exclude/): `any` (one filter suffices) or
 * `all` (every filter), each filter's criteria all required — kinds (`Pod`, `v1/Pod`, `apps/v1/Deployment`,
 * `apps/*\/Deployment`, `*`, `Pod/status`), names, namespaces (a Namespace's own name for Namespace objects),
 * selector, namespaceSelector, annotations, operations, subjects, roles and clusterRoles. Each predicate is a small
 * function, so a non-match can say why.
 */
import type { KubeObject, Operation, UserInfo } from './api.js';
import { isRecord } from './scalars.js';
import { labelsOf, selectorMatches } from './selector.js';
import type { LabelSelector } from './selector.js';
import { wildcardMatch } from './wildcard.js';

export interface ResourceDescription {
  readonly kinds?: readonly string[];
  readonly names?: readonly string[];
  readonly name?: string;
  readonly namespaces?: readonly string[];
  readonly selector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly operations?: readonly string[];
}

export interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface ResourceFilter {
  readonly resources?: ResourceDescription;
  readonly subjects?: readonly Subject[];
  readonly roles?: readonly string[];
  readonly clusterRoles?: readonly string[];
}

export interface MatchBlock extends ResourceFilter {
  readonly any?: readonly ResourceFilter[];
  readonly all?: readonly ResourceFilter[];
}

/** What the predicates look at. */
export interface MatchSubject {
  readonly object: KubeObject;
  /** '' in background scans and cleanup: operations then do not restrict. */
  readonly operation: Operation | '';
  readonly subResource: string;
  readonly userInfo: UserInfo | undefined;
  readonly namespaceLabels: ((namespace: string) => Readonly<Record<string, string>> | undefined) | undefined;
}

/** Kind forms: `Kind`, `group/version/Kind`, `version/Kind`, optional `/subresource`; wildcards in every part. */
interface KindPattern {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly subResource: string;
}

/** `Pod`, `v1/Pod`, `Pod/status`, `apps/v1/Deployment`, `apps/v1/Deployment/scale`; absent parts are wildcards. */
function parseKindPattern(pattern: string): KindPattern {
  const parts = pattern.split('/');
  const [first = '', second = '', third = '', fourth = ''] = parts;
  if (parts.length === 1) return { group: '*', version: '*', kind: first, subResource: '' };
  if (parts.length === 2) {
    // `v1/Pod` (version/kind) or `Pod/status` (kind/subresource): a leading capital that is not a version is a kind.
    const isKindFirst = /^[A-Z*]/.test(first) && !/^v\d/.test(first);
    return isKindFirst ? { group: '*', version: '*', kind: first, subResource: second } : { group: '*', version: first, kind: second, subResource: '' };
  }
  if (parts.length === 3) return { group: first, version: second, kind: third, subResource: '' };
  return { group: first, version: second, kind: third, subResource: fourth };
}

/** Kind forms: `Kind`, `group/version/Kind`, `version/Kind`, optional `/subresource`; wildcards in every part. */
export function kindMatches(pattern: string, apiVersion: string, kind: string, subResource = ''): boolean {
  const wanted = parseKindPattern(pattern);
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  if (!wildcardMatch(wanted.group, group) || !wildcardMatch(wanted.version, version) || !wildcardMatch(wanted.kind, kind)) return false;
  // A kind without a subresource part (even `*`) never selects a subresource request; `*/*` does.
  if (wanted.subResource === '') return subResource === '';
  return wildcardMatch(wanted.subResource, subResource);
}

function namespaceOf(object: KubeObject): string {
  // Kyverno compares a Namespace object's own name with `namespaces` and `namespaceSelector`.
  return object.kind === 'Namespace' && object.apiVersion === 'v1' ? (object.metadata.name ?? '') : (object.metadata.namespace ?? '');
}

function namespaceLabelsOf(subject: MatchSubject): Readonly<Record<string, string>> {
  if (subject.object.kind === 'Namespace') return labelsOf(subject.object);
  return subject.namespaceLabels?.(namespaceOf(subject.object)) ?? {};
}

const predicates: readonly ((description: ResourceDescription, subject: MatchSubject) => boolean)[] = [
  (d, s) => d.kinds === undefined || d.kinds.some((kind) => kindMatches(kind, s.object.apiVersion, s.object.kind, s.subResource)),
  (d, s) => d.name === undefined || wildcardMatch(d.name, s.object.metadata.name ?? ''),
  (d, s) => d.names === undefined || d.names.some((name) => wildcardMatch(name, s.object.metadata.name ?? '')),
  (d, s) => d.namespaces === undefined || d.namespaces.some((namespace) => wildcardMatch(namespace, namespaceOf(s.object))),
  (d, s) => d.selector === undefined || selectorMatches(d.selector, labelsOf(s.object)),
  (d, s) => d.namespaceSelector === undefined || selectorMatches(d.namespaceSelector, namespaceLabelsOf(s)),
  (d, s) => d.annotations === undefined || annotationsMatch(d.annotations, s.object),
  (d, s) => d.operations === undefined || s.operation === '' || d.operations.includes(s.operation),
];

function annotationsMatch(expected: Readonly<Record<string, string>>, object: KubeObject): boolean {
  const actual = isRecord(object.metadata.annotations) ? object.metadata.annotations : {};
  return Object.entries(expected).every(([key, value]) =>
    Object.entries(actual).some(([actualKey, actualValue]) => wildcardMatch(key, actualKey) && wildcardMatch(value, actualValue)),
  );
}

function subjectMatches(subject: Subject, user: UserInfo): boolean {
  switch (subject.kind) {
    case 'User':
      return wildcardMatch(subject.name, user.username);
    case 'Group':
      return user.groups.some((group) => wildcardMatch(subject.name, group));
    case 'ServiceAccount':
      return user.username === `system:serviceaccount:${subject.namespace ?? ''}:${subject.name}`;
    default:
      return false;
  }
}

function userMatches(filter: ResourceFilter, user: UserInfo | undefined): boolean {
  if (filter.subjects === undefined && filter.roles === undefined && filter.clusterRoles === undefined) return true;
  if (user === undefined) return false;
  const bySubject = filter.subjects?.some((subject) => subjectMatches(subject, user)) ?? false;
  const byRole = filter.roles?.some((role) => user.roles.includes(role)) ?? false;
  const byClusterRole = filter.clusterRoles?.some((role) => user.clusterRoles.includes(role)) ?? false;
  return bySubject || byRole || byClusterRole;
}

export function filterMatches(filter: ResourceFilter, subject: MatchSubject): boolean {
  const description = filter.resources ?? {};
  return predicates.every((predicate) => predicate(description, subject)) && userMatches(filter, subject.userInfo);
}

function isEmptyFilter(filter: ResourceFilter): boolean {
  return filter.resources === undefined && filter.subjects === undefined && filter.roles === undefined && filter.clusterRoles === undefined;
}

/** Whether a `match` block selects the object. */
export function blockMatches(block: MatchBlock, subject: MatchSubject): boolean {
  if (block.any !== undefined && block.any.length > 0) return block.any.some((filter) => filterMatches(filter, subject));
  if (block.all !== undefined && block.all.length > 0) return block.all.every((filter) => filterMatches(filter, subject));
  return !isEmptyFilter(block) && filterMatches(block, subject);
}

/** Whether an `exclude` block removes the object (an absent or empty block excludes nothing). */
export function blockExcludes(block: MatchBlock | undefined, subject: MatchSubject): boolean {
  if (block === undefined) return false;
  return blockMatches(block, subject);
}
