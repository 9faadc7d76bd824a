/**
 * GIVEN `launchpad release set-image` run as CI runs it, THEN exit codes are 0 done / 1 nothing to do / 2 error,
 * `-o json` is one object a pipeline can read, bad input is refused before anything is fetched, AND GIVEN the
 * values repository behind a git HTTP server with a token in its URL, THEN the push works and the token never
 * appears in any output.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGitHttpServer } from '../../../src/testing/git-http-server.js';
import type { GitHttpServer } from '../../../src/testing/git-http-server.js';
import { git, repoRoot, valuesRemote } from './helpers.js';
import type { ValuesRemote } from './helpers.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function release(cwd: string, ...args: string[]): Run {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin/launchpad.js'), 'release', 'set-image', '--author', 'CI <ci@launchpad.invalid>', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('launchpad release set-image (CLI)', () => {
  let values: ValuesRemote;
  let clone: string;
  before(async () => {
    values = await valuesRemote();
    clone = await values.clone('checkout');
  });
  after(async () => values.remove());

  test('GIVEN a new tag THEN exit 0 and JSON with old, new, commit and attempts', () => {
    const run = release(clone, '--repo', '.', '--app', 'argocd-mcp', '--tag', '0.7.0', '--ci-url', 'https://ci.example/1', '-o', 'json');
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.equal(json.schema, 'launchpad.release/v1');
    assert.equal(json.outcome, 'updated');
    assert.equal(json.previous, '0.6.1');
    assert.equal(json.next, '0.7.0');
    assert.equal(json.commit, git(values.remote, 'rev-parse', 'main'));
    assert.equal(json.attempts, 1);
  });

  test('GIVEN the same tag again THEN exit 1 (nothing to do)', () => {
    const run = release(clone, '--repo', '.', '--app', 'argocd-mcp', '--tag', '0.7.0');
    assert.equal(run.code, 1);
    assert.match(run.stdout, /argocd-mcp: app\.image\.tag already is 0\.7\.0 in argocd-mcp\/values\.yaml on main; nothing to do/);
  });

  const refused: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
    ['latest', ['--tag', 'latest'], /--tag: the tag "latest" moves/],
    ['an empty tag', ['--tag', ''], /--tag: the tag is empty/],
    ['whitespace', ['--tag', '1.0 '], /contains whitespace/],
    ['a tag outside --allow-tags', ['--tag', '1.0.0-dirty', '--allow-tags', '\\d+\\.\\d+\\.\\d+'], /does not match --allow-tags/],
    ['a missing key', ['--tag', '1.0.0', '--key', 'app.image.version'], /argocd-mcp\/values\.yaml:\d+: app\.image\.version not found: app\.image has no key "version"/],
    ['a missing cluster file', ['--tag', '1.0.0', '--cluster', 'upc-test'], /argocd-mcp\/values-upc-test\.yaml: not found in/],
    ['a missing branch', ['--tag', '1.0.0', '--branch', 'release'], /has no branch release — pass --branch/],
  ];
  for (const [name, args, message] of refused) {
    test(`GIVEN ${name} THEN exit 2 with the reason, and nothing pushed`, () => {
      const head = git(values.remote, 'rev-parse', 'main');
      const run = release(clone, '--repo', '.', '--app', 'argocd-mcp', ...args, '-o', 'json');
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.equal((JSON.parse(run.stdout) as { outcome: string }).outcome, 'error');
      assert.equal(git(values.remote, 'rev-parse', 'main'), head);
    });
  }
});

/** As release(), without blocking this process: the git HTTP server answers from it. */
function releaseAsync(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin/launchpad.js'), 'release', 'set-image', '--author', 'CI <ci@launchpad.invalid>', ...args], { cwd, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('launchpad release set-image to a URL with credentials', () => {
  let values: ValuesRemote;
  let server: GitHttpServer;
  const token = 'glpat-s3cr3t-t0ken';
  before(async () => {
    values = await valuesRemote();
    server = await startGitHttpServer({ root: values.dir, credentials: { username: 'ci-bot', password: token } });
  });
  after(async () => {
    await server.close();
    await values.remove();
  });

  test('GIVEN https://user:token@… THEN the push lands over HTTP and the token is in no output', async () => {
    const url = `${server.base.replace('://', `://ci-bot:${token}@`)}/remote.git`;
    const run = await releaseAsync(values.dir, '--repo', url, '--app', 'mcp10x', '--tag', '2.0.9', '--dry-run');
    assert.equal(run.code, 0, run.stderr);
    const pushed = await releaseAsync(values.dir, '--repo', url, '--app', 'mcp10x', '--tag', '2.0.9', '-o', 'json');
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(values.show('mcp10x/values.yaml'), /tag: 2\.0\.9 #/);
    const wrong = await releaseAsync(values.dir, '--repo', url.replace(token, 'wrong-password'), '--app', 'mcp10x', '--tag', '2.1.0');
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /was refused: .* — give git credentials/);
    for (const output of [run, pushed, wrong]) assert.ok(!`${output.stdout}${output.stderr}`.includes(token) && !`${output.stdout}${output.stderr}`.includes('wrong-password'), 'a secret leaked');
  });
});
