import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SourceError } from '../../../src/errors.js';
import { REMOTE_HEAD_REF, checkRevisionSyntax, isFullSha, looksLikeSha, revisionCandidates } from '../../../src/source/git-revision.js';

const CANDIDATES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['', [REMOTE_HEAD_REF]],
  ['HEAD', [REMOTE_HEAD_REF]],
  ['main', ['refs/heads/main', 'refs/tags/main']],
  ['v1.0.0', ['refs/heads/v1.0.0', 'refs/tags/v1.0.0']],
  ['refs/tags/v1', ['refs/tags/v1']],
  ['ABCDEF1', ['refs/heads/ABCDEF1', 'refs/tags/ABCDEF1', 'abcdef1']],
  ['abc123', ['refs/heads/abc123', 'refs/tags/abc123']],
];

for (const [revision, expected] of CANDIDATES) {
  test(`GIVEN targetRevision "${revision}" THEN git is asked for ${expected.join(', ')} in that order`, () => {
    assert.deepEqual(revisionCandidates(revision), expected);
  });
}

test('SHA shapes: full is 40 hex, abbreviated at least 7', () => {
  assert.ok(isFullSha('a'.repeat(40)));
  assert.ok(!isFullSha('a'.repeat(39)));
  assert.ok(looksLikeSha('abcdef0'));
  assert.ok(!looksLikeSha('abcdef'));
  assert.ok(!looksLikeSha('main'));
});

for (const bad of ['--upload-pack=evil', 'main with space', 'a..b', 'x^{tree}', 'x~1', 'x:y', 'branch/', 'x.lock', 'a\nb']) {
  test(`GIVEN targetRevision ${JSON.stringify(bad)} THEN it is refused before git sees it`, () => {
    assert.throws(() => { checkRevisionSyntax('https://h/r', bad); }, (error: unknown) => error instanceof SourceError && /not a branch, tag or commit SHA/.test(error.message));
  });
}

for (const good of ['main', 'feature/x-1', 'v1.2.3', 'release-2026.04', 'HEAD', '', 'refs/heads/main']) {
  test(`GIVEN targetRevision "${good}" THEN it is accepted`, () => { checkRevisionSyntax('https://h/r', good); });
}
