/**
 * GIVEN a mutate-existing policy (a ConfigMap `trigger` labels every Deployment of its namespace) and Kyverno CLI test
 * files in both spellings (`targetResources` + `patchedResource`, and `patchedResources` listing several objects),
 * WHEN `launchpad policy test` and `launchpad policy apply --target-resource` run as processes, THEN the targets are
 * judged against the patched files, a wrong expectation fails naming the file, and apply prints the patched targets.
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

const policy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: label-on-trigger
spec:
  rules:
    - name: label-deployments
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              names: [trigger]
      mutate:
        targets:
          - apiVersion: apps/v1
            kind: Deployment
            namespace: "{{ request.object.metadata.namespace }}"
        patchStrategicMerge:
          metadata:
            labels:
              release: "{{ request.object.data.release }}"
`;
const trigger = `apiVersion: v1
kind: ConfigMap
metadata: {name: trigger, namespace: shop}
data: {release: r42}
`;
const deployment = (name: string, namespace: string, labels: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: {${labels}}
spec:
  replicas: 1
`;
const targets = `${deployment('web', 'shop', 'app: web')}---\n${deployment('api', 'shop', 'app: api')}---\n${deployment('web', 'other', 'app: web')}`;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'launchpad-mutate-existing-'));
  await mkdir(join(work, 'suite'));
  await writeFile(join(work, 'suite/policy.yaml'), policy);
  await writeFile(join(work, 'suite/trigger.yaml'), trigger);
  await writeFile(join(work, 'suite/targets.yaml'), targets);
  await writeFile(join(work, 'suite/web-patched.yaml'), deployment('web', 'shop', 'app: web, release: r42'));
  await writeFile(join(work, 'suite/all-patched.yaml'), `${deployment('web', 'shop', 'app: web, release: r42')}---\n${deployment('api', 'shop', 'app: api, release: r42')}`);
  await writeFile(join(work, 'suite/kyverno-test.yaml'), `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: label-on-trigger}
policies: [policy.yaml]
resources: [trigger.yaml]
targetResources: [targets.yaml]
results:
  - policy: label-on-trigger
    rule: label-deployments
    resources: [shop/web]
    kind: Deployment
    patchedResource: web-patched.yaml
    result: pass
  - policy: label-on-trigger
    rule: label-deployments
    resources: [shop/api, shop/web]
    kind: Deployment
    patchedResources: all-patched.yaml
    result: pass
  - policy: label-on-trigger
    rule: label-deployments
    resources: [other/web]
    kind: Deployment
    result: skip
`);
});
after(() => rm(work, { recursive: true, force: true }));

function launchpad(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('GIVEN a mutate-existing suite WHEN policy test runs THEN the targets pass against the patched files', () => {
  const result = launchpad(['policy', 'test', join(work, 'suite')]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /label-on-trigger\s+label-deployments\s+Deployment\/shop\/web\s+Pass\s+Ok/);
  assert.match(result.stdout, /label-on-trigger\s+label-deployments\s+Deployment\/shop\/api\s+Pass\s+Ok/);
  assert.match(result.stdout, /Test Summary: 4 tests passed and 0 tests failed/);
});

test('GIVEN a patched file that differs WHEN policy test runs THEN the row fails naming the file', async () => {
  await writeFile(join(work, 'suite/web-patched.yaml'), deployment('web', 'shop', 'app: web, release: r41'));
  const result = launchpad(['policy', 'test', join(work, 'suite')]);
  await writeFile(join(work, 'suite/web-patched.yaml'), deployment('web', 'shop', 'app: web, release: r42'));
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /Deployment\/shop\/web\s+Pass\s+patched resource differs from web-patched.yaml/);
});

test('GIVEN --target-resource WHEN policy apply runs THEN it reports each target and prints the patched targets', () => {
  const result = launchpad(['policy', 'apply', join(work, 'suite/policy.yaml'), '-r', join(work, 'suite/trigger.yaml'), '--target-resource', join(work, 'suite/targets.yaml')]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /PASS\s+label-on-trigger\/label-deployments \[target Deployment\/shop\/web\]: resource patched/);
  assert.match(result.stdout, /patched targets:\n# patched by label-on-trigger\/label-deployments\n/);
  assert.match(result.stdout, /release: r42/);
  assert.doesNotMatch(result.stdout, /namespace: other/, 'the Deployment in another namespace is not a target');
  assert.match(result.stdout, /pass: 2, fail: 0/);
  const json = launchpad(['policy', 'apply', join(work, 'suite/policy.yaml'), '-r', join(work, 'suite/trigger.yaml'), '--target-resource', join(work, 'suite/targets.yaml'), '-o', 'json']);
  const parsed = JSON.parse(json.stdout) as { resources: { patchedTargets: { resource: string; patch: unknown[] }[] }[] };
  const [first] = parsed.resources;
  assert.ok(first);
  assert.deepEqual(first.patchedTargets.map((target) => target.resource).sort(), ['Deployment/shop/api', 'Deployment/shop/web']);
  assert.deepEqual(first.patchedTargets[0]?.patch, [{ op: 'add', path: '/metadata/labels/release', value: 'r42' }]);
});
