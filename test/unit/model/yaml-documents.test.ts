import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPosition } from '../../../src/errors.js';
import { parseYamlDocuments } from '../../../src/model/yaml-documents.js';
import { fixturePath, readFixture } from './fixtures.js';

const MCP10X = fixturePath('application-multi-source-helm.yaml');

const positionCases = [
  { name: 'a scalar field is placed at its key', path: 'metadata.name', at: `${MCP10X}:5:3` },
  { name: 'a list entry is placed at its dash content', path: 'spec.sources[1]', at: `${MCP10X}:27:7` },
  { name: 'a deep list entry', path: 'spec.sources[0].helm.valueFiles[0]', at: `${MCP10X}:23:13` },
  { name: 'a key with dots and slashes, quoted in brackets', path: 'metadata.annotations["argocd.argoproj.io/sync-wave"]', at: `${MCP10X}:8:5` },
  { name: 'a mapping field is placed at its key', path: 'spec.syncPolicy.retry.backoff', at: `${MCP10X}:41:7` },
  { name: 'an absent field falls back to its nearest ancestor', path: 'spec.sources[1].helm.valueFiles[0]', at: `${MCP10X}:27:7` },
  { name: 'an index past the end falls back to the list', path: 'spec.sources[7]', at: `${MCP10X}:16:3` },
  { name: 'the empty path is the document start', path: '', at: `${MCP10X}:2:1` },
];

for (const c of positionCases) {
  test(`positions: ${c.name}`, () => {
    // GIVEN the mcp10x fixture parsed with positions
    const [document] = parseYamlDocuments(readFixture('application-multi-source-helm.yaml'), MCP10X).documents;
    assert.ok(document !== undefined);
    // WHEN a field path is looked up THEN it maps to the line and column an editor shows
    assert.equal(formatPosition(document.positionOf(c.path)), c.at);
  });
}

test('a multi-document file gives each document its value, index and start position; empty documents are skipped', () => {
  // GIVEN three documents, the middle one empty
  const text = 'a: 1\n---\n# only a comment\n---\n\nb:\n  - 2\n';
  // WHEN parsed
  const parsed = parseYamlDocuments(text, 'x.yaml');
  // THEN two documents come back with their original indexes
  assert.deepEqual(
    parsed.documents.map((d) => [d.value, d.origin.documentIndex, d.origin.line, d.origin.column]),
    [
      [{ a: 1 }, 0, 1, 1],
      [{ b: [2] }, 2, 6, 1],
    ],
  );
  assert.deepEqual(parsed.errors, []);
});

test('JSON text is read like YAML, with positions', () => {
  // GIVEN an Application written as JSON
  const text = '{\n  "apiVersion": "argoproj.io/v1alpha1",\n  "kind": "Application",\n  "metadata": {"name": "x"}\n}\n';
  // WHEN parsed THEN the value and positions are there
  const [document] = parseYamlDocuments(text, 'app.json').documents;
  assert.ok(document !== undefined);
  assert.deepEqual(document.value, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x' } });
  assert.equal(formatPosition(document.positionOf(['metadata', 'name'])), 'app.json:4:16');
});

test('merge keys are resolved, as Kubernetes does', () => {
  const [document] = parseYamlDocuments('base: &b {prune: true}\nautomated:\n  <<: *b\n  selfHeal: true\n', 'x.yaml').documents;
  assert.deepEqual(document?.value, { base: { prune: true }, automated: { prune: true, selfHeal: true } });
});

const malformedCases = [
  {
    name: 'a line indented too far',
    text: readFixture('yaml-malformed.yaml'),
    file: fixturePath('yaml-malformed.yaml'),
    message: `${fixturePath('yaml-malformed.yaml')}:7:14: YAML syntax error in document 1: Nested mappings are not allowed in compact mappings — check the indentation of the next lines (a line indented deeper than the keys beside it continues this value), or quote a value that contains ": "`,
  },
  {
    name: 'a key written twice',
    text: 'metadata:\n  name: a\n  name: b\n',
    file: 'x.yaml',
    message: 'x.yaml:3:3: YAML syntax error in document 1: Map keys must be unique; "name" is repeated — remove or rename the repeated key; only one of them would be used',
  },
  {
    name: 'a tab used for indentation',
    text: 'metadata:\n\tname: a\n',
    file: 'x.yaml',
    message: 'x.yaml:2:1: YAML syntax error in document 1: Tabs are not allowed as indentation — indent with spaces; YAML does not allow tabs for indentation',
  },
  {
    name: 'an unclosed quote in the second document',
    text: 'a: 1\n---\nb: "open\n',
    file: 'x.yaml',
    message: 'x.yaml:4:1: YAML syntax error in document 2: Missing closing "quote — close the quote or bracket that was opened earlier',
  },
];

for (const c of malformedCases) {
  test(`malformed YAML is an InputError with file:line:col and a hint: ${c.name}`, () => {
    // GIVEN broken YAML WHEN it is parsed
    const parsed = parseYamlDocuments(c.text, c.file);
    // THEN the broken document is reported, not returned
    assert.deepEqual(parsed.errors.map((e) => e.message), [c.message]);
    assert.equal(parsed.errors[0]?.retryable, false);
  });
}
