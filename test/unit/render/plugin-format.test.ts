/**
 * GIVEN Argo CD's plugin format and environment rules, WHEN plugin.yaml files, launchpad.yaml `plugins:` entries,
 * Application plugin blocks and plugin output are read, THEN they mean what they mean to Argo CD, and every mistake
 * is reported with its file, line and the fix.
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAppPlugin } from '../../../src/render/plugin/app-plugin.js';
import { loadPluginCatalog } from '../../../src/render/plugin/catalog.js';
import { escapeParameterName, expandVariables, genericKubeVersion, parameterEnvironment, pluginEnvironment } from '../../../src/render/plugin/env.js';
import { parsePluginOutput, splitJsonStream } from '../../../src/render/plugin/output.js';
import { parsePluginSpec } from '../../../src/render/plugin/spec.js';
import { parseConfig } from '../../../src/source/config-parse.js';
import type { Application } from '../../../src/model/application.js';

const HEADER = 'apiVersion: argoproj.io/v1alpha1\nkind: ConfigManagementPlugin\nmetadata:\n  name: cmp\n';

test('a plugin.yaml is read with its name, version, commands and discovery rule', () => {
  const spec = parsePluginSpec(`${HEADER}spec:\n  version: v1.0\n  init:\n    command: [sh]\n    args: [-c, 'helm dependency build']\n  generate:\n    command: [sh, -c]\n    args: ['kustomize build .']\n  discover:\n    find:\n      glob: '**/Chart.yaml'\n  preserveFileMode: true\n`, '/p/plugin.yaml');
  assert.equal(spec.fullName, 'cmp-v1.0');
  assert.deepEqual(spec.init, { command: ['sh'], args: ['-c', 'helm dependency build'] });
  assert.deepEqual(spec.generate, { command: ['sh', '-c'], args: ['kustomize build .'] });
  assert.deepEqual(spec.discover, { glob: '**/Chart.yaml' });
  assert.equal(spec.preserveFileMode, true);
});

test('discovery rules take Argo CD\'s precedence: fileName, then find.glob, then find.command; none means "only by name"', () => {
  const both = parsePluginSpec(`${HEADER}spec:\n  generate: {command: [x]}\n  discover:\n    fileName: '*.cue'\n    find: {glob: '**/x', command: [find, .]}\n`, '/p/plugin.yaml');
  assert.deepEqual(both.discover, { fileName: '*.cue' });
  const command = parsePluginSpec(`${HEADER}spec:\n  generate: {command: [x]}\n  discover:\n    find: {command: [sh, -c, 'find . -name x']}\n`, '/p/plugin.yaml');
  assert.deepEqual(command.discover, { command: { command: ['sh', '-c', 'find . -name x'], args: [] } });
  assert.equal(parsePluginSpec(`${HEADER}spec:\n  generate: {command: [x]}\n`, '/p/plugin.yaml').discover, undefined);
});

test('plugin.yaml mistakes name the file, the line and the field', () => {
  assert.throws(() => parsePluginSpec(`${HEADER}spec:\n  generate:\n    args: [build]\n`, '/p/plugin.yaml'), /\/p\/plugin\.yaml:7:\d+: spec\.generate\.command: is empty — give the command/);
  assert.throws(() => parsePluginSpec('apiVersion: argoproj.io/v1alpha1\nkind: ConfigMap\n', '/p/plugin.yaml'), /\/p\/plugin\.yaml:2:\d+: kind: must be ConfigManagementPlugin, found ConfigMap/);
  assert.throws(() => parsePluginSpec('kind: ConfigManagementPlugin\nspec:\n  generate: {command: [x]}\n', '/p/plugin.yaml'), /metadata\.name: is missing/);
  assert.throws(() => parsePluginSpec(`${HEADER}spec:\n  generate: {command: sh}\n`, '/p/plugin.yaml'), /\/p\/plugin\.yaml:6:\d+: spec\.generate\.command: must be a list of strings/);
  assert.throws(() => parsePluginSpec(`${HEADER}spec:\n  generate: {command: [x]\n`, '/p/plugin.yaml'), /\/p\/plugin\.yaml:\d+:\d+: not valid YAML/);
  const warnings: string[] = [];
  parsePluginSpec(`${HEADER}spec:\n  generate: {command: [x]}\n  generat: {}\n`, '/p/plugin.yaml', warnings);
  assert.match(warnings[0] ?? '', /\/p\/plugin\.yaml:7: spec\.generat: unknown key, ignored/);
});

test('launchpad.yaml `plugins:` takes paths or {path, timeout}, relative to the file', () => {
  const config = parseConfig('plugins:\n  - plugins/kh/plugin.yaml\n  - path: more/\n    timeout: 3m\n', '/repo/launchpad.yaml');
  assert.deepEqual(config.plugins?.map((plugin) => [plugin.path, plugin.timeoutMs]), [['/repo/plugins/kh/plugin.yaml', undefined], ['/repo/more', 180_000]]);
  assert.deepEqual(config.warnings, []);
  assert.throws(() => parseConfig('plugins: plugins/kh\n', '/repo/launchpad.yaml'), /launchpad\.yaml:1:10: plugins: must be a list of plugin\.yaml paths/);
  assert.throws(() => parseConfig('plugins:\n  - path: x\n    timeout: soon\n', '/repo/launchpad.yaml'), /launchpad\.yaml:3:14: plugins\[0\]\.timeout: "soon" is not a duration/);
});

test('a folder of plugin folders is read in socket-name order; a name declared twice is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'launchpad-plugin-catalog-'));
  try {
    const write = async (folder: string, name: string, version = ''): Promise<void> => {
      await mkdir(join(dir, folder), { recursive: true });
      await writeFile(join(dir, folder, 'plugin.yaml'), `${HEADER.replace('cmp', name)}spec:\n${version === '' ? '' : `  version: ${version}\n`}  generate: {command: [x]}\n`);
    };
    await write('a', 'zeta');
    await write('b', 'alpha', 'v2');
    const catalog = await loadPluginCatalog([{ path: dir }]);
    assert.deepEqual(catalog.plugins.map((plugin) => plugin.spec.fullName), ['alpha-v2', 'zeta']);
    assert.equal(catalog.plugins[0]?.timeoutMs, 90_000);
    await write('c', 'zeta');
    await assert.rejects(loadPluginCatalog([{ path: dir }]), /c\/plugin\.yaml: declares plugin "zeta" again \(first in .*a\/plugin\.yaml\)/);
    await assert.rejects(loadPluginCatalog([{ path: join(dir, 'nope'), position: { file: '/repo/launchpad.yaml', line: 3 } }]), /\/repo\/launchpad\.yaml:3: plugin .*nope does not exist/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('variables in plugin env values expand as Go\'s os.Expand does, with $$ for a literal $', () => {
  const env = { ARGOCD_APP_NAME: 'shop', A_1: 'one' };
  assert.equal(expandVariables('$ARGOCD_APP_NAME-${ARGOCD_APP_NAME}', env), 'shop-shop');
  assert.equal(expandVariables('$$ARGOCD_APP_NAME costs $$5', env), '$ARGOCD_APP_NAME costs $5');
  assert.equal(expandVariables('$UNKNOWN|${UNKNOWN}|$A_1x|$1|${}|end$', env), '|||||end$');
  assert.equal(expandVariables('50% $/ ok', env), '50% $/ ok');
});

test('parameters become PARAM_* variables and one JSON array marshalled as Go marshals it', () => {
  assert.equal(escapeParameterName('value-files.prod'), 'VALUE_FILES_PROD');
  const env = parameterEnvironment([
    { name: 'tag', string: 'a&b' },
    { name: 'files', array: ['x.yaml'] },
    { name: 'labels', map: { 'b.key': '2', a: '1' } },
    { name: 'empty', array: [], map: {} },
  ]);
  assert.deepEqual(env, {
    ARGOCD_APP_PARAMETERS: '[{"name":"tag","string":"a\\u0026b"},{"array":["x.yaml"],"name":"files"},{"map":{"a":"1","b.key":"2"},"name":"labels"},{"array":[],"map":{},"name":"empty"}]',
    PARAM_TAG: 'a&b',
    PARAM_FILES_0: 'x.yaml',
    PARAM_LABELS_B_KEY: '2',
    PARAM_LABELS_A: '1',
  });
  assert.deepEqual(parameterEnvironment(undefined), { ARGOCD_APP_PARAMETERS: 'null' });
});

test('KUBE_VERSION is Kubernetes\' generic version form', () => {
  assert.equal(genericKubeVersion('v1.29.3-gke.100'), '1.29.3');
  assert.equal(genericKubeVersion('1.30'), '1.30');
  assert.equal(genericKubeVersion(undefined), '');
  assert.throws(() => genericKubeVersion('latest'), /could not parse the Kubernetes version "latest"/);
});

test('a discovered plugin gets the build environment only; a plugin block adds ARGOCD_ENV_* and parameters', () => {
  const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop' }, spec: { project: 'team', destination: { namespace: 'prod' } } } as Application;
  const input = { app, source: { repoURL: 'https://git.example.com/x.git', path: 'apps/shop' }, revision: '0123456789abcdef' };
  const bare = pluginEnvironment(input, undefined);
  assert.equal(bare.ARGOCD_APP_REVISION_SHORT_8, '01234567');
  assert.equal(bare.ARGOCD_APP_PROJECT_NAME, 'team');
  assert.equal('ARGOCD_APP_PARAMETERS' in bare, false);
  const full = pluginEnvironment(input, readAppPlugin({ env: [{ name: 'Mixed_Case', value: '$ARGOCD_APP_NAMESPACE' }] }));
  assert.equal(full.ARGOCD_ENV_Mixed_Case, 'prod');
  assert.equal(full.ARGOCD_APP_PARAMETERS, 'null');
});

test('a malformed plugin block names the field', () => {
  assert.throws(() => readAppPlugin({ env: [{ name: 'A', value: 5 }] }), /spec\.source\.plugin\.env\[0\]\.value must be a string, got .*5/);
  assert.throws(() => readAppPlugin({ parameters: { a: 1 } }), /spec\.source\.plugin\.parameters must be a list/);
  assert.throws(() => readAppPlugin({ parameters: [{ name: 'p', array: 'x' }] }), /spec\.source\.plugin\.parameters\[0\]\.array must be a list of strings/);
});

test('plugin output is a YAML stream, or — starting with { — a stream of JSON objects', () => {
  assert.deepEqual(splitJsonStream('{"a":"}{"}{"b":[1,{"c":2}]}\n null {"d":"\\"}"}'), ['{"a":"}{"}', '{"b":[1,{"c":2}]}', 'null', '{"d":"\\"}"}']);
  const json = parsePluginOutput('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}\n', 'plugin x');
  assert.deepEqual(json.map((object) => object.metadata.name), ['a', 'b']);
  const yaml = parsePluginOutput('---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\nnull\n---\n{"apiVersion":"v1","kind":"Secret","metadata":{"name":"d"}}\n', 'plugin x');
  assert.deepEqual(yaml.map((object) => `${object.kind}/${object.metadata.name ?? ''}`), ['ConfigMap/c', 'Secret/d']);
  assert.throws(() => parsePluginOutput('{"apiVersion": "v1",, }', 'plugin "x" generate output'), /plugin "x" generate output: JSON value 1 is not valid JSON .* — make the generate command print Kubernetes manifests/);
});
