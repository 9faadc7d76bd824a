/**
 * GIVEN a platform repository whose launchpad.yaml declares a Kustomize+Helm Config Management Plugin, WHEN a user
 * runs `launchpad render` as a process, THEN applications the plugin discovers and applications naming it render
 * through it, and a broken plugin.yaml stops the command with its file and line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const bin = join(repoRoot, 'bin/launchpad.js');
const REPO_URL = 'https://git.example.com/platform.git';
let cacheHome: string;
let repo: GitFixture;

const PLUGIN = [
  'apiVersion: argoproj.io/v1alpha1',
  'kind: ConfigManagementPlugin',
  'metadata:',
  '  name: kustomize-helm',
  'spec:',
  '  version: v1',
  '  generate:',
  '    command: [sh, -c]',
  '    args: [\'"$LAUNCHPAD_KUSTOMIZE" build --enable-helm --helm-command "$LAUNCHPAD_HELM" .\']',
  '  discover:',
  '    find:',
  '      glob: "charts/*/Chart.yaml"',
  '',
].join('\n');

function application(name: string, path: string, plugin = ''): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: ${REPO_URL}\n    path: ${path}\n${plugin}  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${name}\n`;
}

before(async () => {
  cacheHome = await mkdtemp(join(tmpdir(), 'launchpad-cli-plugin-'));
  repo = await createGitRepo({
    files: {
      'launchpad.yaml': `repositories:\n  - url: ${REPO_URL}\n    path: .\nplugins:\n  - path: plugins/\n    timeout: 2m\n`,
      'plugins/kustomize-helm/plugin.yaml': PLUGIN,
      // No discovery rule: used only by the applications that name it.
      'plugins/kustomize/plugin.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: ConfigManagementPlugin\nmetadata:\n  name: kustomize\nspec:\n  generate:\n    command: [sh, -c, \'"$LAUNCHPAD_KUSTOMIZE" build .\']\n',
      'root.yaml': `${application('discovered', 'apps/shop')}---\n${application('named', 'apps/billing', '    plugin:\n      name: kustomize\n')}`,
      'apps/shop/kustomization.yaml': 'helmGlobals: {chartHome: charts}\nhelmCharts:\n  - {name: web, releaseName: shop, valuesInline: {replicas: 2}}\n',
      'apps/shop/charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'apps/shop/charts/web/values.yaml': 'replicas: 1\n',
      'apps/shop/charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  replicas: {{ .Values.replicas | quote }}\n',
      'apps/billing/kustomization.yaml': 'resources: [cm.yaml]\nnamePrefix: billing-\n',
      'apps/billing/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
    },
  });
});

after(async () => {
  await Promise.all([rm(cacheHome, { recursive: true, force: true }), repo.remove()]);
});

/** The pinned tools' folder as binaries.ts finds it (XDG_CACHE_HOME is changed for the command). */
const toolsDir = process.env.LAUNCHPAD_TOOLS_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'launchpad', 'tools');

function launchpad(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: repo.dir,
    encoding: 'utf8',
    // LAUNCHPAD_HELM/LAUNCHPAD_KUSTOMIZE are not set here (unless the caller's environment does): plugins get the
    // binaries Launchpad finds itself, the pinned ones in the tools folder.
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, LAUNCHPAD_TOOLS_DIR: toolsDir },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

interface JsonApp {
  readonly name: string;
  readonly status: string;
  readonly message: string;
  readonly resources: readonly { kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string> }[];
}

test('launchpad render runs the plugin declared in launchpad.yaml: by discovery, and by name', () => {
  const { code, stdout, stderr } = launchpad('render', 'root.yaml', '--offline', '-o', 'json');
  assert.equal(code, 0, stderr);
  const apps = (JSON.parse(stdout) as { applications: JsonApp[] }).applications;
  const discovered = apps.find((app) => app.name === 'discovered');
  assert.equal(discovered?.status, 'ok', discovered?.message);
  const settings = discovered.resources.find((object) => object.metadata.name === 'shop-settings');
  assert.deepEqual(settings?.data, { replicas: '2' });
  const named = apps.find((app) => app.name === 'named');
  assert.equal(named?.status, 'ok', named?.message);
  assert.deepEqual(named.resources.map((object) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`), ['ConfigMap/named/billing-settings']);
});

test('a broken plugin.yaml stops the command with its file and line', async () => {
  await repo.write({ 'plugins/kustomize-helm/plugin.yaml': PLUGIN.replace('  generate:\n    command: [sh, -c]\n', '  generate:\n    command: sh\n') });
  try {
    const { code, stderr } = launchpad('render', 'root.yaml', '--offline');
    assert.notEqual(code, 0);
    assert.match(stderr, /plugins\/kustomize-helm\/plugin\.yaml:8:\d+: spec\.generate\.command: must be a list of strings/);
  } finally {
    await repo.write({ 'plugins/kustomize-helm/plugin.yaml': PLUGIN });
  }
});
