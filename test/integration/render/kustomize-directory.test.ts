/**
 * GIVEN real git repositories with Kustomize bases/overlays and plain manifest folders, WHEN rendered, THEN the
 * Application's kustomize options apply as Argo CD applies them (without touching the checkout), directory options
 * select the right files, and objects get the destination namespace and the tracking annotation.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { renderApplication } from '../../../src/render/app.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { application, createSandbox, find } from './helpers.js';
import type { Sandbox } from './helpers.js';

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25\n';
const OVERLAY = 'resources:\n  - ../../base\nnamePrefix: dev-\n';

let sandbox: Sandbox;
let repo: GitFixture;

before(async () => {
  sandbox = await createSandbox();
  repo = await createGitRepo({
    files: {
      'kustomize/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'kustomize/base/deployment.yaml': DEPLOYMENT,
      'kustomize/overlays/dev/kustomization.yaml': OVERLAY,
      'kustomize/components/probe/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  component: probe\n',
      'plain/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n',
      'plain/b.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}',
      'plain/notes.txt': 'not a manifest',
      'plain/sub/c.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: other\n',
      'plain/sub/deeper/d.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: d\n',
      'jsonnet/main.jsonnet': '{}',
      'broken/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n',
      'noname/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n',
      'dupes/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n',
      'dupes/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n',
    },
  });
});

after(async () => {
  await Promise.all([sandbox.cleanup(), repo.remove()]);
});

const render = (name: string, source: Parameters<typeof application>[1][number], namespace = 'shop') =>
  renderApplication(application(name, [source], namespace), { resolver: sandbox.resolver, offline: false });

test('a kustomize overlay renders with its base', async () => {
  const result = await render('dev', { repoURL: repo.url, path: 'kustomize/overlays/dev' });
  assert.equal(result.status, 'ok', result.message);
  const deployment = find(result.resources, 'Deployment', 'dev-web');
  assert.equal(deployment.metadata.namespace, 'shop');
  assert.deepEqual(result.inputs.map((input) => input.path), ['kustomize/base', 'kustomize/overlays/dev']);
});

test('Application kustomize options override the kustomization as Argo CD does, and the checkout is untouched', async () => {
  const result = await render('opts', {
    repoURL: repo.url,
    path: 'kustomize/overlays/dev',
    kustomize: {
      namePrefix: 'prod-',
      nameSuffix: '-v2',
      images: ['nginx=registry.example.com/nginx:1.27'],
      commonLabels: { team: 'shop' },
      commonAnnotations: { owner: 'platform' },
      namespace: 'prod',
      replicas: [{ name: 'web', count: 4 }],
      components: ['../../components/probe'],
      patches: [{ target: { kind: 'Deployment' }, patch: '- op: add\n  path: /spec/minReadySeconds\n  value: 5\n' }],
    },
  });
  assert.equal(result.status, 'ok', result.message);
  // namePrefix replaces the overlay's "dev-" (kustomize edit set nameprefix), it does not stack on it
  const deployment = find(result.resources, 'Deployment', 'prod-web-v2');
  const spec = deployment.spec as { replicas: number; minReadySeconds: number; template: { spec: { containers: { image: string }[] } } };
  assert.equal(deployment.metadata.namespace, 'prod');
  assert.equal(spec.replicas, 4);
  assert.equal(spec.template.spec.containers[0]?.image, 'registry.example.com/nginx:1.27');
  assert.equal(spec.minReadySeconds, 5, 'the patch from the Application applied');
  assert.deepEqual(deployment.metadata.labels, { team: 'shop' });
  assert.equal(deployment.metadata.annotations?.owner, 'platform');
  assert.equal(deployment.metadata.annotations.component, 'probe');
  const checkoutDir = (await sandbox.resolver.resolveGit(repo.url, 'HEAD', { offline: false })).dir;
  assert.equal(await readFile(join(checkoutDir, 'kustomize/overlays/dev/kustomization.yaml'), 'utf8'), OVERLAY);
});

test('a kustomize build failure gives kustomize\'s message on that app', async () => {
  const result = await render('nokust', { repoURL: repo.url, path: 'plain', kustomize: { namePrefix: 'x-' } });
  assert.equal(result.status, 'error');
  assert.match(result.message, /no kustomization.yaml in "plain" but spec.source.kustomize is set — add a kustomization.yaml/);
});

test('a directory renders only the top folder by default; recurse, include and exclude select files', async () => {
  const top = await render('top', { repoURL: repo.url, path: 'plain' });
  assert.equal(top.status, 'ok', top.message);
  assert.deepEqual(top.resources.map((o) => `${o.kind}/${o.metadata.name ?? ''}`).sort(), ['ConfigMap/a', 'ConfigMap/b', 'Namespace/extra']);
  const all = await render('all', { repoURL: repo.url, path: 'plain', directory: { recurse: true, exclude: '{b.json,*/deeper/*}' } });
  assert.deepEqual(all.resources.map((o) => `${o.kind}/${o.metadata.name ?? ''}`).sort(), ['ConfigMap/a', 'ConfigMap/c', 'Namespace/extra']);
  const only = await render('only', { repoURL: repo.url, path: 'plain', directory: { recurse: true, include: '*.yml' } });
  assert.deepEqual(only.resources.map((o) => o.metadata.name), ['c']);
});

test('namespaces: namespaced objects get the destination namespace, cluster-scoped ones none, explicit ones stay', async () => {
  const result = await render('ns', { repoURL: repo.url, path: 'plain', directory: { recurse: true } });
  assert.equal(find(result.resources, 'ConfigMap', 'a').metadata.namespace, 'shop');
  assert.equal(find(result.resources, 'ConfigMap', 'c').metadata.namespace, 'other');
  const namespace = find(result.resources, 'Namespace', 'extra');
  assert.equal(namespace.metadata.namespace, undefined);
  // Argo CD's tracking id uses the destination namespace for cluster-scoped objects
  assert.equal(namespace.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'ns:/Namespace:shop/extra');
  assert.equal(find(result.resources, 'Widget', 'd').metadata.namespace, 'shop');
  assert.ok(result.warnings.some((warning) => warning.includes('Widget (example.com/v1) is not known') && warning.includes('treated as namespaced')), result.warnings.join('\n'));
});

test('a Jsonnet file that evaluates to {} is refused as Argo CD refuses it (see jsonnet.test.ts for Jsonnet)', async () => {
  const result = await render('jsonnet', { repoURL: repo.url, path: 'jsonnet' });
  assert.equal(result.status, 'error');
  assert.match(result.message, /jsonnet\/main\.jsonnet \(output\).*has no apiVersion and kind/);
});

test('malformed YAML names the file, line and column', async () => {
  const result = await render('broken', { repoURL: repo.url, path: 'broken' });
  assert.equal(result.status, 'error');
  assert.match(result.message, /broken\/bad.yaml:\d+:\d+/);
});

test('an object without a name is an error naming the kind and where it came from', async () => {
  const result = await render('noname', { repoURL: repo.url, path: 'noname' });
  assert.equal(result.status, 'error');
  assert.match(result.message, /a ConfigMap from .* path noname has no metadata.name — every object needs a name/);
});

test('the same resource twice in one app is an error naming it', async () => {
  const result = await render('dupes', { repoURL: repo.url, path: 'dupes' });
  assert.equal(result.status, 'error');
  assert.match(result.message, /ConfigMap\/shop\/same is produced twice/);
});

test('a later source wins for the same resource, with a warning', async () => {
  const app = application('multi', [{ repoURL: repo.url, path: 'dupes', directory: { include: 'a.yaml' } }, { repoURL: repo.url, path: 'dupes', directory: { include: 'b.yaml' } }]);
  const result = await renderApplication(app, { resolver: sandbox.resolver, offline: false });
  assert.equal(result.status, 'ok', result.message);
  assert.equal(result.resources.length, 1);
  assert.match(result.warnings.join('\n'), /ConfigMap\/shop\/same from source 1 .* is replaced by the one from source 2/);
});
