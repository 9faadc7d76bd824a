/**
 * GIVEN Lua health checks from argocd-cm and from a health folder, WHEN an object's health is assessed, THEN the
 * script Argo CD would pick judges it (argocd-cm exact, argocd-cm wildcard, folder exact, folder wildcard, then
 * Launchpad's built-in rules), and a failing script makes that object Unknown with a message naming the script.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { assessHealth } from '../../../src/health/index.js';
import {
  findHealthScript, luaHealthFromArgoCdConfigMap, NO_CUSTOM_HEALTH_CHECKS, setCustomHealthChecks,
} from '../../../src/health/lua/index.js';
import type { CustomHealthCheck } from '../../../src/health/lua/index.js';
import type { KubeObject } from '../../../src/model/resource.js';

afterEach(() => {
  setCustomHealthChecks(NO_CUSTOM_HEALTH_CHECKS);
});

const verdict = (status: string, message: string): string => `return {status = "${status}", message = "${message}"}`;
const check = (key: string, source: string, origin = `${key}/health.lua`): CustomHealthCheck => ({ key, script: { source, origin, openLibs: true } });

const deployment: KubeObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', generation: 1 },
  spec: { replicas: 1 }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1 },
};
const bucket: KubeObject = { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', metadata: { name: 'logs' }, status: {} };

test('argocd-cm split keys and the legacy blob give scripts named by their key; useOpenLibs is read', () => {
  const checks = luaHealthFromArgoCdConfigMap({
    'resource.customizations.health.example.io_Widget': verdict('Degraded', 'split'),
    'resource.customizations.useOpenLibs.example.io_Widget': 'true',
    'resource.customizations.health.ConfigMap': verdict('Healthy', 'core'),
    'resource.customizations.health.all': verdict('Suspended', 'all'),
    'resource.customizations': 'legacy.io/Gadget:\n  health.lua: |\n    return {status = "Progressing"}\n',
  });
  const byKey = new Map(checks.map((entry) => [entry.key, entry.script]));
  assert.deepEqual(byKey.get('example.io/Widget'), { source: verdict('Degraded', 'split'), origin: 'argocd-cm resource.customizations.health.example.io_Widget', openLibs: true });
  assert.equal(byKey.get('ConfigMap')?.openLibs, false);
  assert.equal(byKey.get('*/*')?.origin, 'argocd-cm resource.customizations.health.all');
  assert.equal(byKey.get('legacy.io/Gadget')?.origin, 'argocd-cm resource.customizations "legacy.io/Gadget" health.lua');
});

test('precedence: argocd-cm exact, then argocd-cm wildcard, then folder exact, then folder wildcard', () => {
  const folder = [check('s3.aws.upbound.io/Bucket', verdict('Healthy', 'folder exact')), check('*.upbound.io/*', verdict('Healthy', 'folder wildcard'))];
  const configMap = [check('*.aws.upbound.io/*', verdict('Healthy', 'cm wildcard')), check('s3.aws.upbound.io/Bucket', verdict('Healthy', 'cm exact'))];
  const pick = (checks: { argoCdConfigMap: CustomHealthCheck[]; folder: CustomHealthCheck[] }): string | undefined => findHealthScript('s3.aws.upbound.io/Bucket', checks)?.source;
  assert.equal(pick({ argoCdConfigMap: configMap, folder }), verdict('Healthy', 'cm exact'));
  assert.equal(pick({ argoCdConfigMap: configMap.slice(0, 1), folder }), verdict('Healthy', 'cm wildcard'));
  assert.equal(pick({ argoCdConfigMap: [], folder }), verdict('Healthy', 'folder exact'));
  assert.equal(pick({ argoCdConfigMap: [], folder: folder.slice(1) }), verdict('Healthy', 'folder wildcard'));
});

test('wildcards match as in Argo CD: a config-map * spans "/", a folder * stays within one segment', () => {
  const checks = { argoCdConfigMap: [check('*', verdict('Healthy', 'any'))], folder: [] };
  assert.equal(findHealthScript('apps/Deployment', checks)?.origin, '*/health.lua');
  assert.equal(findHealthScript('Pod', { argoCdConfigMap: [check('*/*', verdict('Healthy', 'x'))], folder: [] }), undefined, 'all (*/*) does not reach core kinds');
  assert.equal(findHealthScript('a.b.upbound.io/Bucket', { argoCdConfigMap: [], folder: [check('*.upbound.io/*', 'x')] })?.origin, '*.upbound.io/*/health.lua');
  assert.equal(findHealthScript('upbound.io/x/Bucket', { argoCdConfigMap: [], folder: [check('*/*', 'x')] }), undefined);
});

test('a Lua check replaces the built-in rule of its kind; other kinds keep theirs', () => {
  assert.equal(assessHealth(deployment).status, 'Healthy');
  setCustomHealthChecks({ argoCdConfigMap: [check('apps/Deployment', 'return {status = "Degraded", message = "replicas " .. obj.spec.replicas}')] });
  assert.deepEqual(assessHealth(deployment), { status: 'Degraded', message: 'replicas 1' });
  assert.deepEqual(assessHealth({ ...deployment, kind: 'StatefulSet', status: {} }).status, 'Progressing');
});

test('a failing script makes the object Unknown, naming the object, the script and the line', () => {
  setCustomHealthChecks({ folder: [check('*.upbound.io/*', 'local hs = {}\nhs.status = obj.status.atProvider.state\nreturn hs', '/checks/_.upbound.io/_/health.lua')] });
  assert.deepEqual(assessHealth(bucket), {
    status: 'Unknown',
    message: "Bucket \"logs\": health check failed: Lua error in /checks/_.upbound.io/_/health.lua:2: attempt to index a nil value (field 'atProvider')",
  });
});

test('an object being deleted is Progressing before any script runs; an absent one is Missing', () => {
  setCustomHealthChecks({ folder: [check('s3.aws.upbound.io/Bucket', 'while true do end')] });
  const deleting = { ...bucket, metadata: { ...bucket.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
  assert.equal(assessHealth(deleting).status, 'Progressing');
  assert.equal(assessHealth(undefined).status, 'Missing');
});

test('a script that returns no health leaves the object Healthy (Argo CD shows none and counts it as no worse)', () => {
  setCustomHealthChecks({ folder: [check('s3.aws.upbound.io/Bucket', 'return {}')] });
  assert.deepEqual(assessHealth(bucket), { status: 'Healthy', message: '' });
});
