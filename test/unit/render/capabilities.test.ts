import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiVersionsOf, serverVersionOf } from '../../../src/kube/capabilities.js';
import { DEFAULT_CAPABILITIES, configuredCapabilities, kubeVersionArgument, layerCapabilities, parseKubeVersion } from '../../../src/render/capabilities.js';
import { helmCapabilities } from '../../../src/render/helm.js';
import { helmPullArgs } from '../../../src/source/helm-pull.js';

test('kube versions reach helm as Argo CD passes them: no "v", no vendor suffix, at least major.minor', () => {
  const cases: [string, string | undefined][] = [
    ['v1.35.4', '1.35.4'], ['1.29', '1.29'], ['v1.30.4-gke.1348000', '1.30.4'], ['v1.29.10+k3s1', '1.29.10'],
    ['v1.28.3-eks-4f4795d', '1.28.3'], [' 1.27.0 ', '1.27.0'], ['1.05', '1.5'],
    ['1', undefined], ['latest', undefined], ['', undefined], ['01.30', undefined], ['vv1.30', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseKubeVersion(text), expected, text);
  assert.throws(() => kubeVersionArgument('stable', 'spec.source.helm.kubeVersion'), /could not parse kubernetes version "stable" \(spec\.source\.helm\.kubeVersion\)/);
});

test('the server version keeps its "v" and drops the vendor suffix, as Argo CD\'s cluster cache stores it', () => {
  assert.equal(serverVersionOf('v1.35.4'), 'v1.35.4');
  assert.equal(serverVersionOf('v1.30.4-gke.1348000'), 'v1.30.4');
  assert.equal(serverVersionOf('v1.29.10+k3s1'), 'v1.29.10');
});

test('API versions: group/version and group/version/Kind of listable, watchable kinds, core without a group, sorted', () => {
  const served = [
    { group: 'apps', version: 'v1', kind: 'Deployment', verbs: ['create', 'list', 'watch', 'get'] },
    { group: '', version: 'v1', kind: 'Pod', verbs: ['list', 'watch'] },
    { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview', verbs: ['create'] },
    { group: '', version: 'v1', kind: 'ComponentStatus', verbs: ['get', 'list'] },
    { group: 'example.com', version: 'v1alpha1', kind: 'Gadget', verbs: ['LIST', 'WATCH'] },
  ];
  assert.deepEqual(apiVersionsOf(served), ['apps/v1', 'apps/v1/Deployment', 'example.com/v1alpha1', 'example.com/v1alpha1/Gadget', 'v1', 'v1/Pod']);
});

test('each field comes from the first layer that sets it; empty values set nothing; the default fills the rest', () => {
  assert.deepEqual(layerCapabilities(), DEFAULT_CAPABILITIES);
  assert.equal(DEFAULT_CAPABILITIES.kubeVersion, 'v1.35.0');
  assert.ok(DEFAULT_CAPABILITIES.apiVersions.includes('apps/v1/Deployment'));
  assert.deepEqual(layerCapabilities({ kubeVersion: '' , apiVersions: [] }, { kubeVersion: '1.30' }, { apiVersions: ['v1'] }), { kubeVersion: '1.30', apiVersions: ['v1'] });
  assert.deepEqual(layerCapabilities(undefined, { apiVersions: ['x/v1'] }), { kubeVersion: 'v1.35.0', apiVersions: ['x/v1'] });
  // The helm source wins over the cluster's, per field, and the version is normalised.
  assert.deepEqual(helmCapabilities({ helm: { kubeVersion: 'v1.31.0-rc.1' }, kubeVersion: 'v1.35.4', apiVersions: ['v1'] }), { kubeVersion: '1.31.0', apiVersions: ['v1'] });
  assert.deepEqual(helmCapabilities({ helm: undefined }), { kubeVersion: '1.35.0', apiVersions: DEFAULT_CAPABILITIES.apiVersions });
});

test('launchpad.yaml clusters match a destination by server (trailing slash ignored) or name; first match wins', () => {
  const position = { file: '/x/launchpad.yaml' };
  const clusters = [
    { server: 'https://a.example.com', kubeVersion: '1.31', position },
    { name: 'b', apiVersions: ['v1'], position },
    { server: 'https://a.example.com', kubeVersion: '1.20', position },
    { server: 'https://kubernetes.default.svc', kubeVersion: '1.33', position },
  ];
  assert.deepEqual(configuredCapabilities(clusters, { server: 'https://a.example.com/' }), { kubeVersion: '1.31' });
  assert.deepEqual(configuredCapabilities(clusters, { name: 'b' }), { apiVersions: ['v1'] });
  assert.deepEqual(configuredCapabilities(clusters, { name: 'in-cluster' }), { kubeVersion: '1.33' });
  assert.equal(configuredCapabilities(clusters, { server: 'https://b.example.com' }), undefined, 'a server is not matched to an entry by name');
  assert.equal(configuredCapabilities(undefined, { server: 'https://a.example.com' }), undefined);
});

test('passCredentials: helm pull gets --pass-credentials with URL credentials, and the private repositories.yaml says it otherwise', () => {
  const request = { repoURL: 'https://me:s3cret@charts.example.com/stable', chart: 'web', version: '1.2.3', untarDir: '/tmp/x' };
  assert.ok(helmPullArgs({ ...request, passCredentials: true }).includes('--pass-credentials'));
  assert.ok(!helmPullArgs(request).includes('--pass-credentials'));
  assert.ok(!helmPullArgs({ ...request, passCredentials: true }, { repositoryConfig: '/tmp/r.yaml' }).includes('--pass-credentials'));
});
