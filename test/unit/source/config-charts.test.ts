/**
 * launchpad.yaml `charts:` — an entry that stands in for some charts of a Helm repository only (a local folder
 * holding part of it): those charts are mapped, the repository's other charts and git sources are not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { findMapping, parseConfig } from '../../../src/source/config.js';

const FILE = '/work/checkout/launchpad.yaml';

function config(entry: string): ReturnType<typeof parseConfig> {
  return parseConfig(`repositories:\n  - url: https://dl.gitea.com/charts/\n    path: ../shared/charts\n${entry}`, FILE);
}

describe('launchpad.yaml charts:', () => {
  test('GIVEN charts: [gitea] THEN gitea is mapped to the folder and the repository\'s other charts are not', () => {
    const parsed = config('    charts: [gitea]\n');
    assert.deepEqual(parsed.repositories[0]?.charts, ['gitea']);
    assert.equal(findMapping(parsed, 'https://dl.gitea.com/charts', 'gitea')?.path, '/work/shared/charts');
    assert.equal(findMapping(parsed, 'https://dl.gitea.com/charts/', 'actions'), undefined);
    assert.equal(findMapping(parsed, 'https://dl.gitea.com/charts/'), undefined, 'a source without a chart (git) is not mapped');
    assert.deepEqual(parsed.warnings, []);
  });

  test('GIVEN no charts: THEN every chart of the repository (and a git source) is mapped', () => {
    const parsed = config('');
    assert.equal(parsed.repositories[0]?.charts, undefined);
    assert.ok(findMapping(parsed, 'https://dl.gitea.com/charts/', 'actions') !== undefined);
    assert.ok(findMapping(parsed, 'https://dl.gitea.com/charts/') !== undefined);
  });

  test('GIVEN charts: that is not a list of names THEN the error names the file, line and field', () => {
    for (const [entry, line] of [['    charts: gitea\n', 4], ['    charts: []\n', 4], ['    charts:\n      - gitea\n      - 12\n', 6]] as const) {
      assert.throws(() => config(entry), (error: unknown) => {
        assert.ok(error instanceof InputError, String(error));
        assert.match(error.message, new RegExp(`launchpad\\.yaml:${line}:\\d+`));
        assert.match(error.message, /repositories\[0\]\.charts/);
        assert.match(error.message, /charts: \[gitea\]/);
        return true;
      });
    }
  });
});
