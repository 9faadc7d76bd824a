/**
 * GIVEN the example platform's plain resources (namespaces, sealed secrets, Grafana dashboards, infra values), WHEN
 * they are read next to the Applications and the rendered apps, THEN every reference resolves: each secret an app
 * or chart expects is sealed for both clusters in the right namespace, each namespace exists before it is needed,
 * each dashboard loads, and no values file is orphaned.
 */
import assert from 'node:assert/strict';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/model/resource.js';
import { privateKeysFromText } from '../../../src/sealed/keys.js';
import { unsealSealedSecret } from '../../../src/sealed/unseal.js';
import { at, list, template, text } from './helpers.js';
import { applicationsByName, CLUSTERS, CONFIG_DIR, folderOf, kustomizeBuild, readObjects, resolveValueFile, sourcesOf, yamlFiles } from './platform.js';
import type { Cluster } from './platform.js';

const secretsByCluster = new Map<Cluster, KubeObject[]>();
const appsByCluster = new Map<Cluster, KubeObject[]>();
const infraByCluster = new Map<Cluster, KubeObject[]>();

before(async () => {
  for (const cluster of CLUSTERS) {
    secretsByCluster.set(cluster, yamlFiles(`secrets/${cluster}`).flatMap((file) => readObjects(`secrets/${cluster}/${file}`)));
    appsByCluster.set(cluster, [...applicationsByName(await kustomizeBuild(`apps/overlays/${cluster}`)).values()]);
    infraByCluster.set(cluster, [...applicationsByName(await kustomizeBuild(`infra/overlays/${cluster}`)).values()]);
  }
});

function of<T>(map: Map<Cluster, T>, cluster: Cluster): T {
  const value = map.get(cluster);
  assert.ok(value !== undefined, cluster);
  return value;
}

const NAMESPACES = readObjects('cluster-resources/namespaces/namespaces.yaml');
const NAMESPACE_NAMES = new Set(NAMESPACES.map((namespace) => namespace.metadata.name));

function assertSealedSecret(object: KubeObject, origin: string): void {
  assert.equal(object.apiVersion, 'bitnami.com/v1alpha1', origin);
  assert.equal(object.kind, 'SealedSecret', origin);
  assert.equal(at(object, 'spec', 'template', 'metadata', 'name'), object.metadata.name, `${origin}: template name`);
  assert.equal(at(object, 'spec', 'template', 'metadata', 'namespace'), object.metadata.namespace, `${origin}: template namespace`);
  const data = at(object, 'spec', 'encryptedData');
  assert.ok(typeof data === 'object' && data !== null && Object.keys(data).length > 0, `${origin}: encryptedData`);
  for (const [key, value] of Object.entries(data)) {
    assert.match(String(value), /^[A-Za-z0-9+/]+=*$/, `${origin}: ${key} is base64`);
    const bytes = Buffer.from(String(value), 'base64');
    assert.ok(bytes.length > 512 && bytes[0] === 2 && bytes[1] === 0, `${origin}: ${key} is shaped like kubeseal output (length-prefixed RSA-4096 session key)`);
  }
}

test('every sealed secret is a well-formed SealedSecret, marked as an example; those under secrets/ open with the demo key', () => {
  const demoKeys = privateKeysFromText(readFileSync(join(CONFIG_DIR, 'secrets/demo-key/sealing-key.yaml'), 'utf8'), 'secrets/demo-key/sealing-key.yaml');
  const files = CLUSTERS.flatMap((cluster) => yamlFiles(`secrets/${cluster}`).map((file) => `secrets/${cluster}/${file}`));
  for (const file of [...files, 'cluster-resources/forte10x-repo-credentials-sealed.yaml']) {
    const demo = files.includes(file);
    assert.match(readFileSync(join(CONFIG_DIR, file), 'utf8'), demo ? /EXAMPLE ONLY: .*INSECURE demo key/s : /EXAMPLE ONLY: .*will not decrypt/s, `${file} says it is an example`);
    const objects = readObjects(file);
    assert.equal(objects.length, 1, file);
    for (const object of objects) {
      assertSealedSecret(object, file);
      if (demo) assert.ok(Object.keys(unsealSealedSecret(object, demoKeys).data ?? {}).length > 0, `${file} opens with the demo key`);
    }
  }
});

test('both clusters seal the same secrets, into namespaces created by the "namespaces" Application', () => {
  const keys = (cluster: Cluster): string[] => of(secretsByCluster, cluster).map((s) => `${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`).sort();
  assert.deepEqual(keys('upc-prod'), keys('upc-dev'));
  for (const secret of of(secretsByCluster, 'upc-dev')) {
    assert.ok(NAMESPACE_NAMES.has(secret.metadata.namespace), `SealedSecret ${secret.metadata.name ?? ''}: namespace ${secret.metadata.namespace ?? ''} is not in namespaces.yaml`);
  }
});

test('the Argo CD repository credentials cover the private values repository', () => {
  const [credentials] = readObjects('cluster-resources/forte10x-repo-credentials-sealed.yaml');
  assert.equal(credentials?.metadata.namespace, 'argocd');
  assert.equal(at(credentials, 'spec', 'template', 'metadata', 'labels', 'argocd.argoproj.io/secret-type'), 'repo-creds');
  assert.deepEqual(Object.keys(at(credentials, 'spec', 'encryptedData') as object).sort(), ['sshPrivateKey', 'type', 'url']);
});

/** Secret names a rendered app needs, from envFrom, env, imagePullSecrets and the auth annotation. */
function referencedSecrets(objects: readonly KubeObject[]): Set<string> {
  const names = new Set<string>();
  const json = JSON.stringify(objects);
  for (const match of json.matchAll(/"secretRef":\{"name":"([^"]+)"\}|"secretKeyRef":\{"name":"([^"]+)"/g)) names.add(match[1] ?? match[2] ?? '');
  for (const match of json.matchAll(/"imagePullSecrets":\[\{"name":"([^"]+)"\}/g)) names.add(match[1] ?? '');
  for (const match of json.matchAll(/"policies\.forteapps\.io\/auth-token-secret-name":"([^"]+)"/g)) names.add(match[1] ?? '');
  return names;
}

test('every Secret a business app references is sealed for its namespace on both clusters (or cloned there by Kyverno)', async () => {
  const cloned = new Set(
    of(secretsByCluster, 'upc-dev')
      .filter((s) => s.metadata.namespace === 'platform-secrets' && at(s, 'spec', 'template', 'metadata', 'labels', 'allowedToBeCloned') === 'true')
      .map((s) => s.metadata.name),
  );
  assert.ok(cloned.has('ghcr-pull-secret'), 'the pull secret is offered to the secret-cloner');
  for (const cluster of CLUSTERS) {
    for (const app of of(appsByCluster, cluster)) {
      const [chartSource] = sourcesOf(app);
      const namespace = text(app, 'spec', 'destination', 'namespace');
      assert.ok(NAMESPACE_NAMES.has(namespace), `${app.metadata.name ?? ''}: namespace ${namespace} is created by the namespaces Application`);
      const objects = await template({
        bare: true,
        release: text(chartSource, 'helm', 'releaseName'),
        namespace,
        valueFiles: list(chartSource, 'helm', 'valueFiles').map((file) => resolveValueFile(app, String(file))),
      });
      const sealed = new Set(of(secretsByCluster, cluster).filter((s) => s.metadata.namespace === namespace).map((s) => s.metadata.name));
      const references = [...referencedSecrets(objects)];
      assert.ok(references.length >= 2, `${app.metadata.name ?? ''} references its secrets`);
      for (const name of references) {
        assert.ok(sealed.has(name) || cloned.has(name), `${cluster}/${app.metadata.name ?? ''} needs Secret ${namespace}/${name}, which is neither sealed nor cloned`);
      }
    }
  }
});

test('infrastructure values name only Secrets that are sealed for their namespace', () => {
  const expected: Readonly<Record<string, readonly [string, string]>> = {
    'grafana-values.yaml': ['monitoring', 'grafana-admin'],
    'keycloak-values.yaml': ['keycloak', 'keycloak-env'],
    'gitea-values.yaml': ['gitea', 'gitea-admin'],
    'gitea-actions-values.yaml': ['gitea', 'gitea-actions-runner-token'],
    'renovate-values.yaml': ['renovate', 'renovate-env'],
  };
  for (const [file, [namespace, secret]] of Object.entries(expected)) {
    assert.match(readFileSync(join(CONFIG_DIR, 'infra/values/base', file), 'utf8'), new RegExp(`\\b${secret}\\b`), file);
    for (const cluster of CLUSTERS) {
      assert.ok(of(secretsByCluster, cluster).some((s) => s.metadata.name === secret && s.metadata.namespace === namespace), `${cluster}: ${namespace}/${secret}`);
    }
  }
});

test('every infra values file is used by some cluster, parses as a mapping, and each cluster folder has one per chart', () => {
  const used = new Set<string>();
  for (const cluster of CLUSTERS) {
    for (const app of of(infraByCluster, cluster)) {
      const files = at(sourcesOf(app)[0], 'helm', 'valueFiles');
      for (const file of Array.isArray(files) ? files : []) used.add(resolveValueFile(app, String(file)));
    }
  }
  for (const folder of ['base', 'upc-dev', 'upc-prod']) {
    const files = yamlFiles(`infra/values/${folder}`);
    assert.equal(files.length, 14, `infra/values/${folder}`);
    for (const file of files) {
      const path = join(CONFIG_DIR, 'infra/values', folder, file);
      assert.ok(used.has(path), `infra/values/${folder}/${file} is not referenced by any Application`);
      const values: unknown = parse(readFileSync(path, 'utf8'));
      assert.ok(typeof values === 'object' && values !== null && !Array.isArray(values), `${folder}/${file} is a mapping`);
    }
  }
});

test('the namespaces are plain Namespaces protected from pruning', () => {
  assert.deepEqual([...NAMESPACE_NAMES].sort(), ['argo-mcp', 'dot-ai-stack', 'gitea', 'keycloak', 'mcp10x', 'monitoring', 'musicman', 'platform-secrets', 'renovate']);
  for (const namespace of NAMESPACES) {
    assert.equal(namespace.kind, 'Namespace');
    assert.equal(namespace.metadata.annotations?.['argocd.argoproj.io/sync-options'], 'Prune=false,Delete=false', namespace.metadata.name);
  }
});

test('Grafana dashboards are labelled ConfigMaps whose JSON loads; the Launchpad one charts the controller\'s metrics', async () => {
  const dashboards = yamlFiles('infra/dashboards').flatMap((file) => readObjects(`infra/dashboards/${file}`));
  assert.deepEqual(dashboards.map((d) => d.metadata.name).sort(), ['launchpad-dashboard', 'platform-ingress-dashboard']);
  const expressions = new Map<string, string[]>();
  for (const configMap of dashboards) {
    assert.equal(configMap.kind, 'ConfigMap');
    assert.equal(configMap.metadata.namespace, 'monitoring');
    assert.equal(configMap.metadata.labels?.grafana_dashboard, '1', `${configMap.metadata.name ?? ''} is picked up by the Grafana sidecar`);
    for (const [key, json] of Object.entries(at(configMap, 'data') as Record<string, string>)) {
      assert.match(key, /\.json$/);
      const dashboard: unknown = JSON.parse(json);
      assert.match(text(dashboard, 'uid'), /^[a-z0-9-]+$/);
      const panels = list(dashboard, 'panels');
      assert.ok(panels.length > 0, key);
      expressions.set(key, panels.flatMap((panel) => list(panel, 'targets').map((target) => text(target, 'expr'))));
    }
  }
  const launchpad = (expressions.get('launchpad.json') ?? []).join('\n');
  // Every series the dashboard charts is one the controller exports (histograms as _bucket/_sum/_count).
  const exported = new Set((await new ControllerMetrics().registry.getMetricsAsJSON()).flatMap((metric) => [metric.name, `${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`]));
  const charted = [...new Set(launchpad.match(/launchpad_[a-z_]+/g) ?? [])];
  assert.ok(charted.length >= 8, charted.join(', '));
  for (const metric of charted) assert.ok(exported.has(metric), `the Launchpad dashboard charts ${metric}, which the controller does not export`);
  for (const metric of ['launchpad_app_info', 'launchpad_app_sync_total', 'launchpad_app_reconcile_seconds_bucket', 'launchpad_workqueue_depth']) assert.ok(charted.includes(metric), metric);
});

test('launchpad.yaml maps exactly the three repositories of the seed to the three folders', () => {
  const config: unknown = parse(readFileSync(join(folderOf('https://git.forteapps.net/Forte/launchpad'), '..', 'launchpad.yaml'), 'utf8'));
  assert.deepEqual(at(config, 'repositories'), [
    { url: 'https://git.forteapps.net/Forte/launchpad', path: 'launchpad' },
    { url: 'https://git.forteapps.net/Forte/forte-helm', path: 'forte-helm' },
    { url: 'git@github.com:fortedigital/helm-prod-values.git', path: 'helm-prod-values' },
  ]);
  assert.match(readFileSync(join(CONFIG_DIR, '.gitignore'), 'utf8'), /^private\/$/m, 'plain secrets in private/ never reach Git');
});
