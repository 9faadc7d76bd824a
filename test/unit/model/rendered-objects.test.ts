import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { parseKubeObjects } from '../../../src/model/rendered-objects.js';

/** What `helm template` prints: a `# Source:` comment before each document. */
const HELM_OUTPUT = `---
# Source: forteapp/templates/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: mcp10x
---
# Source: forteapp/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: mcp10x
  namespace: mcp10x
spec:
  ports:
    - port: 80
      targetPort: 3000
---
# Source: forteapp/templates/hpa.yaml
# (disabled: the template rendered nothing)
---
# Source: forteapp/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mcp10x
  namespace: mcp10x
spec:
  replicas: 1
`;

test('helm output becomes objects in order; empty documents are skipped', () => {
  // GIVEN helm template output with an empty document WHEN parsed
  const objects = parseKubeObjects(HELM_OUTPUT, { source: 'helm template mcp10x' });
  // THEN every object comes back, in order
  assert.deepEqual(
    objects.map((o) => `${o.kind}/${o.metadata.name ?? ''}`),
    ['Namespace/mcp10x', 'Service/mcp10x', 'Deployment/mcp10x'],
  );
  assert.deepEqual(objects[1]?.spec, { ports: [{ port: 80, targetPort: 3000 }] });
});

test('List kinds are flattened into their items, typed lists too', () => {
  // GIVEN a List and a ConfigMapList WHEN parsed
  const text = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: a}}',
    '  - {apiVersion: v1, kind: ConfigMapList, items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: b}}]}',
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata: {name: c}',
  ].join('\n');
  // THEN the items come back one by one, nested lists included
  assert.deepEqual(parseKubeObjects(text).map((o) => o.kind), ['ServiceAccount', 'ConfigMap', 'Secret']);
});

test('an object without metadata gets an empty one', () => {
  assert.deepEqual(parseKubeObjects('apiVersion: v1\nkind: ConfigMap\n')[0]?.metadata, {});
});

const rejectCases = [
  {
    name: 'a scalar document, named by its index and its helm template',
    text: HELM_OUTPUT.replace('# (disabled: the template rendered nothing)', 'oops'),
    message: 'helm template mcp10x:18: document 3 is the string "oops", not a Kubernetes object (from template forteapp/templates/hpa.yaml) — each document must be a mapping with apiVersion, kind and metadata',
  },
  {
    name: 'a list document',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- a\n- b\n',
    message: 'helm template mcp10x:4: document 2 is a list, not a Kubernetes object — each document must be a mapping with apiVersion, kind and metadata',
  },
  {
    name: 'a document without kind',
    text: '# Source: c/templates/x.yaml\napiVersion: v1\nmetadata: {name: a}\n',
    message: 'helm template mcp10x:1: document 1 has no apiVersion and kind (from template c/templates/x.yaml) — every rendered object needs both, e.g. apiVersion: v1 and kind: ConfigMap',
  },
  {
    name: 'a bad item inside a List',
    text: 'apiVersion: v1\nkind: List\nitems: [3]\n',
    message: 'helm template mcp10x:1: document 1, items[0] is the number 3, not a Kubernetes object — each document must be a mapping with apiVersion, kind and metadata',
  },
  {
    name: 'invalid YAML, with the line and column',
    text: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n',
    message: 'helm template mcp10x:5:1: not valid YAML: unexpected end of the stream within a flow collection — check the template or manifest that produces this line; quote values containing ": " or "#"',
  },
];

for (const c of rejectCases) {
  test(`rejects ${c.name}`, () => {
    // GIVEN rendered output with a bad document WHEN parsed THEN one InputError says which document and what to do
    assert.throws(
      () => parseKubeObjects(c.text, { source: 'helm template mcp10x' }),
      (error: unknown) => error instanceof InputError && error.message === c.message,
    );
  });
}

test('document numbers stay right around leading comments, empty documents and a trailing marker', () => {
  // GIVEN a comment before the first marker, an empty document and a bad fourth document
  const text = '# leading comment\n---\nkind: A\napiVersion: v1\n---\n---\nkind: B\napiVersion: v1\n---\n42\n---\n';
  // WHEN parsed THEN the error names document 4 on line 7
  assert.throws(() => parseKubeObjects(text), /^InputError: <rendered output>:9: document 4 is the number 42,/);
});

test('large output parses quickly', () => {
  // GIVEN 2,000 Deployments (about 0.8 MB) WHEN parsed THEN it takes well under the time the renderer can spare
  const one = (i: number): string =>
    `---\n# Source: c/templates/d${i}.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\n  labels: {app: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.${i}\n          args: ["--a", "--b"]\n`;
  const text = Array.from({ length: 2000 }, (_, i) => one(i)).join('');
  const started = performance.now();
  assert.equal(parseKubeObjects(text).length, 2000);
  assert.ok(performance.now() - started < 3000);
});
