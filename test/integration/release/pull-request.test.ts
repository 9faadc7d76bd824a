/**
 * GIVEN the example platform with its values repository as a clone of a bare remote, WHEN a release goes through a
 * pull request on a stand-in GitHub, Gitea or GitLab API on 127.0.0.1, THEN a branch is pushed (never forced), the
 * request is opened with `launchpad diff`'s preview of the change in its body, and the next release of the same app
 * updates that request instead of opening another one.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createGitRepo } from '../../../src/testing/git-fixtures.js';
import { setImage } from '../../../src/release/index.js';
import { AUTHOR, git, repoRoot } from './helpers.js';
import { startForgeServer } from './forge-server.js';
import type { ForgeServer } from './forge-server.js';

const TOKEN = 'forge-token-7d1e';

interface Platform {
  readonly dir: string;
  readonly values: string;
  readonly remote: string;
  readonly cache: string;
}

/** examples/platform copied; helm-prod-values made a clone of a bare remote, as CI checks it out. */
async function platform(): Promise<Platform> {
  const dir = await mkdtemp(join(tmpdir(), 'launchpad-release-pr-'));
  await cp(join(repoRoot, 'examples/platform'), dir, { recursive: true, dereference: true });
  const values = join(dir, 'helm-prod-values');
  await createGitRepo({ dir: values, files: {}, message: 'values' });
  const remote = join(dir, 'remote.git');
  git(dir, 'clone', '--quiet', '--bare', values, remote);
  git(values, 'remote', 'add', 'origin', remote);
  git(values, 'fetch', '--quiet', 'origin');
  return { dir, values, remote, cache: join(dir, '.cache') };
}

for (const kind of ['github', 'gitea', 'gitlab'] as const) {
  describe(`release set-image --pull-request on ${kind}`, () => {
    let env: Platform;
    let forge: ForgeServer;
    const previous = process.env.LAUNCHPAD_FORGE_TOKEN;
    before(async () => {
      env = await platform();
      forge = await startForgeServer({ kind, token: TOKEN, repo: 'fortedigital/helm-prod-values', prefix: kind === 'github' ? '' : kind === 'gitea' ? '/api/v1' : '/api/v4' });
      process.env.LAUNCHPAD_FORGE_TOKEN = TOKEN;
    });
    after(async () => {
      if (previous === undefined) delete process.env.LAUNCHPAD_FORGE_TOKEN;
      else process.env.LAUNCHPAD_FORGE_TOKEN = previous;
      await forge.close();
      await rm(env.dir, { recursive: true, force: true });
    });

    const release = (tag: string, withPreview: boolean) => setImage({
      repo: env.values, app: 'mcp10x', tag, author: AUTHOR, ciURL: 'https://ci.example/run/42',
      pullRequest: { forge: kind, apiURL: forge.url, project: 'fortedigital/helm-prod-values' },
      ...(withPreview ? { preview: { configFile: join(env.dir, 'launchpad.yaml'), roots: [join(env.dir, 'launchpad/_app-of-apps-upc-dev.yaml')], offline: true, cacheDir: env.cache } } : {}),
    });

    test('GIVEN a new tag THEN a branch is pushed, main is untouched, and the request carries the preview', { timeout: 240_000 }, async () => {
      const mainBefore = git(env.remote, 'rev-parse', 'main');
      const result = await release('2.0.5', kind === 'github');
      assert.equal(result.outcome, 'pull-request');
      assert.equal(result.pullRequest?.action, 'created');
      assert.equal(git(env.remote, 'rev-parse', 'main'), mainBefore);
      assert.match(git(env.remote, 'show', 'launchpad/release/mcp10x:mcp10x/values.yaml'), /tag: 2\.0\.5 # Updated by CI\/CD/);
      const [pull] = forge.pulls;
      assert.equal(pull?.head, 'launchpad/release/mcp10x');
      assert.equal(pull.base, 'main');
      assert.equal(pull.title, 'release: mcp10x 2.0.4 → 2.0.5');
      assert.match(pull.body, /^<!-- launchpad-release -->\n\*\*Release\*\* `mcp10x`: `app\.image\.tag` 2\.0\.4 → \*\*2\.0\.5\*\*/);
      assert.match(pull.body, /Built by https:\/\/ci\.example\/run\/42/);
      if (kind === 'github') {
        // The preview: what upc-dev gets — mcp10x's Deployment with the new image, and nothing else.
        assert.match(pull.body, /<!-- launchpad-diff -->/);
        assert.match(pull.body, /mcp10x/);
        assert.match(pull.body, /-\s+image: "?ghcr\.io\/fortedigital\/10x:2\.0\.4"?/);
        assert.match(pull.body, /\+\s+image: "?ghcr\.io\/fortedigital\/10x:2\.0\.5"?/);
        assert.doesNotMatch(pull.body, /musicman.*changed/);
      } else {
        assert.match(pull.body, /```diff\n--- a\/mcp10x\/values\.yaml[\s\S]*- {4}tag: 2\.0\.4[\s\S]*\+ {4}tag: 2\.0\.5/);
      }
      assert.deepEqual(forge.refused, []);
    });

    test('GIVEN main moved on and a newer tag THEN the same request is updated and its branch only moves forward', { timeout: 240_000 }, async () => {
      const branchBefore = git(env.remote, 'rev-parse', 'launchpad/release/mcp10x');
      // Someone else changes main meanwhile (another app): the request must still show only this change.
      const other = await setImage({ repo: env.remote, app: 'musicman', tag: '1.9.9', author: AUTHOR });
      assert.equal(other.outcome, 'updated');
      const result = await release('2.0.6', false);
      assert.equal(result.pullRequest?.action, 'updated');
      assert.equal(forge.pulls.length, 1);
      assert.equal(forge.pulls[0]?.title, 'release: mcp10x 2.0.4 → 2.0.6');
      const tip = git(env.remote, 'rev-parse', 'launchpad/release/mcp10x');
      git(env.remote, 'merge-base', '--is-ancestor', branchBefore, tip);
      git(env.remote, 'merge-base', '--is-ancestor', 'main', tip);
      assert.equal(git(env.remote, 'diff', '--name-only', 'main', tip), 'mcp10x/values.yaml');
      assert.deepEqual(forge.refused, []);
    });

    test('GIVEN no token THEN refused before anything is pushed, naming the variables', async () => {
      delete process.env.LAUNCHPAD_FORGE_TOKEN;
      try {
        const branch = git(env.remote, 'rev-parse', 'launchpad/release/mcp10x');
        await assert.rejects(release('2.0.7', false), /no .* token in the environment — set LAUNCHPAD_FORGE_TOKEN or/);
        assert.equal(git(env.remote, 'rev-parse', 'launchpad/release/mcp10x'), branch);
      } finally {
        process.env.LAUNCHPAD_FORGE_TOKEN = TOKEN;
      }
    });
  });
}
