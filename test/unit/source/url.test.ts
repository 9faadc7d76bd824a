import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cacheSlug, isLocalRepoURL, normaliseRepoURL, redactURL, sameRepoURL, splitCredentials, urlSecrets } from '../../../src/source/url.js';

describe('normaliseRepoURL', () => {
  const same: ReadonlyArray<readonly [string, string]> = [
    ['https://git.forteapps.net/Forte/launchpad', 'https://git.forteapps.net/forte/launchpad.git'],
    ['https://GIT.example.com/org/repo/', 'https://git.example.com/org/repo'],
    ['git@github.com:fortedigital/helm-prod-values.git', 'ssh://git@github.com/fortedigital/helm-prod-values'],
    ['git@github.com:fortedigital/helm-prod-values.git', 'git@GitHub.com:fortedigital/helm-prod-values'],
    ['https://user:token@git.example.com/org/repo', 'https://git.example.com/org/repo'],
    ['  https://git.example.com/org/repo.git  ', 'https://git.example.com/org/repo'],
  ];
  for (const [left, right] of same) {
    test(`GIVEN ${left} and ${right} THEN they are the same repository`, () => {
      assert.equal(normaliseRepoURL(left), normaliseRepoURL(right));
      assert.ok(sameRepoURL(left, right));
    });
  }

  const different: ReadonlyArray<readonly [string, string]> = [
    // As in Argo CD: the https and ssh forms of one repository are different URLs unless both are listed.
    ['https://github.com/fortedigital/helm-prod-values', 'git@github.com:fortedigital/helm-prod-values.git'],
    ['https://git.example.com/org/repo', 'https://git.example.com/org/repo2'],
    ['ssh://git@host:2222/org/repo', 'ssh://git@host/org/repo'],
  ];
  for (const [left, right] of different) {
    test(`GIVEN ${left} and ${right} THEN they are different repositories`, () => {
      assert.notEqual(normaliseRepoURL(left), normaliseRepoURL(right));
    });
  }

  test('GIVEN a local path WHEN normalised THEN case and .git are kept (file systems are case-sensitive)', () => {
    assert.equal(normaliseRepoURL('/tmp/Repos/Thing.git/'), 'file:///tmp/Repos/Thing.git');
    assert.equal(normaliseRepoURL('file:///tmp/Repos/Thing.git'), 'file:///tmp/Repos/Thing.git');
  });
});

describe('redactURL', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['https://user:hunter2@git.example.com/org/repo', 'https://***@git.example.com/org/repo'],
    ['https://ghp_TOKEN@github.com/org/repo', 'https://***@github.com/org/repo'],
    ['fatal: unable to access \'http://a:b@127.0.0.1:1/x/\': refused', 'fatal: unable to access \'http://***@127.0.0.1:1/x/\': refused'],
    ['ssh://git@github.com/org/repo', 'ssh://git@github.com/org/repo'],
    ['ssh://git:secret@github.com/org/repo', 'ssh://***@github.com/org/repo'],
    ['git@github.com:org/repo.git', 'git@github.com:org/repo.git'],
    ['https://github.com/org/repo', 'https://github.com/org/repo'],
  ];
  for (const [input, expected] of cases) {
    test(`GIVEN ${input} THEN it prints as ${expected}`, () => { assert.equal(redactURL(input), expected); });
  }
});

test('urlSecrets lists the password and token forms a tool may echo', () => {
  assert.deepEqual(urlSecrets('https://user:p%40ss@host/x'), ['user:p%40ss', 'p%40ss', 'p@ss']);
  assert.deepEqual(urlSecrets('https://TOKEN@host/x'), ['TOKEN']);
  assert.deepEqual(urlSecrets('ssh://git@host/x'), []);
  assert.deepEqual(urlSecrets('https://host/x'), []);
});

test('splitCredentials takes userinfo out of an https URL', () => {
  assert.deepEqual(splitCredentials('https://me:p%40ss@charts.example.com/stable'), { url: 'https://charts.example.com/stable', username: 'me', password: 'p@ss' });
  assert.deepEqual(splitCredentials('https://charts.example.com/stable'), { url: 'https://charts.example.com/stable' });
});

test('isLocalRepoURL: file:// and paths are local, everything else is network', () => {
  for (const url of ['file:///srv/repo', '/srv/repo', './repo', '../repo']) assert.ok(isLocalRepoURL(url), url);
  for (const url of ['https://h/r', 'git@h:o/r', 'ssh://git@h/o/r', 'oci://h/charts']) assert.ok(!isLocalRepoURL(url), url);
});

describe('cacheSlug', () => {
  test('GIVEN one repository written two ways THEN both share one cache entry', () => {
    assert.equal(cacheSlug('https://Git.Example.com/Org/Repo.git'), cacheSlug('https://git.example.com/org/repo'));
  });
  test('GIVEN a URL THEN the slug is readable and ends in a short hash', () => {
    assert.match(cacheSlug('git@github.com:fortedigital/helm-prod-values.git'), /^github\.com-fortedigital-helm-prod-values-[0-9a-f]{10}$/);
    assert.match(cacheSlug('https://u:secret@h.example/x'), /^h\.example-x-[0-9a-f]{10}$/);
  });
  test('GIVEN two different repositories THEN the slugs differ', () => {
    assert.notEqual(cacheSlug('https://h/a/b'), cacheSlug('https://h/a-b'));
  });
});
