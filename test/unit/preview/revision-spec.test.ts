import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRevisionSpec } from '../../../src/preview/index.js';
import { configRange } from '../../../src/preview/revision-spec.js';
import { equivalentURLs } from '../../../src/preview/remote-urls.js';

describe('parseRevisionSpec', () => {
  const cases: ReadonlyArray<readonly [string, { repo: string; base: string | undefined; head: string | undefined }]> = [
    ['git@github.com:fortedigital/helm-prod-values.git=origin/main..HEAD', { repo: 'git@github.com:fortedigital/helm-prod-values.git', base: 'origin/main', head: 'HEAD' }],
    ['https://git.example.com/org/values=main..', { repo: 'https://git.example.com/org/values', base: 'main', head: undefined }],
    ['../values=v1.2.0', { repo: '../values', base: 'v1.2.0', head: 'v1.2.0' }],
    ['values=HEAD~1..HEAD', { repo: 'values', base: 'HEAD~1', head: 'HEAD' }],
  ];
  for (const [text, expected] of cases) {
    test(`GIVEN "${text}" THEN ${JSON.stringify(expected)}`, () => {
      assert.deepEqual({ ...parseRevisionSpec(text) }, expected);
    });
  }
  for (const bad of ['values', '=main..HEAD', 'values=', 'values=..HEAD', 'values=a..b..c']) {
    test(`GIVEN "${bad}" THEN a usage error that shows the form`, () => {
      assert.throws(() => parseRevisionSpec(bad), /<repoURL or folder>=<base>\.\.<head>/);
    });
  }
});

describe('configRange', () => {
  test('GIVEN neither flag THEN no range; --base alone THEN head is the working tree; --head alone THEN an error', () => {
    assert.equal(configRange(undefined, undefined), undefined);
    assert.deepEqual(configRange('main', undefined), { base: 'main', head: undefined });
    assert.throws(() => configRange(undefined, 'HEAD'), /--head needs --base/);
  });
});

describe('equivalentURLs', () => {
  test('GIVEN an https remote THEN its ssh forms are equivalent', () => {
    assert.deepEqual(equivalentURLs('https://github.com/fortedigital/helm-prod-values.git'), [
      'https://github.com/fortedigital/helm-prod-values.git', 'https://github.com/fortedigital/helm-prod-values', 'git@github.com:fortedigital/helm-prod-values', 'ssh://git@github.com/fortedigital/helm-prod-values',
    ]);
  });
  test('GIVEN an scp-like remote THEN its https form is equivalent', () => {
    assert.ok(equivalentURLs('git@git.forteapps.net:Forte/launchpad.git').includes('https://git.forteapps.net/Forte/launchpad'));
  });
  test('GIVEN a local path THEN only itself', () => {
    assert.deepEqual(equivalentURLs('/srv/git/config'), ['/srv/git/config']);
  });
});
