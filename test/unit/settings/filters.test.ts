import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArgoCdCm } from '../../../src/model/argocd-cm.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { globalIgnoreRules, ignoreRulesFor, normalizeWithSettings } from '../../../src/settings/compare-settings.js';
import { globMatch } from '../../../src/settings/glob.js';
import { normalizeKnownTypes } from '../../../src/settings/known-types.js';
import { canonicalDuration, canonicalQuantity } from '../../../src/settings/quantity.js';
import { isExcludedKind } from '../../../src/settings/resource-filter.js';
import { managingAppOf, truncateLabelValue, withTracking } from '../../../src/settings/tracking.js';

function settingsOf(data: Record<string, string>) {
  const parsed = parseArgoCdCm(data);
  assert.deepEqual(parsed.errors, []);
  return parsed.settings;
}

describe('globMatch (gobwas without separators)', () => {
  const cases: readonly [string, string, boolean][] = [
    ['*', '', true], ['*.k8s.io', 'events.k8s.io', true], ['*.k8s.io', 'apps', false], ['a?ps', 'apps', true],
    ['{apps,batch}', 'batch', true], ['{apps,batch}', 'policy', false], ['[ab]pps', 'apps', true], ['[!a]pps', 'apps', false],
    ['https://*.example.com', 'https://k8s.prod.example.com', true], ['apps', 'apps', true], ['ap.s', 'apps', false],
  ];
  for (const [pattern, value, expected] of cases) test(`${pattern} ${expected ? 'matches' : 'does not match'} "${value}"`, () => { assert.equal(globMatch(pattern, value), expected); });
});

describe('isExcludedKind (Argo CD\'s table)', () => {
  test('core exclusions always apply', () => {
    const settings = settingsOf({});
    assert.equal(isExcludedKind(settings, 'events.k8s.io', 'Event', ''), true);
    assert.equal(isExcludedKind(settings, '', 'Event', ''), true);
    assert.equal(isExcludedKind(settings, 'coordination.k8s.io', 'Lease', ''), true);
    assert.equal(isExcludedKind(settings, 'apps', 'Deployment', ''), false);
  });
  test('exclusions: group globs, kinds exact or *, clusters globs', () => {
    const settings = settingsOf({ 'resource.exclusions': '- apiGroups: ["*.cilium.io", cilium.io]\n  kinds: ["*"]\n- apiGroups: [""]\n  kinds: [ConfigMap]\n  clusters: ["https://prod-*"]\n- kinds: ["Cron*"]\n' });
    assert.equal(isExcludedKind(settings, 'cilium.io', 'CiliumIdentity', 'https://x'), true);
    assert.equal(isExcludedKind(settings, '', 'ConfigMap', 'https://prod-1'), true);
    assert.equal(isExcludedKind(settings, '', 'ConfigMap', 'https://dev-1'), false);
    assert.equal(isExcludedKind(settings, 'batch', 'CronJob', ''), false, 'kinds are not globs: only * is special');
  });
  test('inclusions: what is not included is excluded on the clusters they name; exclusions win', () => {
    const settings = settingsOf({
      'resource.inclusions': '- apiGroups: ["", apps]\n  kinds: ["*"]\n  clusters: ["https://prod"]\n',
      'resource.exclusions': '- apiGroups: [""]\n  kinds: [Secret]\n',
    });
    assert.equal(isExcludedKind(settings, 'apps', 'Deployment', 'https://prod'), false);
    assert.equal(isExcludedKind(settings, 'batch', 'Job', 'https://prod'), true);
    assert.equal(isExcludedKind(settings, 'batch', 'Job', 'https://dev'), false, 'no inclusion names this cluster: allowed');
    assert.equal(isExcludedKind(settings, '', 'Secret', 'https://prod'), true);
  });
});

describe('quantities and durations in Kubernetes\' canonical form', () => {
  const quantities: readonly [string | number, string][] = [
    ['1000m', '1'], ['1500m', '1500m'], ['0.5', '500m'], [1, '1'], ['1000', '1k'], ['100000', '100k'], ['1e3', '1e3'], ['1.5e3', '1500'],
    ['1024Mi', '1Gi'], ['1536Mi', '1536Mi'], ['1.5Ki', '1536'], ['512', '512'], ['0.5Gi', '512Mi'], ['0', '0'], ['0Gi', '0'], ['-1000m', '-1'], ['2G', '2G'], ['2000M', '2G'],
  ];
  for (const [input, expected] of quantities) test(`${String(input)} → ${expected}`, () => { assert.equal(canonicalQuantity(input), expected); });
  test('not a quantity → undefined', () => { assert.equal(canonicalQuantity('lots'), undefined); });
  const durations: readonly [string, string][] = [['60s', '1m0s'], ['1h', '1h0m0s'], ['90m', '1h30m0s'], ['500ms', '500ms'], ['1.5s', '1.5s'], ['0', '0s'], ['2m30s', '2m30s']];
  for (const [input, expected] of durations) test(`${input} → ${expected}`, () => { assert.equal(canonicalDuration(input), expected); });
});

describe('knownTypeFields', () => {
  const rollout: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' },
    spec: { template: { spec: { containers: [{ name: 'web', image: 'web:1', resources: { limits: { cpu: '1000m', memory: '1024Mi' }, requests: { cpu: 0.5 } }, livenessProbe: null }] } } },
  };
  test('a Rollout\'s pod template normalizes like a Pod\'s by default', () => {
    const normalized = normalizeKnownTypes(rollout, settingsOf({})) as KubeObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    assert.deepEqual(normalized.spec.template.spec.containers[0], { name: 'web', image: 'web:1', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } });
    assert.equal((rollout.spec as { template: { spec: { containers: { resources: { limits: { cpu: string } } }[] } } }).template.spec.containers[0]?.resources.limits.cpu, '1000m', 'the input is not changed');
  });
  test('a configured field of a CRD, through lists on the way', () => {
    const settings = settingsOf({ 'resource.customizations.knownTypeFields.example.com_Pool': '- field: spec.workers.resources\n  type: core/v1/ResourceRequirements\n- field: spec.timeout\n  type: meta/v1/Duration\n' });
    const pool: KubeObject = { apiVersion: 'example.com/v1', kind: 'Pool', metadata: { name: 'p' }, spec: { timeout: '60s', workers: [{ resources: { limits: { cpu: '2000m' } } }, { name: 'x' }] } };
    assert.deepEqual(normalizeKnownTypes(pool, settings).spec, { timeout: '1m0s', workers: [{ resources: { limits: { cpu: '2' } } }, { name: 'x' }] });
  });
});

describe('ignore rules and normalization from argocd-cm', () => {
  test('customizations become Application-style rules after the app\'s own', () => {
    const settings = settingsOf({
      'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: [/spec/replicas]',
      'resource.customizations.ignoreDifferences.all': 'managedFieldsManagers: [kube-controller-manager]',
      'resource.customizations.ignoreDifferences.ConfigMap': 'jqPathExpressions: [.data.x]',
      'resource.customizations.health.apps_Deployment': 'return {}',
    });
    const byKind = (a: { kind: string }, b: { kind: string }): number => a.kind.localeCompare(b.kind);
    assert.deepEqual(globalIgnoreRules(settings).sort(byKind), [
      { group: '*', kind: '*', managedFieldsManagers: ['kube-controller-manager'] },
      { group: '', kind: 'ConfigMap', jqPathExpressions: ['.data.x'] },
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    ]);
    assert.equal(ignoreRulesFor([{ kind: 'Secret', jsonPointers: ['/data'] }], settings)[0]?.kind, 'Secret');
  });
  test('ignoreAggregatedRoles drops an aggregated ClusterRole\'s rules, only when set', () => {
    const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view' }, aggregationRule: { clusterRoleSelectors: [] }, rules: [{ verbs: ['get'] }] };
    assert.equal('rules' in normalizeWithSettings(role, settingsOf({ 'resource.compareoptions': 'ignoreAggregatedRoles: true' })), false);
    assert.equal('rules' in normalizeWithSettings(role, settingsOf({})), true);
  });
});

describe('tracking', () => {
  const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', annotations: { 'argocd.argoproj.io/tracking-id': 'shop:/ConfigMap:n/c' } } };
  test('label: the instance label only; annotation+label: both; annotation: as rendered', () => {
    const label = withTracking(object, 'shop', { trackingMethod: 'label', instanceLabelKey: 'team/app' });
    assert.deepEqual(label.metadata, { name: 'c', namespace: 'n', labels: { 'team/app': 'shop' } });
    const both = withTracking(object, 'shop', { trackingMethod: 'annotation+label', instanceLabelKey: 'app.kubernetes.io/instance' });
    assert.equal(both.metadata.labels?.['app.kubernetes.io/instance'], 'shop');
    assert.equal(both.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'shop:/ConfigMap:n/c');
    assert.equal(withTracking(object, 'shop', { trackingMethod: 'annotation', instanceLabelKey: 'x' }), object);
  });
  test('who manages an object follows the method', () => {
    const labelled: KubeObject = { ...object, metadata: { ...object.metadata, labels: { 'team/app': 'other' } } };
    assert.equal(managingAppOf(labelled, { trackingMethod: 'label', instanceLabelKey: 'team/app' }), 'other');
    assert.equal(managingAppOf(labelled, { trackingMethod: 'annotation+label', instanceLabelKey: 'team/app' }), 'shop');
    const copied: KubeObject = { ...object, metadata: { ...object.metadata, name: 'copy' } };
    assert.equal(managingAppOf(copied, undefined, { strict: true }), undefined, 'an annotation naming another object is a copy');
  });
  test('label values are cut to 63 characters ending alphanumeric', () => {
    const long = `${'a'.repeat(61)}--b`;
    assert.equal(truncateLabelValue(long), 'a'.repeat(61));
    assert.equal(truncateLabelValue('short'), 'short');
  });
});
