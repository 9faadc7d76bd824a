/**
 * Generators of bad input for the fuzz suite: YAML text that is broken, hostile or huge; Applications, launchpad.yaml
 * files and Kubernetes objects with wrong types and out-of-range values; repository layouts with hostile symlinks,
 * kustomize cycles and broken charts. Each generator mixes valid and invalid pieces so the cases reach deep into the
 * code instead of stopping at the first parser error.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

/** Text a parser might choke on. */
const HOSTILE_SNIPPETS = [
  '\t', '\0', '\uFEFF', '\u2028', ': ', '- ', '? ', '&a ', '*a', '!!binary ', '!<tag:x> ', '<<: *a', '%YAML 1.1\n', '---\n', '...\n',
  '"', "'", '|', '>-', '{', '}', '[', ']', '#', '@', '`', '\r\n', '  ', '\n\n', '0x1F', '1e309', '-.inf', '~', 'null', 'yes',
];

/** A valid Application to mutate: mutations keep most of it, so validation and rendering get reached. */
export const VALID_APPLICATION = [
  'apiVersion: argoproj.io/v1alpha1',
  'kind: Application',
  'metadata:',
  '  name: demo',
  '  namespace: argocd',
  '  annotations:',
  '    argocd.argoproj.io/sync-wave: "1"',
  'spec:',
  '  project: default',
  '  sources:',
  '    - repoURL: https://example.com/charts',
  '      path: app',
  '      helm:',
  '        valueFiles: [$values/app/values.yaml]',
  '        values: |',
  '          replicas: 2',
  '    - repoURL: https://example.com/values',
  '      ref: values',
  '  destination:',
  '    server: https://kubernetes.default.svc',
  '    namespace: demo',
  '  syncPolicy:',
  '    automated: {prune: true, selfHeal: true}',
  '    retry: {limit: 5, backoff: {duration: 5s, factor: 2, maxDuration: 3m}}',
  '',
].join('\n');

/** Replaces, inserts or deletes a few characters or lines of `text`. */
function mutate(text: string): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat({ max: Math.max(0, text.length - 1) }),
    length: fc.nat({ max: 12 }),
    insert: fc.oneof(fc.constantFrom(...HOSTILE_SNIPPETS), fc.string({ maxLength: 8 }), fc.constant('')),
  });
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) =>
    edits.reduce((current, { at, length, insert }) => current.slice(0, at) + insert + current.slice(at + length), text));
}

/** Nesting deeper than any parser's stack, as flow or block collections. */
const deepNesting = fc.tuple(fc.integer({ min: 90, max: 4000 }), fc.constantFrom('flow-seq', 'flow-map', 'block-map', 'block-seq')).map(([depth, style]) => {
  if (style === 'flow-seq') return `${'['.repeat(depth)}${']'.repeat(depth)}\n`;
  if (style === 'flow-map') return `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
  if (style === 'block-seq') return `${'- '.repeat(depth)}x\n`;
  return Array.from({ length: Math.min(depth, 600) }, (_, level) => `${'  '.repeat(level)}k${level}:`).join('\n') + ' end\n';
});

/** Aliases that expand exponentially ("billion laughs"), or refer to themselves. */
const aliasBomb = fc.tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 10 })).map(([levels, width]) => {
  const lines = [`l0: &l0 [${Array.from({ length: width }, () => '"lol"').join(', ')}]`];
  for (let level = 1; level <= levels; level++) lines.push(`l${level}: &l${level} [${Array.from({ length: width }, () => `*l${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
});

const manyKeys = fc.integer({ min: 1000, max: 30_000 }).map((count) => {
  const keys = Array.from({ length: count }, (_, index) => `  k${index}: v`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${keys.join('\n')}\n`;
});

const manyDocuments = fc.integer({ min: 100, max: 12_000 }).map((count) => '---\na: 1\n'.repeat(count));

const longLine = fc.integer({ min: 10_000, max: 2_000_000 }).map((length) => `metadata:\n  name: ${'x'.repeat(length)}\n`);

/** Any YAML-ish text: random, mutated valid manifests, or one of the known hostile shapes. */
export const hostileYaml: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
  { weight: 4, arbitrary: mutate(VALID_APPLICATION) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...HOSTILE_SNIPPETS, 'a', 'b: c', '\n', '  - x'), { maxLength: 60 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: aliasBomb },
  { weight: 1, arbitrary: manyKeys },
  { weight: 1, arbitrary: manyDocuments },
  { weight: 1, arbitrary: longLine },
);

/** A value of any JSON type, biased to the wrong ones. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('99999999999999999999999999', '-2147483649', '2147483648', '1e26', '', ' ', '../../etc', '/etc/passwd', 'HEAD', '$values/../x'),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Either a plausible value for a field, or anything at all. */
function field<T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: anyValue });
}

const source = fc.record({
  repoURL: field(fc.constantFrom('https://example.com/charts', 'git@example.com:org/repo.git', 'file:///nonexistent', 'oci://example.com/c', 'https://user:secret-password@example.com/r')),
  path: field(fc.constantFrom('app', '.', '../outside', '/abs', 'a/../../b', 'apps/*')),
  targetRevision: field(fc.constantFrom('HEAD', 'main', 'v1.2.3', '0123456789012345678901234567890123456789', '^1.0.0', '--upload-pack=x')),
  chart: field(fc.constantFrom('web', 'a/b', '../x')),
  ref: field(fc.constantFrom('values', 'bad ref', '$values')),
  helm: field(fc.record({
    valueFiles: field(fc.array(fc.constantFrom('$values/app/values.yaml', '$nope/x.yaml', '../../etc/passwd', 'https://example.com/v.yaml', '$values'), { maxLength: 3 })),
    values: field(fc.constantFrom('a: 1\n', 'a: [1\n', 'a: b: c\n', '- list\n', '&x [*x]\n', '\t- tab\n')),
    parameters: field(fc.array(fc.record({ name: field(fc.constantFrom('a', 'b.c')), value: field(fc.constantFrom('1', 'x,y')) }), { maxLength: 2 })),
  }, { requiredKeys: [] })),
  kustomize: field(fc.record({ namePrefix: field(fc.constantFrom('p-')), images: field(fc.array(fc.constantFrom('nginx=nginx:1', 'bad image'), { maxLength: 2 })) }, { requiredKeys: [] })),
  directory: field(fc.record({ recurse: field(fc.boolean()), include: field(fc.constantFrom('*.yaml', '{a,b}.yaml', '[')) }, { requiredKeys: [] })),
}, { requiredKeys: [] });

/** An Application object whose every field may be of the wrong type or out of range. */
export const hostileApplication: fc.Arbitrary<unknown> = fc.record({
  apiVersion: field(fc.constant('argoproj.io/v1alpha1')),
  kind: field(fc.constant('Application')),
  metadata: field(fc.record({
    name: field(fc.constantFrom('demo', 'Demo_App', 'a'.repeat(300), '')),
    namespace: field(fc.constantFrom('argocd', 'Bad NS')),
    annotations: field(fc.record({
      'argocd.argoproj.io/sync-wave': field(fc.constantFrom('1', '-5', '99999999999999999999999999', 'x', '2147483648')),
      'argocd.argoproj.io/sync-options': field(fc.constantFrom('CreateNamespace=true', 'Prune=maybe')),
    }, { requiredKeys: [] })),
  }, { requiredKeys: [] })),
  spec: field(fc.record({
    project: field(fc.constantFrom('default', '')),
    source: field(source),
    sources: field(fc.array(source, { maxLength: 3 })),
    destination: field(fc.record({ server: field(fc.constantFrom('https://kubernetes.default.svc', 'not a url')), name: field(fc.constant('in-cluster')), namespace: field(fc.constantFrom('demo', 'Bad NS')) }, { requiredKeys: [] })),
    syncPolicy: field(fc.record({
      automated: field(fc.record({ prune: field(fc.boolean()), selfHeal: field(fc.boolean()), allowEmpty: field(fc.boolean()) }, { requiredKeys: [] })),
      syncOptions: field(fc.array(fc.constantFrom('CreateNamespace=true', 'ServerSideApply=true', 'bogus'), { maxLength: 3 })),
      retry: field(fc.record({ limit: field(fc.integer()), backoff: field(fc.record({ duration: field(fc.constantFrom('5s', 'soon', '-1s')), factor: field(fc.integer()), maxDuration: field(fc.constantFrom('3m', '99999h')) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
    }, { requiredKeys: [] })),
  }, { requiredKeys: [] })),
}, { requiredKeys: [] });

/** A file of Applications (and other documents), as YAML or JSON, sometimes broken on top. */
export const applicationFile: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.array(hostileApplication, { minLength: 1, maxLength: 4 }).map((apps) => apps.map((app) => stringify(app)).join('---\n')) },
  { weight: 1, arbitrary: hostileApplication.map((app) => JSON.stringify(app)) },
  { weight: 2, arbitrary: hostileYaml },
);

/** launchpad.yaml texts: wrong shapes, unknown keys, bad limits, paths that do not exist. */
export const launchpadConfigText: fc.Arbitrary<string> = fc.oneof(
  fc.record({
    repositories: field(fc.array(fc.record({
      url: field(fc.constantFrom('https://example.com/charts', 'https://example.com/values', '')),
      path: field(fc.constantFrom('.', 'missing-folder', '/etc', '../..')),
      replaceWith: field(fc.constantFrom('https://mirror.example.com/x', './mirror')),
      revision: field(fc.constantFrom('main', '1.10')),
    }, { requiredKeys: [] }), { maxLength: 3 })),
    limits: field(fc.record({ maxFileSize: field(fc.constantFrom('1Mi', '0', '-5', 'huge')), maxDepth: field(fc.integer()) }, { requiredKeys: [] })),
  }, { requiredKeys: [] }).map((config) => stringify(config)),
  hostileYaml,
);

const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Service', 'Ingress', 'PersistentVolumeClaim', 'Job', 'CronJob', 'HorizontalPodAutoscaler', 'APIService', 'Application', 'Certificate', 'SealedSecret', 'Widget'];
const API_VERSIONS: Readonly<Record<string, string>> = {
  Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', ReplicaSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1', Ingress: 'networking.k8s.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2', APIService: 'apiregistration.k8s.io/v1', Application: 'argoproj.io/v1alpha1', Certificate: 'cert-manager.io/v1',
  SealedSecret: 'bitnami.com/v1alpha1', Widget: 'example.com/v1',
};

const condition = fc.record({ type: field(fc.constantFrom('Ready', 'Available', 'Progressing', 'Failed', 'Complete', 'ScalingActive')), status: field(fc.constantFrom('True', 'False', 'Unknown')), reason: field(fc.constantFrom('ProgressDeadlineExceeded', 'x')), message: field(fc.string({ maxLength: 20 })) }, { requiredKeys: [] });

/** A live object with a status of wrong types, missing pieces and contradictions, for `health`. */
export const hostileKubeObject: fc.Arbitrary<unknown> = fc.constantFrom(...KINDS).chain((kind) => fc.record({
  apiVersion: field(fc.constant(API_VERSIONS[kind] ?? 'v1')),
  kind: fc.constant(kind),
  metadata: field(fc.record({ name: field(fc.constant('obj')), namespace: field(fc.constant('ns')), generation: field(fc.integer()), deletionTimestamp: field(fc.constant('2026-01-01T00:00:00Z')), annotations: field(fc.dictionary(fc.constantFrom('autoscaling.alpha.kubernetes.io/conditions', 'argocd.argoproj.io/ignore-restart-policy'), fc.string({ maxLength: 30 }), { maxKeys: 2 })) }, { requiredKeys: [] })),
  spec: field(fc.record({ replicas: field(fc.integer()), type: field(fc.constantFrom('LoadBalancer', 'ClusterIP')), paused: field(fc.boolean()), suspend: field(fc.boolean()), restartPolicy: field(fc.constantFrom('Always', 'Never')) }, { requiredKeys: [] })),
  status: field(fc.record({
    observedGeneration: field(fc.integer()), replicas: field(fc.integer()), updatedReplicas: field(fc.integer()), readyReplicas: field(fc.integer()), availableReplicas: field(fc.integer()),
    phase: field(fc.constantFrom('Pending', 'Running', 'Failed', 'Succeeded', 'Bound', 'Lost')), conditions: field(fc.array(condition, { maxLength: 3 })),
    loadBalancer: field(fc.record({ ingress: field(fc.array(fc.record({ ip: field(fc.constant('1.2.3.4')) }), { maxLength: 2 })) }, { requiredKeys: [] })),
    containerStatuses: field(fc.array(fc.record({ ready: field(fc.boolean()), restartCount: field(fc.integer()), state: field(fc.record({ waiting: field(fc.record({ reason: field(fc.constantFrom('CrashLoopBackOff', 'ImagePullBackOff')) }, { requiredKeys: [] })) }, { requiredKeys: [] })) }, { requiredKeys: [] }), { maxLength: 2 })),
    health: field(fc.record({ status: field(fc.constantFrom('Healthy', 'Degraded', 'Bogus')) }, { requiredKeys: [] })),
  }, { requiredKeys: [] })),
}, { requiredKeys: ['kind'] }));

/** A stream of live objects, sometimes as a `kind: List`, sometimes broken text. */
export const healthInput: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.array(hostileKubeObject, { minLength: 1, maxLength: 5 }).map((objects) => objects.map((object) => stringify(object)).join('---\n')) },
  { weight: 1, arbitrary: fc.array(hostileKubeObject, { maxLength: 4 }).map((items) => stringify({ apiVersion: 'v1', kind: 'List', items })) },
  { weight: 2, arbitrary: hostileYaml },
);

/** One entry of a generated repository: a file with some text, or a symlink somewhere. */
export type LayoutEntry =
  | { readonly kind: 'file'; readonly path: string; readonly text: string }
  | { readonly kind: 'link'; readonly path: string; readonly target: string };

const FOLDERS = ['app', 'app/sub', 'base', 'overlay', 'chart', 'chart/templates', 'values', '.'];
const NAMES = ['a.yaml', 'b.yml', 'c.json', 'kustomization.yaml', 'Chart.yaml', 'values.yaml', 'x.txt', 'deploy.yaml', 'sp ace.yaml', 'ünï.yaml'];

const manifestText = fc.oneof(
  fc.constantFrom(
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "1"\n',
    'resources: [a.yaml]\n', 'resources: [../base]\n', 'resources: [../overlay]\n', 'resources: [../../..]\n', 'resources: [https://github.com/x/y]\n',
    'components: [../base]\n', 'patches:\n  - path: b.yml\n', 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
    'apiVersion: v2\nname: chart\nversion: 0.1.0\ndependencies:\n  - name: dep\n    version: 0.1.0\n    repository: file://../../outside\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}"\n', '{{ fail "boom" }}\n', '{{ .Values.nope.deeper }}\n',
    'kind: List\nitems: [1, 2]\n', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  token: c2VjcmV0LXZhbHVl\n',
  ),
  hostileYaml.filter((text) => text.length < 100_000),
);

export const layoutEntry: fc.Arbitrary<LayoutEntry> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('file' as const), path: fc.tuple(fc.constantFrom(...FOLDERS), fc.constantFrom(...NAMES)).map(([folder, name]) => (folder === '.' ? name : `${folder}/${name}`)), text: manifestText }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('link' as const),
      path: fc.tuple(fc.constantFrom(...FOLDERS), fc.constantFrom('link', 'link.yaml', 'values.yaml', 'templates', 'sub')).map(([folder, name]) => (folder === '.' ? name : `${folder}/${name}`)),
      // Inside, outside (relative and absolute, to the planted secret), to itself, dangling, to the parent (a loop).
      target: fc.constantFrom('../base', 'a.yaml', '../../outside/secret.yaml', '../../../outside', 'OUTSIDE_ABSOLUTE', '.', '..', 'link', 'nowhere.yaml', '../app'),
    }),
  },
);

/** A repository layout: what the base commit holds and what the head commit changes. */
export const repositoryLayout = fc.record({
  base: fc.array(layoutEntry, { minLength: 1, maxLength: 10 }),
  head: fc.array(layoutEntry, { maxLength: 4 }),
  sourcePath: fc.constantFrom('app', 'overlay', 'chart', 'base', '.', 'link', 'app/link'),
  recurse: fc.boolean(),
});
export type RepositoryLayout = typeof repositoryLayout extends fc.Arbitrary<infer T> ? T : never;
