import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatWarning } from '../../../src/model/findings.js';
import { loadRenderedObjects } from '../../../src/model/load-rendered.js';
import { parseKubeObjects } from '../../../src/model/rendered-objects.js';

/** What `kustomize build apps/overlays/upc-dev` prints for the enterprise-apps root (shortened). */
const RENDERED = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: musicman
  namespace: argocd
spec:
  project: default
  sources:
    - repoURL: https://git.forteapps.net/Forte/forte-helm
      path: forteapp
      helm:
        valueFiles: [$values/musicman/values.yaml]
    - repoURL: git@github.com:fortedigital/helm-prod-values.git
      targetRevision: HEAD
      ref: values
  destination:
    server: https://kubernetes.default.svc
    namespace: musicman
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: argo-mcp
  namespace: argocd
spec:
  source:
    repoURL: https://git.forteapps.net/Forte/forte-helm
    path: forteapp
    helm:
      valueFiles: [$values/argocd-mcp/values.yaml]
  destination:
    server: https://kubernetes.default.svc
    name: in-cluster
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: apps-info
  namespace: argocd
`;

test('rendered children are validated and described by the root that rendered them', () => {
  // GIVEN the output of rendering the enterprise-apps root
  const objects = parseKubeObjects(RENDERED, { source: 'kustomize build apps/overlays/upc-dev' });
  // WHEN the objects are loaded as rendered by upc-dev-root → enterprise-apps
  const loaded = loadRenderedObjects(objects, { renderedBy: ['upc-dev-root', 'enterprise-apps'], path: 'apps/overlays/upc-dev' });
  // THEN the valid child is kept with its raw object, the invalid one is reported by name and chain
  assert.deepEqual(loaded.applications.map((a) => [a.app.metadata.name, a.object.metadata.name]), [['musicman', 'musicman']]);
  assert.deepEqual(loaded.otherObjects.map((o) => o.kind), ['ConfigMap']);
  const where = 'Application "argo-mcp" (rendered by "enterprise-apps" under root "upc-dev-root" from apps/overlays/upc-dev)';
  assert.deepEqual(loaded.errors.map((e) => e.message), [
    `${where}: spec.destination.name: a destination can't have both name and server (name "in-cluster", server "https://kubernetes.default.svc") — keep one: server for the API server URL, or name for a cluster registered by name`,
    `${where}: spec.source.helm.valueFiles[0]: value file "$values/argocd-mcp/values.yaml" refers to ref "values", which no source defines (this Application defines no refs) — add a source to spec.sources with ref: values and the repoURL that holds argocd-mcp/values.yaml`,
  ]);
  assert.deepEqual(loaded.warnings.map(formatWarning), []);
});

test('a rendered AppProject is validated too', () => {
  const objects = parseKubeObjects('apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: platform}\nspec: {sourceRepos: ["*"], destinatons: []}\n');
  const loaded = loadRenderedObjects(objects, { renderedBy: ['upc-dev-root'] });
  assert.deepEqual(loaded.projects.map((p) => p.project.metadata.name), ['platform']);
  assert.deepEqual(loaded.warnings.map(formatWarning), [
    'AppProject "platform" (rendered by root "upc-dev-root"): spec.destinatons: unknown field "destinatons" is ignored — did you mean "destinations"?',
  ]);
});
