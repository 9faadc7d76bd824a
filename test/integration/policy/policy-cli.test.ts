/**
 * GIVEN the seed's policies and Kyverno CLI test suites, WHEN `launchpad policy test` and `launchpad policy apply` run
 * as processes, THEN they print kyverno-test-style tables and per-rule lines, exit 1 on a mismatch or an Enforce
 * failure, and exit 2 with one error line naming file, policy, rule and field for a broken policy.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const root = new URL('../../../../', import.meta.url).pathname;
const bin = join(root, 'bin/launchpad.js');
const policies = join(root, 'examples/platform/launchpad/cluster-resources/policies');
const suites = join(root, 'examples/platform/policy-tests');
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'launchpad-policy-'));
});
after(() => rm(work, { recursive: true, force: true }));

function launchpad(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('GIVEN the five seed suites WHEN policy test runs THEN every row passes and the table names each result', () => {
  const result = launchpad(['policy', 'test', suites]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /Test Summary: 20 tests passed and 0 tests failed/);
  assert.match(result.stdout, /ID\s+POLICY\s+RULE\s+RESOURCE\s+RESULT\s+REASON/);
  assert.match(result.stdout, /default-namespace-blocker\s+deny-default-namespace\s+Deployment\/default\/web\s+Fail\s+Ok/);
  assert.match(result.stdout, /secret-cloner\s+clone-allowed-secrets\s+Namespace\/team-a\s+Pass\s+Ok/);
});

test('GIVEN a suite whose expectation is wrong WHEN policy test runs THEN it exits 1 and says what it got', async () => {
  const dir = join(work, 'wrong');
  await cp(join(suites, 'controller-verifier'), dir, { recursive: true });
  const file = join(dir, 'kyverno-test.yaml');
  const text = (await readFile(file, 'utf8')).replace('../../launchpad/', `${join(root, 'examples/platform/launchpad')}/`).replace('resources: [shop/debug]\n    result: fail', 'resources: [shop/debug]\n    result: pass');
  await writeFile(file, text);
  const result = launchpad(['policy', 'test', dir]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /Pod\/shop\/debug\s+Fail\s+Want pass, got fail: Pod debug is not owned by a controller/);
  assert.match(result.stdout, /Test Summary: 3 tests passed and 1 tests failed/);
});

test('GIVEN a patchedResource that differs WHEN policy test runs THEN the row fails naming the file', async () => {
  const dir = join(work, 'patched');
  await cp(join(suites, 'auth-sidecar-injector'), dir, { recursive: true });
  const file = join(dir, 'kyverno-test.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('../../launchpad/', `${join(root, 'examples/platform/launchpad')}/`));
  const patched = join(dir, 'patched-web-auth.yaml');
  await writeFile(patched, (await readFile(patched, 'utf8')).replace('http://127.0.0.1:8080', 'http://127.0.0.1:3000'));
  const result = launchpad(['policy', 'test', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /inject-auth-proxy\s+Pod\/shop\/web-auth\s+Pass\s+patched resource differs from patched-web-auth.yaml/);
});

test('GIVEN a Deployment in default WHEN policy apply runs THEN the Enforce failure is printed and it exits 1', async () => {
  await writeFile(join(work, 'deploy.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n  namespace: shop\n');
  const result = launchpad(['policy', 'apply', policies, '--resource', 'deploy.yaml']);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /^Deployment\/default\/web\n {2}FAIL {2}default-namespace-blocker\/deny-default-namespace \(Enforce\): validation error: Deployment\/web: the default namespace is reserved/m);
  assert.match(result.stdout, /^ConfigMap\/shop\/ok\n {2}PASS {2}default-namespace-blocker\/deny-default-namespace \(Enforce\)/m);
  assert.match(result.stdout, /pass: 1, fail: 1, warn: 0, error: 0, skip: 0/);
});

test('GIVEN only passing resources WHEN policy apply -o json runs THEN it exits 0 with the mutation patch', async () => {
  await writeFile(join(work, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: u, controller: true}]\n  annotations:\n    policies.forteapps.io/auth: "true"\n    policies.forteapps.io/auth-token-secret-name: tokens\nspec:\n  containers: [{name: web, image: "web:1"}]\n');
  const result = launchpad(['policy', 'apply', policies, '--resource', 'pod.yaml', '-o', 'json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { resources: { allowed: boolean; patch: { path: string; value: { name: string } }[] }[] };
  assert.equal(report.resources[0]?.allowed, true);
  assert.equal(report.resources[0].patch[0]?.path, '/spec/containers/-');
  assert.equal(report.resources[0].patch[0].value.name, 'auth-proxy');
});

test('GIVEN a policy with a JMESPath syntax error WHEN policy apply runs THEN exit 2 and one line naming file, policy, rule and field', async () => {
  await writeFile(join(work, 'bad-policy.yaml'), 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: broken\nspec:\n  rules:\n    - name: check\n      match:\n        any: [{resources: {kinds: [Pod]}}]\n      validate:\n        message: "{{ request.object.[ }}"\n        pattern: {metadata: {name: "?*"}}\n');
  const result = launchpad(['policy', 'apply', 'bad-policy.yaml', '--resource', 'pod.yaml']);
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /bad-policy\.yaml: policy broken rule check field spec\.rules\[0\]\.validate\.message: JMESPath syntax error/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('GIVEN a folder without test files WHEN policy test runs THEN exit 2 saying so', async () => {
  const empty = join(work, 'empty');
  await mkdir(empty);
  const result = launchpad(['policy', 'test', empty]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /contains no kyverno-test\.yaml/);
});
