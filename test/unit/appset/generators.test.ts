/**
 * GIVEN ApplicationSets as Argo CD documents them (list, clusters, git directories and files, matrix, merge,
 * selectors, per-generator templates, templatePatch) and a real git repository WHEN their Applications are
 * generated THEN names, parameters and order are Argo CD's, and bad input fails naming the field.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateApplications } from '../../../src/appset/generate.js';
import { readApplicationSet } from '../../../src/appset/spec.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { createGitRepo } from '../../../src/testing/index.js';
import type { GitFixture } from '../../../src/testing/index.js';
import { clusterSecret, testContext } from './helpers.js';
import type { ContextOptions } from './helpers.js';

function appSet(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'set', namespace: 'argocd' }, spec };
}

const TEMPLATE = {
  metadata: { name: '{{name}}-guestbook' },
  spec: { project: 'default', source: { repoURL: 'https://example.invalid/repo.git', path: 'guestbook/{{name}}', targetRevision: 'HEAD' }, destination: { server: '{{server}}', namespace: 'guestbook' } },
};

const TEMPLATE_GO = {
  metadata: { name: '{{.name}}-guestbook' },
  spec: { project: 'default', source: { repoURL: 'https://example.invalid/repo.git', path: 'guestbook', targetRevision: 'HEAD' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' } },
};

let repo: GitFixture;
let cacheDir: string;

async function generate(spec: Record<string, unknown>, options: ContextOptions = {}): Promise<KubeObject[]> {
  return (await generateApplications(readApplicationSet(appSet(spec), 'argocd'), testContext({ cacheDir, ...options }))).applications;
}

const names = (apps: readonly KubeObject[]): string[] => apps.map((app) => app.metadata.name ?? '');
const specOf = (app: KubeObject | undefined): Record<string, unknown> => (app?.spec ?? {}) as Record<string, unknown>;

before(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-appset-cache-'));
  repo = await createGitRepo({
    files: {
      'apps/web/kustomization.yaml': 'resources: []\n',
      'apps/api/kustomization.yaml': 'resources: []\n',
      'apps/Legacy_App/kustomization.yaml': 'resources: []\n',
      'apps/.hidden/x.yaml': 'a: 1\n',
      'apps/web/base/deploy.yaml': 'kind: x\n',
      'clusters/dev/config.json': '{"cluster":{"name":"dev","address":"https://dev.example:6443"},"replicas":2}',
      'clusters/prod/config.yaml': '- cluster: {name: prod-a, address: "https://a.example"}\n- cluster: {name: prod-b, address: "https://b.example"}\n',
      'clusters/skip/config.json': '{"cluster":{"name":"skip"}}',
    },
  });
});

after(async () => {
  await repo.remove();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('list generator', () => {
  test('elements with values, and elementsYaml appended', async () => {
    const apps = await generate({
      generators: [{ list: { elements: [{ name: 'dev', server: 'https://dev', values: { tier: 'a' } }], elementsYaml: '- name: prod\n  server: https://prod\n' } }],
      template: { ...TEMPLATE, metadata: { name: '{{name}}-{{values.tier}}' } },
    });
    assert.deepEqual(names(apps), ['dev-a', 'prod-{{values.tier}}']);
    assert.deepEqual(apps[0]?.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
    assert.equal(apps.at(0)?.metadata.namespace, 'argocd');
  });
  test('a non-string element value without goTemplate names the element and the fix', async () => {
    await assert.rejects(generate({ generators: [{ list: { elements: [{ name: 'dev', replicas: 3 }] } }], template: TEMPLATE }), /elements\[0\]\.replicas is the number 3.*goTemplate: true/);
  });
  test('preserveResourcesOnDeletion leaves the finalizer out', async () => {
    const apps = await generate({ syncPolicy: { preserveResourcesOnDeletion: true }, generators: [{ list: { elements: [{ name: 'a', server: 's' }] } }], template: TEMPLATE });
    assert.equal(apps[0]?.metadata.finalizers, undefined);
  });
});

describe('clusters generator', () => {
  const secrets = [clusterSecret('prod-eu', 'https://eu.example', { env: 'prod' }, { team: 'x' }), clusterSecret('dev', 'https://dev.example', { env: 'dev' })];
  test('every cluster Secret plus in-cluster, with Argo CD\'s parameters', async () => {
    const apps = await generate({ generators: [{ clusters: { values: { suffix: '{{name}}-x' } } }], template: { ...TEMPLATE, metadata: { name: '{{nameNormalized}}-{{metadata.labels.env}}-{{values.suffix}}' } } }, { secrets });
    assert.deepEqual(names(apps), ['dev-dev-dev-x', 'prod-eu-prod-prod-eu-x', 'in-cluster-{{metadata.labels.env}}-in-cluster-x']);
    assert.equal((specOf(apps[1]).destination as Record<string, unknown>).server, 'https://eu.example');
  });
  test('a selector leaves in-cluster out and filters Secrets by label', async () => {
    const apps = await generate({ generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }], template: TEMPLATE }, { secrets });
    assert.deepEqual(names(apps), ['prod-eu-guestbook']);
  });
  test('goTemplate gives metadata maps', async () => {
    const apps = await generate({ goTemplate: true, generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }], template: { ...TEMPLATE_GO, metadata: { name: '{{.name}}-{{.metadata.annotations.team}}' } } }, { secrets });
    assert.deepEqual(names(apps), ['prod-eu-x']);
  });
});

describe('git generator', () => {
  test('directories: Go globs, excludes win, hidden folders never listed, path params', async () => {
    const apps = await generate({
      generators: [{ git: { repoURL: repo.url, revision: 'HEAD', directories: [{ path: 'apps/*' }, { path: 'apps/api', exclude: true }] } }],
      template: { ...TEMPLATE, metadata: { name: '{{path.basenameNormalized}}' }, spec: { ...TEMPLATE.spec, source: { repoURL: repo.url, path: '{{path}}', targetRevision: '{{path[0]}}' } } },
    });
    assert.deepEqual(names(apps), ['legacy-app', 'web']);
    assert.deepEqual(specOf(apps[1]).source, { repoURL: repo.url, path: 'apps/web', targetRevision: 'apps' });
  });
  test('directories with goTemplate and pathParamPrefix', async () => {
    const apps = await generate({
      goTemplate: true,
      generators: [{ git: { repoURL: repo.url, revision: 'HEAD', pathParamPrefix: 'app', directories: [{ path: 'apps/w*' }] } }],
      template: { ...TEMPLATE_GO, metadata: { name: '{{.app.path.basename}}-{{index .app.path.segments 0}}' } },
    });
    assert.deepEqual(names(apps), ['web-apps']);
  });
  test('files: JSON and YAML lists flattened, path params, excludes, path order', async () => {
    const apps = await generate({
      generators: [{ git: { repoURL: repo.url, revision: 'HEAD', files: [{ path: 'clusters/**' }, { path: 'clusters/skip/*', exclude: true }] } }],
      template: { ...TEMPLATE, metadata: { name: '{{cluster.name}}-{{path.basename}}-{{path.filename}}' }, spec: { ...TEMPLATE.spec, destination: { server: '{{cluster.address}}', namespace: 'r{{replicas}}' } } },
    });
    assert.deepEqual(names(apps), ['dev-dev-config.json', 'prod-a-prod-config.yaml', 'prod-b-prod-config.yaml']);
    assert.deepEqual(specOf(apps[0]).destination, { server: 'https://dev.example:6443', namespace: 'r2' });
  });
  test('an unreachable repository fails the generation (so nothing is deleted)', async () => {
    await assert.rejects(generate({ generators: [{ git: { repoURL: 'file:///nonexistent/launchpad-repo.git', revision: 'HEAD', directories: [{ path: '*' }] } }], template: TEMPLATE }));
  });
});

describe('matrix and merge', () => {
  const secrets = [clusterSecret('eu', 'https://eu.example', { env: 'prod' }), clusterSecret('us', 'https://us.example', { env: 'prod' })];
  test('matrix: clusters × git directories, the second generator sees the first one\'s parameters', async () => {
    const apps = await generate({
      generators: [{ matrix: { generators: [
        { clusters: { selector: { matchLabels: { env: 'prod' } } } },
        { git: { repoURL: repo.url, revision: 'HEAD', directories: [{ path: 'apps/*' }, { path: 'apps/Legacy_App', exclude: true }], values: { cluster: '{{name}}' } } },
      ] } }],
      template: { ...TEMPLATE, metadata: { name: '{{name}}-{{path.basename}}-{{values.cluster}}' } },
    }, { secrets });
    assert.deepEqual(names(apps), ['eu-api-eu', 'eu-web-eu', 'us-api-us', 'us-web-us']);
  });
  test('nested matrix inside a matrix, with a selector on the nested one', async () => {
    const apps = await generate({
      generators: [{ matrix: { generators: [
        { list: { elements: [{ env: 'a' }, { env: 'b' }] } },
        { matrix: { generators: [{ list: { elements: [{ n: '1' }, { n: '2' }] } }, { list: { elements: [{ z: 'x' }] } }] }, selector: { matchLabels: { n: '2' } } },
      ] } }],
      template: { ...TEMPLATE, metadata: { name: '{{env}}-{{n}}-{{z}}' } },
    });
    assert.deepEqual(names(apps), ['a-2-x', 'b-2-x']);
  });
  test('a matrix nested two levels deep is refused naming where', async () => {
    const deep = { matrix: { generators: [{ list: { elements: [{ a: '1' }] } }, { list: { elements: [{ b: '1' }] } }] } };
    await assert.rejects(generate({ generators: [{ matrix: { generators: [{ list: { elements: [{ c: '1' }] } }, { matrix: { generators: [{ list: { elements: [{ d: '1' }] } }, deep] } }] } }], template: TEMPLATE }), /generators\[1\]\.matrix\.generators\[1\]\.matrix: a matrix generator can only be nested one level/);
  });
  test('matrix conflict without goTemplate is an error', async () => {
    await assert.rejects(generate({ generators: [{ matrix: { generators: [{ list: { elements: [{ name: 'a' }] } }, { list: { elements: [{ name: 'b' }] } }] } }], template: TEMPLATE }), /duplicate key name with different value, a: a ,b: b/);
  });
  test('merge: later generators override by merge key, the first one\'s order kept', async () => {
    const apps = await generate({
      generators: [{ merge: { mergeKeys: ['name'], generators: [
        { clusters: { values: { replicas: '1' } } },
        { list: { elements: [{ name: 'us', 'values.replicas': '5' }, { name: 'nowhere', 'values.replicas': '9' }] } },
      ] } }],
      template: { ...TEMPLATE, metadata: { name: '{{name}}-r{{values.replicas}}' } },
    }, { secrets });
    assert.deepEqual(names(apps), ['eu-r1', 'us-r5', 'in-cluster-r1']);
  });
  test('merge without merge keys says what to set', async () => {
    await assert.rejects(generate({ generators: [{ merge: { generators: [{ list: { elements: [] } }, { list: { elements: [] } }] } }], template: TEMPLATE }), /no merge keys were specified/);
  });
});

describe('templates', () => {
  test('a generator\'s own template overrides the set\'s field by field', async () => {
    const apps = await generate({
      generators: [{ list: { elements: [{ name: 'a', server: 's' }], template: { metadata: { name: 'own-{{name}}' }, spec: { project: 'special' } } } }],
      template: TEMPLATE,
    });
    assert.equal(apps[0]?.metadata.name, 'own-a');
    assert.equal(specOf(apps[0]).project, 'special');
    assert.equal((specOf(apps[0]).destination as Record<string, unknown>).server, 's');
  });
  test('templatePatch (goTemplate) adds fields and cannot change the project', async () => {
    const apps = await generate({
      goTemplate: true, goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: [{ name: 'a', server: 's', auto: true }, { name: 'b', server: 's', auto: false }] } }],
      template: { ...TEMPLATE_GO, metadata: { name: '{{.name}}' }, spec: { ...TEMPLATE_GO.spec, destination: { server: '{{.server}}', namespace: 'x' } } },
      templatePatch: '{{- if .auto }}\nspec:\n  project: hijack\n  syncPolicy:\n    automated: {prune: true}\n{{- end }}\n',
    });
    assert.deepEqual(specOf(apps[0]).syncPolicy, { automated: { prune: true } });
    assert.equal(specOf(apps[0]).project, 'default');
    assert.equal(specOf(apps[1]).syncPolicy, undefined);
  });
  test('missingkey=error names the template', async () => {
    await assert.rejects(generate({ goTemplate: true, goTemplateOptions: ['missingkey=error'], generators: [{ list: { elements: [{ name: 'a' }] } }], template: { ...TEMPLATE_GO, metadata: { name: '{{.nope}}' } } }), /failed to execute go template \{\{\.nope\}\}/);
  });
  test('a bad applicationsSync policy names the set, the field and the choices', () => {
    assert.throws(() => readApplicationSet(appSet({ generators: [], template: TEMPLATE, syncPolicy: { applicationsSync: 'sometimes' } }), 'argocd'), /ApplicationSet\/argocd\/set: spec\.syncPolicy\.applicationsSync "sometimes" is not a policy — use one of create-only, create-update, create-delete, sync/);
  });
});

describe('clusterDecisionResource generator', () => {
  test('decisions naming known clusters, with their fields and values', async () => {
    const apps = await generate({
      generators: [{ clusterDecisionResource: { configMapRef: 'ocm', labelSelector: { matchLabels: { a: 'b' } }, values: { x: 'y' } } }],
      template: { ...TEMPLATE, metadata: { name: '{{name}}-{{reason}}-{{values.x}}' } },
    }, {
      secrets: [clusterSecret('eu', 'https://eu.example')],
      configMaps: { ocm: { apiVersion: 'cluster.open-cluster-management.io/v1beta1', kind: 'placementdecisions', statusListKey: 'decisions', matchKey: 'clusterName' } },
      resources: [{ apiVersion: 'cluster.open-cluster-management.io/v1beta1', kind: 'PlacementDecision', metadata: { name: 'p' }, status: { decisions: [{ clusterName: 'eu', reason: 'fit' }, { clusterName: 'unknown', reason: 'x' }] } }],
    });
    assert.deepEqual(names(apps), ['eu-fit-y']);
  });
});

describe('offline', () => {
  test('pull request generators are skipped and said so, not failed', async () => {
    const result = await generateApplications(readApplicationSet(appSet({ generators: [{ pullRequest: { github: { owner: 'o', repo: 'r' } } }], template: TEMPLATE }), 'argocd'), testContext({ cacheDir, offline: true }));
    assert.deepEqual(result.applications, []);
    assert.match(result.skipped.join('\n'), /spec\.generators\[0\]\.pullRequest: pull request generator skipped \(offline/);
  });
});
