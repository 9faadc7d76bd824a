/**
 * GIVEN the real helm binary and the render helper built from the same helm module and link flags, WHEN the same
 * `helm template` argument lists Launchpad produces are run both ways, THEN stdout is byte-identical and failures fail
 * with the same message. Covered: feature charts written here (hooks, CRDs, .Capabilities, lookup, tpl,
 * required/fail, schema validation, subcharts with conditions/tags/import-values, library charts, non-installable
 * charts), the repository's forteapp chart, the example platform (both clusters, and its upstream charts from
 * ../shared/charts when present) and a synthetic platform, each recorded from a real Launchpad render.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { openRenderSession } from '../../../src/cli/render-session.js';
import { findBinary } from '../../../src/process/binaries.js';
import { setProcessRunner, spawnProcess } from '../../../src/process/run.js';
import type { RunResult } from '../../../src/process/run.js';
import { RenderHelperClient } from '../../../src/render/helper/client.js';
import type { HelperResponse } from '../../../src/render/helper/client.js';
import { findRenderHelper } from '../../../src/render/helper/locate.js';
import { closeRenderHelper, setRendererMode } from '../../../src/render/helper/renderer.js';
import { createSyntheticPlatform } from '../../../bench/synthetic-platform.js';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../../..');
const helperBinary = findRenderHelper();
const skip = helperBinary === undefined ? 'no render helper built (run scripts/install-render-helper.sh)' : false;

let helper: RenderHelperClient | undefined;
let workDir: string | undefined;

before(() => {
  if (helperBinary !== undefined) helper = new RenderHelperClient(helperBinary, { workers: 2 });
});

after(async () => {
  helper?.close();
  closeRenderHelper();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

async function writeTree(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** The part of helm's stderr that is its error (warnings logged before it are not part of the comparison). */
function errorOf(stderr: string): string {
  const at = stderr.indexOf('Error: ');
  return at === -1 ? stderr.trim() : stderr.slice(at).trim();
}

interface Comparison {
  readonly label: string;
  readonly cli: RunResult;
  readonly helper: HelperResponse;
}

async function compare(label: string, args: readonly string[]): Promise<Comparison> {
  const [cli, viaHelper] = await Promise.all([
    spawnProcess(findBinary('helm'), args, { allowFailure: true }),
    (helper ?? assert.fail('no render helper')).request('helm', args, 120_000),
  ]);
  return { label, cli, helper: viaHelper };
}

function assertSame({ label, cli, helper: viaHelper }: Comparison): void {
  assert.equal(viaHelper.unsupported, undefined, `${label}: the helper refused Launchpad's arguments`);
  assert.equal(viaHelper.exitCode === 0, cli.exitCode === 0, `${label}: helm exit ${cli.exitCode} (${errorOf(cli.stderr)}), helper exit ${viaHelper.exitCode} (${viaHelper.stderr})`);
  if (cli.exitCode === 0) assert.equal(viaHelper.stdout, cli.stdout, `${label}: output differs`);
  else assert.equal(errorOf(viaHelper.stderr), errorOf(cli.stderr), `${label}: error differs`);
}

const FEATURES: Record<string, string> = {
  'feature/Chart.yaml': [
    'apiVersion: v2', 'name: feature', 'version: 1.2.3', 'appVersion: "9.9"', 'kubeVersion: ">=1.22.0-0"',
    'dependencies:',
    '  - {name: sub, version: 0.1.0, condition: sub.enabled, tags: [extras], import-values: [{child: exported, parent: imported}]}',
    '  - {name: lib, version: 0.1.0}',
    '',
  ].join('\n'),
  'feature/values.yaml': 'name: demo\nreplicas: 1\nsub:\n  enabled: true\ntags:\n  extras: true\ngreeting: "hello {{ .Values.name }}"\nmustFail: false\n',
  'feature/values.schema.json': '{"type":"object","properties":{"replicas":{"type":"integer","minimum":1}},"required":["name"]}\n',
  'feature/crds/widget.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions: [{name: v1, served: true, storage: true}]\n',
  'feature/templates/_helpers.tpl': '{{- define "feature.fullname" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}\n',
  'feature/templates/configmap.yaml': [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: {{ include "feature.fullname" . }}', '  namespace: {{ .Release.Namespace }}',
    '  labels: {{- include "lib.labels" . | nindent 4 }}',
    'data:',
    '  greeting: {{ tpl .Values.greeting . | quote }}',
    '  kube: {{ .Capabilities.KubeVersion.Version | quote }}',
    '  helm: {{ .Capabilities.HelmVersion.Version | quote }}',
    '  monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" | quote }}',
    '  lookup: {{ lookup "v1" "Secret" .Release.Namespace "db" | toJson | quote }}',
    '  imported: {{ .Values.imported | default dict | toJson | quote }}',
    '  required: {{ required "name is required: set .Values.name" .Values.name | quote }}',
    '  replicas: {{ .Values.replicas | quote }}',
    '{{- if .Values.mustFail }}{{ fail "mustFail was set: unset it" }}{{ end }}',
    '',
  ].join('\n'),
  'feature/templates/hook.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-migrate\n  annotations: {"helm.sh/hook": pre-install, "helm.sh/hook-weight": "-1"}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: busybox}]}}}\n',
  'feature/templates/tests/test.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n  annotations: {"helm.sh/hook": test}\nspec: {containers: [{name: t, image: busybox}]}\n',
  'feature/templates/NOTES.txt': 'Installed {{ .Release.Name }}\n',
  'feature/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
  'feature/charts/sub/values.yaml': 'exported:\n  from: sub\nport: 80\n',
  'feature/charts/sub/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-sub\nspec:\n  ports: [{port: {{ .Values.port }}}]\n  clusterIP: {{ .Values.global.clusterIP | default "None" }}\n',
  'feature/charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n',
  'feature/charts/lib/templates/_labels.tpl': '{{- define "lib.labels" -}}\napp.kubernetes.io/name: {{ .Chart.Name }}\napp.kubernetes.io/version: {{ .Chart.AppVersion | quote }}\n{{- end -}}\n',
  'library-only/Chart.yaml': 'apiVersion: v2\nname: library-only\nversion: 0.1.0\ntype: library\n',
  'broken/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
  'broken/templates/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }\n',
  'missing-dep/Chart.yaml': 'apiVersion: v2\nname: missing-dep\nversion: 0.1.0\ndependencies: [{name: absent, version: 1.0.0, repository: "https://example.invalid"}]\n',
  'values/override.yaml': 'replicas: 3\nsub:\n  enabled: false\n',
  'values/bad-schema.yaml': 'replicas: 0\n',
  'values/file-param.txt': 'line one\nline two, with a comma\n',
};

function inWorkDir(path: string): string {
  return join(workDir ?? assert.fail('the work folder is created by the first test'), path);
}

function templateArgs(chart: string, extra: readonly string[] = []): string[] {
  return ['template', inWorkDir(chart), '--name-template', 'demo', '--namespace', 'shop', '--kube-version', '1.35.0', ...extra, '--include-crds'];
}

test('feature charts: identical output and errors, including repeated renders of one cached chart', { skip }, async () => {
  workDir = await mkdtemp(join(tmpdir(), 'launchpad-helper-diff-'));
  await writeTree(workDir, FEATURES);
  const cases: [string, string[]][] = [
    ['defaults', templateArgs('feature')],
    ['the same chart again: served from the helper\'s cache', templateArgs('feature')],
    ['subchart disabled by values (the cached chart must not keep it disabled)', templateArgs('feature', ['--values', inWorkDir('values/override.yaml')])],
    ['defaults again after a disabled subchart', templateArgs('feature')],
    ['tag off', templateArgs('feature', ['--set', 'tags.extras=false', '--set', 'sub.enabled=null'])],
    ['set, set-string with commas, set-file', templateArgs('feature', ['--set', 'name=a\\,b', '--set-string', 'name=007', '--set-file', `greeting=${inWorkDir('values/file-param.txt')}`])],
    ['global from --set', templateArgs('feature', ['--set', 'global.clusterIP=10.0.0.1'])],
    ['capabilities', templateArgs('feature', ['--api-versions', 'monitoring.coreos.com/v1', '--api-versions', 'monitoring.coreos.com/v1/ServiceMonitor'])],
    ['no CRDs, no tests', ['template', inWorkDir('feature'), '--name-template', 'demo', '--namespace', 'shop', '--kube-version', '1.35.0', '--skip-tests']],
    ['no namespace (kubeconfig or "default")', ['template', inWorkDir('feature'), '--name-template', 'demo', '--kube-version', '1.35.0']],
    ['old cluster refused by kubeVersion', templateArgs('feature').map((arg) => (arg === '1.35.0' ? '1.20.0' : arg))],
    ['invalid kube version', templateArgs('feature').map((arg) => (arg === '1.35.0' ? 'latest' : arg))],
    ['required fails', templateArgs('feature', ['--set', 'name=null'])],
    ['fail()', templateArgs('feature', ['--set', 'mustFail=true'])],
    ['schema validation fails', templateArgs('feature', ['--values', inWorkDir('values/bad-schema.yaml')])],
    ['schema validation skipped', templateArgs('feature', ['--values', inWorkDir('values/bad-schema.yaml'), '--skip-schema-validation'])],
    ['missing values file', templateArgs('feature', ['--values', inWorkDir('values/absent.yaml')])],
    ['library chart is not installable', templateArgs('library-only')],
    ['template parse error', templateArgs('broken')],
    ['missing dependency', templateArgs('missing-dep')],
    ['missing chart folder', templateArgs('no-such-chart')],
    ['the repository chart forteapp', ['template', join(root, 'charts/forteapp'), '--name-template', 'web', '--namespace', 'shop', '--kube-version', '1.35.0', '--set', 'app.image.repository=ghcr.io/example/web', '--set', 'app.image.tag=1.0', '--include-crds']],
    ['forteapp without its required image', ['template', join(root, 'charts/forteapp'), '--name-template', 'web', '--namespace', 'shop', '--kube-version', '1.35.0']],
  ];
  const expectedFailures = new Set([
    'old cluster refused by kubeVersion', 'invalid kube version', 'required fails', 'fail()', 'schema validation fails', 'missing values file',
    'library chart is not installable', 'template parse error', 'missing dependency', 'missing chart folder', 'forteapp without its required image',
  ]);
  for (const [label, args] of cases) {
    const comparison = await compare(label, args);
    assert.equal(comparison.cli.exitCode !== 0, expectedFailures.has(label), `${label}: helm itself ${comparison.cli.exitCode === 0 ? 'succeeded' : `failed: ${comparison.cli.stderr}`}`);
    assertSame(comparison);
  }
});

test('many concurrent renders of one chart with different values stay independent', { skip }, async () => {
  const comparisons = await Promise.all(Array.from({ length: 24 }, (_, index) => compare(`concurrent ${index}`, templateArgs('feature', [
    '--set', `replicas=${index + 1}`, '--set', `sub.enabled=${index % 2 === 0}`, '--set', `sub.port=${8000 + index}`,
  ]))));
  for (const comparison of comparisons) assertSame(comparison);
});

/**
 * Renders a platform with Launchpad (process renderer, fresh cache) while every `helm template` it runs is also sent
 * to the helper with the same arguments, while the files it names (inline values, built dependencies) still exist.
 */
async function recordPlatform(rootFile: string, config: string | undefined): Promise<Comparison[]> {
  const comparisons: Comparison[] = [];
  const restore = setProcessRunner(async (command, args, options) => {
    if (!(command.endsWith('/helm') && args[0] === 'template')) return spawnProcess(command, args, options);
    const comparison = await compare(`${rootFile}: helm ${args.slice(1, 4).join(' ')}`, args);
    comparisons.push(comparison);
    return spawnProcess(command, args, options);
  });
  const cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-helper-diff-cache-'));
  try {
    const session = await openRenderSession([rootFile], { offline: true, cacheDir, renderer: 'process', ...(config === undefined ? {} : { config }) });
    await session.render(rootFile);
  } finally {
    restore();
    await rm(cacheDir, { recursive: true, force: true });
  }
  return comparisons;
}

const platform = join(root, 'examples/platform');
const upstreamCharts = join(root, '../shared/charts');

for (const cluster of ['upc-dev', 'upc-prod']) {
  test(`example platform ${cluster}: every helm render identical`, { skip }, async () => {
    const comparisons = await recordPlatform(join(platform, `launchpad/_app-of-apps-${cluster}.yaml`), join(platform, 'launchpad.yaml'));
    assert.ok(comparisons.length > 0, 'the platform rendered no helm chart');
    for (const comparison of comparisons) assertSame(comparison);
  });

  test(`example platform ${cluster} with the upstream charts of ../shared/charts: identical`, { skip: skip !== false ? skip : existsSync(upstreamCharts) ? false : `${upstreamCharts} is absent` }, async () => {
    const comparisons = await recordPlatform(join(platform, `launchpad/_app-of-apps-${cluster}.yaml`), join(platform, 'launchpad.upstream.yaml'));
    assert.ok(comparisons.length > 5, `only ${comparisons.length} helm renders: the upstream charts were not used`);
    for (const comparison of comparisons) assertSame(comparison);
  });
}

test('synthetic platform: every helm render identical', { skip }, async () => {
  const synthetic = await createSyntheticPlatform(40);
  try {
    const comparisons = await recordPlatform(synthetic.rootFile, undefined);
    assert.equal(comparisons.length, 16);
    for (const comparison of comparisons) assertSame(comparison);
  } finally {
    await synthetic.remove();
  }
});

test('--renderer=helper renders the example platform exactly as --renderer=process does', { skip }, async () => {
  const rootFile = join(platform, 'launchpad/_app-of-apps-upc-prod.yaml');
  const rendered: string[] = [];
  for (const renderer of ['process', 'helper']) {
    const cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-helper-e2e-'));
    try {
      const session = await openRenderSession([rootFile], { offline: true, cacheDir, renderer, config: join(platform, 'launchpad.yaml') });
      const tree = await session.render(rootFile);
      rendered.push(JSON.stringify(tree.apps.map((app) => [app.name, app.status, app.message, app.resources])));
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  }
  setRendererMode(undefined);
  assert.equal(rendered[1], rendered[0]);
});
