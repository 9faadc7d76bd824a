/**
 * GIVEN a config repository whose root Application renders an ApplicationSet (a list and a git-directories
 * generator over the same repository) WHEN a commit changes the set THEN `launchpad diff --base --head` shows the
 * generated Applications that appear, disappear and change, and `render`/`tree` show the generated Applications as
 * children of the set's application, without listing them as its resources; pull request generators are skipped
 * offline and said so.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { GitFixture } from '../../../src/testing/index.js';
import { createGitRepo } from '../../../src/testing/index.js';
import { launchpad, parseReport, tempDir } from '../preview/helpers.js';

const URL = 'https://git.example.invalid/config.git';
const CM = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;
const ROOT = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: root, namespace: argocd}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, namespace: argocd}\n  source: {repoURL: ${URL}, targetRevision: HEAD, path: sets}\n`;

function set(elements: string, extra = ''): string {
  // Each generator brings its own template (per-generator override); the set's template supplies the rest.
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: shop, namespace: argocd}
spec:
  generators:
    - list:
        elements: ${elements}
        template:
          metadata: {name: '{{name}}'}
          spec: {source: {repoURL: ${URL}, targetRevision: HEAD, path: 'apps/{{name}}'}, destination: {namespace: from-list}}
    - git:
        repoURL: ${URL}
        revision: HEAD
        directories: [{path: "apps/*"}]
        template:
          metadata: {name: 'dir-{{path.basename}}'}
          spec: {source: {repoURL: ${URL}, targetRevision: HEAD, path: '{{path}}'}, destination: {namespace: from-git}}
${extra}  template:
    metadata: {name: unused}
    spec:
      project: default
      destination: {server: https://kubernetes.default.svc, namespace: shop}
`;
}

describe('ApplicationSets in the offline preview', () => {
  let repo: GitFixture;
  let cache: { dir: string; remove(): Promise<void> };
  let base: string;

  before(async () => {
    cache = await tempDir('launchpad-appset-preview-cache-');
    repo = await createGitRepo({
      files: {
        'launchpad.yaml': `repositories:\n  - url: ${URL}\n    path: .\n`,
        'root.yaml': ROOT,
        'sets/shop.yaml': set('[{name: web}, {name: api}]'),
        'apps/web/cm.yaml': CM('web'), 'apps/api/cm.yaml': CM('api'), 'apps/jobs/cm.yaml': CM('jobs'),
      },
    });
    base = await repo.revParse();
    await repo.commit({
      'sets/shop.yaml': set('[{name: web}, {name: cron}]', '    - pullRequest: {github: {owner: acme, repo: shop}}\n'),
      'apps/cron/cm.yaml': CM('cron'),
      'apps/web/cm.yaml': CM('web-v2'),
    });
  });

  after(async () => {
    await repo.remove();
    await cache.remove();
  });

  test('diff --base --head: generated Applications added, removed and changed', () => {
    const result = launchpad({ cwd: repo.dir, cacheHome: cache.dir }, 'diff', join(repo.dir, 'root.yaml'), '--base', base, '--head', 'HEAD', '--offline', '-o', 'json');
    assert.equal(result.code, 1, result.stderr);
    const report = parseReport(result.stdout);
    const apps = Object.fromEntries((report.clusters[0]?.applications ?? []).map((app) => [app.name, app.change]));
    assert.equal(apps.api, 'removed');
    assert.equal(apps.cron, 'added');
    assert.equal(apps.web, 'changed');
    // The git generator's folders: "cron" appeared, "web" changed, "api" and "jobs" stayed as they were.
    assert.equal(apps['dir-cron'], 'added');
    assert.equal(apps['dir-web'], 'changed');
    assert.equal(apps['dir-jobs'], undefined);
  });

  test('tree and render: the set\'s Applications are children of root, not its resources; skips are said', () => {
    const tree = launchpad({ cwd: repo.dir, cacheHome: cache.dir }, 'tree', join(repo.dir, 'root.yaml'), '--offline', '-o', 'json');
    assert.equal(tree.code, 0, tree.stderr);
    const parsed = JSON.parse(tree.stdout) as { applications?: { name: string; parent?: string }[] }[] | { applications?: { name: string; parent?: string }[] };
    const text = JSON.stringify(parsed);
    for (const name of ['web', 'cron', 'dir-api', 'dir-jobs']) assert.match(text, new RegExp(`"name":"${name}"`));
    const render = launchpad({ cwd: repo.dir, cacheHome: cache.dir }, 'render', join(repo.dir, 'root.yaml'), '--offline', '-o', 'json');
    assert.equal(render.code, 0, render.stderr);
    const rendered = JSON.parse(render.stdout) as { applications: { name: string; warnings: string[]; resources: { kind: string }[] }[] };
    const root = rendered.applications.find((app) => app.name === 'root');
    assert.ok(root !== undefined, 'root is rendered');
    assert.deepEqual(root.resources.map((object) => object.kind), ['ApplicationSet']);
    assert.match(root.warnings.join('\n'), /ApplicationSet\/argocd\/shop: spec\.generators\[2\]\.pullRequest: pull request generator skipped \(offline/);
    assert.deepEqual(rendered.applications.find((app) => app.name === 'cron')?.resources.map((object) => object.kind), ['ConfigMap']);
  });
});
