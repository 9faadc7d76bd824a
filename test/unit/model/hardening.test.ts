/**
 * GIVEN Applications with mistakes the fuzzing of released commands found, WHEN validated, THEN each is named as what
 * it is, at the field a user must edit: an out-of-range sync wave or retry setting (32-bit integers, as Argo CD's Go
 * types read them), invalid YAML inside `helm.values` (with its line inside the values), a ref of the wrong type
 * (a type error, not "unknown ref").
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncWaveOf } from '../../../src/model/application.js';
import { loadManifestFile } from '../../../src/model/load.js';

const APP = (extra: { annotations?: string; helmValues?: string; ref?: string; retry?: string }): string => [
  'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata:', '  name: x', '  namespace: argocd',
  ...(extra.annotations === undefined ? [] : ['  annotations:', `    argocd.argoproj.io/sync-wave: ${extra.annotations}`]),
  'spec:', '  project: default', '  sources:', '    - repoURL: https://example.com/charts', '      path: app', '      helm:', '        valueFiles: [$values/x.yaml]',
  ...(extra.helmValues === undefined ? [] : ['        values: |', ...extra.helmValues.split('\n').map((line) => `          ${line}`)]),
  '    - repoURL: https://example.com/values', `      ref: ${extra.ref ?? 'values'}`,
  '  destination:', '    server: https://kubernetes.default.svc', '    namespace: x',
  ...(extra.retry === undefined ? [] : ['  syncPolicy:', '    retry:', `      ${extra.retry}`]),
  '',
].join('\n');

function errors(text: string): string[] {
  return loadManifestFile(text, 'app.yaml').errors.map((error) => error.message);
}

test('GIVEN a sync wave beyond 32 bits THEN out of range at the annotation, not shown as 1e+26', () => {
  assert.deepEqual(errors(APP({ annotations: '"99999999999999999999999999"' })), [
    'app.yaml:7:5: metadata.annotations["argocd.argoproj.io/sync-wave"]: sync wave "99999999999999999999999999" is out of range (a 32-bit integer: -2147483648 to 2147483647) — use a small whole number such as "-1", "0" or "2"; lower waves sync first',
  ]);
  assert.deepEqual(errors(APP({ annotations: '"-2147483648"' })), []);
  assert.equal(syncWaveOf({ 'argocd.argoproj.io/sync-wave': '99999999999999999999999999' }), 0);
  assert.equal(syncWaveOf({ 'argocd.argoproj.io/sync-wave': '5abc' }), 0);
  assert.equal(syncWaveOf({ 'argocd.argoproj.io/sync-wave': ' -3 ' }), -3);
});

test('GIVEN retry settings beyond 32 bits THEN out of range at each field', () => {
  assert.deepEqual(errors(APP({ retry: 'limit: 99999999999' })), ['app.yaml:20:7: spec.syncPolicy.retry.limit: 99999999999 is out of range (a 32-bit integer: -2147483648 to 2147483647) — use a smaller number']);
  assert.match(errors(APP({ retry: 'backoff: {factor: 3000000000}' }))[0] ?? '', /spec\.syncPolicy\.retry\.backoff\.factor: 3000000000 is out of range/);
});

test('GIVEN invalid YAML in helm.values THEN the error is at spec.sources[0].helm.values with the line inside the values', () => {
  assert.deepEqual(errors(APP({ helmValues: 'replicas: 2\nimage: [nginx\ntag: x' })), [
    'app.yaml:13:9: spec.sources[0].helm.values: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] (line 3, column 1 of the values) — fix the YAML inside the values block: "values: |" followed by indented key: value lines; quote values containing ": " or "#"',
  ]);
  assert.match(errors(APP({ helmValues: 'a: 1\na: 2' }))[0] ?? '', /helm\.values: is not valid YAML: Map keys must be unique; "a" is repeated \(line 2, column 1 of the values\)/);
  assert.match(errors(APP({ helmValues: '- a\n- b' }))[0] ?? '', /helm\.values: must be a YAML mapping of values/);
  assert.deepEqual(errors(APP({ helmValues: 'replicas: 2\nimage: {tag: x}' })), []);
});

test('GIVEN ref: 1 THEN one type error at the ref, and no "unknown ref" for the value files that use it', () => {
  assert.deepEqual(errors(APP({ ref: '1' })), ['app.yaml:14:7: spec.sources[1].ref: must be a string, got the number 1 — quote it: "1"']);
});
