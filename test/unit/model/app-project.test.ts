import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultProject, projectNameOf, projectsByName, validateAppProject } from '../../../src/model/app-project.js';
import { describeAs } from '../../../src/model/describe.js';
import { formatWarning } from '../../../src/model/findings.js';

test('an AppProject with the fields Argo CD has is read; fields Launchpad does not use yet bring no warning', () => {
  // GIVEN a project with repositories, destinations and a cluster resource whitelist
  const value = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'platform', namespace: 'argocd' },
    spec: {
      description: 'Platform',
      sourceRepos: ['https://git.forteapps.net/Forte/*'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
  // WHEN validated
  const result = validateAppProject(value, describeAs('project.yaml'));
  // THEN its fields come back and nothing is reported
  assert.equal(result.ok, true);
  assert.deepEqual(result.value.spec.sourceRepos, ['https://git.forteapps.net/Forte/*']);
  assert.deepEqual(result.warnings, []);
});

const badCases = [
  {
    name: 'a project without a name',
    value: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: {}, spec: {} },
    errors: ['project.yaml: metadata.name: required field is missing — give the AppProject a name, e.g. name: my-app'],
  },
  {
    name: 'sourceRepos that is not a list',
    value: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: { sourceRepos: '*' } },
    errors: ['project.yaml: spec.sourceRepos: must be a list, got the string "*" — write each entry on its own line starting with "- "'],
  },
];

for (const c of badCases) {
  test(`rejects ${c.name}`, () => {
    const result = validateAppProject(c.value, describeAs('project.yaml'));
    assert.equal(result.ok, false);
    assert.deepEqual(result.errors.map((e) => e.message), c.errors);
  });
}

test('a misspelt project field is a warning', () => {
  const value = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: { sourceRepo: ['*'] } };
  const result = validateAppProject(value, describeAs('project.yaml'));
  assert.deepEqual(result.warnings.map(formatWarning), ['project.yaml: spec.sourceRepo: unknown field "sourceRepo" is ignored — did you mean "sourceRepos"?']);
});

test('the default project is implied when no project of that name is given, and an empty name means default', () => {
  // GIVEN one project named platform WHEN projects are indexed
  const platform = { ...defaultProject(), metadata: { name: 'platform' } };
  const byName = projectsByName([platform]);
  // THEN default is there too, allowing everything
  assert.deepEqual([...byName.keys()], ['platform', 'default']);
  assert.deepEqual(byName.get('default')?.spec.sourceRepos, ['*']);
  assert.equal(projectNameOf(''), 'default');
  assert.equal(projectNameOf(undefined), 'default');
  assert.equal(projectNameOf('platform'), 'platform');
});

test('a defined default project replaces the implied one', () => {
  const own = { ...defaultProject(), spec: { sourceRepos: ['https://git.example/*'] } };
  assert.deepEqual(projectsByName([own]).get('default')?.spec.sourceRepos, ['https://git.example/*']);
});
