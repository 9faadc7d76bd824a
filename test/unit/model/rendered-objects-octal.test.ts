/**
 * Rendered manifests are read as Kubernetes (and Argo CD) read them: YAML 1.1 integers, so a chart's
 * `defaultMode: 0555` is the file mode 0555 (365), not the decimal 555 the API server rejects.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseKubeObjects } from '../../../src/model/rendered-objects.js';

const pod = (volume: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  volumes:\n    - name: scripts\n      configMap:\n        name: scripts\n${volume}`;

test('GIVEN a leading-zero integer WHEN parsed THEN it is octal, as in YAML 1.1', () => {
  const [object] = parseKubeObjects(pod('        defaultMode: 0555\n        items: [{key: a, path: a, mode: 0644}]\n'));
  const configMap = (object?.spec as { volumes: { configMap: { defaultMode: number; items: { mode: number }[] } }[] }).volumes[0]?.configMap;
  assert.equal(configMap?.defaultMode, 0o555);
  assert.equal(configMap.items[0]?.mode, 0o644);
});

test('GIVEN other numbers and quoted strings THEN they keep their meaning', () => {
  const [object] = parseKubeObjects('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  mode: "0755"\nspec: {zero: 0, decimal: 755, hex: 0x1F, octal12: 0o17, float: 1.5, negative: -0755, notOctal: 089}\n');
  assert.deepEqual(object?.data, { mode: '0755' });
  assert.deepEqual(object.spec, { zero: 0, decimal: 755, hex: 31, octal12: 15, float: 1.5, negative: -0o755, notOctal: 89 });
});
