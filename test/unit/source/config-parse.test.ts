import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { parseConfig } from '../../../src/source/config-parse.js';

const FILE = '/work/checkout/launchpad.yaml';

describe('parseConfig', () => {
  test('GIVEN the documented example WHEN parsed THEN each entry maps its URL to a folder or a mirror', () => {
    const config = parseConfig(
      [
        '# launchpad.yaml',
        'repositories:',
        '  - url: https://git.forteapps.net/Forte/launchpad',
        '    path: launchpad',
        '  - url: git@github.com:fortedigital/helm-prod-values.git',
        '    path: ../helm-prod-values',
        '    revision: main',
        '  - url: https://charts.example.com/stable',
        '    replaceWith: https://mirror.internal/stable',
        '',
      ].join('\n'),
      FILE,
    );
    assert.deepEqual(
      config.repositories.map(({ url, path, revision, replaceWith, normalisedURL }) => ({ url, path, revision, replaceWith, normalisedURL })),
      [
        { url: 'https://git.forteapps.net/Forte/launchpad', path: '/work/checkout/launchpad', revision: undefined, replaceWith: undefined, normalisedURL: 'https://git.forteapps.net/forte/launchpad' },
        { url: 'git@github.com:fortedigital/helm-prod-values.git', path: '/work/helm-prod-values', revision: 'main', replaceWith: undefined, normalisedURL: 'git@github.com/fortedigital/helm-prod-values' },
        { url: 'https://charts.example.com/stable', path: undefined, revision: undefined, replaceWith: 'https://mirror.internal/stable', normalisedURL: 'https://charts.example.com/stable' },
      ],
    );
    assert.deepEqual(config.warnings, []);
    assert.deepEqual(config.repositories[0]?.position, { file: FILE, line: 3, column: 5 });
  });

  test('GIVEN an empty file THEN there are no mappings', () => {
    assert.deepEqual(parseConfig('', FILE).repositories, []);
    assert.deepEqual(parseConfig('repositories:\n', FILE).repositories, []);
  });

  test('GIVEN unknown keys THEN they are warnings with file:line:col, not errors', () => {
    const config = parseConfig('repositorys: []\nrepositories:\n  - url: https://h/r\n    path: r\n    branch: main\n', FILE);
    assert.equal(config.repositories.length, 1);
    assert.deepEqual(config.warnings, [
      `${FILE}:1:1: repositorys: unknown key, ignored — known keys: repositories, limits, clusters, plugins, health`,
      `${FILE}:5:5: repositories[0].branch: unknown key, ignored — known keys: url, path, revision, replaceWith, charts`,
    ]);
  });

  const ERRORS: ReadonlyArray<{ readonly name: string; readonly text: string; readonly message: RegExp }> = [
    { name: 'both path and replaceWith', text: 'repositories:\n  - url: https://h/r\n    path: r\n    replaceWith: https://m/r\n', message: /launchpad\.yaml:4:18: repositories\[0\]: has both "path" and "replaceWith" — keep one/ },
    { name: 'neither path nor replaceWith', text: 'repositories:\n  - url: https://h/r\n    revision: main\n', message: /:2:5: repositories\[0\]: says nothing to do with https:\/\/h\/r — add "path:"/ },
    { name: 'no url', text: 'repositories:\n  - path: r\n', message: /:2:5: repositories\[0\]: has no url/ },
    { name: 'a numeric revision', text: 'repositories:\n  - url: https://h/r\n    path: r\n    revision: 1.10\n', message: /:4:15: repositories\[0\]\.revision: must be a non-empty string — write it as a quoted string/ },
    { name: 'repositories as a map', text: 'repositories:\n  url: https://h/r\n', message: /:2:3: repositories: must be a list/ },
    { name: 'an entry that is a string', text: 'repositories:\n  - https://h/r\n', message: /:2:5: repositories\[0\]: must be a map/ },
    { name: 'a top level list', text: '- url: x\n', message: /:1:1: launchpad\.yaml must be a map/ },
    { name: 'bad YAML', text: 'repositories:\n  - url: [\n', message: /launchpad\.yaml:\d+:\d+: not valid YAML/ },
    { name: 'one repository twice', text: 'repositories:\n  - url: https://h/Org/R.git\n    path: a\n  - url: https://h/org/r\n    path: b\n', message: /:4:5: repositories\[1\]: maps https:\/\/h\/org\/r again \(first at .*:2:5\)/ },
  ];
  for (const { name, text, message } of ERRORS) {
    test(`GIVEN ${name} WHEN parsed THEN an InputError points at it`, () => {
      assert.throws(() => parseConfig(text, FILE), (error: unknown) => {
        assert.ok(error instanceof InputError, String(error));
        assert.match(error.message, message);
        return true;
      });
    });
  }
});
