import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeAs } from '../../../src/model/describe.js';
import { formatWarning } from '../../../src/model/findings.js';
import { validateApplication } from '../../../src/model/validate-application.js';

type Json = Readonly<Record<string, unknown>>;

/** A valid multi-source Application like the seed's mcp10x; cases change one part of it. */
function baseApp(): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'mcp10x', namespace: 'argocd' },
    spec: {
      project: 'default',
      sources: [
        { repoURL: 'https://git.forteapps.net/Forte/forte-helm', path: 'forteapp', helm: { valueFiles: ['$values/mcp10x/values.yaml'] } },
        { repoURL: 'git@github.com:fortedigital/helm-prod-values.git', targetRevision: 'HEAD', ref: 'values' },
      ],
      destination: { server: 'https://kubernetes.default.svc', namespace: 'mcp10x' },
    },
  };
}

function spec(app: Record<string, unknown>): Record<string, unknown> {
  return app.spec as Record<string, unknown>;
}

/** The Application with `spec` fields replaced. */
function withSpec(fields: Json): Record<string, unknown> {
  const app = baseApp();
  return { ...app, spec: { ...spec(app), ...fields } };
}

/** The Application with a single `spec.source` instead of sources. */
function withSource(source: Json): Record<string, unknown> {
  const app = baseApp();
  return { ...app, spec: { ...spec(app), sources: undefined, source } };
}

function withSources(...sources: Json[]): Record<string, unknown> {
  return withSpec({ sources });
}

const GIT = 'https://git.forteapps.net/Forte/launchpad';
const VALUES_REPO = { repoURL: 'git@github.com:fortedigital/helm-prod-values.git', ref: 'values' };

function validate(value: unknown): ReturnType<typeof validateApplication> {
  return validateApplication(value, describeAs('app.yaml'));
}

const errorCases: readonly { name: string; value: unknown; errors: readonly string[] }[] = [
  {
    name: 'an object that is not a mapping',
    value: 'Application',
    errors: ['app.yaml: must be a mapping (key: value pairs), got the string "Application" — indent key: value pairs under this field'],
  },
  {
    name: 'another apiVersion',
    value: { ...baseApp(), apiVersion: 'argoproj.io/v1beta1' },
    errors: ['app.yaml: apiVersion: must be "argoproj.io/v1alpha1", got the string "argoproj.io/v1beta1" — set apiVersion: argoproj.io/v1alpha1'],
  },
  {
    name: 'another kind',
    value: { ...baseApp(), kind: 'ApplicationSet' },
    errors: ['app.yaml: kind: must be "Application", got the string "ApplicationSet" — set kind: Application'],
  },
  {
    name: 'no metadata',
    value: { ...baseApp(), metadata: undefined },
    errors: ["app.yaml: metadata: required field is missing — add metadata with the Application's name, e.g. metadata: { name: my-app }"],
  },
  {
    name: 'no name',
    value: { ...baseApp(), metadata: { namespace: 'argocd' } },
    errors: ['app.yaml: metadata.name: required field is missing — give the Application a name, e.g. name: my-app'],
  },
  {
    name: 'no spec',
    value: { ...baseApp(), spec: undefined },
    errors: ['app.yaml: spec: required field is missing — add spec with source (or sources), destination and project'],
  },
  {
    name: 'an annotation written as a number',
    value: { ...baseApp(), metadata: { name: 'mcp10x', annotations: { 'argocd.argoproj.io/sync-wave': 1 } } },
    errors: ['app.yaml: metadata.annotations["argocd.argoproj.io/sync-wave"]: must be a string, got the number 1 — quote it: "1"'],
  },
  {
    name: 'an empty sources list',
    value: withSpec({ sources: [] }),
    errors: ['app.yaml: spec.sources: spec.sources is empty — list at least one source, or use spec.source'],
  },
  {
    name: 'a chart with a path',
    value: withSource({ repoURL: 'https://traefik.github.io/charts', chart: 'traefik', path: 'traefik', targetRevision: '34.4.1' }),
    errors: [
      'app.yaml: spec.source.path: chart and path cannot both be set: chart names a chart in a Helm repository, path a folder in a git repository — keep chart for a Helm repository (https:// index or oci://), or path for a chart kept in git',
    ],
  },
  {
    name: 'a chart without targetRevision (Argo CD requires the version)',
    value: withSource({ repoURL: 'https://traefik.github.io/charts', chart: 'traefik' }),
    errors: ['app.yaml: spec.source.targetRevision: a Helm chart source needs targetRevision — set targetRevision to the chart version, e.g. 1.2.3, or a range such as 1.*'],
  },
  {
    name: 'a single source with neither path nor chart',
    value: withSource({ repoURL: GIT }),
    errors: ['app.yaml: spec.source: a source needs path or chart — set path to a folder of the git repository ("." for its root), or chart to a chart of the Helm repository'],
  },
  {
    name: 'one of several sources with none of path, chart and ref',
    value: withSources({ repoURL: GIT, path: 'apps' }, { repoURL: GIT }),
    errors: ['app.yaml: spec.sources[1]: a source needs path, chart or ref — set path to a folder of the git repository ("." for its root), or chart to a chart of the Helm repository'],
  },
  {
    name: 'a ref that is not a simple identifier',
    value: withSources({ repoURL: GIT, path: 'apps', helm: { valueFiles: ['$my values/a.yaml'] } }, { ...VALUES_REPO, ref: 'my values' }),
    errors: ['app.yaml: spec.sources[1].ref: ref "my values" may only contain letters, digits, "_" and "-" — rename it, e.g. "my-values", and use it as $my-values/…'],
  },
  {
    name: 'the same ref twice',
    value: withSources({ repoURL: GIT, path: 'apps' }, VALUES_REPO, { ...VALUES_REPO, repoURL: GIT }),
    errors: ['app.yaml: spec.sources[2].ref: ref "values" is defined twice in this Application — give each ref source a different name'],
  },
  {
    name: 'a value file that is only a ref',
    value: withSources({ repoURL: GIT, path: 'apps', helm: { valueFiles: ['$values'] } }, VALUES_REPO),
    errors: ['app.yaml: spec.sources[0].helm.valueFiles[0]: value file "$values" names no file inside the ref — write the path after the ref, e.g. $values/my-app/values.yaml'],
  },
  {
    name: 'a $ref value file on a single source, where refs do not exist',
    value: withSource({ repoURL: GIT, path: 'forteapp', helm: { valueFiles: ['$values/mcp10x/values.yaml'] } }),
    errors: [
      'app.yaml: spec.source.helm.valueFiles[0]: value file "$values/mcp10x/values.yaml" refers to ref "values", which no source defines (this Application defines no refs) — add a source to spec.sources with ref: values and the repoURL that holds mcp10x/values.yaml',
    ],
  },
  {
    name: 'settings for two tools on one source',
    value: withSource({ repoURL: GIT, path: 'apps', helm: {}, kustomize: {} }),
    errors: ['app.yaml: spec.source: settings for more than one tool are given (helm, kustomize); a source is rendered by one tool — keep only the helm or kustomize settings that match what the source holds'],
  },
  {
    name: 'a helm parameter without name',
    value: withSource({ repoURL: GIT, path: 'forteapp', helm: { parameters: [{ value: '2.0.4' }] } }),
    errors: ['app.yaml: spec.source.helm.parameters[0].name: required field is missing — name the Helm value to set, e.g. name: image.tag'],
  },
  {
    name: 'helm valuesObject that is not a mapping',
    value: withSource({ repoURL: GIT, path: 'forteapp', helm: { valuesObject: 'replicaCount: 2' } }),
    errors: ['app.yaml: spec.source.helm.valuesObject: must be a mapping (key: value pairs), got the string "replicaCount: 2" — indent key: value pairs under this field'],
  },
  {
    name: 'helm values that are neither text nor a mapping',
    value: withSource({ repoURL: GIT, path: 'forteapp', helm: { values: ['a'] } }),
    errors: ['app.yaml: spec.source.helm.values: must be a YAML string or a mapping, got a list — write the values as a block: "values: |" followed by indented YAML'],
  },
  {
    name: 'a kustomize replica count that is not a number, and an image that is not a string',
    value: withSource({ repoURL: GIT, path: 'deploy', kustomize: { replicas: [{ name: 'api', count: 'two' }], images: [3] } }),
    errors: [
      'app.yaml: spec.source.kustomize.images[0]: must be a string, got the number 3 — quote it: "3"',
      'app.yaml: spec.source.kustomize.replicas[0].count: must be a whole number, got the string "two" — write the replica count, e.g. count: 3',
    ],
  },
  {
    name: 'a directory include that is a list',
    value: withSource({ repoURL: GIT, path: 'cluster-resources', directory: { include: ['*.yaml'] } }),
    errors: ['app.yaml: spec.source.directory.include: must be a string, got a list — write a single text value'],
  },
  {
    name: 'a targetRevision YAML read as a number',
    value: withSource({ repoURL: 'https://charts.example', chart: 'x', targetRevision: 1.1 }),
    errors: ['app.yaml: spec.source.targetRevision: must be a string, got the number 1.1 — quote it exactly as you mean it, e.g. "1.10"'],
  },
  {
    name: 'a retry limit with a fraction and a maxDuration with an unknown unit',
    value: withSpec({ syncPolicy: { retry: { limit: 2.5, backoff: { maxDuration: '3 min' } } } }),
    errors: [
      'app.yaml: spec.syncPolicy.retry.backoff.maxDuration: "3 min" is not a duration — use Go duration syntax such as "5s", "3m" or "1h2m"',
      'app.yaml: spec.syncPolicy.retry.limit: must be an integer, got the number 2.5 — write a whole number such as 5',
    ],
  },
  {
    name: 'a destination with neither server nor name',
    value: withSpec({ destination: { namespace: 'mcp10x' } }),
    errors: ['app.yaml: spec.destination: the destination needs server or name — set server (e.g. https://kubernetes.default.svc) or name (a cluster registered by name), and a namespace'],
  },
];

for (const c of errorCases) {
  test(`rejects ${c.name}`, () => {
    // GIVEN an Application with one mistake WHEN it is validated
    const result = validate(c.value);
    // THEN it is rejected with exactly these messages
    assert.equal(result.ok, false);
    assert.deepEqual([...result.errors.map((e) => e.message)].sort(), [...c.errors].sort());
  });
}

const warningCases: readonly { name: string; value: unknown; warnings: readonly string[] }[] = [
  {
    name: 'both source and sources: sources wins, as in Argo CD',
    value: withSpec({ source: { repoURL: GIT, path: 'ignored' } }),
    warnings: ['app.yaml: spec.source: spec.source is ignored because spec.sources is set (as Argo CD does) — remove spec.source, or move it into spec.sources'],
  },
  {
    name: 'an unknown sync option',
    value: withSpec({ syncPolicy: { syncOptions: ['CreateNamespace=true', 'CreateNamspace=true'] } }),
    warnings: [
      'app.yaml: spec.syncPolicy.syncOptions[1]: unknown sync option "CreateNamspace" is ignored — known options: Validate, CreateNamespace, PruneLast, PrunePropagationPolicy, ApplyOutOfSyncOnly, Replace, Force, ServerSideApply, ClientSideApplyMigration, FailOnSharedResource, RespectIgnoreDifferences, SkipDryRunOnMissingResource, Prune, Delete',
    ],
  },
  {
    name: 'a ref on a single source',
    value: withSource({ repoURL: GIT, path: 'apps', ref: 'values' }),
    warnings: ['app.yaml: spec.source.ref: ref has no effect on a single source — use spec.sources to let other sources read this one through $ref'],
  },
  {
    name: 'a sourceHydrator, which Launchpad does not support',
    value: withSpec({ sourceHydrator: { drySource: { repoURL: GIT } } }),
    warnings: ['app.yaml: spec.sourceHydrator: sourceHydrator is not supported by Launchpad and is ignored — render from spec.source or spec.sources instead'],
  },
  {
    name: 'status and operation written by a controller (no warning)',
    value: { ...baseApp(), status: { sync: { status: 'Synced' } }, operation: {} },
    warnings: [],
  },
];

for (const c of warningCases) {
  test(`accepts with a warning: ${c.name}`, () => {
    // GIVEN an Application with something unusual but allowed WHEN it is validated
    const result = validate(c.value);
    // THEN it is valid and the warning says what is ignored
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.warnings.map(formatWarning), c.warnings);
  });
}

const acceptedCases: readonly { name: string; value: unknown }[] = [
  { name: 'negative and signed sync waves', value: { ...baseApp(), metadata: { name: 'a', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } } } },
  { name: 'a replica count given as a numeric string', value: withSource({ repoURL: GIT, path: 'deploy', kustomize: { replicas: [{ name: 'api', count: '3' }] } }) },
  { name: 'Go durations with several units and fractions', value: withSpec({ syncPolicy: { retry: { limit: 5, backoff: { duration: '1.5s', maxDuration: '1h2m' } } } }) },
  { name: 'a destination by cluster name', value: withSpec({ destination: { name: 'in-cluster', namespace: 'x' } }) },
  { name: 'fields set to null, as if absent', value: withSpec({ syncPolicy: null, project: null }) },
  { name: 'an OCI chart', value: withSource({ repoURL: 'oci://ghcr.io/fortedigital/charts', chart: 'forteapp', targetRevision: '0.1.*' }) },
];

for (const c of acceptedCases) {
  test(`accepts ${c.name}`, () => {
    const result = validate(c.value);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.warnings, []);
  });
}

test('helm values given as a mapping are accepted and turned into a YAML string', () => {
  // GIVEN helm values written as a mapping (accepted by some Argo CD versions)
  const value = withSource({ repoURL: GIT, path: 'forteapp', helm: { values: { app: { replicas: 2 } }, valuesObject: { ingress: { enabled: true } } } });
  // WHEN it is validated
  const result = validate(value);
  // THEN values is the equivalent YAML text and valuesObject is kept as it is
  assert.equal(result.ok, true);
  const helm = result.value.spec.source?.helm;
  assert.equal(helm?.values, 'app:\n  replicas: 2\n');
  assert.deepEqual(helm.valuesObject, { ingress: { enabled: true } });
});

test('a valid Application comes back typed, with unknown fields left out and parameters given a value', () => {
  const value = withSource({ repoURL: GIT, path: 'forteapp', helm: { parameters: [{ name: 'flag' }] }, extra: 1 });
  const result = validate(value);
  assert.equal(result.ok, true);
  assert.deepEqual(result.value.spec.source, { repoURL: GIT, path: 'forteapp', helm: { parameters: [{ name: 'flag', value: '' }] } });
  assert.equal(result.value.spec.sources, undefined);
  assert.equal(result.value.spec.project, 'default');
});

test('an annotation with an empty value reads as the empty string, as Kubernetes reads it', () => {
  const value = { ...baseApp(), metadata: { name: 'a', annotations: { 'notifications.argoproj.io/subscribe.on-sync-failed.slack': null } } };
  const result = validate(value);
  assert.equal(result.ok, true);
  assert.deepEqual(result.value.metadata.annotations, { 'notifications.argoproj.io/subscribe.on-sync-failed.slack': '' });
});
