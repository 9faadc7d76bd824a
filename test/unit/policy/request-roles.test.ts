/**
 * The roles of a requester (Kyverno's pkg/userinfo semantics) and what `match`/`exclude` on roles and clusterRoles do
 * with them: GIVEN bindings as the API server stores them, WHEN a user, group or service account asks, THEN the
 * bound Roles (`namespace:name`) and ClusterRoles come back, and a policy excluding a ClusterRole lets that user through.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answerAdmission } from '../../../src/policy/cluster/admission.js';
import type { AdmissionRequest } from '../../../src/policy/cluster/admission.js';
import { boundRoles } from '../../../src/policy/cluster/role-bindings.js';
import { loadPolicy, policyEngine } from '../../../src/policy/index.js';
import type { KubeObject } from '../../../src/policy/index.js';

const subject = (kind: string, name: string, namespace?: string): Record<string, string> => ({ kind, name, ...(namespace === undefined ? {} : { namespace }) });

const roleBinding = (namespace: string, name: string, roleRef: { kind: string; name: string }, subjects: Record<string, string>[]): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects,
});

const clusterRoleBinding = (name: string, role: string, subjects: Record<string, string>[]): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects,
});

const roleBindings = [
  roleBinding('shop', 'devs', { kind: 'Role', name: 'deployer' }, [subject('Group', 'devs')]),
  roleBinding('shop', 'alice-view', { kind: 'ClusterRole', name: 'view' }, [subject('User', 'alice')]),
  // A ServiceAccount subject without a namespace is the RoleBinding's own namespace's.
  roleBinding('shop', 'ci', { kind: 'Role', name: 'ci' }, [subject('ServiceAccount', 'builder')]),
  roleBinding('other', 'ci-elsewhere', { kind: 'Role', name: 'ci' }, [subject('ServiceAccount', 'builder', 'shop')]),
  roleBinding('shop', 'twice', { kind: 'Role', name: 'deployer' }, [subject('User', 'alice'), subject('Group', 'devs')]),
];
const clusterRoleBindings = [
  clusterRoleBinding('admins', 'launchpad-test-admin', [subject('User', 'alice')]),
  clusterRoleBinding('sa-viewers', 'view', [subject('ServiceAccount', 'builder', 'shop')]),
  // A ServiceAccount subject of a ClusterRoleBinding needs its namespace; without one it binds nobody.
  clusterRoleBinding('broken', 'edit', [subject('ServiceAccount', 'builder')]),
  clusterRoleBinding('authenticated', 'basic', [subject('Group', 'system:authenticated')]),
];

describe('the roles bound to a requester, as Kyverno resolves them', () => {
  const cases: [string, { username: string; groups: string[] }, string, { roles: string[]; clusterRoles: string[] }][] = [
    ['a user by name, cluster-wide and through a RoleBinding in the request namespace', { username: 'alice', groups: ['system:authenticated'] }, 'shop',
      { roles: ['shop:deployer'], clusterRoles: ['basic', 'launchpad-test-admin', 'view'] }],
    ['a RoleBinding to a ClusterRole counts only in its own namespace', { username: 'alice', groups: [] }, 'other',
      { roles: ['shop:deployer'], clusterRoles: ['launchpad-test-admin'] }],
    ['a group member', { username: 'bob', groups: ['devs', 'system:authenticated'] }, 'shop', { roles: ['shop:deployer'], clusterRoles: ['basic'] }],
    ['a service account by system:serviceaccount:<ns>:<name>', { username: 'system:serviceaccount:shop:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:shop'] }, 'shop',
      { roles: ['other:ci', 'shop:ci'], clusterRoles: ['view'] }],
    ['nobody bound', { username: 'mallory', groups: [] }, 'shop', { roles: [], clusterRoles: [] }],
  ];
  for (const [name, user, namespace, expected] of cases) {
    test(name, () => { assert.deepEqual(boundRoles(roleBindings, clusterRoleBindings, user, namespace), expected); });
  }
});

describe('admission with roles: exclude by clusterRoles, the variables in the message', () => {
  const policy = loadPolicy({
    apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'admins-only' },
    spec: {
      rules: [{
        name: 'no-configmaps',
        match: { any: [{ resources: { kinds: ['ConfigMap'] } }] },
        exclude: { any: [{ clusterRoles: ['launchpad-test-admin'] }, { roles: ['shop:ci'] }] },
        validate: { failureAction: 'Enforce', message: 'admins only; your cluster roles: {{ join(\', \', request.clusterRoles) }}', deny: {} },
      }],
    },
  });
  const request = (username: string, groups: string[] = []): AdmissionRequest => ({
    uid: username, operation: 'CREATE', namespace: 'shop', kind: { group: '', version: 'v1', kind: 'ConfigMap' }, name: 'c', userInfo: { username, groups },
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } },
  });
  const deps = { engine: policyEngine, policies: [policy], budgetMs: 5000, rolesOf: (user: { username: string; groups: readonly string[] }, namespace: string) => boundRoles(roleBindings, clusterRoleBindings, user, namespace) };

  test('a user bound to the excluded ClusterRole is allowed', async () => {
    assert.equal((await answerAdmission('/validate/fail', request('alice'), deps)).allowed, true);
  });
  test('a service account bound to the excluded Role is allowed', async () => {
    assert.equal((await answerAdmission('/validate/fail', request('system:serviceaccount:shop:builder'), deps)).allowed, true);
  });
  test('anyone else is refused, and request.clusterRoles is in the message', async () => {
    const answer = await answerAdmission('/validate/fail', request('bob', ['system:authenticated']), deps);
    assert.equal(answer.allowed, false);
    assert.match(answer.status?.message ?? '', /admins only; your cluster roles: basic/);
  });
  test('without the bindings (rolesOf absent) no one has roles: the exclusion cannot apply', async () => {
    assert.equal((await answerAdmission('/validate/fail', request('alice'), { engine: deps.engine, policies: deps.policies, budgetMs: deps.budgetMs })).allowed, false);
  });
});
