/**
 * GIVEN the controller's renderer with a plugin declared in its configuration (launchpad.yaml `plugins:`, which
 * `launchpad controller --plugin` extends), WHEN an Application naming the plugin is rendered — through the render
 * cache and as a hard refresh — THEN the plugin renders it; a controller without the plugin refuses it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { Renderer } from '../../../src/controller/renderer.js';
import type { Application } from '../../../src/model/application.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';

let work: string;
let repo: GitFixture;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'launchpad-controller-plugin-'));
  await mkdir(join(work, 'plugins'), { recursive: true });
  await writeFile(join(work, 'plugins', 'plugin.yaml'), [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: ConfigManagementPlugin',
    'metadata: {name: settings}',
    'spec:',
    '  generate:',
    '    command: [sh, -c]',
    '    args: [\'printf "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: %s-settings\\ndata:\\n  env: %s\\n" "$ARGOCD_APP_NAME" "$ARGOCD_ENV_STAGE"\']',
    '',
  ].join('\n'));
  repo = await createGitRepo({ files: { 'apps/shop/README.md': 'settings only' } });
});

after(async () => {
  await Promise.all([rm(work, { recursive: true, force: true }), repo.remove()]);
});

function app(): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: repo.url, path: 'apps/shop', plugin: { name: 'settings', env: [{ name: 'STAGE', value: 'prod' }] } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
    },
  };
}

test('the controller renders with a plugin from its configuration, cached and on a hard refresh', async () => {
  const renderer = new Renderer({
    metrics: new ControllerMetrics(),
    cacheDir: join(work, 'cache'),
    config: { file: '--plugin', repositories: [], warnings: [], plugins: [{ path: join(work, 'plugins'), position: { file: '--plugin plugins' } }] },
  });
  for (const hard of [false, true, false]) {
    const result = await renderer.render(app(), { hard });
    assert.equal(result.status, 'ok', result.message);
    assert.equal(result.sources[0]?.type, 'plugin');
    assert.deepEqual(result.resources.map((object) => [object.metadata.name, object.metadata.namespace, (object.data as Record<string, string>).env]), [['shop-settings', 'shop', 'prod']]);
  }
});

test('a controller without the plugin declared refuses the application with the fix', async () => {
  const renderer = new Renderer({ metrics: new ControllerMetrics(), cacheDir: join(work, 'cache-none') });
  const result = await renderer.render(app(), { hard: false });
  assert.equal(result.status, 'error');
  assert.match(result.message, /asks for the config management plugin "settings", but no plugins are declared;.*launchpad controller --plugin <file>/);
});
