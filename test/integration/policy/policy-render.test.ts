/**
 * GIVEN the example platform and its own kyverno.io policies, WHEN `launchpad render --policies` runs as a process,
 * THEN every rendered object goes through the policies: a Deployment in `default` is reported as an Enforce failure
 * under its application and the command exits 1, the YAML on stdout stays intact, `-o json` carries the same results,
 * and the untouched platform passes with exit 0.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { findBinary } from '../../../src/process/binaries.js';
import { STRAY_DEPLOYMENT } from './stray-deployment.js';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const bin = join(repoRoot, 'bin/launchpad.js');
let work: string;
let platform: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'launchpad-policy-render-'));
  platform = join(work, 'platform');
  await cp(join(repoRoot, 'examples/platform'), platform, { recursive: true, dereference: true });
});
after(() => rm(work, { recursive: true, force: true }));

function render(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, 'render', join(platform, 'launchpad/_app-of-apps-upc-dev.yaml'), '--offline', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
    env: { ...process.env, XDG_CACHE_HOME: join(work, 'cache'), LAUNCHPAD_HELM: findBinary('helm'), LAUNCHPAD_KUSTOMIZE: findBinary('kustomize') },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const policies = (): string => join(platform, 'launchpad/cluster-resources/policies');

test('GIVEN the platform as shipped WHEN render --policies runs THEN every applied rule passes and it exits 0', () => {
  const result = render('--policies', policies());
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Deployment\/argo-mcp\/argo-mcp \(application argo-mcp\)\n {2}PASS {2}default-namespace-blocker\/deny-default-namespace \(Enforce\)/);
  assert.match(result.stderr, /pass: \d+, fail: 0, warn: 0, error: 0, skip: 0/);
  assert.match(result.stdout, /^---\n# Application: /, 'stdout is still the YAML stream');
});

test('GIVEN a Deployment in default WHEN render --policies runs THEN it is a failure under its application and the command exits 1', async () => {
  const stray = join(platform, 'launchpad/cluster-resources/stray-deployment.yaml');
  await writeFile(stray, STRAY_DEPLOYMENT);
  try {
    const text = render('--policies', policies());
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stderr, /Deployment\/default\/stray \(application cluster-resources\)\n {2}FAIL {2}default-namespace-blocker\/deny-default-namespace \(Enforce\): validation error: Deployment\/stray: the default namespace is reserved/);
    assert.match(text.stderr, /fail: 1,/);
    // The rendered stream is printed whole anyway: the report is beside it, not instead of it.
    assert.match(text.stdout, /name: stray\n {2}namespace: default/);

    const json = render('--policies', policies(), '-o', 'json');
    assert.equal(json.code, 1, json.stderr);
    const document = parse(json.stdout) as { applications: unknown[]; policies: { application: string; resource: string; allowed: boolean; denials: string[]; rules: { status: string; action: string }[] }[] };
    assert.ok(document.applications.length > 0);
    const entry = document.policies.find((item) => item.resource === 'Deployment/default/stray');
    assert.equal(entry?.application, 'cluster-resources');
    assert.equal(entry.allowed, false);
    assert.match(entry.denials[0] ?? '', /^default-namespace-blocker\/deny-default-namespace: .*Deployment\/stray: the default namespace is reserved/);
    assert.deepEqual(entry.rules.map((rule) => [rule.status, rule.action]), [['fail', 'Enforce']]);

    // Without --policies nothing changes: no policy key, no report, exit 0.
    const plain = render('-o', 'json');
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal('policies' in (JSON.parse(plain.stdout) as object), false);
    assert.doesNotMatch(plain.stderr, /default-namespace-blocker/);
  } finally {
    await rm(stray);
  }
});

test('GIVEN a --policies folder without policies WHEN render runs THEN it exits 2 naming the folder', () => {
  const result = render('--policies', join(platform, 'launchpad/cluster-resources/namespaces'));
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /cluster-resources\/namespaces.*contains no Kyverno policies/);
});
