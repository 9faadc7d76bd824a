import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DEFAULT_COMPARE_OPTIONS, healthCustomizations, parseArgoCdCm } from '../../../src/model/argocd-cm.js';
import { loadArgoCdSettingsFile } from '../../../src/settings/load.js';

describe('parseArgoCdCm', () => {
  test('an empty ConfigMap gives Argo CD defaults', () => {
    const { settings, warnings, errors } = parseArgoCdCm({});
    assert.deepEqual(settings.exclusions, []);
    assert.deepEqual(settings.inclusions, []);
    assert.equal(settings.overrides.size, 0);
    assert.deepEqual(settings.compareOptions, DEFAULT_COMPARE_OPTIONS);
    assert.equal(settings.instanceLabelKey, 'app.kubernetes.io/instance');
    assert.equal(settings.trackingMethod, 'annotation');
    assert.deepEqual([warnings, errors], [[], []]);
  });

  test('exclusions and inclusions: empty lists stay empty (match all), unknown fields are warned about', () => {
    const { settings, warnings, errors } = parseArgoCdCm({
      'resource.exclusions': '- apiGroups: ["cilium.io"]\n  kinds: ["CiliumIdentity"]\n  clusters: ["https://*.example.com"]\n- kinds: [Secret]\n  namespaces: [x]\n',
      'resource.inclusions': '- apiGroups: ["*"]\n  kinds: ["*"]\n',
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(settings.exclusions, [
      { apiGroups: ['cilium.io'], kinds: ['CiliumIdentity'], clusters: ['https://*.example.com'] },
      { apiGroups: [], kinds: ['Secret'], clusters: [] },
    ]);
    assert.deepEqual(settings.inclusions, [{ apiGroups: ['*'], kinds: ['*'], clusters: [] }]);
    assert.match(warnings.join('\n'), /resource\.exclusions.*entry 2: unknown field "namespaces"/);
  });

  test('bad YAML in a key is an error naming argocd-cm, the key and the line; the key keeps its default', () => {
    const { settings, errors } = parseArgoCdCm({
      'resource.exclusions': '- apiGroups: [apps]\n  kinds: [Deployment\n',
      'application.instanceLabelKey': 'team.example.com/app',
    });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^argocd-cm key "resource\.exclusions" line \d: not valid YAML/);
    assert.deepEqual(settings.exclusions, []);
    assert.equal(settings.instanceLabelKey, 'team.example.com/app', 'the other keys still count');
  });

  test('a wrong shape is an error, not a crash', () => {
    const { errors } = parseArgoCdCm({
      'resource.exclusions': 'apiGroups: [apps]',
      'resource.inclusions': '- kinds: Deployment',
      'resource.compareoptions': 'ignoreAggregatedRoles: maybe',
      'resource.customizations.knownTypeFields.argoproj.io_Rollout': 'field: spec',
      'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: spec/replicas',
    });
    assert.equal(errors.length, 5, errors.join('\n'));
    assert.match(errors.join('\n'), /resource\.exclusions": must be a YAML list/);
    assert.match(errors.join('\n'), /resource\.inclusions": entry 1: kinds must be a list of strings/);
    assert.match(errors.join('\n'), /ignoreAggregatedRoles must be true or false/);
  });

  test('split customization keys: group_kind, core kinds, all; the group may contain dots', () => {
    const { settings, errors } = parseArgoCdCm({
      'resource.customizations.ignoreDifferences.admissionregistration.k8s.io_MutatingWebhookConfiguration': 'jqPathExpressions:\n- .webhooks[]?.clientConfig.caBundle\n',
      'resource.customizations.ignoreDifferences.all': 'managedFieldsManagers:\n- kube-controller-manager\njsonPointers:\n- /spec/replicas\n',
      'resource.customizations.knownTypeFields.argoproj.io_Rollout': '- field: spec.template.spec\n  type: core/v1/PodSpec\n',
      'resource.customizations.health.cert-manager.io_Certificate': 'hs = {}\nreturn hs\n',
      'resource.customizations.useOpenLibs.cert-manager.io_Certificate': 'true',
      'resource.customizations.ignoreDifferences.Service': 'jsonPointers: [/spec/clusterIP]',
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(settings.overrides.get('admissionregistration.k8s.io/MutatingWebhookConfiguration')?.ignoreDifferences?.jqPathExpressions, ['.webhooks[]?.clientConfig.caBundle']);
    assert.deepEqual(settings.overrides.get('*/*')?.ignoreDifferences, { jsonPointers: ['/spec/replicas'], jqPathExpressions: [], managedFieldsManagers: ['kube-controller-manager'] });
    assert.deepEqual(settings.overrides.get('argoproj.io/Rollout')?.knownTypeFields, [{ field: 'spec.template.spec', type: 'core/v1/PodSpec' }]);
    assert.deepEqual(settings.overrides.get('Service')?.ignoreDifferences?.jsonPointers, ['/spec/clusterIP']);
    assert.deepEqual(healthCustomizations(settings).get('cert-manager.io/Certificate'), { lua: 'hs = {}\nreturn hs\n', useOpenLibs: true });
  });

  test('the legacy resource.customizations blob, with ignoreDifferences as YAML text; split keys win', () => {
    const blob = [
      'apps/Deployment:',
      '  ignoreDifferences: |',
      '    jsonPointers:',
      '    - /spec/replicas',
      '  health.lua: |',
      '    return {status = "Healthy"}',
      'argoproj.io/Rollout:',
      '  knownTypeFields:',
      '  - field: spec.template.spec',
      '    type: core/v1/PodSpec',
      '',
    ].join('\n');
    const { settings, errors } = parseArgoCdCm({
      'resource.customizations': blob,
      'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: [/spec/template]',
    });
    assert.deepEqual(errors, []);
    const deployment = settings.overrides.get('apps/Deployment');
    assert.deepEqual(deployment?.ignoreDifferences?.jsonPointers, ['/spec/template']);
    assert.equal(deployment.healthLua, 'return {status = "Healthy"}\n');
    assert.deepEqual(settings.overrides.get('argoproj.io/Rollout')?.knownTypeFields, [{ field: 'spec.template.spec', type: 'core/v1/PodSpec' }]);
  });

  test('a broken ignoreDifferences text inside the blob names the blob entry', () => {
    const { errors } = parseArgoCdCm({ 'resource.customizations': 'apps/Deployment:\n  ignoreDifferences: "jsonPointers: [/a"\n' });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /resource\.customizations: apps\/Deployment" line 1: not valid YAML/);
  });

  test('compare options: Argo CD defaults, its spellings of "none", unknown values warned', () => {
    assert.deepEqual(parseArgoCdCm({ 'resource.compareoptions': 'ignoreAggregatedRoles: true\nignoreResourceStatusField: crd\n' }).settings.compareOptions, { ignoreAggregatedRoles: true, ignoreResourceStatusField: 'crd', ignoreDifferencesOnResourceUpdates: true });
    assert.equal(parseArgoCdCm({ 'resource.compareoptions': 'ignoreResourceStatusField: off' }).settings.compareOptions.ignoreResourceStatusField, 'none');
    const odd = parseArgoCdCm({ 'resource.compareoptions': 'ignoreResourceStatusField: some' });
    assert.equal(odd.settings.compareOptions.ignoreResourceStatusField, 'all');
    assert.match(odd.warnings.join(), /not one of all, crd, none/);
  });

  test('tracking method and label key', () => {
    assert.equal(parseArgoCdCm({ 'application.resourceTrackingMethod': 'annotation+label' }).settings.trackingMethod, 'annotation+label');
    assert.equal(parseArgoCdCm({ 'application.resourceTrackingMethod': 'label', 'application.instanceLabelKey': 'argocd.argoproj.io/instance' }).settings.instanceLabelKey, 'argocd.argoproj.io/instance');
    const bad = parseArgoCdCm({ 'application.resourceTrackingMethod': 'labels' });
    assert.equal(bad.settings.trackingMethod, 'annotation');
    assert.match(bad.errors.join(), /"labels" is not a tracking method/);
  });

  test('an unknown customization type is a warning, not an error', () => {
    const { warnings, errors } = parseArgoCdCm({ 'resource.customizations.colour.apps_Deployment': 'blue' });
    assert.deepEqual(errors, []);
    assert.match(warnings.join(), /customization type "colour" is not supported/);
  });
});

describe('loadArgoCdSettingsFile', () => {
  const dirs: string[] = [];
  after(async () => { await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))); });

  async function file(text: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'argocd-cm-'));
    dirs.push(dir);
    const path = join(dir, 'argocd-cm.yaml');
    await writeFile(path, text);
    return path;
  }

  test('problems name the file and the line in it', async () => {
    const path = await file([
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: argocd-cm',
      'data:',
      '  application.instanceLabelKey: team/app',
      '  resource.exclusions: |',
      '    - apiGroups: [apps]',
      '      kinds: [Deployment',
      '',
    ].join('\n'));
    const parsed = await loadArgoCdSettingsFile(path);
    assert.equal(parsed.settings.instanceLabelKey, 'team/app');
    assert.equal(parsed.errors.length, 1);
    assert.match(parsed.errors[0] ?? '', new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(9|10): argocd-cm key "resource\\.exclusions": not valid YAML`));
  });

  test('a file without a ConfigMap is refused with what to pass', async () => {
    const path = await file('apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n');
    await assert.rejects(loadArgoCdSettingsFile(path), /no ConfigMap in this file .*argocd-cm ConfigMap manifest/);
  });

  test('unsupported knownTypeFields types are warned about', async () => {
    const path = await file('kind: ConfigMap\napiVersion: v1\nmetadata: {name: argocd-cm}\ndata:\n  resource.customizations.knownTypeFields.example.com_Thing: |\n    - field: spec.x\n      type: apps/v1/DeploymentSpec\n');
    const parsed = await loadArgoCdSettingsFile(path);
    assert.match(parsed.warnings.join(), /type "apps\/v1\/DeploymentSpec" is not supported/);
  });
});
