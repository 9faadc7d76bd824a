/**
 * GIVEN the example platform (examples/platform: config repo, forte-helm, helm-prod-values), WHEN its overlays are
 * built with the real kustomize and its apps rendered with the real helm, THEN each cluster runs the seed's
 * Applications in the seed's waves, upc-prod differs from upc-dev exactly where intended, every app renders with
 * the forteapp chart, and the Kyverno policies are the five the seed describes.
 */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/model/resource.js';
import { at, CHART_DIR, find, list, template, text } from './helpers.js';
import {
  applicationsByName, CLUSTERS, CONFIG_REPO_URL, flatten, folderOf, kustomizeBuild, readObjects, resolveValueFile, sourcesOf, yamlFiles,
} from './platform.js';
import type { Cluster } from './platform.js';

/** The root's children and their waves (seed: -1 namespaces, 0 Kyverno, 1 infrastructure, 2+ apps). */
const INFRA_WAVES: Readonly<Record<string, string>> = {
  namespaces: '-1',
  kyverno: '0',
  'cert-manager': '0',
  'sealed-secrets': '0',
  'cluster-resources': '1',
  secrets: '1',
  traefik: '1',
  prometheus: '1',
  grafana: '1',
  'grafana-dashboards': '1',
  loki: '1',
  tempo: '1',
  'fluent-bit': '1',
  trivy: '1',
  keycloak: '1',
  gitea: '1',
  'gitea-actions': '1',
  renovate: '1',
  'enterprise-apps': '2',
};

/** enterprise-apps' children: the seed's application layer. */
const APP_WAVES: Readonly<Record<string, string>> = { mcp10x: '2', musicman: '2', 'dot-ai-stack': '2', 'argo-mcp': '3' };

/** Upstream charts from their real public repositories: Application → [repoURL, chart, values file stem]. */
const UPSTREAM_CHARTS: Readonly<Record<string, readonly [string, string, string]>> = {
  traefik: ['https://traefik.github.io/charts', 'traefik', 'traefik'],
  'cert-manager': ['https://charts.jetstack.io', 'cert-manager', 'cert-manager'],
  kyverno: ['https://kyverno.github.io/kyverno/', 'kyverno', 'kyverno'],
  'sealed-secrets': ['https://bitnami-labs.github.io/sealed-secrets', 'sealed-secrets', 'sealed-secrets'],
  prometheus: ['https://prometheus-community.github.io/helm-charts', 'prometheus', 'prometheus'],
  grafana: ['https://grafana.github.io/helm-charts', 'grafana', 'grafana'],
  loki: ['https://grafana.github.io/helm-charts', 'loki', 'loki'],
  tempo: ['https://grafana.github.io/helm-charts', 'tempo', 'tempo'],
  'fluent-bit': ['https://fluent.github.io/helm-charts', 'fluent-bit', 'fluent-bit'],
  trivy: ['https://aquasecurity.github.io/helm-charts/', 'trivy-operator', 'trivy'],
  keycloak: ['https://codecentric.github.io/helm-charts', 'keycloakx', 'keycloak'],
  gitea: ['https://dl.gitea.com/charts/', 'gitea', 'gitea'],
  'gitea-actions': ['https://dl.gitea.com/charts/', 'actions', 'gitea-actions'],
  renovate: ['https://docs.renovatebot.com/helm-charts', 'renovate', 'renovate'],
};

/** Business app → its folder in helm-prod-values. */
const VALUES_FOLDER: Readonly<Record<string, string>> = { mcp10x: 'mcp10x', musicman: 'musicman', 'dot-ai-stack': 'dot-ai-stack', 'argo-mcp': 'argocd-mcp' };

const infra = new Map<Cluster, Map<string, KubeObject>>();
const apps = new Map<Cluster, Map<string, KubeObject>>();

before(async () => {
  for (const cluster of CLUSTERS) {
    infra.set(cluster, applicationsByName(await kustomizeBuild(`infra/overlays/${cluster}`)));
    apps.set(cluster, applicationsByName(await kustomizeBuild(`apps/overlays/${cluster}`)));
  }
});

function appsOf(map: Map<Cluster, Map<string, KubeObject>>, cluster: Cluster): Map<string, KubeObject> {
  const found = map.get(cluster);
  assert.ok(found !== undefined, `no build for ${cluster}`);
  return found;
}

function waves(objects: Map<string, KubeObject>): Record<string, string> {
  return Object.fromEntries([...objects].map(([name, app]) => [name, app.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '(none)']));
}

function allApplications(cluster: Cluster): KubeObject[] {
  return [...appsOf(infra, cluster).values(), ...appsOf(apps, cluster).values()];
}

for (const cluster of CLUSTERS) {
  test(`${cluster}: the root renders the seed's infrastructure Applications and enterprise-apps, in waves`, () => {
    assert.deepEqual(waves(appsOf(infra, cluster)), INFRA_WAVES);
  });

  test(`${cluster}: enterprise-apps renders mcp10x, musicman, dot-ai-stack and argo-mcp (waves 2+)`, () => {
    assert.deepEqual(waves(appsOf(apps, cluster)), APP_WAVES);
    assert.equal(text(appsOf(infra, cluster).get('enterprise-apps'), 'spec', 'source', 'path'), `apps/overlays/${cluster}`);
  });

  test(`${cluster}: the root Application file points at this cluster's overlay`, () => {
    const [root, ...rest] = readObjects(`_app-of-apps-${cluster}.yaml`);
    assert.equal(rest.length, 0);
    assert.ok(root !== undefined);
    assert.equal(root.metadata.name, `app-of-apps-${cluster}`);
    assert.deepEqual(at(root, 'spec', 'source'), { repoURL: CONFIG_REPO_URL, targetRevision: 'HEAD', path: `infra/overlays/${cluster}` });
    assertValidApplication(root);
  });

  test(`${cluster}: every Application is a valid Argo CD Application with the platform's sync policy and Slack subscriptions`, () => {
    for (const app of allApplications(cluster)) assertValidApplication(app);
  });

  test(`${cluster}: every repository, path and value file an Application names exists in the example`, () => {
    for (const app of allApplications(cluster)) {
      for (const source of sourcesOf(app)) {
        const repoURL = text(source, 'repoURL');
        const path = at(source, 'path');
        // Upstream chart repositories are fetched at render time; every Git source must be one of the example's folders.
        if (at(source, 'chart') === undefined) {
          const folder = folderOf(repoURL);
          assert.ok(typeof path !== 'string' || existsSync(join(folder, path)), `${app.metadata.name ?? ''}: ${repoURL} has no ${String(path)}`);
        }
        const valueFiles = at(source, 'helm', 'valueFiles');
        for (const file of Array.isArray(valueFiles) ? valueFiles : []) {
          assert.ok(existsSync(resolveValueFile(app, String(file))), `${app.metadata.name ?? ''}: value file ${String(file)} does not exist`);
        }
      }
    }
  });
}

function assertValidApplication(app: KubeObject): void {
  const name = app.metadata.name ?? '';
  assert.equal(app.apiVersion, 'argoproj.io/v1alpha1', name);
  assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  assert.equal(app.metadata.namespace, 'argocd', `${name}: Applications live in the controller's namespace`);
  assert.equal(at(app, 'spec', 'project'), 'default', name);
  assert.equal(at(app, 'spec', 'destination', 'server'), 'https://kubernetes.default.svc', name);
  assert.match(text(app, 'spec', 'destination', 'namespace'), /^[a-z0-9-]+$/, name);
  assert.ok((at(app, 'spec', 'source') === undefined) !== (at(app, 'spec', 'sources') === undefined), `${name}: exactly one of source and sources`);
  assert.deepEqual(at(app, 'spec', 'syncPolicy', 'automated'), { prune: true, selfHeal: true }, name);
  assert.deepEqual(at(app, 'spec', 'syncPolicy', 'retry'), { limit: 5, backoff: { duration: '5s', maxDuration: '3m' } }, name);
  for (const trigger of ['on-sync-succeeded', 'on-sync-failed', 'on-degraded']) {
    assert.equal(app.metadata.annotations?.[`notifications.argoproj.io/subscribe.${trigger}.slack`], '', `${name}: Slack ${trigger}`);
  }
}

test('infrastructure charts come from their real public repositories, pinned, with layered base + cluster values', () => {
  for (const cluster of CLUSTERS) {
    for (const [name, [repoURL, chart, stem]] of Object.entries(UPSTREAM_CHARTS)) {
      const app = appsOf(infra, cluster).get(name);
      assert.ok(app !== undefined, `${cluster}: ${name}`);
      const [chartSource, valuesSource, ...rest] = sourcesOf(app);
      assert.equal(rest.length, 0, `${name}: two sources`);
      assert.equal(at(chartSource, 'repoURL'), repoURL, name);
      assert.equal(at(chartSource, 'chart'), chart, name);
      assert.match(text(chartSource, 'targetRevision'), /^v?\d+\.\d+\.\d+$/, `${name}: an exact chart version`);
      assert.deepEqual(at(chartSource, 'helm', 'valueFiles'), [`$values/infra/values/base/${stem}-values.yaml`, `$values/infra/values/${cluster}/${stem}-values.yaml`], name);
      assert.deepEqual(valuesSource, { repoURL: CONFIG_REPO_URL, targetRevision: 'HEAD', ref: 'values' }, name);
    }
  }
});

test('business apps: chart forteapp from forte-helm (the repo chart itself, via a symlink) + helm-prod-values as $values', () => {
  const chartFolder = join(folderOf('https://git.forteapps.net/Forte/forte-helm'), 'forteapp');
  assert.ok(lstatSync(chartFolder).isSymbolicLink(), 'forte-helm/forteapp must be a link, not a copy that can drift');
  assert.equal(realpathSync(chartFolder), realpathSync(CHART_DIR));
  for (const [name, app] of appsOf(apps, 'upc-dev')) {
    const [chartSource, valuesSource] = sourcesOf(app);
    assert.equal(at(chartSource, 'repoURL'), 'https://git.forteapps.net/Forte/forte-helm', name);
    assert.equal(at(chartSource, 'path'), 'forteapp', name);
    assert.equal(at(chartSource, 'helm', 'releaseName'), name);
    assert.equal(at(app, 'spec', 'destination', 'namespace'), name);
    assert.deepEqual(valuesSource, { repoURL: 'git@github.com:fortedigital/helm-prod-values.git', targetRevision: 'HEAD', ref: 'values' }, name);
  }
});

test('upc-prod differs from upc-dev exactly in the cluster values files, the secrets folder and the apps overlay', () => {
  const differences: string[] = [];
  for (const layer of [infra, apps]) {
    const dev = appsOf(layer, 'upc-dev');
    const prod = appsOf(layer, 'upc-prod');
    assert.deepEqual([...prod.keys()].sort(), [...dev.keys()].sort(), 'the same Applications on both clusters');
    for (const [name, devApp] of dev) {
      const devLeaves = flatten(devApp);
      const prodLeaves = flatten(prod.get(name));
      for (const pointer of new Set([...devLeaves.keys(), ...prodLeaves.keys()])) {
        const before = devLeaves.get(pointer);
        const after = prodLeaves.get(pointer);
        if (before !== after) differences.push(`${name} ${pointer}: ${String(before)} -> ${String(after)}`);
      }
    }
  }
  const expected = [
    ...Object.entries(UPSTREAM_CHARTS).map(([name, [, , stem]]) =>
      `${name} /spec/sources/0/helm/valueFiles/1: $values/infra/values/upc-dev/${stem}-values.yaml -> $values/infra/values/upc-prod/${stem}-values.yaml`),
    'secrets /spec/source/path: secrets/upc-dev -> secrets/upc-prod',
    'enterprise-apps /spec/source/path: apps/overlays/upc-dev -> apps/overlays/upc-prod',
    ...Object.entries(VALUES_FOLDER).map(([name, folder]) =>
      `${name} /spec/sources/0/helm/valueFiles/1: $values/${folder}/values-upc-dev.yaml -> $values/${folder}/values-upc-prod.yaml`),
  ];
  assert.deepEqual(differences.sort(), expected.sort());
});

/** Renders a business Application's chart with its resolved value files, as the controller would. */
async function renderApp(app: KubeObject): Promise<KubeObject[]> {
  const [chartSource] = sourcesOf(app);
  const valueFiles = list(chartSource, 'helm', 'valueFiles').map((file) => resolveValueFile(app, String(file)));
  return template({
    bare: true,
    release: text(chartSource, 'helm', 'releaseName'),
    namespace: text(app, 'spec', 'destination', 'namespace'),
    chartDir: join(folderOf(text(chartSource, 'repoURL')), text(chartSource, 'path')),
    valueFiles,
  });
}

test('every business app renders with the forteapp chart on both clusters: pinned image, own host per cluster', async () => {
  const hosts = new Map<Cluster, string[]>();
  for (const cluster of CLUSTERS) {
    const clusterHosts: string[] = [];
    for (const [name, app] of appsOf(apps, cluster)) {
      const objects = await renderApp(app);
      const image = text(find(objects, 'Deployment', name), 'spec', 'template', 'spec', 'containers', 0, 'image');
      assert.match(image, /^ghcr\.io\/fortedigital\/[a-z0-9-]+:\d+\.\d+\.\d+$/, `${cluster}/${name}`);
      const route = find(objects, 'IngressRoute', name);
      const host = /^Host\(`([^`]+)`\)/.exec(text(route, 'spec', 'routes', 0, 'match'))?.[1] ?? '';
      assert.equal(host.endsWith('.dev.forteapps.net'), cluster === 'upc-dev', `${cluster}/${name} serves ${host}`);
      assert.deepEqual(at(find(objects, 'Certificate', name), 'spec', 'dnsNames'), [host]);
      clusterHosts.push(host);
    }
    hosts.set(cluster, clusterHosts);
  }
  const devHosts = new Set(hosts.get('upc-dev'));
  assert.deepEqual((hosts.get('upc-prod') ?? []).filter((host) => devHosts.has(host)), [], 'no host is claimed by both clusters');
  assert.equal(devHosts.size, 4, 'each app has its own host');
});

test('the seed\'s mcp10x example renders as written: 10x 2.0.4, PORT 3000, app-credentials, mcp10x.forteapps.net on upc-prod', async () => {
  const objects = await renderApp(appsOf(apps, 'upc-prod').get('mcp10x') ?? assert.fail('no mcp10x'));
  const app = at(find(objects, 'Deployment', 'mcp10x'), 'spec', 'template', 'spec', 'containers', 0);
  assert.equal(at(app, 'image'), 'ghcr.io/fortedigital/10x:2.0.4');
  assert.ok(list(app, 'env').some((env) => at(env, 'name') === 'PORT' && at(env, 'value') === '3000'));
  assert.deepEqual(at(app, 'envFrom'), [{ secretRef: { name: 'app-credentials' } }]);
  assert.equal(at(find(objects, 'IngressRoute', 'mcp10x'), 'spec', 'routes', 0, 'match'), 'Host(`mcp10x.forteapps.net`)');
  assert.equal(at(find(objects, 'HorizontalPodAutoscaler', 'mcp10x'), 'spec', 'minReplicas'), 2, 'upc-prod autoscales mcp10x');
});

test('CI can bump each app\'s image tag: exactly one `tag:` line per values.yaml, and it is the image tag', () => {
  for (const folder of Object.values(VALUES_FOLDER)) {
    const file = join(folderOf('git@github.com:fortedigital/helm-prod-values.git'), folder, 'values.yaml');
    const source = readFileSync(file, 'utf8');
    const tagLines = source.split('\n').filter((line) => /^\s*tag:/.test(line));
    assert.equal(tagLines.length, 1, `${folder}/values.yaml: sed "s/tag: .*/tag: $VERSION/" must touch one line`);
    const bumped: unknown = parse(source.replace(/tag: .*/, 'tag: 9.9.9'));
    assert.equal(at(bumped, 'app', 'image', 'tag'), '9.9.9', folder);
  }
});

/** Which of validate/mutate/generate a Kyverno rule does, by rule name. */
function ruleTypes(policy: KubeObject): Record<string, string> {
  return Object.fromEntries(list(policy, 'spec', 'rules').map((rule) => {
    const type = ['validate', 'mutate', 'generate'].find((key) => at(rule, key) !== undefined) ?? 'none';
    return [text(rule, 'name'), type];
  }));
}

function policy(file: string): KubeObject {
  const [object, ...rest] = readObjects(join('cluster-resources', 'policies', file));
  assert.equal(rest.length, 0, `${file}: one policy per file`);
  assert.ok(object !== undefined);
  return object;
}

test('cluster-resources/policies holds the seed\'s five Kyverno policies, each of the expected kind and rules', () => {
  assert.deepEqual(yamlFiles('cluster-resources/policies'), [
    'auth-sidecar-injector.yaml', 'bare-pod-cleaner.yaml', 'controller-verifier.yaml', 'default-namespace-blocker.yaml', 'secret-cloner.yaml',
  ]);
  const expected: Readonly<Record<string, readonly [string, string, Record<string, string>]>> = {
    'secret-cloner.yaml': ['kyverno.io/v1', 'ClusterPolicy', { 'clone-allowed-secrets': 'generate' }],
    'default-namespace-blocker.yaml': ['kyverno.io/v1', 'ClusterPolicy', { 'deny-default-namespace': 'validate' }],
    'controller-verifier.yaml': ['kyverno.io/v1', 'ClusterPolicy', { 'require-controller-owner': 'validate' }],
    'auth-sidecar-injector.yaml': ['kyverno.io/v1', 'ClusterPolicy', { 'require-auth-secret': 'validate', 'inject-auth-proxy': 'mutate' }],
  };
  for (const [file, [apiVersion, kind, rules]] of Object.entries(expected)) {
    const object = policy(file);
    assert.equal(object.apiVersion, apiVersion, file);
    assert.equal(object.kind, kind, file);
    assert.equal(object.metadata.name, file.replace(/\.yaml$/, ''));
    assert.deepEqual(ruleTypes(object), rules, file);
  }
  const cleaner = policy('bare-pod-cleaner.yaml');
  assert.equal(cleaner.apiVersion, 'kyverno.io/v2');
  assert.equal(cleaner.kind, 'ClusterCleanupPolicy');
  assert.match(text(cleaner, 'spec', 'schedule'), /^(\S+\s+){4}\S+$/, 'a five-field cron schedule');
  assert.deepEqual(at(cleaner, 'spec', 'match', 'any', 0, 'resources', 'kinds'), ['Pod']);
  assert.match(text(cleaner, 'spec', 'conditions', 'all', 0, 'key'), /target\.metadata\.ownerReferences/);
});

test('secret-cloner clones Secrets labelled allowedToBeCloned: "true" into new namespaces, kept in sync', () => {
  const generate = at(policy('secret-cloner.yaml'), 'spec', 'rules', 0, 'generate');
  assert.equal(at(policy('secret-cloner.yaml'), 'spec', 'rules', 0, 'match', 'any', 0, 'resources', 'kinds', 0), 'Namespace');
  assert.equal(at(generate, 'namespace'), '{{ request.object.metadata.name }}');
  assert.equal(at(generate, 'synchronize'), true);
  assert.deepEqual(at(generate, 'cloneList'), { namespace: 'platform-secrets', kinds: ['v1/Secret'], selector: { matchLabels: { allowedToBeCloned: 'true' } } });
});

test('default-namespace-blocker and controller-verifier: Enforce in default, Audit for bare Pods', () => {
  const blocker = at(policy('default-namespace-blocker.yaml'), 'spec', 'rules', 0, 'validate');
  assert.equal(at(blocker, 'failureAction'), 'Enforce');
  assert.deepEqual(at(blocker, 'pattern'), { metadata: { namespace: '!default' } });
  const verifier = policy('controller-verifier.yaml');
  assert.equal(at(verifier, 'spec', 'rules', 0, 'validate', 'failureAction'), 'Audit');
  assert.equal(verifier.metadata.annotations?.['pod-policies.kyverno.io/autogen-controllers'], 'none');
  assert.match(text(verifier, 'spec', 'rules', 0, 'validate', 'deny', 'conditions', 'all', 0, 'key'), /ownerReferences\[\?controller\]/);
});

test('auth-sidecar-injector reads exactly the annotations the forteapp chart writes and serves the port its Service targets', async () => {
  const injector = policy('auth-sidecar-injector.yaml');
  const rendered = await template({
    values: { auth: { enabled: true, mode: 'oidc', existingSecret: 's', oidc: { issuerUrl: 'https://keycloak.forteapps.net/realms/forte', clientId: 'c' } } },
  });
  const written = Object.keys(at(find(rendered, 'Deployment', 'demo'), 'spec', 'template', 'metadata', 'annotations') as object).sort();
  const read = [...JSON.stringify(injector.spec).matchAll(/annotations\.\\"([^\\]+)\\"/g)].map((match) => match[1] ?? '');
  const matched = at(injector, 'spec', 'rules', 1, 'match', 'any', 0, 'resources', 'annotations') as object;
  assert.deepEqual([...new Set([...read, ...Object.keys(matched)])].sort(), written);
  assert.deepEqual(matched, { 'policies.forteapps.io/auth': 'true' });
  const sidecar = at(injector, 'spec', 'rules', 1, 'mutate', 'patchStrategicMerge', 'spec', 'containers', 0);
  assert.equal(at(sidecar, 'name'), 'auth-proxy');
  assert.equal(at(sidecar, 'ports', 0, 'name'), at(find(rendered, 'Service', 'demo'), 'spec', 'ports', 0, 'targetPort'));
  assert.equal(at(sidecar, 'securityContext', 'readOnlyRootFilesystem'), true);
  assert.equal(injector.metadata.annotations?.['pod-policies.kyverno.io/autogen-controllers'], 'none', 'mutating Deployments would fight selfHeal');
});
