import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatWarning } from '../../../src/model/findings.js';
import { loadManifestFile } from '../../../src/model/load.js';
import { fixturePath, readFixture } from './fixtures.js';

/** Loads a fixture as a user's file would be loaded. */
function load(name: string): ReturnType<typeof loadManifestFile> {
  return loadManifestFile(readFixture(name), fixturePath(name));
}

const validFixtures = [
  { name: 'multi-source helm with a values ref', fixture: 'application-multi-source-helm.yaml', apps: ['mcp10x'] },
  { name: 'helm repository chart with layered values', fixture: 'application-helm-chart.yaml', apps: ['traefik'] },
  { name: 'kustomize overlay with images, replicas and patches', fixture: 'application-kustomize-overlay.yaml', apps: ['dot-ai-stack'] },
  { name: 'directory with recurse, include and exclude', fixture: 'application-directory.yaml', apps: ['cluster-resources-application'] },
  { name: 'app-of-apps root file mixing kinds', fixture: 'application-app-of-apps-root.yaml', apps: ['infrastructure-apps', 'enterprise-apps'] },
];

for (const c of validFixtures) {
  test(`a valid fixture loads without errors or warnings: ${c.name}`, () => {
    // GIVEN a realistic manifest file WHEN it is loaded
    const file = load(c.fixture);
    // THEN every Application comes back and nothing is reported
    assert.deepEqual(file.errors.map((e) => e.message), []);
    assert.deepEqual(file.warnings.map(formatWarning), []);
    assert.deepEqual(file.applications.map((a) => a.app.metadata.name), c.apps);
  });
}

test('a file may mix kinds: a Namespace, an AppProject and two Applications, each with its origin', () => {
  // GIVEN the root file of a cluster WHEN it is loaded
  const file = load('application-app-of-apps-root.yaml');
  // THEN each kind lands in its own list, placed at the document where it starts
  assert.deepEqual(file.otherObjects.map((o) => `${o.object.kind}/${o.object.metadata.name ?? ''}`), ['Namespace/argocd']);
  assert.deepEqual(file.projects.map((p) => p.project.metadata.name), ['platform']);
  assert.deepEqual(
    file.applications.map((a) => [a.app.metadata.name, a.origin.documentIndex, a.origin.line, a.origin.column]),
    [
      ['infrastructure-apps', 2, 24, 1],
      ['enterprise-apps', 3, 45, 1],
    ],
  );
  assert.equal(file.otherObjects[0]?.origin.file, 'test/fixtures/model/application-app-of-apps-root.yaml');
});

const brokenFiles = [
  {
    name: 'three Applications, one invalid: two load and the third is reported',
    fixture: 'applications-one-broken.yaml',
    apps: ['prometheus', 'fluent-bit'],
    error: 'test/fixtures/model/applications-one-broken.yaml:19:3: spec.source.targetRevision: a Helm chart source needs targetRevision — set targetRevision to the chart version, e.g. 1.2.3, or a range such as 1.*',
  },
  {
    name: 'three Applications, one with broken YAML: the other two still load',
    fixture: 'applications-one-malformed.yaml',
    apps: ['gitea', 'keycloak'],
    error: 'test/fixtures/model/applications-one-malformed.yaml:19:1: YAML syntax error in document 2: Flow sequence in block collection must be sufficiently indented and end with a ] — check the indentation of this line against the lines above it',
  },
];

for (const c of brokenFiles) {
  test(c.name, () => {
    // GIVEN a multi-document file with one bad document WHEN it is loaded
    const file = load(c.fixture);
    // THEN the good ones load and exactly one error names the bad one
    assert.deepEqual(file.applications.map((a) => a.app.metadata.name), c.apps);
    assert.deepEqual(file.errors.map((e) => e.message), [c.error]);
  });
}

const documentCases = [
  {
    name: 'a document that is a list is rejected, naming the document',
    text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n- just\n- a list\n',
    error: 'x.yaml:5:1: document 2 is a list, not a Kubernetes object — each document must be a mapping with apiVersion, kind and metadata',
  },
  {
    name: 'a document without kind is rejected',
    text: 'apiVersion: v1\nmetadata: {name: a}\n',
    error: 'x.yaml:1:1: document 1 has no apiVersion and kind — every object needs both, e.g. apiVersion: argoproj.io/v1alpha1 and kind: Application',
  },
  {
    name: 'an invalid Application inside a List is placed at its own lines (field paths are relative to the item)',
    text: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: argoproj.io/v1alpha1\n    kind: Application\n    metadata: {name: a}\n    spec:\n      source: {repoURL: https://x, path: .}\n',
    error: 'x.yaml:7:5: spec.destination: required field is missing — add destination: set server (e.g. https://kubernetes.default.svc) or name (a cluster registered by name), and a namespace',
  },
];

for (const c of documentCases) {
  test(c.name, () => {
    // GIVEN a small file WHEN it is loaded THEN the one error reads exactly so
    assert.deepEqual(loadManifestFile(c.text, 'x.yaml').errors.map((e) => e.message), [c.error]);
  });
}

test('empty documents and comment-only documents are skipped', () => {
  // GIVEN a file with empty documents around one object
  const text = '---\n# nothing here\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n---\n';
  // WHEN it is loaded THEN only the object comes back
  const file = loadManifestFile(text, 'x.yaml');
  assert.deepEqual(file.otherObjects.map((o) => o.object.kind), ['ConfigMap']);
  assert.deepEqual(file.errors, []);
});

test('Applications inside a List are flattened and validated', () => {
  // GIVEN a List as kubectl writes it
  const text = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '  - apiVersion: argoproj.io/v1alpha1',
    '    kind: Application',
    '    metadata: {name: a}',
    '    spec: {source: {repoURL: "https://x", path: "."}, destination: {name: in-cluster}}',
    '  - apiVersion: v1',
    '    kind: ConfigMap',
    '    metadata: {name: c}',
  ].join('\n');
  // WHEN it is loaded THEN the items are loaded one by one, each with its own position
  const file = loadManifestFile(text, 'x.yaml');
  assert.deepEqual(file.applications.map((a) => [a.app.metadata.name, a.origin.line, a.origin.column]), [['a', 4, 5]]);
  assert.deepEqual(file.otherObjects.map((o) => o.object.kind), ['ConfigMap']);
});
