/**
 * What the controller may do. Two parts, so that each can be read (and narrowed) on its own:
 *
 * - A Role in the controller's namespace for what the controller needs to run at all: its Applications and
 *   AppProjects (status is written through the main resource, so update/patch on the resource itself), the
 *   repository credentials in Secrets and settings in ConfigMaps (read), the inventory ConfigMaps it records (write),
 *   Events, and the Lease of leader election. The cluster-wide part below covers these today; the Role is there so
 *   that narrowing the cluster-wide part never stops the controller itself.
 * - Cluster-wide rights for what Applications deploy. A sync must read, create, update, patch and delete whatever
 *   kinds the Applications hold — any CRD included — so the default ClusterRole grants those verbs on every resource
 *   of every group. It is not cluster-admin: it has no `escalate`, `bind` or `impersonate` verb and no non-resource
 *   URLs, so the controller cannot grant itself (or a Role it writes) rights it does not hold, and cannot act as
 *   another user. Kubernetes RBAC only adds rights, so `*` resources also cover subresources such as
 *   `pods/exec`, `serviceaccounts/token` and `nodes/proxy`; whoever needs less replaces this ClusterRole with one
 *   listing the kinds their Applications deploy. `clusterAdmin: true` binds the built-in `cluster-admin` instead,
 *   for Applications that manage RBAC with rights the controller does not otherwise hold.
 */
import type { KubeObject } from '../model/resource.js';
import { CONTROLLER_LABELS, CONTROLLER_NAME } from './names.js';

const RBAC_API = 'rbac.authorization.k8s.io/v1';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/**
 * The ClusterRoleBinding's name carries the namespace, so that controllers installed in two namespaces do not take
 * over each other's binding. The binding to cluster-admin has a name of its own: a binding's roleRef cannot change,
 * so switching to (or from) `clusterAdmin` adds a binding and leaves the other one for the operator to delete.
 */
export function clusterRoleBindingName(namespace: string, clusterAdmin: boolean): string {
  return clusterAdmin ? `${CONTROLLER_NAME}-${namespace}-cluster-admin` : `${CONTROLLER_NAME}-${namespace}`;
}

function subjects(namespace: string): { kind: string; name: string; namespace: string }[] {
  return [{ kind: 'ServiceAccount', name: CONTROLLER_NAME, namespace }];
}

export function serviceAccount(namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: CONTROLLER_NAME, namespace, labels: CONTROLLER_LABELS } };
}

export function namespaceRole(namespace: string): KubeObject {
  return {
    apiVersion: RBAC_API,
    kind: 'Role',
    metadata: { name: CONTROLLER_NAME, namespace, labels: CONTROLLER_LABELS },
    rules: [
      { apiGroups: ['argoproj.io'], resources: ['applications', 'appprojects'], verbs: [...READ, 'update', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: READ },
      // The inventory of what each Application synced is recorded in ConfigMaps beside the Applications.
      { apiGroups: [''], resources: ['configmaps'], verbs: [...READ, ...WRITE] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
      // Leader election: with two replicas, one holds the Lease and syncs; the other waits to take over.
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
      // The leader labels its own Pod (and takes the label from a previous leader's) so the Service reaches it only.
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'patch'] },
    ],
  };
}

export function namespaceRoleBinding(namespace: string): KubeObject {
  return {
    apiVersion: RBAC_API,
    kind: 'RoleBinding',
    metadata: { name: CONTROLLER_NAME, namespace, labels: CONTROLLER_LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: CONTROLLER_NAME },
    subjects: subjects(namespace),
  };
}

/** The same in every installation, so several namespaces' controllers share it. */
export function clusterRole(): KubeObject {
  return {
    apiVersion: RBAC_API,
    kind: 'ClusterRole',
    metadata: { name: CONTROLLER_NAME, labels: CONTROLLER_LABELS },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: [...READ, ...WRITE] }],
  };
}

/** The cluster-wide binding: to the ClusterRole above, or to cluster-admin when asked. */
export function clusterRoleBinding(namespace: string, clusterAdmin: boolean): KubeObject {
  return {
    apiVersion: RBAC_API,
    kind: 'ClusterRoleBinding',
    metadata: { name: clusterRoleBindingName(namespace, clusterAdmin), labels: CONTROLLER_LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterAdmin ? 'cluster-admin' : CONTROLLER_NAME },
    subjects: subjects(namespace),
  };
}

/** In apply order: ServiceAccount, Role, RoleBinding, then the cluster-wide part. */
export function rbacManifests(namespace: string, clusterAdmin: boolean): KubeObject[] {
  return [
    serviceAccount(namespace),
    namespaceRole(namespace),
    namespaceRoleBinding(namespace),
    ...(clusterAdmin ? [] : [clusterRole()]),
    clusterRoleBinding(namespace, clusterAdmin),
  ];
}
