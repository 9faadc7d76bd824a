/**
 * GIVEN YAML with a key repeated in one mapping, WHEN it is parsed as rendered output (Git inputs) or as live objects
 * (`launchpad health -f`), THEN the first is refused with file and line and the second decodes as Kubernetes does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { parseKubeObjects } from '../../../src/model/rendered-objects.js';

const TEXT = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: blue
---
apiVersion: v1
kind: Pod
metadata:
  name: api
status:
  phase: Running
  phase: Failed
`;

test('rendered output from Git keeps refusing a repeated key, with the file and the line', () => {
  assert.throws(() => parseKubeObjects(TEXT, { source: 'apps/api/pod.yaml' }), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /apps\/api\/pod\.yaml:14/);
    assert.match(error.message, /duplicated mapping key/);
    return true;
  });
});

test('live objects: the last value wins, as in Kubernetes\' decoding, and the other documents are untouched', () => {
  const [configMap, pod] = parseKubeObjects(TEXT, { source: 'live.yaml', duplicateKeys: 'last-wins' });
  assert.deepEqual(configMap?.data, { mode: 'blue' });
  assert.deepEqual(pod?.status, { phase: 'Failed' });
});
