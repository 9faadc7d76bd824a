/**
 * GIVEN the example platform as a real git repository, WHEN a commit adds a Deployment in `default` and
 * `launchpad diff --base/--head` runs as a process, THEN the policy section lists it under its application as an
 * introduced violation (text, markdown and JSON), the reverse change lists it as fixed, `--policies` takes the folder
 * from the head revision, and a change without policy news prints no policy section at all.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { launchpad, platformAsOneRepo, tempDir } from '../preview/helpers.js';
import { STRAY_DEPLOYMENT } from './stray-deployment.js';

let work: { dir: string; remove(): Promise<void> };
let cache: { dir: string; remove(): Promise<void> };
let repo: GitFixture;
let clean: string;
let violating: string;

before(async () => {
  work = await tempDir('launchpad-policy-diff-');
  cache = await tempDir('launchpad-policy-diff-cache-');
  repo = await platformAsOneRepo(work.dir);
  violating = await repo.commit({ 'launchpad/cluster-resources/stray-deployment.yaml': STRAY_DEPLOYMENT }, 'stray deployment');
  clean = await repo.commit({ 'launchpad/cluster-resources/stray-deployment.yaml': null }, 'remove it');
});
after(async () => {
  await work.remove();
  await cache.remove();
});

const root = (): string => join(work.dir, 'launchpad/_app-of-apps-upc-dev.yaml');
const diff = (...args: string[]) => launchpad({ cwd: work.dir, cacheHome: cache.dir }, 'diff', root(), '--offline', ...args);

interface JsonViolation { application: string; resource: string; policy: string; rule: string; status: string; action: string; message: string }

test('GIVEN head adds a Deployment in default WHEN diff runs THEN the violation is listed as introduced under its app', () => {
  const text = diff('--base', `${violating}~1`, '--head', violating);
  assert.equal(text.code, 1, text.stderr);
  assert.match(text.stdout, /\n {2}policies: 1 violation introduced, 0 fixed\n {4}application cluster-resources:\n {6}\+ introduced FAIL Deployment\/default\/stray default-namespace-blocker\/deny-default-namespace \(Enforce\): .*default namespace is reserved/);

  const markdown = diff('--base', `${violating}~1`, '--head', violating, '-o', 'markdown');
  assert.match(markdown.stdout, /\*\*Policies\*\*: 1 violation introduced, 0 fixed/);
  assert.match(markdown.stdout, /\| cluster-resources \| :warning: introduced \| <code>Deployment\/default\/stray<\/code> \| <code>default-namespace-blocker\/deny-default-namespace<\/code> \| Enforce \|/);

  const json = diff('--base', `${violating}~1`, '--head', violating, '-o', 'json');
  const document = JSON.parse(json.stdout) as { clusters: { policies?: { introduced: JsonViolation[]; fixed: JsonViolation[] } }[] };
  const policies = document.clusters[0]?.policies;
  assert.deepEqual(policies?.fixed, []);
  assert.deepEqual(policies.introduced.map((v) => [v.application, v.resource, v.policy, v.rule, v.status, v.action]), [['cluster-resources', 'Deployment/default/stray', 'default-namespace-blocker', 'deny-default-namespace', 'fail', 'Enforce']]);
});

test('GIVEN head removes the Deployment WHEN diff runs with --policies THEN the violation is listed as fixed', () => {
  const text = diff('--base', violating, '--head', clean, '--policies', 'launchpad/cluster-resources/policies');
  assert.equal(text.code, 1, text.stderr);
  assert.match(text.stdout, /policies: 0 violations introduced, 1 fixed\n {4}application cluster-resources:\n {6}- fixed FAIL Deployment\/default\/stray default-namespace-blocker\/deny-default-namespace \(Enforce\)/);
  const json = JSON.parse(diff('--base', violating, '--head', clean, '-o', 'json').stdout) as { clusters: { policies?: { introduced: JsonViolation[]; fixed: JsonViolation[] } }[] };
  assert.deepEqual(json.clusters[0]?.policies?.fixed.map((v) => v.resource), ['Deployment/default/stray']);
});

test('GIVEN a change without policy news WHEN diff runs THEN there is no policy section in any format', () => {
  const text = diff('--base', `${violating}~1`, '--head', clean);
  assert.doesNotMatch(text.stdout, /policies:/);
  const json = JSON.parse(diff('--base', `${violating}~1`, '--head', clean, '-o', 'json').stdout) as { clusters: object[] };
  assert.equal(json.clusters.some((cluster) => 'policies' in cluster), false);
});

test('GIVEN --policies naming a folder without policies WHEN diff runs THEN it exits 2 naming the folder', () => {
  const result = diff('--base', `${violating}~1`, '--head', violating, '--policies', 'launchpad/cluster-resources/namespaces');
  assert.equal(result.code, 2, result.stdout);
  assert.match(result.stderr, /namespaces.*contains no Kyverno policies/);
});
