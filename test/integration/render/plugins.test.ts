/**
 * GIVEN real git repositories and Config Management Plugins in Argo CD's sidecar format (a Kustomize+Helm plugin
 * running the pinned kustomize and helm, and small shell plugins), WHEN applications are rendered, THEN plugins are
 * chosen as Argo CD chooses them (discovery by fileName and glob before Helm/Kustomize detection, selection by
 * `<name>-<version>`), see Argo CD's environment, run in a private copy, and fail with the plugin, the command and
 * its stderr named. A plugin that is not declared is refused.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { renderApplication } from '../../../src/render/app.js';
import { createRenderCache } from '../../../src/render/cache.js';
import { loadPluginCatalog } from '../../../src/render/plugin/catalog.js';
import type { PluginCatalog } from '../../../src/render/plugin/catalog.js';
import { findBinary } from '../../../src/process/binaries.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { application, createSandbox, find } from './helpers.js';
import type { Sandbox } from './helpers.js';

let sandbox: Sandbox;
let repo: GitFixture;
let pluginDir: string;
let catalog: PluginCatalog;

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'values.yaml': 'replicas: 1\nimage: nginx:1.25\n',
  'templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}-web',
    'spec:',
    '  replicas: {{ .Values.replicas }}',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: {{ .Values.image | quote }}',
    '',
  ].join('\n'),
};

function chartFiles(prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(CHART).map(([path, text]) => [`${prefix}/${path}`, text]));
}

const KUSTOMIZATION = 'helmGlobals:\n  chartHome: charts\nhelmCharts:\n  - name: web\n    releaseName: shop\n    valuesInline:\n      replicas: 3\nlabels:\n  - pairs: {team: shop}\n';

/** Prints one ConfigMap holding the variables a test looks at, as JSON (the plugin's output may be JSON). */
const ECHO_SCRIPT = [
  'printf \'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"echo"},"data":{\'',
  'sep=""',
  'for v in ARGOCD_APP_NAME ARGOCD_APP_NAMESPACE ARGOCD_APP_PROJECT_NAME ARGOCD_APP_REVISION ARGOCD_APP_REVISION_SHORT ARGOCD_APP_SOURCE_PATH ARGOCD_APP_SOURCE_REPO_URL ARGOCD_APP_SOURCE_TARGET_REVISION KUBE_VERSION KUBE_API_VERSIONS ARGOCD_ENV_FOO ARGOCD_ENV_PRICE PARAM_IMAGE_TAG PARAM_VALUE_FILES_0 PARAM_VALUE_FILES_1 PARAM_LABELS_TEAM PARAM_LABELS_COST_CENTER; do',
  '  eval "val=\\${$v-unset}"',
  '  printf \'%s"%s":"%s"\' "$sep" "$v" "$val"',
  '  sep=","',
  'done',
  'printf \'}}\\n\'',
  // The parameters' JSON, byte for byte (base64), in a second object; "unset" when the variable is not there.
  'if [ "${ARGOCD_APP_PARAMETERS+set}" = set ]; then json=$(printf %s "$ARGOCD_APP_PARAMETERS" | base64 | tr -d "\\n"); else json=unset; fi',
  'printf \'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"parameters"},"data":{"json":"%s"}}\\n\' "$json"',
].join('\n');

function pluginYaml(name: string, spec: string): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: ConfigManagementPlugin\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

async function writePlugin(folder: string, text: string): Promise<string> {
  const dir = join(pluginDir, folder);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'plugin.yaml'), text);
  return dir;
}

before(async () => {
  sandbox = await createSandbox();
  pluginDir = await mkdtemp(join(tmpdir(), 'launchpad-plugins-'));
  repo = await createGitRepo({
    files: {
      'apps/shop/kustomization.yaml': KUSTOMIZATION,
      ...chartFiles('apps/shop/charts/web'),
      'apps/plain-kustomize/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/plain-kustomize/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
      'apps/echo/deep/er/marker.echo': 'x',
      'apps/named/README.md': 'rendered by a named plugin',
      'apps/writer/existing.yaml': 'original\n',
      'apps/fail/README.md': 'x',
    },
  });
  const kustomize = findBinary('kustomize');
  const helm = findBinary('helm');
  await writePlugin('kustomize-helm', pluginYaml('kustomize-helm', [
    '  version: v1.0',
    '  init:',
    '    command: [sh, -c]',
    '    args: ["test -f kustomization.yaml"]',
    '  generate:',
    `    command: ["${kustomize}", build, --enable-helm, --helm-command, "${helm}", .]`,
    '  discover:',
    '    fileName: "./kustomization.yaml"',
    '',
  ].join('\n')));
  await writePlugin('echo', pluginYaml('echo', [
    '  generate:',
    '    command: [sh, -c]',
    `    args: ${JSON.stringify([ECHO_SCRIPT])}`,
    '  discover:',
    '    find:',
    '      glob: "**/*.echo"',
    '',
  ].join('\n')));
  await writePlugin('named', pluginYaml('named', [
    '  version: v2',
    '  generate:',
    '    command: [sh, -c, "printf \'kind: ConfigMap\\napiVersion: v1\\nmetadata:\\n  name: named-%s\\n\' \\"$ARGOCD_ENV_SUFFIX\\""]',
    '',
  ].join('\n')));
  await writePlugin('writer', pluginYaml('writer', [
    '  init:',
    '    command: [sh, -c, "echo changed > existing.yaml && mkdir -p generated && echo new > generated/file"]',
    '  generate:',
    '    command: [sh, -c, "printf \'{\\"apiVersion\\": \\"v1\\", \\"kind\\": \\"ConfigMap\\", \\"metadata\\": {\\"name\\": \\"%s\\"}}\' \\"$(cat existing.yaml)\\""]',
    '',
  ].join('\n')));
  await writePlugin('failing', pluginYaml('failing', [
    '  generate:',
    '    command: [sh, -c, "echo starting >&2; echo \'values.yaml: key \\"replicas\\" is not a number\' >&2; exit 3"]',
    '',
  ].join('\n')));
  await writePlugin('garbage', pluginYaml('garbage', [
    '  generate:',
    '    command: [sh, -c, "echo \'kind: ConfigMap\'; echo \'metadata: [unclosed\'"]',
    '',
  ].join('\n')));
  await writePlugin('missing-program', pluginYaml('missing-program', [
    '  generate:',
    '    command: [launchpad-no-such-program, build]',
    '',
  ].join('\n')));
  catalog = await loadPluginCatalog([{ path: pluginDir }]);
});

after(async () => {
  await Promise.all([sandbox.cleanup(), repo.remove(), rm(pluginDir, { recursive: true, force: true })]);
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

type Source = Parameters<typeof application>[1][number];

/** Renders with the declared plugins (`null`: none declared). */
const render = (name: string, source: Source, plugins: PluginCatalog | null = catalog) =>
  renderApplication(application(name, [source]), { resolver: sandbox.resolver, offline: false, ...(plugins === null ? {} : { plugins }), kubeVersion: 'v1.31.2', apiVersions: ['v1', 'apps/v1'] });

function parametersJson(objects: Parameters<typeof find>[0]): string {
  const encoded = (find(objects, 'ConfigMap', 'parameters').data as Record<string, string>).json ?? '';
  return encoded === 'unset' ? encoded : Buffer.from(encoded, 'base64').toString('utf8');
}

test('the declared plugins are read from a folder of plugin folders, in Argo CD\'s discovery order', () => {
  assert.deepEqual(catalog.plugins.map((plugin) => plugin.spec.fullName), ['echo', 'failing', 'garbage', 'kustomize-helm-v1.0', 'missing-program', 'named-v2', 'writer']);
});

test('a Kustomize+Helm plugin discovered by fileName renders the chart through kustomize, before Kustomize itself is tried', async () => {
  const result = await render('shop', { repoURL: repo.url, path: 'apps/shop' });
  assert.equal(result.status, 'ok', result.message);
  assert.equal(result.sources[0]?.type, 'plugin');
  const deployment = find(result.resources, 'Deployment', 'shop-web');
  assert.equal((deployment.spec as { replicas: number }).replicas, 3);
  assert.equal(deployment.metadata.labels?.team, 'shop');
  assert.equal(deployment.metadata.namespace, 'shop');
  // A plugin may read anything in the repository: the whole repository is the input.
  assert.deepEqual(result.inputs.map((input) => input.path), ['.']);
  // kustomize --enable-helm writes into the app folder; the checkout stays clean.
  assert.equal(await repo.git('status', '--porcelain'), '');
});

test('without declared plugins the same folder is an ordinary Kustomize source', async () => {
  const result = await render('plain', { repoURL: repo.url, path: 'apps/plain-kustomize' }, null);
  assert.equal(result.status, 'ok', result.message);
  assert.equal(result.sources[0]?.type, 'kustomize');
});

test('discovery by find.glob matches files in sub-folders; a discovered plugin gets the build environment but no ARGOCD_ENV_ or parameters', async () => {
  const result = await render('echo-app', { repoURL: repo.url, path: 'apps/echo' });
  assert.equal(result.status, 'ok', result.message);
  const data = find(result.resources, 'ConfigMap', 'echo').data as Record<string, string>;
  const sha = await repo.revParse();
  assert.equal(data.ARGOCD_APP_NAME, 'echo-app');
  assert.equal(data.ARGOCD_APP_NAMESPACE, 'shop');
  assert.equal(data.ARGOCD_APP_PROJECT_NAME, 'default');
  assert.equal(data.ARGOCD_APP_REVISION, sha);
  assert.equal(data.ARGOCD_APP_REVISION_SHORT, sha.slice(0, 7));
  assert.equal(data.ARGOCD_APP_SOURCE_PATH, 'apps/echo');
  assert.equal(data.ARGOCD_APP_SOURCE_REPO_URL, repo.url);
  assert.equal(data.ARGOCD_APP_SOURCE_TARGET_REVISION, '');
  assert.equal(data.KUBE_VERSION, '1.31.2');
  assert.equal(data.KUBE_API_VERSIONS, 'v1,apps/v1');
  assert.equal(data.ARGOCD_ENV_FOO, 'unset');
  assert.equal(parametersJson(result.resources), 'unset');
});

test('a plugin block passes env as ARGOCD_ENV_* (expanded against the build environment) and parameters as PARAM_* and ARGOCD_APP_PARAMETERS', async () => {
  const result = await render('params', {
    repoURL: repo.url,
    path: 'apps/echo',
    targetRevision: 'HEAD',
    plugin: {
      env: [{ name: 'FOO', value: 'app-$ARGOCD_APP_NAME-${ARGOCD_APP_NAMESPACE}' }, { name: 'PRICE', value: '$$5 $UNKNOWN.' }],
      parameters: [
        { name: 'image-tag', string: '1.2.3' },
        { name: 'value-files', array: ['base.yaml', 'prod.yaml'] },
        { name: 'labels', map: { team: 'shop', 'cost.center': '<42>' } },
      ],
    },
  });
  assert.equal(result.status, 'ok', result.message);
  const data = find(result.resources, 'ConfigMap', 'echo').data as Record<string, string>;
  assert.equal(data.ARGOCD_ENV_FOO, 'app-params-shop');
  assert.equal(data.ARGOCD_ENV_PRICE, '$5 .');
  assert.equal(data.ARGOCD_APP_SOURCE_TARGET_REVISION, 'HEAD');
  assert.equal(data.PARAM_IMAGE_TAG, '1.2.3');
  assert.equal(data.PARAM_VALUE_FILES_0, 'base.yaml');
  assert.equal(data.PARAM_VALUE_FILES_1, 'prod.yaml');
  assert.equal(data.PARAM_LABELS_TEAM, 'shop');
  assert.equal(data.PARAM_LABELS_COST_CENTER, '<42>');
  // Go's encoding/json: keys sorted, map keys sorted, <, > escaped.
  assert.equal(parametersJson(result.resources),
    '[{"name":"image-tag","string":"1.2.3"},{"array":["base.yaml","prod.yaml"],"name":"value-files"},{"map":{"cost.center":"\\u003c42\\u003e","team":"shop"},"name":"labels"}]');
});

test('a plugin is selected by <name>-<version>; its bare name is refused with the name to use', async () => {
  const ok = await render('named-app', { repoURL: repo.url, path: 'apps/named', plugin: { name: 'named-v2', env: [{ name: 'SUFFIX', value: 'x' }] } });
  assert.equal(ok.status, 'ok', ok.message);
  find(ok.resources, 'ConfigMap', 'named-x');
  const bare = await render('named-bare', { repoURL: repo.url, path: 'apps/named', plugin: { name: 'named' } });
  assert.equal(bare.status, 'error');
  assert.match(bare.message, /no declared plugin is called "named".*Applications call it "named-v2"/);
});

test('a named plugin whose discovery rule does not match the source is refused, as Argo CD refuses it', async () => {
  const result = await render('wrong-path', { repoURL: repo.url, path: 'apps/named', plugin: { name: 'kustomize-helm-v1.0' } });
  assert.equal(result.status, 'error');
  assert.match(result.message, /plugin "kustomize-helm-v1\.0".*discover\.fileName "\.\/kustomization\.yaml", which matches nothing in "apps\/named"/);
});

test('a plugin runs in a private copy: what its commands write never reaches the checkout', async () => {
  const result = await render('writer-app', { repoURL: repo.url, path: 'apps/writer', plugin: { name: 'writer' } });
  assert.equal(result.status, 'ok', result.message);
  find(result.resources, 'ConfigMap', 'changed');
  assert.equal(await readFile(join(repo.dir, 'apps/writer/existing.yaml'), 'utf8'), 'original\n');
  assert.equal(await repo.git('status', '--porcelain'), '');
});

test('a failing command names the plugin, the command and the end of its stderr', async () => {
  const result = await render('fail-app', { repoURL: repo.url, path: 'apps/fail', plugin: { name: 'failing' } });
  assert.equal(result.status, 'error');
  assert.match(result.message, /plugin "failing" \(.*failing\/plugin\.yaml\) generate `sh -c .*` failed \(exit 3\)/);
  assert.match(result.message, /key "replicas" is not a number/);
  assert.match(result.message, / — run the command in the application's folder/);
});

test('output that is not YAML or JSON manifests is an error naming the plugin', async () => {
  const result = await render('garbage-app', { repoURL: repo.url, path: 'apps/fail', plugin: { name: 'garbage' } });
  assert.equal(result.status, 'error');
  assert.match(result.message, /plugin "garbage" \(.*\) generate output for .* path apps\/fail/);
});

test('a program that does not exist is named with the field that names it', async () => {
  const result = await render('missing-app', { repoURL: repo.url, path: 'apps/fail', plugin: { name: 'missing-program' } });
  assert.equal(result.status, 'error');
  assert.match(result.message, /launchpad-no-such-program build` could not start.*installed and on PATH\? \(the plugin names it in spec\.generate\.command\)/);
});

test('a command that outlives its time limit is stopped with its children', async () => {
  const pidFile = join(pluginDir, 'slow.pid');
  const dir = await writePlugin('slow', pluginYaml('slow', `  generate:\n    command: [sh, -c, "echo $$ > ${pidFile}; sleep 60 & sleep 60; echo never"]\n`));
  const slow = await loadPluginCatalog([{ path: dir, timeoutMs: 300 }]);
  const result = await render('slow-app', { repoURL: repo.url, path: 'apps/fail', plugin: { name: 'slow' } }, slow);
  assert.equal(result.status, 'error');
  assert.match(result.message, /plugin "slow" .* generate `sh -c .*` did not finish within 0\.3 s and was stopped/);
  assert.match(result.message, /raise the plugin's "timeout" in launchpad\.yaml/);
  // The shell led its own process group; nothing of it (the background sleep included) is left running.
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  // Exited children are reaped by init a moment later: wait for the group to be gone, then it must stay gone.
  for (let tries = 0; tries < 50 && groupAlive(pid); tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(groupAlive(pid), false, 'the timed-out plugin left processes running');
});

test('a source asking for a plugin when none is declared is refused with the fix', async () => {
  const result = await render('undeclared', { repoURL: repo.url, path: 'apps/named', plugin: { name: 'named-v2' } }, null);
  assert.equal(result.status, 'error');
  assert.match(result.message, /asks for the config management plugin "named-v2", but no plugins are declared/);
  assert.match(result.message, /launchpad\.yaml \("plugins: \[path\/to\/plugin\.yaml\]"\).*launchpad controller --plugin/);
});

test('a plugin block without a name and no matching discovery rule is refused', async () => {
  const result = await render('nothing-matches', { repoURL: repo.url, path: 'apps/named', plugin: {} });
  assert.equal(result.status, 'error');
  assert.match(result.message, /no declared plugin discovers this source/);
});

test('a symlink leaving the repository stops a plugin render, naming the link', async () => {
  const outside = await createGitRepo({ files: { 'apps/linked/kustomization.yaml': KUSTOMIZATION, ...chartFiles('apps/linked/charts/web') } });
  try {
    await outside.git('-c', 'core.symlinks=true', 'rm', '--quiet', 'apps/linked/charts/web/values.yaml');
    const { symlink } = await import('node:fs/promises');
    await symlink('/etc/hostname', join(outside.dir, 'apps/linked/charts/web/values.yaml'));
    await outside.commit({}, 'link out');
    const result = await render('escape', { repoURL: outside.url, path: 'apps/linked' });
    assert.equal(result.status, 'error');
    assert.match(result.message, /symlink "apps\/linked\/charts\/web\/values\.yaml" .* points outside the repository/);
  } finally {
    await outside.remove();
  }
});

test('the render cache keys plugin renders on the plugins\' text and on the whole repository', async () => {
  const dir = join(sandbox.cacheDir, 'render-cache-plugins');
  const options = { resolver: sandbox.resolver, offline: false, dir, toolVersions: 'test', kubeVersion: 'v1.31.2' };
  const app = application('echo-cached', [{ repoURL: repo.url, path: 'apps/echo' }]);
  const first = await createRenderCache({ ...options, plugins: catalog }).render(app);
  assert.equal(first.status, 'ok', first.message);
  assert.equal(first.sources[0]?.type, 'plugin');
  assert.equal((await createRenderCache({ ...options, plugins: catalog }).render(app)).cached, true);
  // The same plugins with one edited: not served from the cache.
  await writePlugin('named', pluginYaml('named', '  version: v2\n  generate:\n    command: [sh, -c, "echo edited"]\n'));
  const edited = await loadPluginCatalog([{ path: pluginDir }]);
  assert.notEqual((await createRenderCache({ ...options, plugins: edited }).render(app)).cached, true);
  // A change outside the app's folder: a plugin might read it, so no cache hit either.
  await repo.commit({ 'unrelated/file.txt': 'new' });
  const afterCommit = createSandbox();
  const fresh = await afterCommit;
  try {
    const result = await createRenderCache({ ...options, resolver: fresh.resolver, plugins: edited }).render(app);
    assert.notEqual(result.cached, true);
  } finally {
    await fresh.cleanup();
  }
});
