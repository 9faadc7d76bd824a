/**
 * GIVEN the real helm and kustomize binaries and the render helpers built from the same modules and link flags, WHEN
 * the same `helm template` / `kustomize build` argument lists Launchpad produces are run both ways, THEN stdout is
 * byte-identical and failures fail with the same message (or the helper refuses, and the binary renders). Covered:
 * feature charts written here (hooks, CRDs, .Capabilities, lookup, tpl, required/fail, schema validation, subcharts
 * with conditions/tags/import-values, library charts, non-installable charts), feature overlays written here (bases,
 * components, patches, generators, replacements, labels, images, sort options, build metadata, helmCharts without
 * --enable-helm, load restrictions, errors), the repository's forteapp chart, the example platform (both clusters,
 * and its upstream charts from ../shared/charts when present) and a synthetic platform, each recorded from a real
 * Launchpad render.
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
import { renderKustomize } from '../../../src/render/kustomize.js';
import { createSyntheticPlatform } from '../../../bench/synthetic-platform.js';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../../..');
const helperBinary = findRenderHelper();
const skip = helperBinary === undefined ? 'no render helper built (run scripts/install-render-helper.sh)' : false;
const kustomizeHelperBinary = findRenderHelper('kustomize');
const skipKustomize = kustomizeHelperBinary === undefined ? 'no kustomize render helper built (run scripts/install-render-helper.sh)' : false;
const skipEither = skip !== false ? skip : skipKustomize;

let helper: RenderHelperClient | undefined;
let kustomizeHelper: RenderHelperClient | undefined;
let workDir: string | undefined;

before(() => {
  if (helperBinary !== undefined) helper = new RenderHelperClient(helperBinary, { workers: 2 });
  if (kustomizeHelperBinary !== undefined) kustomizeHelper = new RenderHelperClient(kustomizeHelperBinary, { workers: 2 });
});

after(async () => {
  helper?.close();
  kustomizeHelper?.close();
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

async function compare(label: string, args: readonly string[], tool: 'helm' | 'kustomize' = 'helm'): Promise<Comparison> {
  const client = tool === 'helm' ? helper : kustomizeHelper;
  const [cli, viaHelper] = await Promise.all([
    spawnProcess(findBinary(tool), args, { allowFailure: true }),
    (client ?? assert.fail(`no ${tool} render helper`)).request(tool, args, 120_000),
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

const DEPLOYMENT = [
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  labels: {app: web}', 'spec:', '  replicas: 1',
  '  selector: {matchLabels: {app: web}}', '  template:', '    metadata: {labels: {app: web}}', '    spec:',
  '      containers:', '        - name: web', '          image: nginx:1.25', '          envFrom: [{configMapRef: {name: settings}}]',
  '          volumeMounts: [{name: secret, mountPath: /s}]', '      volumes: [{name: secret, secret: {secretName: creds}}]', '',
].join('\n');

const OVERLAYS: Record<string, string> = {
  'base/kustomization.yaml': 'resources: [deployment.yaml, service.yaml, namespace.yaml, crd.yaml, widget.yaml, webhook.yaml]\n',
  'base/deployment.yaml': DEPLOYMENT,
  'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n',
  'base/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
  'base/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions: [{name: v1, served: true, storage: true}]\n',
  'base/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gadget\nspec:\n  size: 3\n',
  'base/webhook.yaml': 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: check\nwebhooks: []\n',
  'components/probe/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations: {component: probe}\npatches:\n  - target: {kind: Deployment}\n    patch: |-\n      - op: add\n        path: /spec/template/spec/containers/0/readinessProbe\n        value: {httpGet: {path: /healthz, port: 8080}}\n',
  'overlays/full/kustomization.yaml': [
    'resources: [../../base]', 'components: [../../components/probe]',
    'namePrefix: prod-', 'nameSuffix: -v2', 'namespace: shop',
    'commonLabels: {team: checkout}', 'labels: [{pairs: {tier: web}, includeSelectors: false, includeTemplates: true}]',
    'commonAnnotations: {owner: "platform@example.com"}',
    'images: [{name: nginx, newName: registry.example.com/nginx, newTag: "1.27", digest: ""}]',
    'replicas: [{name: web, count: 3}]',
    'configMapGenerator: [{name: settings, literals: [LOG_LEVEL=debug, "GREETING=hello, world"], files: [app.properties]}]',
    'secretGenerator: [{name: creds, literals: [password=s3cr3t], type: Opaque}]',
    'patches:',
    '  - path: patch-resources.yaml',
    '  - target: {kind: Service, name: web}',
    '    patch: |-',
    '      - op: replace', '        path: /spec/ports/0/port', '        value: 8080',
    'replacements:',
    '  - source: {kind: Service, name: web, fieldPath: metadata.name}',
    '    targets: [{select: {kind: Widget}, fieldPaths: [spec.service], options: {create: true}}]',
    '',
  ].join('\n'),
  'overlays/full/app.properties': 'color=blue\nsize=large\n',
  'overlays/full/patch-resources.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          resources: {limits: {memory: 256Mi}}\n',
  'overlays/sorted/kustomization.yml': 'resources: [../../base]\nsortOptions:\n  order: fifo\n',
  'overlays/legacy-order/Kustomization': 'resources: [../../base]\nsortOptions:\n  order: legacy\n  legacySortOptions:\n    orderFirst: [Service]\n    orderLast: [Namespace]\n',
  'overlays/metadata/kustomization.yaml': 'resources: [../../base]\nbuildMetadata: [managedByLabel, originAnnotations, transformerAnnotations]\nnamePrefix: meta-\n',
  'overlays/generator-options/kustomization.yaml': 'generatorOptions: {disableNameSuffixHash: true, labels: {generated: "yes"}}\nconfigMapGenerator: [{name: plain, literals: [a=b]}, {name: envs, envs: [vars.env]}]\n',
  'overlays/generator-options/vars.env': 'ONE=1\n# a comment\nTWO=two words\n',
  'overlays/helm-charts/kustomization.yaml': 'helmCharts:\n  - {name: app, repo: "https://charts.example.invalid", version: 1.0.0, releaseName: app}\n',
  'overlays/outside-root/kustomization.yaml': 'resources: [../../base/service.yaml]\n',
  'overlays/missing-resource/kustomization.yaml': 'resources: [../../base, absent.yaml]\n',
  'overlays/bad-yaml/kustomization.yaml': 'resources: [../../base\nnamePrefix: x-\n',
  'overlays/duplicate/kustomization.yaml': 'resources: [../../base, again]\n',
  'overlays/duplicate/again/kustomization.yaml': 'resources: [../../../base/service.yaml]\n',
  'overlays/openapi/kustomization.yaml': 'resources: [../../base]\nopenapi: {version: v1.21.2}\n',
  'overlays/nested-openapi/kustomization.yaml': 'resources: [../openapi]\n',
  'overlays/remote/kustomization.yaml': 'resources: ["https://github.com/example/does-not-exist//deploy?ref=v1"]\n',
  'overlays/empty/kustomization.yaml': 'resources: []\n',
};

let overlayDir: string | undefined;

after(async () => {
  if (overlayDir !== undefined) await rm(overlayDir, { recursive: true, force: true });
});

test('feature overlays: identical output and errors to kustomize build', { skip: skipKustomize }, async () => {
  overlayDir = await mkdtemp(join(tmpdir(), 'launchpad-helper-diff-kustomize-'));
  await writeTree(overlayDir, OVERLAYS);
  const overlays = ['full', 'sorted', 'legacy-order', 'metadata', 'generator-options', 'empty', 'full'];
  const failing = ['helm-charts', 'outside-root', 'bad-yaml', 'duplicate', 'no-such-overlay'];
  for (const name of [...overlays, ...failing]) {
    const comparison = await compare(`overlay ${name}`, ['build', join(overlayDir, 'overlays', name)], 'kustomize');
    assert.equal(comparison.cli.exitCode !== 0, failing.includes(name), `${name}: kustomize itself ${comparison.cli.exitCode === 0 ? 'succeeded' : `failed: ${comparison.cli.stderr}`}`);
    assertSame(comparison);
  }
  // The comparisons above are only as good as what the overlays exercise: check that they did.
  const full = (await compare('full again', ['build', join(overlayDir, 'overlays/full')], 'kustomize')).helper.stdout;
  assert.match(full, /name: prod-settings-v2-[a-z0-9]{10}\n/, 'the generated ConfigMap has its content hash');
  assert.ok(full.indexOf('kind: Namespace') < full.indexOf('kind: Widget'), 'legacy order: the Namespace before the custom resource');
  const metadata = (await compare('metadata again', ['build', join(overlayDir, 'overlays/metadata')], 'kustomize')).helper.stdout;
  assert.match(metadata, /app\.kubernetes\.io\/managed-by: kustomize-v5\.7\.1/, 'the managed-by label names the kustomize release');
  assert.match(metadata, /config\.kubernetes\.io\/origin/);
});

test('overlays that depend on process-wide state, the network or a missing file are left to the binary', { skip: skipKustomize }, async () => {
  const dir = overlayDir ?? assert.fail('the overlays are written by the previous test');
  for (const [name, reason] of [['openapi', /sets an OpenAPI schema/], ['nested-openapi', /openapi\/kustomization\.yaml sets an OpenAPI schema/], ['remote', /is not a local file or folder/], ['missing-resource', /absent\.yaml is not a local file or folder/]] as const) {
    const response = await (kustomizeHelper ?? assert.fail('no kustomize helper')).request('kustomize', ['build', join(dir, 'overlays', name)], 60_000);
    assert.match(response.unsupported ?? '', reason, `${name}: ${JSON.stringify(response)}`);
  }
  for (const args of [['build'], ['build', 'overlays/full'], ['build', join(dir, 'overlays/full'), '--enable-helm'], ['edit', 'set', 'nameprefix', 'x-']]) {
    const response = await (kustomizeHelper ?? assert.fail('no kustomize helper')).request('kustomize', args, 60_000);
    assert.notEqual(response.unsupported, undefined, `${args.join(' ')} must be refused, got ${JSON.stringify(response)}`);
  }
});

test('many concurrent builds of different overlays stay independent', { skip: skipKustomize }, async () => {
  const dir = overlayDir ?? assert.fail('the overlays are written by the first overlay test');
  const overlays = ['full', 'sorted', 'legacy-order', 'metadata', 'generator-options', 'bad-yaml'];
  const comparisons = await Promise.all(Array.from({ length: 24 }, (_, index) => {
    const name = overlays[index % overlays.length] ?? 'full';
    return compare(`concurrent overlay ${index} ${name}`, ['build', join(dir, 'overlays', name)], 'kustomize');
  }));
  for (const comparison of comparisons) assertSame(comparison);
});

test('Application kustomize options: the build after `kustomize edit` in the linked copy is identical', { skip: skipKustomize }, async () => {
  const dir = overlayDir ?? assert.fail('the overlays are written by the first overlay test');
  const comparisons: Comparison[] = [];
  setRendererMode('process');
  const restore = setProcessRunner(async (command, args, options) => {
    if (command.endsWith('/kustomize') && args[0] === 'build') comparisons.push(await compare(`edited overlay ${args[1] ?? ''}`, args, 'kustomize'));
    return spawnProcess(command, args, options);
  });
  try {
    const result = await renderKustomize({
      repoDir: dir, path: 'overlays/sorted', displayName: 'Application edited', env: { ARGOCD_APP_NAME: 'edited' },
      kustomize: {
        namePrefix: 'edit-', nameSuffix: '-x', images: ['nginx=registry.example.com/nginx:1.28'], commonLabels: { team: 'shop' },
        commonAnnotations: { owner: 'platform' }, namespace: 'edited', replicas: [{ name: 'web', count: 4 }],
        components: ['../../components/probe'], patches: [{ target: { kind: 'Service' }, patch: '- op: add\n  path: /spec/type\n  value: NodePort\n' }],
      },
    });
    assert.ok(result.objects.length > 0);
  } finally {
    restore();
    setRendererMode(undefined);
  }
  assert.equal(comparisons.length, 1);
  assert.match(comparisons[0]?.helper.stdout ?? '', /name: edit-web-x/, 'the edits were applied before the build');
  for (const comparison of comparisons) assertSame(comparison);
});

/**
 * Renders a platform with Launchpad (process renderer, fresh cache) while every `helm template` it runs is also sent
 * to the helper with the same arguments, while the files it names (inline values, built dependencies) still exist.
 */
async function recordPlatform(rootFile: string, config: string | undefined): Promise<Comparison[]> {
  const comparisons: Comparison[] = [];
  const restore = setProcessRunner(async (command, args, options) => {
    const tool = command.endsWith('/helm') && args[0] === 'template' ? 'helm' : command.endsWith('/kustomize') && args[0] === 'build' ? 'kustomize' : undefined;
    if (tool === undefined) return spawnProcess(command, args, options);
    const comparison = await compare(`${rootFile}: ${tool} ${args.slice(0, 4).join(' ')}`, args, tool);
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

function isKustomize(comparison: Comparison): boolean {
  return comparison.label.includes(': kustomize build');
}

for (const cluster of ['upc-dev', 'upc-prod']) {
  test(`example platform ${cluster}: every helm and kustomize render identical`, { skip: skipEither }, async () => {
    const comparisons = await recordPlatform(join(platform, `launchpad/_app-of-apps-${cluster}.yaml`), join(platform, 'launchpad.yaml'));
    assert.ok(comparisons.some((comparison) => !isKustomize(comparison)), 'the platform rendered no helm chart');
    assert.equal(comparisons.filter(isKustomize).length, 2, 'the apps and infra overlays');
    for (const comparison of comparisons) assertSame(comparison);
  });

  test(`example platform ${cluster} with the upstream charts of ../shared/charts: identical`, { skip: skipEither !== false ? skipEither : existsSync(upstreamCharts) ? false : `${upstreamCharts} is absent` }, async () => {
    const comparisons = await recordPlatform(join(platform, `launchpad/_app-of-apps-${cluster}.yaml`), join(platform, 'launchpad.upstream.yaml'));
    assert.ok(comparisons.length > 5, `only ${comparisons.length} helm renders: the upstream charts were not used`);
    for (const comparison of comparisons) assertSame(comparison);
  });
}

test('synthetic platform: every helm and kustomize render identical', { skip: skipEither }, async () => {
  const synthetic = await createSyntheticPlatform(40);
  try {
    const comparisons = await recordPlatform(synthetic.rootFile, undefined);
    assert.equal(comparisons.filter((comparison) => !isKustomize(comparison)).length, 16);
    assert.equal(comparisons.filter(isKustomize).length, 12);
    for (const comparison of comparisons) assertSame(comparison);
  } finally {
    await synthetic.remove();
  }
});

test('--renderer=helper renders the example platform exactly as --renderer=process does', { skip: skipEither }, async () => {
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
