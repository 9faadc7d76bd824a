import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPosition } from '../../../src/errors.js';
import type { InputError } from '../../../src/errors.js';
import { describeDocument, describeRendered } from '../../../src/model/describe.js';
import { formatWarning } from '../../../src/model/findings.js';
import { validateApplication } from '../../../src/model/validate-application.js';
import { parseYamlDocuments } from '../../../src/model/yaml-documents.js';
import { fixturePath, readFixture } from './fixtures.js';

interface Expected {
  readonly at: string;
  readonly field: string | undefined;
  readonly text: string;
  readonly fix: string;
}

/** Validates the single document of a fixture, placed by its real file positions. */
function validateFixture(name: string): ReturnType<typeof validateApplication> {
  const parsed = parseYamlDocuments(readFixture(name), fixturePath(name));
  const [document] = parsed.documents;
  assert.ok(document !== undefined, `fixture ${name} has a document`);
  return validateApplication(document.value, describeDocument(document));
}

function assertErrors(errors: readonly InputError[], expected: readonly Expected[]): void {
  assert.deepEqual(
    errors.map((e) => ({ at: formatPosition(e.position), field: e.fieldPath, fix: e.fix })),
    expected.map((e) => ({ at: e.at, field: e.field, fix: e.fix })),
  );
  errors.forEach((error, i) => {
    const e = expected[i];
    assert.ok(e !== undefined);
    const field = e.field === undefined ? '' : ` ${e.field}:`;
    assert.equal(error.message, `${e.at}:${field} ${e.text} — ${e.fix}`);
  });
}

const f = (name: string, position: string): string => `${fixturePath(name)}:${position}`;

const badFixtures: readonly { name: string; fixture: string; errors: readonly Expected[] }[] = [
  {
    name: 'an Application without destination',
    fixture: 'application-missing-destination.yaml',
    errors: [
      {
        at: f('application-missing-destination.yaml', '5:1'),
        field: 'spec.destination',
        text: 'required field is missing',
        fix: 'add destination: set server (e.g. https://kubernetes.default.svc) or name (a cluster registered by name), and a namespace',
      },
    ],
  },
  {
    name: 'an Application without source or sources',
    fixture: 'application-missing-source.yaml',
    errors: [
      {
        at: f('application-missing-source.yaml', '5:1'),
        field: 'spec',
        text: 'an Application needs spec.source or spec.sources',
        fix: 'add spec.source with repoURL and path (or chart), or spec.sources as a list of such sources',
      },
    ],
  },
  {
    name: 'a source with both chart and ref',
    fixture: 'application-chart-and-ref.yaml',
    errors: [
      {
        at: f('application-chart-and-ref.yaml', '10:7'),
        field: 'spec.sources[0].ref',
        text: 'a source with both chart and ref is not supported',
        fix: 'split it in two sources: one with chart (and its helm settings), one with repoURL and ref for the repository the value files come from',
      },
    ],
  },
  {
    name: 'a value file naming a ref that no source defines',
    fixture: 'application-unknown-ref.yaml',
    errors: [
      {
        at: f('application-unknown-ref.yaml', '11:13'),
        field: 'spec.sources[0].helm.valueFiles[0]',
        text: 'value file "$vals/musicman/values.yaml" refers to ref "vals", which no source defines (refs defined: "values")',
        fix: 'use $values/…, or add ref: vals to the source that holds musicman/values.yaml',
      },
    ],
  },
  {
    name: 'a sync wave that is not an integer',
    fixture: 'application-sync-wave-not-integer.yaml',
    errors: [
      {
        at: f('application-sync-wave-not-integer.yaml', '6:5'),
        field: 'metadata.annotations["argocd.argoproj.io/sync-wave"]',
        text: 'sync wave "first" is not an integer',
        fix: 'use a whole number in quotes, such as "-1", "0" or "2"; lower waves sync first',
      },
    ],
  },
  {
    name: 'a destination with both server and name',
    fixture: 'application-server-and-name.yaml',
    errors: [
      {
        at: f('application-server-and-name.yaml', '11:5'),
        field: 'spec.destination.name',
        text: 'a destination can\'t have both name and server (name "in-cluster", server "https://kubernetes.default.svc")',
        fix: 'keep one: server for the API server URL, or name for a cluster registered by name',
      },
    ],
  },
  {
    name: 'several problems at once, in file order',
    fixture: 'application-many-errors.yaml',
    errors: [
      {
        at: f('application-many-errors.yaml', '4:3'),
        field: 'metadata.name',
        text: '"Renovate_Bot" is not a valid name: use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit (at most 253 characters)',
        fix: 'rename it, e.g. "renovate-bot"',
      },
      {
        at: f('application-many-errors.yaml', '6:3'),
        field: 'spec.source.repoURL',
        text: 'required field is missing',
        fix: 'set repoURL to the git repository (https://… or git@…) or Helm repository the source comes from',
      },
      {
        at: f('application-many-errors.yaml', '9:7'),
        field: 'spec.source.directory.recurse',
        text: 'must be a boolean, got the string "yes"',
        fix: 'write true without quotes',
      },
      {
        at: f('application-many-errors.yaml', '10:3'),
        field: 'spec.destination',
        text: 'the destination needs server or name',
        fix: 'set server (e.g. https://kubernetes.default.svc) or name (a cluster registered by name), and a namespace',
      },
      {
        at: f('application-many-errors.yaml', '14:7'),
        field: 'spec.syncPolicy.retry.limit',
        text: 'must be an integer, got the string "five"',
        fix: 'write a whole number such as 5',
      },
      {
        at: f('application-many-errors.yaml', '16:9'),
        field: 'spec.syncPolicy.retry.backoff.duration',
        text: '"5 seconds" is not a duration',
        fix: 'use Go duration syntax such as "5s", "3m" or "1h2m"',
      },
      {
        at: f('application-many-errors.yaml', '18:9'),
        field: 'spec.syncPolicy.syncOptions[0]',
        text: 'sync option "CreateNamespace" is not of the form Key=Value',
        fix: 'write it like "CreateNamespace=true"',
      },
    ],
  },
];

for (const c of badFixtures) {
  test(`rejected with file:line:col, field path and fix: ${c.name}`, () => {
    // GIVEN a fixture with a mistake WHEN it is validated
    const result = validateFixture(c.fixture);
    // THEN it is rejected and each error says where, which field, what and how to fix it
    assert.equal(result.ok, false);
    assertErrors(result.errors, c.errors);
  });
}

test('an unknown field is a warning only, with a spelling hint, and the Application is still valid', () => {
  // GIVEN an Application with a misspelt and a future field WHEN it is validated
  const result = validateFixture('application-unknown-field.yaml');
  // THEN it is valid, and the warnings point at the keys
  assert.equal(result.ok, true);
  assert.deepEqual(result.warnings.map(formatWarning), [
    `${fixturePath('application-unknown-field.yaml')}:10:5: spec.source.helmm: unknown field "helmm" is ignored — did you mean "helm"?`,
    `${fixturePath('application-unknown-field.yaml')}:15:3: spec.someFutureField: unknown field "someFutureField" is ignored — known fields here: project, source, sources, destination, syncPolicy, ignoreDifferences, revisionHistoryLimit, info, sourceHydrator`,
  ]);
});

test('a rendered child Application is described by name and by the root that rendered it', () => {
  // GIVEN an Application object produced by rendering a root app-of-apps (no file, no positions)
  const child = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'musicman', annotations: { 'argocd.argoproj.io/sync-wave': 'late' } },
    spec: { source: { repoURL: 'https://git.forteapps.net/Forte/forte-helm', path: 'forteapp' } },
  };
  // WHEN it is validated with a rendered description
  const result = validateApplication(child, describeRendered(child, { renderedBy: ['upc-dev-root'] }));
  // THEN the errors name the Application and its root instead of a file position
  assert.equal(result.ok, false);
  assert.deepEqual(
    result.errors.map((e) => e.message),
    [
      'Application "musicman" (rendered by root "upc-dev-root"): metadata.annotations["argocd.argoproj.io/sync-wave"]: sync wave "late" is not an integer — use a whole number in quotes, such as "-1", "0" or "2"; lower waves sync first',
      'Application "musicman" (rendered by root "upc-dev-root"): spec.destination: required field is missing — add destination: set server (e.g. https://kubernetes.default.svc) or name (a cluster registered by name), and a namespace',
    ],
  );
});

test('a rendered Application deeper in the tree names its parent, its root and the path it came from', () => {
  const child = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'musicman' }, spec: {} };
  const describe = describeRendered(child, { renderedBy: ['upc-dev-root', 'enterprise-apps'], path: 'apps/overlays/upc-dev' });
  assert.deepEqual(describe(['spec']), { file: 'Application "musicman" (rendered by "enterprise-apps" under root "upc-dev-root" from apps/overlays/upc-dev)' });
});
