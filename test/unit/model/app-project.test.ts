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
  {
    name: 'a destination namespace that is not a string',
    value: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: { destinations: [{ server: '*', namespace: 7 }] } },
    errors: ['project.yaml: spec.destinations[0].namespace: must be a string, got the number 7 — quote it: "7"'],
  },
  {
    name: 'cluster resource entries without a group or with a kind that is not a string',
    value: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'p' },
      spec: { clusterResourceWhitelist: [{ kind: 'Namespace' }], clusterResourceBlacklist: [{ group: '', kind: ['Node'] }] },
    },
    errors: [
      'project.yaml: spec.clusterResourceWhitelist[0].group: required field is missing — add the API group: group: "" for the core group (Namespace, ConfigMap…), e.g. group: apps, or "*" for any',
      'project.yaml: spec.clusterResourceBlacklist[0].kind: must be a string, got a list — write a single text value',
    ],
  },
  {
    name: 'namespace resource lists that are not lists of mappings',
    value: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'p' },
      spec: { namespaceResourceWhitelist: { group: 'apps', kind: 'Deployment' }, namespaceResourceBlacklist: ['ResourceQuota', { group: '' }] },
    },
    errors: [
      'project.yaml: spec.namespaceResourceWhitelist: must be a list, got a mapping — write each entry on its own line starting with "- "',
      'project.yaml: spec.namespaceResourceBlacklist[0]: must be a mapping (key: value pairs), got the string "ResourceQuota" — indent key: value pairs under this field',
      'project.yaml: spec.namespaceResourceBlacklist[1].kind: required field is missing — add the kind, e.g. kind: Namespace, or "*" for any',
    ],
  },
  {
    name: 'orphanedResources with a quoted warn and an ignore that is not a list',
    value: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: { orphanedResources: { warn: 'true', ignore: { kind: 'Secret' } } } },
    errors: [
      'project.yaml: spec.orphanedResources.warn: must be a boolean, got the string "true" — write true without quotes',
      'project.yaml: spec.orphanedResources.ignore: must be a list, got a mapping — write each entry on its own line starting with "- "',
    ],
  },
  {
    name: 'an orphaned-resource ignore entry with a name that is not a string, sourceNamespaces and description of the wrong type',
    value: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'p' },
      spec: { orphanedResources: { ignore: [{ kind: 'Secret', name: true }] }, sourceNamespaces: 'team-*', description: 3 },
    },
    errors: [
      'project.yaml: spec.orphanedResources.ignore[0].name: must be a string, got the boolean true — quote it: "true"',
      'project.yaml: spec.sourceNamespaces: must be a list, got the string "team-*" — write each entry on its own line starting with "- "',
      'project.yaml: spec.description: must be a string, got the number 3 — quote it: "3"',
    ],
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

test('GIVEN a project with every field Argo CD enforces WHEN validated THEN each comes back as written and nothing is reported', () => {
  // GIVEN repositories with a denial, destinations by server and by name, resource lists (one restricting names),
  // orphaned-resource settings, source namespaces, and fields Launchpad ignores
  const spec = {
    description: 'Team',
    sourceRepos: ['https://github.com/acme/*', '!https://github.com/acme/secret'],
    destinations: [
      { server: 'https://kubernetes.default.svc', namespace: 'team-*' },
      { name: 'prod', namespace: '!kube-system' },
    ],
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team-*' }],
    clusterResourceBlacklist: [{ group: 'rbac.authorization.k8s.io', kind: '*' }],
    namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }],
    namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
    orphanedResources: { warn: true, ignore: [{ kind: 'ConfigMap', name: 'orphaned-*' }, { group: 'cert-manager.io' }] },
    sourceNamespaces: ['team-*'],
    syncWindows: [{ kind: 'allow', schedule: '10 1 * * *', duration: '1h', applications: ['*'], manualSync: true, timeZone: 'Europe/Berlin', andOperator: false, description: 'nightly' }],
  };
  const ignored = {
    roles: [{ name: 'ci', policies: ['p, proj:team:ci, applications, sync, team/*, allow'] }],
    signatureKeys: [{ keyID: 'ABCDEF1234567890' }],
    permitOnlyProjectScopedClusters: true,
    destinationServiceAccounts: [{ server: '*', namespace: '*', defaultServiceAccount: 'deployer' }],
    sourceIntegrity: {},
  };
  const value = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team' }, spec: { ...spec, ...ignored } };
  // WHEN validated
  const result = validateAppProject(value, describeAs('project.yaml'));
  // THEN the enforced fields are kept exactly, the ignored ones dropped, and there are no warnings
  assert.equal(result.ok, true);
  assert.deepEqual(result.value.spec, spec);
  assert.deepEqual(result.warnings, []);
});

test('GIVEN a project with "!*" entries, a destination without a cluster and a misspelt nested field WHEN validated THEN each is a warning at its field', () => {
  const value = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'p' },
    spec: {
      sourceRepos: ['!*'],
      destinations: [{ server: '*', namespace: '!*' }, { namespace: 'shop' }],
      orphanedResources: { warn: false, ignores: [] },
    },
  };
  const result = validateAppProject(value, describeAs('project.yaml'));
  assert.equal(result.ok, true);
  assert.deepEqual(result.warnings.map(formatWarning), [
    'project.yaml: spec.sourceRepos[0]: "!*" denies every repository, so no application can use this project — remove the entry; to permit no repository, leave spec.sourceRepos empty',
    'project.yaml: spec.destinations[0].namespace: "!*" denies every namespace, so this entry refuses every destination — remove the entry, or deny a narrower glob',
    'project.yaml: spec.destinations[1]: neither server nor name is set, so this entry matches no cluster — add server: "*" for any cluster, or the cluster\'s server URL or name',
    'project.yaml: spec.orphanedResources.ignores: unknown field "ignores" is ignored — did you mean "ignore"?',
  ]);
});

test('GIVEN nothing WHEN the default project is made THEN it is what Argo CD installs', () => {
  assert.deepEqual(defaultProject(), {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'default' },
    spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
  });
});

test('a defined default project replaces the implied one', () => {
  const own = { ...defaultProject(), spec: { sourceRepos: ['https://git.example/*'] } };
  assert.deepEqual(projectsByName([own]).get('default')?.spec.sourceRepos, ['https://git.example/*']);
});
