import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultProject, projectsByName } from '../../../src/model/app-project.js';
import type { AppProject, AppProjectSpec, Application, ApplicationDestination } from '../../../src/model/application.js';
import {
  applicationRefusals,
  destinationRefusal,
  matchesProjectGlob,
  orphanedResourcesPolicy,
  projectOf,
  resourceRefusal,
  sourceRepoRefusal,
} from '../../../src/model/project-rules.js';
import type { OrphanedResourceRef, ResourceKind } from '../../../src/model/project-rules.js';

function project(spec: AppProjectSpec, name = 'team'): AppProject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name }, spec };
}

const IN_CLUSTER = 'https://kubernetes.default.svc';

// ---------------------------------------------------------------------------------------------------------------
// Globs

const globCases: readonly { pattern: string; value: string; separator?: '/'; matches: boolean }[] = [
  { pattern: '*', value: 'https://github.com/a/b', separator: '/', matches: true },
  { pattern: '*', value: '', matches: true },
  { pattern: 'https://github.com/org/*', value: 'https://github.com/org/repo', separator: '/', matches: true },
  { pattern: 'https://github.com/org/*', value: 'https://github.com/org/sub/repo', separator: '/', matches: false },
  { pattern: 'https://github.com/org/**', value: 'https://github.com/org/sub/repo', separator: '/', matches: true },
  { pattern: 'https://*', value: 'https://k8s.example.com/path', matches: true },
  { pattern: 'team-?', value: 'team-a', matches: true },
  { pattern: 'team-?', value: 'team-ab', matches: false },
  { pattern: 'team-[ab]', value: 'team-b', matches: true },
  { pattern: 'team-[ab]', value: 'team-c', matches: false },
  { pattern: 'team-[!ab]', value: 'team-c', matches: true },
  { pattern: 'team-[a-c]', value: 'team-d', matches: false },
  { pattern: '{dev,prod}-*', value: 'prod-shop', matches: true },
  { pattern: '{dev,prod}-*', value: 'qa-shop', matches: false },
  { pattern: 'a\\*', value: 'a*', matches: true },
  { pattern: 'a\\*', value: 'ab', matches: false },
  { pattern: 'a.b', value: 'aXb', matches: false },
  { pattern: '', value: '', matches: true },
  { pattern: '', value: 'shop', matches: false },
  { pattern: 'team-[', value: 'team-[', matches: false },
  { pattern: '{dev,prod', value: 'dev', matches: false },
  { pattern: '[z-a]', value: 'b', matches: false },
];

for (const c of globCases) {
  test(`GIVEN the glob ${JSON.stringify(c.pattern)}${c.separator === undefined ? '' : ' with "/" as separator'} WHEN matched against ${JSON.stringify(c.value)} THEN ${c.matches ? 'it matches' : 'it does not'}`, () => {
    assert.equal(matchesProjectGlob(c.pattern, c.value, c.separator), c.matches);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Source repositories

const ACME = project({ sourceRepos: ['https://github.com/acme/*'] });
const NOT_ACME =
  'AppProject "team" does not permit repository "https://github.com/other/app": it matches none of spec.sourceRepos ("https://github.com/acme/*") — add "https://github.com/other/app" (or a glob matching it) to spec.sourceRepos of AppProject "team", or use a project that permits it';

const repoCases: readonly { name: string; project: AppProject; repoURL: string; refusal: string | undefined }[] = [
  { name: 'the default project', project: defaultProject(), repoURL: 'https://github.com/anyone/anything', refusal: undefined },
  { name: 'a glob one level deep', project: ACME, repoURL: 'https://github.com/acme/app', refusal: undefined },
  { name: 'a URL differing in case, ".git" and a trailing "/"', project: ACME, repoURL: 'https://GitHub.com/Acme/App.git/', refusal: undefined },
  { name: 'another organisation', project: ACME, repoURL: 'https://github.com/other/app', refusal: NOT_ACME },
  {
    name: 'a repository two levels below a one-level glob',
    project: ACME,
    repoURL: 'https://github.com/acme/group/app',
    refusal:
      'AppProject "team" does not permit repository "https://github.com/acme/group/app": it matches none of spec.sourceRepos ("https://github.com/acme/*") — add "https://github.com/acme/group/app" (or a glob matching it) to spec.sourceRepos of AppProject "team", or use a project that permits it',
  },
  { name: 'a "**" glob', project: project({ sourceRepos: ['https://github.com/acme/**'] }), repoURL: 'https://github.com/acme/group/app', refusal: undefined },
  {
    name: 'a denied repository before "*"',
    project: project({ sourceRepos: ['!https://github.com/acme/secret', '*'] }),
    repoURL: 'https://github.com/acme/secret.git',
    refusal:
      'AppProject "team" denies repository "https://github.com/acme/secret.git" by its spec.sourceRepos entry "!https://github.com/acme/secret" — use another repository, or remove that entry from the project',
  },
  {
    name: 'a denied repository after "*" (a denial wins wherever it is)',
    project: project({ sourceRepos: ['*', '!https://gitlab.com/group/**'] }),
    repoURL: 'https://gitlab.com/group/sub/app',
    refusal:
      'AppProject "team" denies repository "https://gitlab.com/group/sub/app" by its spec.sourceRepos entry "!https://gitlab.com/group/**" — use another repository, or remove that entry from the project',
  },
  { name: 'a repository a denial does not name', project: project({ sourceRepos: ['!https://github.com/acme/secret', '*'] }), repoURL: 'https://github.com/acme/app', refusal: undefined },
  {
    name: 'only denials',
    project: project({ sourceRepos: ['!https://github.com/acme/secret'] }),
    repoURL: 'https://github.com/acme/app',
    refusal:
      'AppProject "team" does not permit repository "https://github.com/acme/app": its spec.sourceRepos has no allow entry (one without "!") — add "https://github.com/acme/app" (or a glob matching it) to spec.sourceRepos of AppProject "team", or use a project that permits it',
  },
  {
    name: 'no sourceRepos',
    project: project({}),
    repoURL: 'https://github.com/acme/app',
    refusal:
      'AppProject "team" does not permit repository "https://github.com/acme/app": its spec.sourceRepos has no allow entry (one without "!") — add "https://github.com/acme/app" (or a glob matching it) to spec.sourceRepos of AppProject "team", or use a project that permits it',
  },
  { name: 'an scp-style glob and an ssh:// URL', project: project({ sourceRepos: ['git@github.com:acme/*'] }), repoURL: 'ssh://git@github.com/acme/app.git', refusal: undefined },
  {
    name: "the documentation's ssh:// deny with a colon path",
    project: project({ sourceRepos: ['!ssh://git@GITHUB.com:argoproj/test', '*'] }),
    repoURL: 'git@github.com:argoproj/test.git',
    refusal:
      'AppProject "team" denies repository "git@github.com:argoproj/test.git" by its spec.sourceRepos entry "!ssh://git@GITHUB.com:argoproj/test" — use another repository, or remove that entry from the project',
  },
  { name: 'a URL with credentials', project: ACME, repoURL: 'https://bot:token@github.com/acme/app', refusal: undefined },
  {
    name: 'a refused URL with a token',
    project: ACME,
    repoURL: 'https://token@evil.example/x',
    refusal:
      'AppProject "team" does not permit repository "https://***@evil.example/x": it matches none of spec.sourceRepos ("https://github.com/acme/*") — add "https://***@evil.example/x" (or a glob matching it) to spec.sourceRepos of AppProject "team", or use a project that permits it',
  },
];

for (const c of repoCases) {
  test(`GIVEN ${c.name} WHEN ${c.repoURL} is checked THEN it is ${c.refusal === undefined ? 'permitted' : 'refused with the project and the fix'}`, () => {
    assert.equal(sourceRepoRefusal(c.project, c.repoURL), c.refusal);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Destinations

const TEAM_NAMESPACES = project({ destinations: [{ server: IN_CLUSTER, namespace: 'team-*' }] });
const DENY_KUBE_SYSTEM = project({ destinations: [{ server: '*', namespace: '!kube-system' }, { server: '*', namespace: '*' }] });
const resolve = (name: string): string | undefined => (name === 'in-cluster' ? IN_CLUSTER : undefined);

const destinationCases: readonly {
  name: string;
  project: AppProject;
  destination: ApplicationDestination;
  resolver?: (name: string) => string | undefined;
  refusal: string | undefined;
}[] = [
  { name: 'the default project', project: defaultProject(), destination: { server: 'https://anywhere', namespace: 'shop' }, refusal: undefined },
  { name: 'a namespace glob', project: TEAM_NAMESPACES, destination: { server: IN_CLUSTER, namespace: 'team-a' }, refusal: undefined },
  {
    name: 'a namespace outside the glob',
    project: TEAM_NAMESPACES,
    destination: { server: IN_CLUSTER, namespace: 'shop' },
    refusal:
      'AppProject "team" does not permit destination {server: "https://kubernetes.default.svc", namespace: "shop"}: no entry of spec.destinations matches it — add {server: "https://kubernetes.default.svc", namespace: "shop"} (or globs matching it) to spec.destinations of AppProject "team", or use a project that permits it',
  },
  {
    name: 'an application without a namespace and a namespace glob that needs one',
    project: TEAM_NAMESPACES,
    destination: { server: IN_CLUSTER },
    refusal:
      'AppProject "team" does not permit destination {server: "https://kubernetes.default.svc", namespace: ""}: no entry of spec.destinations matches it — add {server: "https://kubernetes.default.svc", namespace: "*"} (or globs matching it) to spec.destinations of AppProject "team", or use a project that permits it',
  },
  { name: 'an application without a namespace and namespace "*"', project: project({ destinations: [{ server: IN_CLUSTER, namespace: '*' }] }), destination: { server: IN_CLUSTER }, refusal: undefined },
  { name: 'an application without a namespace and an entry without one', project: project({ destinations: [{ server: IN_CLUSTER }] }), destination: { server: IN_CLUSTER, namespace: '' }, refusal: undefined },
  {
    name: 'a denied namespace',
    project: DENY_KUBE_SYSTEM,
    destination: { server: IN_CLUSTER, namespace: 'kube-system' },
    refusal:
      'AppProject "team" denies destination {server: "https://kubernetes.default.svc", namespace: "kube-system"} by spec.destinations[0] {server: "*", namespace: "!kube-system"} — deploy somewhere else, or change that entry',
  },
  { name: 'a namespace the denial does not name', project: DENY_KUBE_SYSTEM, destination: { server: IN_CLUSTER, namespace: 'shop' }, refusal: undefined },
  {
    name: 'a denied server glob',
    project: project({ destinations: [{ server: '*', namespace: '*' }, { server: '!https://team1-*', namespace: '*' }] }),
    destination: { server: 'https://team1-prod.example.com', namespace: 'shop' },
    refusal:
      'AppProject "team" denies destination {server: "https://team1-prod.example.com", namespace: "shop"} by spec.destinations[1] {server: "!https://team1-*", namespace: "*"} — deploy somewhere else, or change that entry',
  },
  {
    name: 'a namespace denied on another cluster only',
    project: project({ destinations: [{ server: 'https://a.example', namespace: '!kube-system' }, { server: '*', namespace: '*' }] }),
    destination: { server: 'https://b.example', namespace: 'kube-system' },
    refusal: undefined,
  },
  {
    name: 'only a denying entry',
    project: project({ destinations: [{ server: '*', namespace: '!kube-system' }] }),
    destination: { server: IN_CLUSTER, namespace: 'shop' },
    refusal:
      'AppProject "team" does not permit destination {server: "https://kubernetes.default.svc", namespace: "shop"}: its spec.destinations has no allow entry (one without "!") — add {server: "https://kubernetes.default.svc", namespace: "shop"} (or globs matching it) to spec.destinations of AppProject "team", or use a project that permits it',
  },
  { name: 'a "*" server glob across "/"', project: project({ destinations: [{ server: 'https://*', namespace: '*' }] }), destination: { server: 'https://k8s.example.com/clusters/a', namespace: 'x' }, refusal: undefined },
  { name: 'a cluster name entry and a named destination', project: project({ destinations: [{ name: 'in-cluster', namespace: '*' }] }), destination: { name: 'in-cluster', namespace: 'shop' }, refusal: undefined },
  {
    name: 'a cluster name entry and a destination by server',
    project: project({ destinations: [{ name: 'in-cluster', namespace: '*' }] }),
    destination: { server: IN_CLUSTER, namespace: 'shop' },
    refusal:
      'AppProject "team" does not permit destination {server: "https://kubernetes.default.svc", namespace: "shop"}: no entry of spec.destinations matches it — add {server: "https://kubernetes.default.svc", namespace: "shop"} (or globs matching it) to spec.destinations of AppProject "team", or use a project that permits it',
  },
  {
    name: 'a server entry and a named destination the caller resolves',
    project: project({ destinations: [{ server: IN_CLUSTER, namespace: '*' }] }),
    destination: { name: 'in-cluster', namespace: 'shop' },
    resolver: resolve,
    refusal: undefined,
  },
  {
    name: 'a server entry and a named destination nobody resolves',
    project: project({ destinations: [{ server: IN_CLUSTER, namespace: '*' }] }),
    destination: { name: 'in-cluster', namespace: 'shop' },
    refusal:
      'AppProject "team" does not permit destination {name: "in-cluster", namespace: "shop"}: no entry of spec.destinations matches it — add {name: "in-cluster", namespace: "shop"} (or globs matching it) to spec.destinations of AppProject "team", or use a project that permits it',
  },
  {
    name: 'a denied cluster name',
    project: project({ destinations: [{ name: '!in-cluster', namespace: '*' }, { server: '*', namespace: '*' }] }),
    destination: { name: 'in-cluster', namespace: 'shop' },
    resolver: resolve,
    refusal:
      'AppProject "team" denies destination {name: "in-cluster", server: "https://kubernetes.default.svc", namespace: "shop"} by spec.destinations[0] {name: "!in-cluster", namespace: "*"} — deploy somewhere else, or change that entry',
  },
  {
    name: 'a destination without a cluster',
    project: defaultProject(),
    destination: { namespace: 'shop' },
    refusal: 'AppProject "default" cannot permit destination {namespace: "shop"}: it names no cluster — set spec.destination.server or spec.destination.name of the application',
  },
];

for (const c of destinationCases) {
  test(`GIVEN ${c.name} WHEN the destination is checked THEN it is ${c.refusal === undefined ? 'permitted' : 'refused with the project and the fix'}`, () => {
    assert.equal(destinationRefusal(c.project, c.destination, c.resolver), c.refusal);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Kinds of objects

const NAMESPACE: ResourceKind = { group: '', kind: 'Namespace', namespaced: false };
const CLUSTER_ROLE: ResourceKind = { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespaced: false };
const DEPLOYMENT: ResourceKind = { group: 'apps', kind: 'Deployment', namespaced: true };
const STATEFUL_SET: ResourceKind = { group: 'apps', kind: 'StatefulSet', namespaced: true };
const CONFIG_MAP: ResourceKind = { group: '', kind: 'ConfigMap', namespaced: true };
const ONLY_NAMESPACES = project({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] });
const RBAC_DENIED = project({ clusterResourceWhitelist: [{ group: '*', kind: '*' }], clusterResourceBlacklist: [{ group: 'rbac.authorization.k8s.io', kind: 'Cluster*' }] });
const APPS_ONLY = project({ namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }, { group: '', kind: 'ConfigMap' }] });

const resourceCases: readonly { name: string; project: AppProject; resource: ResourceKind; refusal: string | undefined }[] = [
  { name: 'the default project and a Namespace', project: defaultProject(), resource: NAMESPACE, refusal: undefined },
  { name: 'the default project and a Deployment', project: defaultProject(), resource: DEPLOYMENT, refusal: undefined },
  {
    name: 'no cluster whitelist and a Namespace',
    project: project({}),
    resource: NAMESPACE,
    refusal:
      'AppProject "team" does not permit cluster-scoped Namespace (core group): its spec.clusterResourceWhitelist is empty, so no cluster-scoped kind is permitted — add {group: "", kind: "Namespace"} to spec.clusterResourceWhitelist of AppProject "team"',
  },
  { name: 'an empty cluster whitelist and a namespaced kind', project: project({ clusterResourceWhitelist: [] }), resource: DEPLOYMENT, refusal: undefined },
  { name: 'a core-group whitelist entry and a Namespace', project: ONLY_NAMESPACES, resource: NAMESPACE, refusal: undefined },
  {
    name: 'a core-group whitelist entry and a Namespace kind of another group',
    project: ONLY_NAMESPACES,
    resource: { group: 'example.com', kind: 'Namespace', namespaced: false },
    refusal:
      'AppProject "team" does not permit cluster-scoped Namespace (group "example.com"): it matches no entry of spec.clusterResourceWhitelist — add {group: "example.com", kind: "Namespace"} to spec.clusterResourceWhitelist of AppProject "team"',
  },
  {
    name: 'a whitelist without the kind',
    project: ONLY_NAMESPACES,
    resource: CLUSTER_ROLE,
    refusal:
      'AppProject "team" does not permit cluster-scoped ClusterRole (group "rbac.authorization.k8s.io"): it matches no entry of spec.clusterResourceWhitelist — add {group: "rbac.authorization.k8s.io", kind: "ClusterRole"} to spec.clusterResourceWhitelist of AppProject "team"',
  },
  {
    name: 'a blacklisted kind glob',
    project: RBAC_DENIED,
    resource: CLUSTER_ROLE,
    refusal:
      'AppProject "team" denies cluster-scoped ClusterRole (group "rbac.authorization.k8s.io") by spec.clusterResourceBlacklist entry {group: "rbac.authorization.k8s.io", kind: "Cluster*"} — leave it out of the application, or remove that entry',
  },
  { name: 'a kind the blacklist does not name', project: RBAC_DENIED, resource: { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', namespaced: false }, refusal: undefined },
  { name: 'a name-restricted whitelist and a matching name', project: project({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team1-*' }] }), resource: { ...NAMESPACE, name: 'team1-shop' }, refusal: undefined },
  {
    name: 'a name-restricted whitelist and another name',
    project: project({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team1-*' }] }),
    resource: { ...NAMESPACE, name: 'team2-shop' },
    refusal:
      'AppProject "team" does not permit cluster-scoped Namespace "team2-shop" (core group): it matches no entry of spec.clusterResourceWhitelist — add {group: "", kind: "Namespace", name: "team2-shop"} to spec.clusterResourceWhitelist of AppProject "team"',
  },
  {
    name: 'a name-restricted blacklist',
    project: project({ clusterResourceWhitelist: [{ group: '*', kind: '*' }], clusterResourceBlacklist: [{ group: '', kind: 'Namespace', name: 'kube-*' }] }),
    resource: { ...NAMESPACE, name: 'kube-system' },
    refusal:
      'AppProject "team" denies cluster-scoped Namespace "kube-system" (core group) by spec.clusterResourceBlacklist entry {group: "", kind: "Namespace", name: "kube-*"} — leave it out of the application, or remove that entry',
  },
  { name: 'a namespace whitelist with the kind', project: APPS_ONLY, resource: DEPLOYMENT, refusal: undefined },
  { name: 'a namespace whitelist with a core-group kind', project: APPS_ONLY, resource: CONFIG_MAP, refusal: undefined },
  {
    name: 'a namespace whitelist without the kind',
    project: APPS_ONLY,
    resource: STATEFUL_SET,
    refusal:
      'AppProject "team" does not permit namespaced StatefulSet (group "apps"): it matches no entry of spec.namespaceResourceWhitelist — add {group: "apps", kind: "StatefulSet"} to spec.namespaceResourceWhitelist of AppProject "team"',
  },
  {
    name: 'an empty namespace whitelist',
    project: project({ namespaceResourceWhitelist: [] }),
    resource: CONFIG_MAP,
    refusal:
      'AppProject "team" does not permit namespaced ConfigMap (core group): its spec.namespaceResourceWhitelist is empty, so no namespaced kind is permitted — add {group: "", kind: "ConfigMap"} to spec.namespaceResourceWhitelist of AppProject "team"',
  },
  {
    name: 'a namespace blacklist with a core-group kind',
    project: project({ namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }] }),
    resource: { group: '', kind: 'ResourceQuota', namespaced: true },
    refusal:
      'AppProject "team" denies namespaced ResourceQuota (core group) by spec.namespaceResourceBlacklist entry {group: "", kind: "ResourceQuota"} — leave it out of the application, or remove that entry',
  },
  { name: 'a core-group blacklist entry and a kind of another group', project: project({ namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }] }), resource: { group: 'example.com', kind: 'ResourceQuota', namespaced: true }, refusal: undefined },
  {
    name: 'a blacklist of everything beside a whitelist of it',
    project: project({ namespaceResourceWhitelist: [{ group: '*', kind: '*' }], namespaceResourceBlacklist: [{ group: '*', kind: '*' }] }),
    resource: DEPLOYMENT,
    refusal:
      'AppProject "team" denies namespaced Deployment (group "apps") by spec.namespaceResourceBlacklist entry {group: "*", kind: "*"} — leave it out of the application, or remove that entry',
  },
];

for (const c of resourceCases) {
  test(`GIVEN ${c.name} WHEN the kind is checked THEN it is ${c.refusal === undefined ? 'permitted' : 'refused with the project and the fix'}`, () => {
    assert.equal(resourceRefusal(c.project, c.resource), c.refusal);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Orphaned resources

test('GIVEN a project without orphanedResources WHEN its policy is asked THEN there is none', () => {
  assert.equal(orphanedResourcesPolicy(project({})), undefined);
  assert.equal(orphanedResourcesPolicy(defaultProject()), undefined);
});

test('GIVEN orphanedResources: {} WHEN its policy is asked THEN monitoring is on without warnings, ignoring only what Kubernetes makes', () => {
  const policy = orphanedResourcesPolicy(project({ orphanedResources: {} }));
  assert.ok(policy);
  assert.equal(policy.warn, false);
  assert.equal(policy.isIgnored({ group: '', kind: 'ConfigMap', name: 'settings' }), false);
  assert.equal(policy.isIgnored({ group: '', kind: 'ConfigMap', name: 'kube-root-ca.crt' }), true);
});

const IGNORING = project({
  orphanedResources: {
    warn: true,
    ignore: [{ kind: 'ConfigMap', name: 'orphaned-*' }, { group: 'cert-manager.io', kind: '*' }, { kind: 'Secret', name: '*.example.com' }, { group: 'apps' }],
  },
});

const orphanCases: readonly { ref: OrphanedResourceRef; ignored: boolean }[] = [
  { ref: { group: '', kind: 'ConfigMap', name: 'orphaned-cache' }, ignored: true },
  { ref: { group: '', kind: 'ConfigMap', name: 'settings' }, ignored: false },
  // An ignore entry without a group is about the core group only, as in Argo CD.
  { ref: { group: 'example.com', kind: 'ConfigMap', name: 'orphaned-cache' }, ignored: false },
  { ref: { group: 'cert-manager.io', kind: 'Certificate', name: 'web' }, ignored: true },
  { ref: { group: '', kind: 'Secret', name: 'web.example.com' }, ignored: true },
  { ref: { group: '', kind: 'Secret', name: 'web-tls' }, ignored: false },
  // No kind and no name: every kind and name of the group.
  { ref: { group: 'apps', kind: 'Deployment', name: 'web' }, ignored: true },
  { ref: { group: '', kind: 'ServiceAccount', name: 'default' }, ignored: true },
  { ref: { group: '', kind: 'ServiceAccount', name: 'builder' }, ignored: false },
  { ref: { group: '', kind: 'Service', name: 'kubernetes', namespace: 'default' }, ignored: true },
  { ref: { group: '', kind: 'Service', name: 'kubernetes', namespace: 'shop' }, ignored: false },
];

for (const c of orphanCases) {
  test(`GIVEN ignore rules WHEN ${c.ref.group === '' ? 'core' : c.ref.group} ${c.ref.kind} ${c.ref.name}${c.ref.namespace === undefined ? '' : ` in ${c.ref.namespace}`} is orphaned THEN it is ${c.ignored ? 'ignored' : 'reported'}`, () => {
    const policy = orphanedResourcesPolicy(IGNORING);
    assert.ok(policy);
    assert.equal(policy.warn, true);
    assert.equal(policy.isIgnored(c.ref), c.ignored);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Applications

function application(spec: Partial<Application['spec']>): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop' },
    spec: { project: 'team', destination: { server: IN_CLUSTER, namespace: 'shop' }, ...spec },
  };
}

test('GIVEN the default project WHEN any application is checked THEN nothing is refused', () => {
  const app = application({ sources: [{ repoURL: 'https://github.com/x/y' }, { repoURL: 'oci://registry.example/charts', chart: 'web' }], destination: { server: 'https://far.example', namespace: 'kube-system' } });
  assert.deepEqual(applicationRefusals(app, defaultProject()), []);
});

test('GIVEN a multi-source application with a foreign repository (twice) and a foreign destination WHEN checked THEN each refusal is listed once, in order', () => {
  const team = project({ sourceRepos: ['https://github.com/acme/*'], destinations: [{ server: IN_CLUSTER, namespace: 'team-*' }] });
  const app = application({
    sources: [{ repoURL: 'https://github.com/acme/chart' }, { repoURL: 'https://github.com/other/app' }, { repoURL: 'https://github.com/other/app', ref: 'values' }],
  });
  assert.deepEqual(applicationRefusals(app, team), [
    NOT_ACME,
    'AppProject "team" does not permit destination {server: "https://kubernetes.default.svc", namespace: "shop"}: no entry of spec.destinations matches it — add {server: "https://kubernetes.default.svc", namespace: "shop"} (or globs matching it) to spec.destinations of AppProject "team", or use a project that permits it',
  ]);
});

test('GIVEN a single-source application to a named cluster WHEN checked with a resolver THEN server entries apply to it', () => {
  const team = project({ sourceRepos: ['https://github.com/acme/*'], destinations: [{ server: IN_CLUSTER, namespace: 'shop' }] });
  const app = application({ source: { repoURL: 'https://github.com/acme/app' }, destination: { name: 'in-cluster', namespace: 'shop' } });
  assert.deepEqual(applicationRefusals(app, team, resolve), []);
  assert.equal(applicationRefusals(app, team).length, 1);
});

test('GIVEN indexed projects WHEN an application names its project THEN projectOf finds it, and an empty name is default', () => {
  const team = project({ sourceRepos: ['*'] });
  const projects = projectsByName([team]);
  assert.equal(projectOf('team', projects), team);
  assert.equal(projectOf('', projects)?.metadata.name, 'default');
  assert.equal(projectOf(undefined, projects)?.metadata.name, 'default');
  assert.equal(projectOf('missing', projects), undefined);
});
