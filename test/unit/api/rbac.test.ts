import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RBAC_CONFIGMAP, rbacConfigFrom } from '../../../src/api/rbac/config.js';
import { csvFields, parsePolicy } from '../../../src/api/rbac/policy.js';
import type { KubeObject } from '../../../src/model/resource.js';

const rbacCm = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: RBAC_CONFIGMAP, namespace: 'argocd' }, data });
const user = (name: string, groups: string[] = []): { name: string; groups: string[] } => ({ name, groups });

test('GIVEN no argocd-rbac-cm THEN only the built-in admin may act and nobody else may even read', () => {
  const { enforcer } = rbacConfigFrom(undefined);
  assert.equal(enforcer.enforce(user('admin'), 'applications', 'sync', 'default/web'), true);
  assert.equal(enforcer.enforce(user('admin'), 'clusters', 'delete', 'https://x'), true);
  assert.equal(enforcer.enforce(user('alice'), 'applications', 'get', 'default/web'), false);
});


const cases: [string, Record<string, string>, [string, string[]], string, string, string, boolean][] = [
  ['policy.default readonly lets anyone read', { 'policy.default': 'role:readonly' }, ['alice', []], 'applications', 'get', 'team-a/web', true],
  ['policy.default readonly does not let anyone sync', { 'policy.default': 'role:readonly' }, ['alice', []], 'applications', 'sync', 'team-a/web', false],
  ['a group grant gives the role', { 'policy.csv': 'p, role:dev, applications, sync, team-a/*, allow\ng, devs, role:dev' }, ['alice', ['devs']], 'applications', 'sync', 'team-a/web', true],
  ['the role is limited to its project', { 'policy.csv': 'p, role:dev, applications, sync, team-a/*, allow\ng, devs, role:dev' }, ['alice', ['devs']], 'applications', 'sync', 'team-b/web', false],
  ['roles inherit transitively', { 'policy.csv': 'p, role:base, applications, get, */*, allow\ng, role:dev, role:base\ng, devs, role:dev' }, ['alice', ['devs']], 'applications', 'get', 'x/y', true],
  ['a deny wins over an allow of the same subject', { 'policy.csv': 'p, role:dev, applications, *, */*, allow\np, role:dev, applications, delete, prod/*, deny\ng, alice, role:dev' }, ['alice', []], 'applications', 'delete', 'prod/web', false],
  ['a deny of one group does not undo another group\'s allow (each subject is judged alone, as Argo CD)', { 'policy.csv': 'p, role:a, applications, sync, */*, allow\np, role:b, applications, sync, */*, deny\ng, ga, role:a\ng, gb, role:b' }, ['alice', ['gb', 'ga']], 'applications', 'sync', 'x/y', true],
  ['* in an object crosses /', { 'policy.csv': 'p, alice, applications, get, *, allow' }, ['alice', []], 'applications', 'get', 'team-a/web', true],
  ['action globs match sub-actions', { 'policy.csv': 'p, alice, applications, action/*, */*, allow' }, ['alice', []], 'applications', 'action/apps/Deployment/restart', 'default/web', true],
  ['the admin account keeps role:admin whatever the user policy says', { 'policy.csv': 'p, role:x, applications, get, a/*, allow' }, ['admin', []], 'projects', 'delete', 'default', true],
  ['regex match mode', { 'policy.matchMode': 'regex', 'policy.csv': 'p, alice, applications, get, ^team-(a|b)/.*$, allow' }, ['alice', []], 'applications', 'get', 'team-b/web', true],
  ['regex match mode refuses what the pattern does not match', { 'policy.matchMode': 'regex', 'policy.csv': 'p, alice, applications, get, ^team-(a|b)/.*$, allow' }, ['alice', []], 'applications', 'get', 'team-c/web', false],
  ['overlay policy keys are merged', { 'policy.csv': '', 'policy.team.csv': 'p, alice, projects, get, *, allow' }, ['alice', []], 'projects', 'get', 'default', true],
];

for (const [what, data, [name, groups], resource, action, object, expected] of cases) {
  test(`GIVEN ${what} THEN ${name} ${expected ? 'may' : 'may not'} ${action} ${resource} ${object}`, () => {
    const config = rbacConfigFrom(rbacCm(data));
    assert.equal(config.problem, undefined);
    assert.equal(config.enforcer.enforce(user(name, groups), resource, action, object), expected);
  });
}

test('GIVEN a policy line that is neither p nor g THEN only the built-in roles apply and the problem names the key and line', () => {
  const config = rbacConfigFrom(rbacCm({ 'policy.default': 'role:readonly', 'policy.csv': 'p, role:dev, applications, sync, */*, allow\nq, oops' }));
  assert.match(config.problem ?? '', /argocd-rbac-cm policy\.csv line 2: "q, oops" is neither a p rule nor a g grant/);
  assert.equal(config.enforcer.enforce(user('alice'), 'applications', 'get', 'a/b'), false, 'the default role is not kept either');
  assert.equal(config.enforcer.enforce(user('admin'), 'applications', 'sync', 'a/b'), true);
});

test('GIVEN scopes THEN they are the claims read as groups (default groups)', () => {
  assert.deepEqual(rbacConfigFrom(undefined).scopes, ['groups']);
  assert.deepEqual(rbacConfigFrom(rbacCm({ scopes: '[groups, email]' })).scopes, ['groups', 'email']);
});

test('GIVEN CSV lines with quotes and spaces THEN fields are split as Go\'s csv reader does', () => {
  assert.deepEqual(csvFields('p,  role:x , applications, get, "a,b/*", allow'), ['p', 'role:x', 'applications', 'get', 'a,b/*', 'allow']);
  assert.deepEqual(parsePolicy('# comment\n\ng, alice, role:x\n', 'test').grants, [{ subject: 'alice', role: 'role:x' }]);
  assert.throws(() => parsePolicy('p, role:x, applications', 'test'), /test line 1: "p, role:x, applications" is not a policy rule/);
});

test('GIVEN a cycle in g lines THEN role resolution ends', () => {
  const { enforcer } = rbacConfigFrom(rbacCm({ 'policy.csv': 'g, role:a, role:b\ng, role:b, role:a\ng, alice, role:a' }));
  assert.deepEqual(enforcer.rolesFor('alice').sort(), ['alice', 'role:a', 'role:b']);
  assert.equal(enforcer.enforce(user('alice'), 'applications', 'get', 'x/y'), false);
});
