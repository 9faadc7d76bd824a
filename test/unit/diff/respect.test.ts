/** RespectIgnoreDifferences=true: ignored fields take their live values in the object about to be applied. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { stopJqWorker } from '../../../src/diff/jq.js';
import { respectIgnoreDifferences } from '../../../src/diff/respect.js';
import type { IgnoreDifference } from '../../../src/model/application.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { fixture } from './fixtures.js';

after(() => stopJqWorker());

function rendered(replicas: number, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'worker', namespace: 'shop', labels: { app: 'worker' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'worker' } },
      template: {
        metadata: { labels: { app: 'worker' } },
        spec: { containers: [{ name: 'metrics', image: 'prom/statsd-exporter:v0.28.0' }, { name: 'web', image }] },
      },
    },
  };
}

const spec = (object: KubeObject): { replicas?: number; template: { spec: { containers: { name: string; image?: string }[] } } } => object.spec as never;

describe('respectIgnoreDifferences', () => {
  const live = fixture('deployment-rescaled-live'); // replicas 5 (kubectl scale), web image nginx:1.27

  test('jsonPointers: the live value replaces the rendered one', async () => {
    const out = await respectIgnoreDifferences(rendered(2, 'nginx:1.27'), live, [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]);
    assert.equal(spec(out).replicas, 5);
  });

  test('jq select by name: the live image lands in the container of that name, whatever its index', async () => {
    const rules: IgnoreDifference[] = [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "web") | .image'] }];
    const out = await respectIgnoreDifferences(rendered(2, 'nginx:1.28'), live, rules);
    assert.deepEqual(spec(out).template.spec.containers, [{ name: 'metrics', image: 'prom/statsd-exporter:v0.28.0' }, { name: 'web', image: 'nginx:1.27' }]);
    assert.equal(spec(out).replicas, 2);
  });

  test('managedFieldsManagers: fields kubectl owns in live are copied', async () => {
    const out = await respectIgnoreDifferences(rendered(2, 'nginx:1.27'), live, [{ group: '*', kind: '*', managedFieldsManagers: ['kubectl'] }]);
    assert.equal(spec(out).replicas, 5);
  });

  test('a selected field the live object lacks is dropped from the object to apply', async () => {
    const out = await respectIgnoreDifferences(rendered(2, 'nginx:1.27'), live, [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/metadata/labels'] }]);
    assert.deepEqual(out.metadata.labels, { app: 'worker' });
    const withExtra = { ...rendered(2, 'nginx:1.27'), metadata: { name: 'worker', namespace: 'shop', annotations: { 'rendered-only': 'x' } } };
    const dropped = await respectIgnoreDifferences(withExtra, live, [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/metadata/annotations/rendered-only'] }]);
    assert.deepEqual(dropped.metadata.annotations, {});
  });

  test('a whole list item selected in live but absent from the render is added back', async () => {
    const sidecarLive: KubeObject = { ...rendered(2, 'nginx:1.27'), spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'istio-proxy', image: 'istio/proxyv2' }] } } } };
    const desired: KubeObject = { ...rendered(2, 'nginx:1.27'), spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } };
    const out = await respectIgnoreDifferences(desired, sidecarLive, [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "istio-proxy")'] }]);
    assert.deepEqual(spec(out).template.spec.containers, [{ name: 'web', image: 'nginx:1.27' }, { name: 'istio-proxy', image: 'istio/proxyv2' }]);
  });

  test('no live object, or no matching rule: the rendered object as it is', async () => {
    const desired = rendered(2, 'nginx:1.27');
    assert.equal(await respectIgnoreDifferences(desired, undefined, [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]), desired);
    assert.equal(await respectIgnoreDifferences(desired, live, [{ group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] }]), desired);
  });

  test('does not change its arguments', async () => {
    const desired = rendered(2, 'nginx:1.27');
    await respectIgnoreDifferences(desired, live, [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]);
    assert.equal(spec(desired).replicas, 2);
  });
});
