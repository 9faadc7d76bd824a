/**
 * GIVEN the CI examples, THEN every workflow is valid YAML that runs `launchpad diff -o markdown` and posts with
 * upsert-comment.mjs; AND GIVEN a values-repo pull request merged as CI checks it out (a merge commit), WHEN the
 * workflow's command and the comment script run against a stand-in of the GitHub/Gitea API, THEN one comment is
 * created, and the second run updates it instead of adding another.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { edit, launchpad, platformAsThreeRepos, repoRoot, tempDir } from './helpers.js';

const CI = join(repoRoot, 'examples/ci');

interface Step {
  readonly run?: string;
  readonly uses?: string;
}

describe('CI workflow files', () => {
  for (const file of ['github/config-repo.yaml', 'github/values-repo.yaml', 'gitea/config-repo.yaml', 'gitea/values-repo.yaml']) {
    test(`GIVEN ${file} THEN it runs on pull requests, diffs as markdown and upserts one comment`, async () => {
      const workflow = parse(await readFile(join(CI, file), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, { steps: Step[] }> };
      assert.ok('pull_request' in workflow.on);
      const runs = Object.values(workflow.jobs).flatMap((job) => job.steps).map((step) => step.run ?? '').join('\n');
      assert.match(runs, /launchpad\.js diff --config \.\.\/launchpad\.ci\.yaml (--base HEAD\^1 --head HEAD|--revision "\$\{VALUES_REPO_URL\}=HEAD\^1\.\.HEAD") -o markdown/);
      assert.match(runs, /upsert-comment\.mjs diff\.md/);
    });
  }
  test('THEN the README lists each workflow', async () => {
    const readme = await readFile(join(CI, 'README.md'), 'utf8');
    for (const folder of ['github', 'gitea']) for (const file of await readdir(join(CI, folder))) assert.ok(readme.includes(`${folder}/${file}`), file);
  });
});

interface Comment {
  id: number;
  body: string;
}

/** The slice of the GitHub/Gitea issue-comment API the script uses: [status, body] for a request. */
function route(comments: Comment[], request: { method: string; url: URL; authorization: string | undefined; body: string }): [number, unknown] {
  if (request.authorization !== 'token secret-token') return [401, { message: 'bad token' }];
  const path = request.url.pathname;
  if (request.method === 'GET' && path === '/repos/org/values/issues/7/comments') {
    return [200, request.url.searchParams.get('page') === '1' ? [{ id: 1, body: 'LGTM' }, ...comments] : []];
  }
  if (request.method === 'POST' && path === '/repos/org/values/issues/7/comments') {
    const comment = { id: 100 + comments.length, body: (JSON.parse(request.body) as { body: string }).body };
    comments.push(comment);
    return [201, comment];
  }
  const existing = comments.find((comment) => path === `/repos/org/values/issues/comments/${comment.id}`);
  if (request.method === 'PATCH' && existing !== undefined) {
    existing.body = (JSON.parse(request.body) as { body: string }).body;
    return [200, existing];
  }
  return [404, { message: 'not found' }];
}

function fakeForge(comments: Comment[]): ReturnType<typeof createServer> {
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const [status, answer] = route(comments, { method: request.method ?? 'GET', url: new URL(request.url ?? '/', 'http://forge'), authorization: request.headers.authorization, body });
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
}

describe('a values-repo pull request as the workflow runs it', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let cache: Awaited<ReturnType<typeof tempDir>>;
  const comments: Comment[] = [];
  const server = fakeForge(comments);

  before(async () => {
    work = await tempDir('launchpad-preview-ci-');
    cache = await tempDir('launchpad-preview-ci-cache-');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { values } = await platformAsThreeRepos(work.dir);
    await values.git('checkout', '-q', '-b', 'bump');
    await edit(values, 'mcp10x/values.yaml', 'tag: ', 'tag: 9.9.9 # was ');
    await values.commit({}, 'mcp10x 9.9.9');
    await values.git('checkout', '-q', 'main');
    await values.git('merge', '-q', '--no-ff', '-m', 'Merge pull request #7', 'bump');
    await writeFile(join(work.dir, 'launchpad.ci.yaml'), 'repositories:\n  - url: https://git.forteapps.net/Forte/launchpad\n    path: launchpad\n  - url: https://git.forteapps.net/Forte/forte-helm\n    path: forte-helm\n  - url: git@github.com:fortedigital/helm-prod-values.git\n    path: helm-prod-values\n');
  });
  after(async () => {
    server.close();
    await work.remove();
    await cache.remove();
  });

  test('GIVEN the merge commit THEN the diff shows mcp10x, and the comment is created once and then updated', async () => {
    const result = launchpad({ cwd: join(work.dir, 'launchpad'), cacheHome: cache.dir }, 'diff', '--config', '../launchpad.ci.yaml', '--revision', 'git@github.com:fortedigital/helm-prod-values.git=HEAD^1..HEAD', '--offline', '-o', 'markdown');
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /<details><summary>~ <b>mcp10x<\/b>/);
    await writeFile(join(work.dir, 'diff.md'), result.stdout);
    const port = (server.address() as AddressInfo).port;
    const upsert = (): Promise<{ stdout: string }> => promisify(execFile)(process.execPath, [join(CI, 'upsert-comment.mjs'), 'diff.md'], {
      cwd: work.dir, timeout: 30_000, env: { ...process.env, API_URL: `http://127.0.0.1:${port}`, TOKEN: 'secret-token', REPO: 'org/values', PR: '7' },
    });
    const first = await upsert();
    assert.match(first.stdout, /created comment 100/);
    const second = await upsert();
    assert.match(second.stdout, /updated comment 100/);
    assert.equal(comments.length, 1);
    assert.ok(comments[0]?.body.startsWith('<!-- launchpad-diff -->'));
  });
});
