/**
 * The Roles and ClusterRoles bound to the user of an admission request — Kyverno's `request.roles` and
 * `request.clusterRoles`, which `match`/`exclude` filter on with `roles`/`clusterRoles`. RoleBindings and
 * ClusterRoleBindings are watched (one Informer each) and resolved per request the way Kyverno's pkg/userinfo does:
 * - a binding applies when one of its subjects is the user (`User` by name), one of the user's groups (`Group`), or
 *   the user's service account (`ServiceAccount`: the request's username is `system:serviceaccount:<ns>:<name>`;
 *   a subject without a namespace takes the RoleBinding's own);
 * - a RoleBinding to a Role gives `<namespace>:<role>`; a RoleBinding to a ClusterRole gives the ClusterRole only for
 *   requests in the binding's namespace; a ClusterRoleBinding gives its ClusterRole everywhere;
 * - both lists are deduplicated and sorted.
 * The role objects themselves are not read (nor aggregated ClusterRoles): Kyverno matches on binding references only.
 */
import { describeError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import type { Logger } from '../../controller/services.js';
import { Informer } from '../../controller/informer.js';

/** The requester, as AdmissionReview's `request.userInfo` gives it. */
export interface RequestUser {
  readonly username: string;
  readonly groups: readonly string[];
}

export interface BoundRoles {
  /** `namespace:name` of each Role. */
  readonly roles: readonly string[];
  readonly clusterRoles: readonly string[];
}

interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function subjectsOf(binding: KubeObject): Subject[] {
  const subjects: unknown[] = Array.isArray(binding.subjects) ? (binding.subjects as unknown[]) : [];
  return subjects.filter(isPlainObject).map((subject) => ({ kind: text(subject.kind), name: text(subject.name), namespace: text(subject.namespace) }));
}

function roleRefOf(binding: KubeObject): { readonly kind: string; readonly name: string } {
  const ref = isPlainObject(binding.roleRef) ? binding.roleRef : {};
  return { kind: text(ref.kind), name: text(ref.name) };
}

/** Whether one of the subjects is the user; `namespace` fills in a ServiceAccount subject without one (RoleBindings). */
function bindsUser(subjects: readonly Subject[], user: RequestUser, namespace: string): boolean {
  return subjects.some((subject) => {
    switch (subject.kind) {
      case 'ServiceAccount': {
        const saNamespace = subject.namespace === '' ? namespace : subject.namespace;
        return saNamespace !== '' && user.username === `system:serviceaccount:${saNamespace}:${subject.name}`;
      }
      case 'Group':
        return user.groups.includes(subject.name);
      case 'User':
        return user.username === subject.name;
      default:
        return false;
    }
  });
}

const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort();

/**
 * The roles bound to `user` for a request in `requestNamespace` ('' for cluster-scoped objects), from the bindings
 * given. Pure: the index below feeds it from its watches, tests from plain objects.
 */
export function boundRoles(roleBindings: readonly KubeObject[], clusterRoleBindings: readonly KubeObject[], user: RequestUser, requestNamespace: string): BoundRoles {
  const roles: string[] = [];
  const clusterRoles: string[] = [];
  for (const binding of roleBindings) {
    const namespace = binding.metadata.namespace ?? '';
    if (!bindsUser(subjectsOf(binding), user, namespace)) continue;
    const ref = roleRefOf(binding);
    if (ref.kind === 'Role') roles.push(`${namespace}:${ref.name}`);
    // A RoleBinding grants a ClusterRole's rules in its own namespace only.
    else if (ref.kind === 'ClusterRole' && namespace === requestNamespace) clusterRoles.push(ref.name);
  }
  for (const binding of clusterRoleBindings) {
    const ref = roleRefOf(binding);
    if (ref.kind === 'ClusterRole' && bindsUser(subjectsOf(binding), user, '')) clusterRoles.push(ref.name);
  }
  return { roles: sortedUnique(roles), clusterRoles: sortedUnique(clusterRoles) };
}

export interface RoleBindingIndexOptions {
  readonly client: KubeClient;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** RoleBindings (every namespace) and ClusterRoleBindings, watched, answering {@link boundRoles} per request. */
export class RoleBindingIndex {
  private readonly roleBindings: Informer;
  private readonly clusterRoleBindings: Informer;
  readonly synced: Promise<void>;

  constructor(options: RoleBindingIndexOptions) {
    const watch = (kind: string): Informer => new Informer({
      client: options.client, apiVersion: 'rbac.authorization.k8s.io/v1', kind, signal: options.signal,
      // Without the bindings every request has no roles: a `roles`/`clusterRoles` filter then selects nobody.
      onError: (error) => { options.log.error({ kind }, `policies: watching ${kind} failed, request roles are empty: ${describeError(error)}`); },
    });
    this.roleBindings = watch('RoleBinding');
    this.clusterRoleBindings = watch('ClusterRoleBinding');
    this.synced = Promise.all([this.roleBindings.synced, this.clusterRoleBindings.synced]).then(() => undefined);
  }

  rolesOf(user: RequestUser, requestNamespace: string): BoundRoles {
    return boundRoles(this.roleBindings.list(), this.clusterRoleBindings.list(), user, requestNamespace);
  }
}
