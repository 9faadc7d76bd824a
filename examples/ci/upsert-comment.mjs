#!/usr/bin/env node
// Posts the markdown of `launchpad diff -o markdown` as ONE pull-request comment, updating the previous one instead
// of adding another. The previous comment is found by the hidden marker on the markdown's first line.
// Works with GitHub and Gitea (their issue-comment endpoints are the same); Node >= 20, no dependencies.
//
//   API_URL   https://api.github.com  |  https://gitea.example.com/api/v1
//   TOKEN     a token allowed to comment on pull requests
//   REPO      owner/name
//   PR        the pull request number
//   node upsert-comment.mjs diff.md
import { readFile } from 'node:fs/promises';

const MARKER = '<!-- launchpad-diff -->';
const MAX_PAGES = 50;

function need(name) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    console.error(`upsert-comment: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const api = need('API_URL').replace(/\/+$/, '');
const token = need('TOKEN');
const repo = need('REPO');
const pr = need('PR');
const file = process.argv[2];
if (file === undefined) {
  console.error('usage: upsert-comment.mjs <markdown file>');
  process.exit(2);
}

async function call(method, path, body) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `token ${token}`, accept: 'application/json', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response.status === 204 ? undefined : response.json();
}

async function findPrevious() {
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    // per_page (GitHub) and limit (Gitea) both ask for one large page.
    const comments = await call('GET', `/repos/${repo}/issues/${pr}/comments?per_page=100&limit=50&page=${page}`);
    if (!Array.isArray(comments) || comments.length === 0) return undefined;
    const found = comments.find((comment) => typeof comment.body === 'string' && comment.body.startsWith(MARKER));
    if (found !== undefined) return found;
  }
  return undefined;
}

let body = await readFile(file, 'utf8');
if (!body.startsWith(MARKER)) body = `${MARKER}\n${body}`;
const previous = await findPrevious();
if (previous === undefined) {
  const created = await call('POST', `/repos/${repo}/issues/${pr}/comments`, { body });
  console.log(`upsert-comment: created comment ${created?.id ?? ''}`);
} else {
  await call('PATCH', `/repos/${repo}/issues/comments/${previous.id}`, { body });
  console.log(`upsert-comment: updated comment ${previous.id}`);
}
