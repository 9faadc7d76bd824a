import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Application } from '../../../src/model/application.js';
import { normalizeApplication } from '../../../src/model/normalize.js';

function app(spec: Partial<Application['spec']>): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'a' },
    spec: { project: '', destination: { server: 'https://kubernetes.default.svc' }, ...spec },
  };
}

const cases = [
  {
    name: 'a single git source becomes a sources list with targetRevision HEAD',
    app: app({ source: { repoURL: 'https://git.example/r', path: 'apps' } }),
    sources: [{ repoURL: 'https://git.example/r', path: 'apps', targetRevision: 'HEAD' }],
  },
  {
    name: 'an empty targetRevision on git counts as absent',
    app: app({ sources: [{ repoURL: 'https://git.example/r', path: 'apps', targetRevision: '' }] }),
    sources: [{ repoURL: 'https://git.example/r', path: 'apps', targetRevision: 'HEAD' }],
  },
  {
    name: 'chart and OCI sources keep their revision as written',
    app: app({
      sources: [
        { repoURL: 'https://charts.example', chart: 'x', targetRevision: '1.*' },
        { repoURL: 'oci://registry.example/manifests', path: '.' },
      ],
    }),
    sources: [
      { repoURL: 'https://charts.example', chart: 'x', targetRevision: '1.*' },
      { repoURL: 'oci://registry.example/manifests', path: '.' },
    ],
  },
  {
    name: 'sources wins over source when both are set',
    app: app({ source: { repoURL: 'https://git.example/ignored', path: '.' }, sources: [{ repoURL: 'https://git.example/r', path: 'x', targetRevision: 'main' }] }),
    sources: [{ repoURL: 'https://git.example/r', path: 'x', targetRevision: 'main' }],
  },
];

for (const c of cases) {
  test(`normalize: ${c.name}`, () => {
    // GIVEN a valid Application WHEN normalized THEN spec.sources is the canonical list and spec.source is gone
    const normalized = normalizeApplication(c.app);
    assert.deepEqual(normalized.spec.sources, c.sources);
    assert.equal('source' in normalized.spec, false);
  });
}

test('an empty project becomes default; a named one is kept', () => {
  assert.equal(normalizeApplication(app({ source: { repoURL: 'r', path: '.' } })).spec.project, 'default');
  assert.equal(normalizeApplication(app({ project: 'platform', source: { repoURL: 'r', path: '.' } })).spec.project, 'platform');
});

test('the result is deeply frozen and the input is left untouched', () => {
  // GIVEN an Application WHEN normalized
  const input = app({ source: { repoURL: 'r', path: '.', helm: { valueFiles: ['v.yaml'] } } });
  const normalized = normalizeApplication(input);
  // THEN nothing in the result can be changed, and the input still has its single source
  assert.ok(Object.isFrozen(normalized));
  assert.ok(Object.isFrozen(normalized.spec.sources[0]?.helm?.valueFiles));
  assert.throws(() => {
    (normalized.metadata as { name: string }).name = 'b';
  }, TypeError);
  assert.equal(input.spec.sources, undefined);
  assert.equal(Object.isFrozen(input), false);
});
