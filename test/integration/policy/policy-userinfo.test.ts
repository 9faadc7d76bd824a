/**
 * The requester offline, as the Kyverno CLI takes it: GIVEN a policy that excludes a ClusterRole and a Kyverno
 * `UserInfo` file, WHEN `launchpad policy test` (the test file's `userinfo:`) and `launchpad policy apply --userinfo`
 * run as processes, THEN a requester holding the ClusterRole is let through, another is refused, and a malformed
 * user info file is one error line naming the file and field.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const root = new URL('../../../../', import.meta.url).pathname;
const bin = join(root, 'bin/launchpad.js');
let work: string;

function launchpad(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: admins-only
spec:
  rules:
    - name: no-configmaps
      match:
        any:
          - resources:
              kinds: [ConfigMap]
      exclude:
        any:
          - clusterRoles: [launchpad-test-admin]
      validate:
        failureAction: Enforce
        message: "only admins write ConfigMaps (user {{ request.userInfo.username }}, roles {{ join(', ', request.roles) }})"
        deny: {}
`;

const RESOURCE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  a: "1"
`;

const userInfo = (username: string, clusterRoles: string[]): string => `apiVersion: cli.kyverno.io/v1alpha1
kind: UserInfo
metadata:
  name: ${username}
userInfo:
  username: ${username}
  groups: [system:authenticated]
roles: ["shop:reader"]
clusterRoles: [${clusterRoles.join(', ')}]
`;

const testFile = (user: string, result: string): string => `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: as-${user}
policies: [../policy.yaml]
resources: [../configmap.yaml]
userinfo: ../${user}.yaml
results:
  - policy: admins-only
    rule: no-configmaps
    kind: ConfigMap
    resources: [shop/settings]
    result: ${result}
`;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'launchpad-userinfo-'));
  await writeFile(join(work, 'policy.yaml'), POLICY);
  await writeFile(join(work, 'configmap.yaml'), RESOURCE);
  await writeFile(join(work, 'alice.yaml'), userInfo('alice', ['launchpad-test-admin', 'view']));
  await writeFile(join(work, 'bob.yaml'), userInfo('bob', ['view']));
  for (const [user, result] of [['alice', 'skip'], ['bob', 'fail']] as const) {
    await mkdir(join(work, `as-${user}`));
    await writeFile(join(work, `as-${user}`, 'kyverno-test.yaml'), testFile(user, result));
  }
});
after(() => rm(work, { recursive: true, force: true }));

test('GIVEN userinfo: in the test files WHEN policy test runs THEN the admin is excluded (skip) and the other user fails', () => {
  const result = launchpad(['policy', 'test', work]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /Test Summary: 2 tests passed and 0 tests failed/);
});

test('GIVEN --userinfo WHEN policy apply runs THEN the admin is admitted and the other user refused with the request variables', () => {
  const admitted = launchpad(['policy', 'apply', 'policy.yaml', '--resource', 'configmap.yaml', '--userinfo', 'alice.yaml']);
  assert.equal(admitted.code, 0, admitted.stdout + admitted.stderr);
  assert.match(admitted.stdout, /ConfigMap\/shop\/settings\n {2}\(no rule applies\)/);
  const refused = launchpad(['policy', 'apply', 'policy.yaml', '--resource', 'configmap.yaml', '--userinfo', 'bob.yaml']);
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.match(refused.stdout, /FAIL {2}admins-only\/no-configmaps \(Enforce\): only admins write ConfigMaps \(user bob, roles shop:reader\)/);
});

test('GIVEN a user info file with an unknown field WHEN policy apply runs THEN one error names the file and field', async () => {
  await writeFile(join(work, 'broken.yaml'), 'userInfo:\n  username: carol\n  group: [x]\n');
  const result = launchpad(['policy', 'apply', 'policy.yaml', '--resource', 'configmap.yaml', '--userinfo', 'broken.yaml']);
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stderr, /broken\.yaml: userInfo\.group: unknown field — the fields allowed here are username, uid, groups, extra/);
});
