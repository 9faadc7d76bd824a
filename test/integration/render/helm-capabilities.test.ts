/**
 * GIVEN charts that branch on `.Capabilities` or declare `kubeVersion:`, WHEN they are rendered with the real helm,
 * THEN helm always renders for explicit capabilities — the Application's helm source, else the destination cluster,
 * else launchpad.yaml's `clusters:`, else the documented default (Kubernetes 1.35 and its built-in API versions) —
 * never for the v1.20 a helm binary reports on its own, and the render cache tells capabilities apart.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { discoverCapabilities } from '../../../src/kube/capabilities.js';
import { createKubeClient } from '../../../src/kube/index.js';
import { renderApplication } from '../../../src/render/app.js';
import type { AppRenderOptions } from '../../../src/render/app.js';
import { createRenderCache } from '../../../src/render/cache.js';
import { DEFAULT_CAPABILITIES, configuredCapabilities } from '../../../src/render/capabilities.js';
import type { CapabilityHints } from '../../../src/render/capabilities.js';
import { toolVersions } from '../../../src/render/tool-versions.js';
import { loadConfig } from '../../../src/source/config.js';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import type { GitFixture } from '../../../src/testing/git-fixtures.js';
import { controlPlaneSkipReason, startControlPlane } from '../../../src/testing/index.js';
import type { HelmSource } from '../../../src/model/application.js';
import { application, createSandbox, find } from './helpers.js';
import type { Sandbox } from './helpers.js';

/** A chart that shows what helm believes about the cluster. */
const PROBE_CHART = {
  'probe/Chart.yaml': 'apiVersion: v2\nname: probe\nversion: 0.1.0\n',
  'probe/templates/capabilities.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: capabilities',
    'data:',
    '  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}',
    '  deployments: {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" | quote }}',
    '  monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}',
    '  {{- if semverCompare ">=1.30.0-0" .Capabilities.KubeVersion.Version }}',
    '  era: recent',
    '  {{- else }}',
    '  era: old',
    '  {{- end }}',
    '',
  ].join('\n'),
  // As cert-manager, Kyverno and Traefik do: refuse clusters older than the chart supports.
  'modern/Chart.yaml': 'apiVersion: v2\nname: modern\nversion: 1.0.0\nkubeVersion: ">=1.25.0-0"\n',
  'modern/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: modern\ndata:\n  rendered: "yes"\n',
};

let sandbox: Sandbox;
let repo: GitFixture;

before(async () => {
  sandbox = await createSandbox();
  repo = await createGitRepo({ files: PROBE_CHART });
});

after(async () => {
  await Promise.all([sandbox.cleanup(), repo.remove()]);
});

const probeApp = (helm?: HelmSource, path = 'probe') => application('probe', [{ repoURL: repo.url, path, ...(helm === undefined ? {} : { helm }) }]);

async function probe(helm: HelmSource | undefined, options: Partial<AppRenderOptions> = {}): Promise<Record<string, string>> {
  const result = await renderApplication(probeApp(helm), { resolver: sandbox.resolver, offline: false, ...options });
  assert.equal(result.status, 'ok', result.message);
  return find(result.resources, 'ConfigMap', 'capabilities').data as Record<string, string>;
}

const layers = (...hints: (CapabilityHints | undefined)[]): Pick<AppRenderOptions, 'clusterCapabilities'> => ({ clusterCapabilities: () => Promise.resolve(hints) });

test('with nothing known about the cluster, helm renders for the documented default: Kubernetes 1.35 and its API', async () => {
  const data = await probe(undefined);
  assert.deepEqual(data, { kubeVersion: 'v1.35.0', deployments: 'true', monitoring: 'false', era: 'recent' });
});

test('a chart requiring kubeVersion >=1.25.0-0 renders by default, and fails naming the constraint on an older cluster', async () => {
  const fine = await renderApplication(probeApp(undefined, 'modern'), { resolver: sandbox.resolver, offline: false });
  assert.equal(fine.status, 'ok', fine.message);
  assert.deepEqual(find(fine.resources, 'ConfigMap', 'modern').data, { rendered: 'yes' });
  const old = await renderApplication(probeApp(undefined, 'modern'), { resolver: sandbox.resolver, offline: false, ...layers({ kubeVersion: 'v1.24.17' }) });
  assert.equal(old.status, 'error');
  assert.match(old.message, /kubeVersion: >=1\.25\.0-0 which is incompatible with Kubernetes v1\.24\.17/);
});

test('the Application\'s helm kubeVersion and apiVersions win over the cluster\'s, field by field', async () => {
  const cluster = { kubeVersion: 'v1.31.2', apiVersions: ['v1', 'apps/v1', 'apps/v1/Deployment'] };
  assert.deepEqual(await probe({ kubeVersion: '1.29' }, layers(cluster)), { kubeVersion: 'v1.29', deployments: 'true', monitoring: 'false', era: 'old' });
  // The app's list replaces the cluster's (helm keeps only its built-in group versions, without kinds).
  assert.deepEqual(await probe({ apiVersions: ['monitoring.coreos.com/v1'] }, layers(cluster)), { kubeVersion: 'v1.31.2', deployments: 'false', monitoring: 'true', era: 'recent' });
  // Empty values set nothing, as in Argo CD.
  assert.deepEqual(await probe({ kubeVersion: '', apiVersions: [] }, layers(cluster)), { kubeVersion: 'v1.31.2', deployments: 'true', monitoring: 'false', era: 'recent' });
});

test('precedence: app > cluster discovery > launchpad.yaml > default', async () => {
  const discovered = { kubeVersion: 'v1.33.1', apiVersions: ['v1', 'monitoring.coreos.com/v1'] };
  const configured = { kubeVersion: '1.28', apiVersions: ['apps/v1/Deployment'] };
  assert.equal((await probe(undefined, layers(discovered, configured))).kubeVersion, 'v1.33.1', 'discovery wins over launchpad.yaml');
  assert.equal((await probe(undefined, layers(discovered, configured))).monitoring, 'true');
  assert.deepEqual(await probe(undefined, layers(undefined, configured)), { kubeVersion: 'v1.28', deployments: 'true', monitoring: 'false', era: 'old' }, 'launchpad.yaml when the cluster is not asked');
  assert.equal((await probe({ kubeVersion: '1.26' }, layers(discovered, configured))).kubeVersion, 'v1.26', 'the app wins over both');
  // A launchpad.yaml entry with only a kubeVersion keeps the default API versions.
  assert.deepEqual(await probe(undefined, layers(undefined, { kubeVersion: '1.30' })), { kubeVersion: 'v1.30', deployments: 'true', monitoring: 'false', era: 'recent' });
});

test('vendor versions are passed as Argo CD passes them (suffix dropped); a version that is none fails the app clearly', async () => {
  assert.equal((await probe(undefined, layers({ kubeVersion: 'v1.30.4-gke.1348000' }))).kubeVersion, 'v1.30.4');
  assert.equal((await probe(undefined, layers({ kubeVersion: 'v1.29.10+k3s1' }))).kubeVersion, 'v1.29.10');
  const bad = await renderApplication(probeApp({ kubeVersion: 'latest' }), { resolver: sandbox.resolver, offline: false });
  assert.equal(bad.status, 'error');
  assert.match(bad.message, /could not parse kubernetes version "latest" \(spec\.source\.helm\.kubeVersion\)/);
});

test('launchpad.yaml clusters: matched by server URL or name; the in-cluster destination answers to both', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'launchpad-clusters-'));
  try {
    const file = join(dir, 'launchpad.yaml');
    await writeFile(file, [
      'clusters:',
      '  - server: https://prod.example.com:6443/',
      '    kubeVersion: "1.31"',
      '    apiVersions: [monitoring.coreos.com/v1, monitoring.coreos.com/v1/ServiceMonitor]',
      '  - name: in-cluster',
      '    kubeVersion: v1.32.3',
      '  - name: staging',
      '    kubeVersion: "1.27"',
      '',
    ].join('\n'));
    const { clusters } = await loadConfig(file);
    assert.deepEqual(configuredCapabilities(clusters, { server: 'https://prod.example.com:6443', namespace: 'x' }), { kubeVersion: '1.31', apiVersions: ['monitoring.coreos.com/v1', 'monitoring.coreos.com/v1/ServiceMonitor'] });
    assert.deepEqual(configuredCapabilities(clusters, { server: 'https://kubernetes.default.svc' }), { kubeVersion: 'v1.32.3' });
    assert.deepEqual(configuredCapabilities(clusters, { name: 'staging' }), { kubeVersion: '1.27' });
    assert.equal(configuredCapabilities(clusters, { server: 'https://other.example.com' }), undefined);

    await writeFile(file, 'clusters:\n  - server: https://prod.example.com\n    kubeVersion: newest\n');
    await assert.rejects(loadConfig(file), /launchpad\.yaml:3:18: clusters\[0\]\.kubeVersion: "newest" is not a Kubernetes version/);
    await writeFile(file, 'clusters:\n  - kubeVersion: "1.30"\n');
    await assert.rejects(loadConfig(file), /launchpad\.yaml:2:\d+: clusters\[0\]: names no cluster/);
    await writeFile(file, 'clusters:\n  - name: prod\n    apiVersions: ["apps v1"]\n');
    await assert.rejects(loadConfig(file), /launchpad\.yaml:3:\d+: clusters\[0\]\.apiVersions\[0\]: must be an API version/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the render cache keys on the effective capabilities: another cluster version renders again, the same one is served', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'launchpad-capability-cache-'));
  try {
    let cluster: CapabilityHints = { kubeVersion: 'v1.29.0' };
    const cache = createRenderCache({
      resolver: sandbox.resolver, offline: false, dir, toolVersions: await toolVersions(),
      clusterCapabilities: () => Promise.resolve([cluster]),
    });
    const dataOf = (result: { resources: Parameters<typeof find>[0] }): Record<string, string> => find(result.resources, 'ConfigMap', 'capabilities').data as Record<string, string>;
    const first = await cache.render(probeApp());
    assert.notEqual(first.cached, true);
    assert.equal(dataOf(first).kubeVersion, 'v1.29.0');
    assert.equal((await cache.render(probeApp())).cached, true, 'same capabilities: served from the cache');
    cluster = { kubeVersion: 'v1.34.1' };
    const upgraded = await cache.render(probeApp());
    assert.notEqual(upgraded.cached, true, 'a cluster upgrade invalidates the entry');
    assert.equal(dataOf(upgraded).kubeVersion, 'v1.34.1');
    cluster = { kubeVersion: 'v1.34.1', apiVersions: ['monitoring.coreos.com/v1'] };
    const withCrd = await cache.render(probeApp());
    assert.notEqual(withCrd.cached, true, 'a new API version (a CRD installed) invalidates the entry');
    assert.equal(dataOf(withCrd).monitoring, 'true');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describe('a real API server', { skip: controlPlaneSkipReason(1) }, () => {
  test('discovery gives its version and API versions as Argo CD sends them; the default list is a stock 1.35 server\'s', async () => {
    const plane = await startControlPlane({ tier: 1 });
    try {
      const client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
      const discovered = await discoverCapabilities(client);
      assert.match(discovered.kubeVersion, /^v1\.35\.\d+$/);
      assert.ok(discovered.apiVersions?.includes('v1/ConfigMap') === true && discovered.apiVersions.includes('apps/v1/Deployment'));
      assert.ok(!discovered.apiVersions.some((entry) => entry.endsWith('/TokenReview')), 'kinds that cannot be listed and watched are left out, as Argo CD does');
      assert.deepEqual(discovered.apiVersions, DEFAULT_CAPABILITIES.apiVersions, 'src/render/default-api-versions.ts is out of step with the control plane: regenerate it from this list');
      client.close?.();
    } finally {
      await plane.stop();
    }
  });
});
