/**
 * GIVEN a config repository with a root app-of-apps, WHEN the tree is rendered, THEN every application is rendered
 * once in a stable order, and each kind of bad input fails only the application it concerns.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createApplicationLoader } from '../../../src/render/loader.js';
import { renderTree } from '../../../src/render/tree.js';
import type { RenderTree } from '../../../src/render/types.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { createSandbox } from './helpers.js';
import type { Sandbox } from './helpers.js';

let sandbox: Sandbox;
let repo: GitFixture;

function app(name: string, path: string, options: { wave?: number; repoURL?: string; extra?: string } = {}): string {
  const wave = options.wave === undefined ? '' : `  annotations:\n    argocd.argoproj.io/sync-wave: "${options.wave}"\n`;
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\n${wave}spec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${name}\n  source:\n    repoURL: ${options.repoURL ?? repo.url}\n    path: ${path}\n${options.extra ?? ''}`;
}

const configMap = (name: string, namespace?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace === undefined ? '' : `  namespace: ${namespace}\n`}`;

before(async () => {
  sandbox = await createSandbox();
  repo = await createGitRepo();
  await repo.commit({
    'root.yaml': app('root', 'apps', { extra: '' }).replace('namespace: root', 'namespace: argocd'),
    'apps/a.yaml': app('a', 'workloads/a', { wave: 2 }),
    'apps/b.yaml': app('b', 'workloads/b', { wave: 1 }),
    'apps/cycle.yaml': app('cycle-1', 'cycle/one'),
    'apps/invalid.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: no-destination\nspec:\n  project: default\n  source:\n    repoURL: https://example.com/x.git\n    path: x\n',
    'apps/unreachable.yaml': app('unreachable', 'x', { repoURL: 'file:///nonexistent/launchpad-repo.git' }),
    'apps/shared.yaml': app('shared-1', 'workloads/shared'),
    'apps/shared2.yaml': app('shared-2', 'workloads/shared'),
    'apps/nested.yaml': app('nested', 'nested'),
    'nested/child.yaml': app('grandchild', 'workloads/a'),
    'cycle/one/app.yaml': app('root', 'apps').replace('namespace: root', 'namespace: argocd'),
    'workloads/a/cm.yaml': configMap('a'),
    'workloads/b/cm.yaml': configMap('b'),
    'workloads/shared/cm.yaml': configMap('same', 'fixed'),
  });
});

after(async () => {
  await Promise.all([sandbox.cleanup(), repo.remove()]);
});

async function render(): Promise<RenderTree> {
  return renderTree(join(repo.dir, 'root.yaml'), { resolver: sandbox.resolver, offline: false, loader: createApplicationLoader() });
}

function byName(tree: RenderTree, name: string) {
  const found = tree.apps.find((candidate) => candidate.name === name);
  assert.ok(found, `${name} not in tree: ${tree.apps.map((a) => a.name).join(', ')}`);
  return found;
}

test('every application is rendered once, parents before children, siblings by wave then name', async () => {
  const tree = await render();
  assert.deepEqual(tree.apps.map((a) => `${'  '.repeat(a.depth)}${a.name}`), [
    'root',
    '  cycle-1', '  nested', '    grandchild', '  no-destination', '  shared-1', '  shared-2', '  unreachable',
    '  b', '  a',
  ]);
  assert.equal(byName(tree, 'a').status, 'ok');
  assert.equal(byName(tree, 'a').resources[0]?.metadata.namespace, 'a');
  assert.equal(byName(tree, 'grandchild').parent, 'nested');
  assert.equal(byName(tree, 'root').sources[0]?.resolvedRevision, await repo.revParse());
});

test('a cycle is an error naming it, on the application that closes it', async () => {
  const tree = await render();
  const closing = byName(tree, 'cycle-1');
  assert.equal(closing.status, 'error');
  assert.match(closing.message, /app-of-apps cycle: root → cycle-1 → root/);
  assert.equal(byName(tree, 'root').status, 'ok');
});

test('an invalid child Application is shown by name with the field and the fix', async () => {
  const tree = await render();
  const invalid = byName(tree, 'no-destination');
  assert.equal(invalid.status, 'error');
  assert.match(invalid.message, /Application "no-destination" \(rendered by root "root"\).*spec\.destination/);
  assert.equal(byName(tree, 'root').status, 'ok', 'the parent is not blamed');
});

test('an unreachable repository fails that application only', async () => {
  const tree = await render();
  const unreachable = byName(tree, 'unreachable');
  assert.equal(unreachable.status, 'error');
  assert.match(unreachable.message, /nonexistent\/launchpad-repo\.git/);
  assert.deepEqual(tree.apps.filter((a) => a.status === 'ok').map((a) => a.name), ['root', 'nested', 'grandchild', 'b', 'a']);
});

test('two applications producing the same resource are both reported', async () => {
  const tree = await render();
  for (const [name, other] of [['shared-1', 'shared-2'], ['shared-2', 'shared-1']] as const) {
    const app = byName(tree, name);
    assert.equal(app.status, 'error');
    assert.ok(app.errors.some((error) => error.includes(`ConfigMap/fixed/same is also produced by application "${other}"`)), app.errors.join('\n'));
  }
});
