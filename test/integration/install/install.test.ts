/**
 * `launchpad install`: the manifests (deterministic, in apply order, hardened, namespaced as asked, RBAC without
 * escalation) and, against a real API server, the CRDs — every Application and AppProject field Argo CD documents is
 * accepted and stored unchanged, kubectl shows the printer columns, status is written through the main resource —
 * and the command printing and applying the whole installation.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { KubeError, LaunchpadError, UnknownKindError } from '../../../src/errors.js';
import { applyInstall, crdManifests, installManifests, packageVersion } from '../../../src/install/index.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/index.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { controlPlaneSkipReason, startControlPlane } from '../../../src/testing/index.js';
import type { ControlPlane } from '../../../src/testing/index.js';
import { runInstall } from './cli.js';
import { FULL_APP_PROJECT, HELM_APPLICATION, MULTI_SOURCE_APPLICATION } from './fixtures.js';

const run = promisify(execFile);

type Json = Record<string, unknown>;

/** A nested value by path; throws when a step is missing, so a test fails on shape, never on undefined access. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    assert.ok(typeof current === 'object' && current !== null, `no ${path.join('.')} (stopped before ${String(step)})`);
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

const find = (objects: readonly KubeObject[], kind: string, name?: string): KubeObject => {
  const found = objects.find((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  assert.ok(found !== undefined, `no ${kind}${name === undefined ? '' : `/${name}`} in the manifests`);
  return found;
};

const ids = (objects: readonly KubeObject[]): string[] =>
  objects.map((object) => `${object.kind}/${object.metadata.namespace === undefined ? '' : `${object.metadata.namespace}/`}${object.metadata.name ?? ''}`);

describe('installManifests', () => {
  test('are deterministic and in apply order, with the defaults documented', () => {
    assert.equal(JSON.stringify(installManifests()), JSON.stringify(installManifests({})));
    assert.equal(JSON.stringify(installManifests({ namespace: 'lp', replicas: 2 })), JSON.stringify(installManifests({ replicas: 2, namespace: 'lp' })));
    assert.deepEqual(ids(installManifests()), [
      'Namespace/argocd',
      'CustomResourceDefinition/applications.argoproj.io',
      'CustomResourceDefinition/appprojects.argoproj.io',
      'CustomResourceDefinition/applicationsets.argoproj.io',
      'CustomResourceDefinition/sealedsecrets.bitnami.com',
      'ServiceAccount/argocd/launchpad-controller',
      'Role/argocd/launchpad-controller',
      'RoleBinding/argocd/launchpad-controller',
      'ClusterRole/launchpad-controller',
      'ClusterRoleBinding/launchpad-controller-argocd',
      'Deployment/argocd/launchpad-controller',
      'Service/argocd/launchpad-controller',
      'AppProject/argocd/default',
    ]);
    const container = at(find(installManifests(), 'Deployment'), 'spec', 'template', 'spec', 'containers', 0);
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(packageVersion(), pkg.version);
    assert.equal(at(container, 'image'), `ghcr.io/launchpad-gitops/launchpad:${pkg.version}`);
    assert.equal(at(find(installManifests(), 'Deployment'), 'spec', 'replicas'), 1);
  });

  test('the CRDs are the files in deploy/crds, have no status subresource and serve argoproj.io/v1alpha1', () => {
    // ApplicationSets are Argo CD's own CRD with a status subresource (src/appset/crd.ts); these two are Application's and AppProject's.
    const crds = installManifests().filter((object) => object.kind === 'CustomResourceDefinition' && ['applications.argoproj.io', 'appprojects.argoproj.io'].includes(object.metadata.name ?? ''));
    for (const [index, file] of ['applications.argoproj.io.yaml', 'appprojects.argoproj.io.yaml'].entries()) {
      const text = readFileSync(new URL(`../../../../deploy/crds/${file}`, import.meta.url), 'utf8');
      assert.deepEqual(crds[index], parse(text));
    }
    const expected = [
      { name: 'applications.argoproj.io', kind: 'Application', plural: 'applications', shortNames: ['app', 'apps'] },
      { name: 'appprojects.argoproj.io', kind: 'AppProject', plural: 'appprojects', shortNames: ['appproj', 'appprojs'] },
    ];
    for (const [index, crd] of crds.entries()) {
      const want = expected[index];
      assert.ok(want !== undefined);
      assert.equal(crd.metadata.name, want.name);
      assert.equal(crd.metadata.labels?.['app.kubernetes.io/part-of'], 'launchpad');
      assert.deepEqual([at(crd, 'spec', 'group'), at(crd, 'spec', 'scope')], ['argoproj.io', 'Namespaced']);
      assert.deepEqual([at(crd, 'spec', 'names', 'kind'), at(crd, 'spec', 'names', 'plural'), at(crd, 'spec', 'names', 'shortNames')], [want.kind, want.plural, want.shortNames]);
      const versions = at(crd, 'spec', 'versions') as Json[];
      assert.equal(versions.length, 1);
      const [version] = versions;
      assert.deepEqual([at(version, 'name'), at(version, 'served'), at(version, 'storage')], ['v1alpha1', true, true]);
      assert.equal(at(version, 'subresources'), undefined, `${want.name} must have no status subresource, as Argo CD's CRDs`);
      assert.equal(at(version, 'schema', 'openAPIV3Schema', 'properties', 'status', 'x-kubernetes-preserve-unknown-fields'), true);
    }
    const columns = at(crds[0], 'spec', 'versions', 0, 'additionalPrinterColumns') as Json[];
    assert.deepEqual(columns.map((column) => [column.name, column.jsonPath, column.priority ?? 0]), [
      ['Sync Status', '.status.sync.status', 0],
      ['Health Status', '.status.health.status', 0],
      ['Revision', '.status.sync.revision', 10],
      ['Project', '.spec.project', 10],
      ['Age', '.metadata.creationTimestamp', 0],
    ]);
  });

  test('the controller runs hardened: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp', () => {
    const pod = at(find(installManifests(), 'Deployment'), 'spec', 'template', 'spec') as Json;
    const container = at(pod, 'containers', 0) as Json;
    assert.equal(at(pod, 'securityContext', 'runAsNonRoot'), true);
    assert.equal(typeof at(pod, 'securityContext', 'runAsUser'), 'number');
    assert.notEqual(at(pod, 'securityContext', 'runAsUser'), 0);
    assert.equal(at(pod, 'securityContext', 'seccompProfile', 'type'), 'RuntimeDefault');
    assert.equal(at(container, 'securityContext', 'readOnlyRootFilesystem'), true);
    assert.equal(at(container, 'securityContext', 'allowPrivilegeEscalation'), false);
    assert.deepEqual(at(container, 'securityContext', 'capabilities'), { drop: ['ALL'] });
    const mounts = (at(container, 'volumeMounts') as Json[]).map((mount) => mount.mountPath);
    assert.deepEqual(mounts, ['/tmp', '/home/launchpad/.cache']);
    for (const volume of at(pod, 'volumes') as Json[]) assert.deepEqual(volume.emptyDir, {});
    assert.deepEqual(at(container, 'resources'), { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    assert.deepEqual([at(container, 'livenessProbe', 'httpGet', 'path'), at(container, 'readinessProbe', 'httpGet', 'path')], ['/healthz', '/readyz']);
    assert.deepEqual((at(container, 'env') as Json[]).map((env) => [env.name, at(env, 'valueFrom', 'fieldRef', 'fieldPath')]), [
      ['POD_NAME', 'metadata.name'],
      ['POD_NAMESPACE', 'metadata.namespace'],
    ]);
    assert.equal(at(pod, 'serviceAccountName'), 'launchpad-controller');
    // Only the leader is Ready, so a rollout must not wait for new pods to be Ready before it stops the old ones.
    assert.equal(at(find(installManifests(), 'Deployment'), 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable'), '100%');
    const svc = find(installManifests(), 'Service');
    assert.deepEqual(at(svc, 'spec', 'ports'), [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    assert.deepEqual(svc.metadata.annotations, { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics' });
  });

  test('the namespace option reaches every namespaced object, every subject, the args and the AppProject', () => {
    const objects = installManifests({ namespace: 'launchpad-system', replicas: 2, image: 'registry.local/lp:dev' });
    assert.ok(!JSON.stringify(objects).includes('argocd'), 'the default namespace leaks into a non-default installation');
    assert.equal(find(objects, 'Namespace').metadata.name, 'launchpad-system');
    for (const kind of ['ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'Service', 'AppProject']) {
      assert.equal(find(objects, kind).metadata.namespace, 'launchpad-system', kind);
    }
    for (const kind of ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']) assert.equal(find(objects, kind).metadata.namespace, undefined, kind);
    for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
      assert.deepEqual(at(find(objects, kind), 'subjects'), [{ kind: 'ServiceAccount', name: 'launchpad-controller', namespace: 'launchpad-system' }], kind);
    }
    assert.equal(find(objects, 'ClusterRoleBinding').metadata.name, 'launchpad-controller-launchpad-system');
    const container = at(find(objects, 'Deployment'), 'spec', 'template', 'spec', 'containers', 0);
    assert.deepEqual(at(container, 'args'), ['controller', '--namespace', 'launchpad-system', '--listen', '0.0.0.0:8080']);
    assert.equal(at(container, 'image'), 'registry.local/lp:dev');
    assert.equal(at(find(objects, 'Deployment'), 'spec', 'replicas'), 2);
    assert.deepEqual(at(find(objects, 'AppProject', 'default'), 'spec'), {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    });
  });

  test('RBAC: a namespaced Role for the controller itself; cluster-wide read and write without escalation; cluster-admin only when asked', () => {
    const objects = installManifests();
    const roleRules = at(find(objects, 'Role'), 'rules') as Json[];
    const verbsOf = (resource: string): unknown[] => roleRules.filter((rule) => (rule.resources as string[]).includes(resource)).flatMap((rule) => rule.verbs as string[]);
    assert.deepEqual(verbsOf('applications'), ['get', 'list', 'watch', 'update', 'patch']);
    assert.deepEqual(verbsOf('secrets'), ['get', 'list', 'watch']);
    assert.deepEqual(verbsOf('configmaps'), ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']);
    assert.deepEqual(verbsOf('events'), ['create', 'patch']);
    assert.deepEqual(verbsOf('leases'), ['get', 'create', 'update']);
    const clusterRules = at(find(objects, 'ClusterRole'), 'rules') as Json[];
    const verbs = clusterRules.flatMap((rule) => rule.verbs as string[]);
    for (const forbidden of ['*', 'escalate', 'bind', 'impersonate']) assert.ok(!verbs.includes(forbidden), forbidden);
    assert.ok(clusterRules.every((rule) => rule.nonResourceURLs === undefined));
    assert.deepEqual(at(find(objects, 'ClusterRoleBinding'), 'roleRef'), { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'launchpad-controller' });

    const admin = installManifests({ clusterAdmin: true });
    assert.equal(admin.filter((object) => object.kind === 'ClusterRole').length, 0, 'no unused ClusterRole');
    assert.equal(find(admin, 'ClusterRoleBinding').metadata.name, 'launchpad-controller-argocd-cluster-admin');
    assert.deepEqual(at(find(admin, 'ClusterRoleBinding'), 'roleRef'), { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
  });

  test('includeCRDs: false leaves the CRDs out; bad options are refused with a LaunchpadError', () => {
    assert.deepEqual(installManifests({ includeCRDs: false }).map((object) => object.kind).filter((kind) => kind === 'CustomResourceDefinition'), []);
    const bad = [{ replicas: 0 }, { replicas: 1.5 }, { replicas: Number.NaN }, { namespace: 'Argo_CD' }, { namespace: '' }, { image: '' }, { image: 'a b' }];
    for (const options of bad) assert.throws(() => installManifests(options), LaunchpadError, JSON.stringify(options));
  });
});

describe('applyInstall (failures)', () => {
  /** Only what applyInstall uses; the cast keeps this stand-in independent of the rest of the KubeClient interface. */
  const stub = (parts: Pick<KubeClient, 'get' | 'apply'>): KubeClient => ({ ...parts, invalidateDiscovery: () => undefined }) as unknown as KubeClient;

  test('a kind the server does not serve stops the install, naming the object, the progress and the fix', async () => {
    const objects = installManifests({ includeCRDs: false });
    const client = stub({
      get: () => Promise.resolve(undefined),
      apply: (object) => object.kind === 'AppProject'
        ? Promise.reject(new UnknownKindError('AppProject/argocd/default', 'apply failed: the server does not serve argoproj.io/v1alpha1 AppProject', { apiVersion: object.apiVersion, kind: object.kind }))
        : Promise.resolve({ ...object, metadata: { ...object.metadata, resourceVersion: '1' } }),
    });
    const seen: string[] = [];
    await assert.rejects(applyInstall(objects, { client, onApplied: (applied) => seen.push(applied.kind) }), (error: unknown) => {
      assert.ok(error instanceof LaunchpadError);
      assert.match(error.message, /^install stopped at AppProject\/argocd\/default \(8 of 9 objects applied\): AppProject\/argocd\/default: apply failed/);
      assert.match(error.message, /run without --no-crds/);
      return true;
    });
    assert.equal(seen.length, 8);
  });

  test('CRDs that never become Established end the install after the timeout, as a retryable error', async () => {
    const client = stub({ get: (ref) => Promise.resolve({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name } }), apply: (object) => Promise.resolve(object) });
    await assert.rejects(applyInstall(installManifests(), { client, establishTimeoutMs: 300 }), (error: unknown) => {
      assert.ok(error instanceof LaunchpadError);
      assert.equal(error.errorClass, 'retryable');
      assert.match(error.message, /CustomResourceDefinition\/applications\.argoproj\.io: not Established after 0\.3s/);
      return true;
    });
  });
});

describe('launchpad install (printing)', () => {
  test('prints the manifests as one YAML stream, or a JSON List, equal to installManifests', async () => {
    const yaml = await runInstall(['--namespace', 'lp', '--replicas', '2']);
    const documents = parseAllDocuments(yaml).map((document) => document.toJS() as unknown);
    assert.deepEqual(documents, installManifests({ namespace: 'lp', replicas: 2 }));
    assert.equal(await runInstall(['--namespace', 'lp', '--replicas', '2']), yaml, 'same flags, same bytes');
    const json = JSON.parse(await runInstall(['-o', 'json', '--no-crds', '--cluster-admin', '--image', 'x/y:z'])) as Json;
    assert.deepEqual([json.apiVersion, json.kind], ['v1', 'List']);
    assert.deepEqual(json.items, installManifests({ includeCRDs: false, clusterAdmin: true, image: 'x/y:z' }));
  });

  test('refuses bad flags with a LaunchpadError (exit 2)', async () => {
    for (const args of [['--replicas', 'two'], ['--replicas', '0'], ['--namespace', 'Bad_Name'], ['--apply', '--timeout', 'soon']]) {
      await assert.rejects(runInstall(args), LaunchpadError, args.join(' '));
    }
  });
});

describe('install against a real API server', { skip: controlPlaneSkipReason(1) }, () => {
  let plane: ControlPlane;
  let client: KubeClient;

  const kubectl = async (...args: string[]): Promise<string> => (await run(plane.binaries.kubectl, ['--kubeconfig', plane.kubeconfigPath, ...args])).stdout;

  /** Applies an object unchanged and returns it as the server stored it. */
  const roundTrip = async (object: KubeObject): Promise<KubeObject> => {
    await client.apply(object, { fieldManager: 'test' });
    const stored = await client.get({ apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '' });
    assert.ok(stored !== undefined);
    return stored;
  };

  before(async () => {
    plane = await startControlPlane({ tier: 1 });
    client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
    const applied = await applyInstall(crdManifests(), { client });
    assert.deepEqual(applied.map((entry) => entry.action), ['created', 'created']);
  });

  after(async () => {
    client.close?.();
    await plane.stop();
  });

  test('the CRDs are Established after applyInstall', async () => {
    for (const name of ['applications.argoproj.io', 'appprojects.argoproj.io']) {
      const crd = await client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
      const conditions = at(crd, 'status', 'conditions') as Json[];
      assert.ok(conditions.some((condition) => condition.type === 'Established' && condition.status === 'True'), name);
    }
  });

  test('the example root Application is accepted and stored unchanged', async () => {
    const file = new URL('../../../../examples/platform/launchpad/_app-of-apps-upc-dev.yaml', import.meta.url);
    const root = parse(readFileSync(file, 'utf8')) as KubeObject;
    const stored = await roundTrip(root);
    assert.deepEqual(stored.spec, root.spec);
    assert.deepEqual(stored.metadata.annotations, root.metadata.annotations);
  });

  test('Applications with every source type, renderer option and policy field are stored unchanged', async () => {
    for (const application of [MULTI_SOURCE_APPLICATION, HELM_APPLICATION]) {
      const stored = await roundTrip(application);
      assert.deepEqual(stored.spec, application.spec, application.metadata.name);
    }
  });

  test('an AppProject with every field is stored unchanged', async () => {
    const stored = await roundTrip(FULL_APP_PROJECT);
    assert.deepEqual(stored.spec, FULL_APP_PROJECT.spec);
  });

  test('fields this schema does not know are kept, not pruned (a newer Argo CD\'s fields survive)', async () => {
    const spec = { ...(HELM_APPLICATION.spec as Json), futureField: { enabled: true }, syncPolicy: { automated: { prune: true, futureFlag: 'x' } } };
    const future = { ...HELM_APPLICATION, metadata: { name: 'future', namespace: 'argocd' }, spec };
    assert.deepEqual((await roundTrip(future)).spec, spec);
  });

  test('known fields are type-checked: mistyped values and missing required fields are refused', async () => {
    const base = MULTI_SOURCE_APPLICATION.spec as Json;
    // Each: the spec, and the field the server names in its refusal.
    const invalid: [Json, string][] = [
      [{ ...base, revisionHistoryLimit: 'ten' }, '.spec.revisionHistoryLimit'],
      [{ ...base, syncPolicy: { automated: { prune: 'yes' } } }, '.spec.syncPolicy.automated.prune'],
      [{ ...base, sources: [{ path: 'no-repo-url' }] }, 'spec.sources[0].repoURL: Required value'],
      [{ ...base, destination: 'https://kubernetes.default.svc' }, '.spec.destination'],
      [{ ...base, project: undefined }, 'spec.project: Required value'],
    ];
    for (const [index, [spec, field]] of invalid.entries()) {
      const application = { ...MULTI_SOURCE_APPLICATION, metadata: { name: `invalid-${index}`, namespace: 'argocd' }, spec: JSON.parse(JSON.stringify(spec)) as Json };
      await assert.rejects(client.apply(application), (error: unknown) => error instanceof KubeError && error.message.includes(field), field);
      assert.equal(await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: `invalid-${index}` }), undefined);
    }
  });

  test('status is written through the main resource (there is no status subresource)', async () => {
    const ref = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'shop' };
    const status = { sync: { status: 'Synced', revision: 'abc1234' }, health: { status: 'Healthy' } };
    await client.apply({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace }, status }, { fieldManager: 'launchpad-controller' });
    const stored = await client.get(ref);
    assert.deepEqual(at(stored, 'status'), status);
    assert.deepEqual(at(stored, 'spec'), MULTI_SOURCE_APPLICATION.spec, 'the status write left spec alone');
  });

  test('kubectl shows the printer columns and the short names', async () => {
    const table = await kubectl('get', 'applications', '-n', 'argocd');
    const header = table.split('\n')[0] ?? '';
    for (const column of ['NAME', 'SYNC STATUS', 'HEALTH STATUS', 'AGE']) assert.ok(header.includes(column), `${column} in ${header}`);
    assert.ok(!header.includes('REVISION'), 'Revision is a wide column');
    assert.match(table, /^shop\s+Synced\s+Healthy\s+/m);
    const wide = await kubectl('get', 'app', 'shop', '-n', 'argocd', '-o', 'wide');
    assert.match(wide, /REVISION\s+PROJECT/);
    assert.match(wide, /abc1234\s+shop/);
    assert.match(await kubectl('get', 'appproj', '-n', 'argocd'), /^shop\s/m);
  });

  describe('launchpad install --apply', () => {
    const controller = (namespace: string): string => `system:serviceaccount:${namespace}:launchpad-controller`;

    /** What the API server's authorizer says the user may do (a SubjectAccessReview). */
    const allowed = async (user: string, attributes: Json): Promise<boolean> => {
      const review = await client.create({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        metadata: {},
        spec: { user, groups: ['system:serviceaccounts', 'system:authenticated'], ...attributes },
      });
      return at(review, 'status', 'allowed') === true;
    };
    const may = (user: string, verb: string, resource: string, extra: Json = {}): Promise<boolean> =>
      allowed(user, { resourceAttributes: { verb, resource, ...extra } });

    test('applies everything in order, one line per object, and the objects are in the cluster', async () => {
      const out = await runInstall(['--apply', '--namespace', 'lp-system', '--kubeconfig', plane.kubeconfigPath]);
      assert.deepEqual(out.trimEnd().split('\n'), [
        'created Namespace/lp-system',
        'unchanged CustomResourceDefinition/applications.argoproj.io',
        'unchanged CustomResourceDefinition/appprojects.argoproj.io',
        'created CustomResourceDefinition/applicationsets.argoproj.io',
        'created CustomResourceDefinition/sealedsecrets.bitnami.com',
        'created ServiceAccount/lp-system/launchpad-controller',
        'created Role/lp-system/launchpad-controller',
        'created RoleBinding/lp-system/launchpad-controller',
        'created ClusterRole/launchpad-controller',
        'created ClusterRoleBinding/launchpad-controller-lp-system',
        'created Deployment/lp-system/launchpad-controller',
        'created Service/lp-system/launchpad-controller',
        'created AppProject/lp-system/default',
      ]);
      for (const object of installManifests({ namespace: 'lp-system' })) {
        const ref = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? '', ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }) };
        assert.ok((await client.get(ref)) !== undefined, `${object.kind}/${ref.name}`);
      }
      const project = await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', namespace: 'lp-system', name: 'default' });
      assert.deepEqual(at(project, 'spec'), at(find(installManifests({ namespace: 'lp-system' }), 'AppProject'), 'spec'));
    });

    test('again: nothing changes, and a default AppProject an operator restricted is kept as it is', async () => {
      const restricted = { sourceRepos: ['https://git.example.com/*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop' }] };
      await client.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace: 'lp-system' }, spec: restricted }, { fieldManager: 'operator' });
      const summary = JSON.parse(await runInstall(['--apply', '-n', 'lp-system', '-o', 'json', '--kubeconfig', plane.kubeconfigPath])) as { objects: Json[] };
      assert.deepEqual(summary.objects.map((entry) => `${String(entry.action)} ${String(entry.kind)}`), [
        'unchanged Namespace',
        'unchanged CustomResourceDefinition',
        'unchanged CustomResourceDefinition',
        'unchanged CustomResourceDefinition',
        'kept CustomResourceDefinition',
        'unchanged ServiceAccount',
        'unchanged Role',
        'unchanged RoleBinding',
        'unchanged ClusterRole',
        'unchanged ClusterRoleBinding',
        'unchanged Deployment',
        'unchanged Service',
        'kept AppProject',
      ]);
      const project = await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', namespace: 'lp-system', name: 'default' });
      assert.deepEqual(at(project, 'spec', 'sourceRepos'), restricted.sourceRepos);
    });

    test('the controller may read and write any kind, but not escalate, bind, impersonate or read non-resource URLs', async () => {
      const user = controller('lp-system');
      assert.equal(await may(user, 'create', 'deployments', { group: 'apps', namespace: 'shop' }), true);
      assert.equal(await may(user, 'delete', 'widgets', { group: 'example.com', namespace: 'shop' }), true);
      assert.equal(await may(user, 'list', 'secrets', { namespace: 'kube-system' }), true);
      assert.equal(await may(user, 'patch', 'applications', { group: 'argoproj.io', namespace: 'lp-system' }), true);
      assert.equal(await may(user, 'escalate', 'clusterroles', { group: 'rbac.authorization.k8s.io' }), false);
      assert.equal(await may(user, 'bind', 'clusterroles', { group: 'rbac.authorization.k8s.io' }), false);
      assert.equal(await may(user, 'impersonate', 'users'), false);
      assert.equal(await allowed(user, { nonResourceAttributes: { verb: 'get', path: '/metrics' } }), false);
      // RBAC's escalation check, for real: the controller cannot bind itself (or anyone) to cluster-admin.
      const as = ['--as', user];
      await assert.rejects(kubectl('create', 'clusterrolebinding', 'grab-admin', '--clusterrole=cluster-admin', `--serviceaccount=lp-system:launchpad-controller`, ...as), /forbidden/i);
      assert.equal(await client.get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'grab-admin' }), undefined);
      assert.match(await kubectl('create', 'configmap', 'written-by-the-controller', '-n', 'lp-system', ...as), /created/);
    });

    test('--cluster-admin binds cluster-admin, under its own name, for that namespace\'s controller only', async () => {
      const out = await runInstall(['--apply', '-n', 'lp-admin', '--cluster-admin', '--no-crds', '--kubeconfig', plane.kubeconfigPath]);
      assert.match(out, /^created ClusterRoleBinding\/launchpad-controller-lp-admin-cluster-admin$/m);
      assert.doesNotMatch(out, /CustomResourceDefinition|ClusterRole\//);
      const binding = await client.get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'launchpad-controller-lp-admin-cluster-admin' });
      assert.equal(at(binding, 'roleRef', 'name'), 'cluster-admin');
      assert.equal(await may(controller('lp-admin'), 'escalate', 'clusterroles', { group: 'rbac.authorization.k8s.io' }), true);
      assert.equal(await may(controller('lp-system'), 'escalate', 'clusterroles', { group: 'rbac.authorization.k8s.io' }), false);
    });
  });
});
