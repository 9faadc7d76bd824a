/**
 * A stand-in for the GitHub, Gitea and GitLab pull-request APIs on 127.0.0.1: a real HTTP server that checks the
 * path, the auth header and the body of each call, keeps the requests it accepted, and answers as the forge does.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredPull {
  readonly number: number;
  title: string;
  body: string;
  readonly head: string;
  readonly base: string;
}

export interface ForgeServer {
  readonly url: string;
  readonly pulls: StoredPull[];
  /** `METHOD path` of every request, and the ones refused. */
  readonly calls: string[];
  readonly refused: string[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

interface Call {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: Json;
}

const AUTH: Readonly<Record<string, (headers: IncomingMessage['headers'], token: string) => boolean>> = {
  github: (headers, token) => headers.authorization === `Bearer ${token}`,
  gitea: (headers, token) => headers.authorization === `token ${token}`,
  gitlab: (headers, token) => headers['private-token'] === token,
};

function githubLike(pulls: StoredPull[], call: Call, repo: string): [number, unknown] | undefined {
  const base = `/repos/${repo}/pulls`;
  if (call.method === 'GET' && call.url.pathname === base) {
    const head = call.url.searchParams.get('head');
    const open = pulls.filter((pull) => head === null || head.endsWith(`:${pull.head}`));
    return [200, open.map((pull) => ({ number: pull.number, html_url: `https://forge.test/${repo}/pulls/${pull.number}`, head: { ref: pull.head }, base: { ref: pull.base } }))];
  }
  if (call.method === 'POST' && call.url.pathname === base) {
    const { title, body, head, base: target } = call.body as { title: string; body: string; head: string; base: string };
    if (typeof title !== 'string' || typeof body !== 'string' || typeof head !== 'string' || typeof target !== 'string') return [422, { message: 'Validation Failed' }];
    const pull = { number: pulls.length + 1, title, body, head, base: target };
    pulls.push(pull);
    return [201, { number: pull.number, html_url: `https://forge.test/${repo}/pulls/${pull.number}`, head: { ref: head }, base: { ref: target } }];
  }
  const existing = pulls.find((pull) => call.url.pathname === `${base}/${pull.number}`);
  if (call.method === 'PATCH' && existing !== undefined) {
    existing.title = String(call.body.title);
    existing.body = String(call.body.body);
    return [200, { number: existing.number, html_url: `https://forge.test/${repo}/pulls/${existing.number}`, head: { ref: existing.head }, base: { ref: existing.base } }];
  }
  return undefined;
}

function gitlab(pulls: StoredPull[], call: Call, project: string): [number, unknown] | undefined {
  const base = `/projects/${encodeURIComponent(project)}/merge_requests`;
  const path = call.url.pathname.replace(/%2F/g, '%2F');
  if (call.method === 'GET' && path === base) return [200, pulls.filter((pull) => pull.head === call.url.searchParams.get('source_branch')).map((pull) => ({ iid: pull.number, web_url: `https://forge.test/${project}/-/merge_requests/${pull.number}` }))];
  if (call.method === 'POST' && path === base) {
    const pull = { number: pulls.length + 1, title: String(call.body.title), body: String(call.body.description), head: String(call.body.source_branch), base: String(call.body.target_branch) };
    pulls.push(pull);
    return [201, { iid: pull.number, web_url: `https://forge.test/${project}/-/merge_requests/${pull.number}` }];
  }
  const existing = pulls.find((pull) => path === `${base}/${pull.number}`);
  if (call.method === 'PUT' && existing !== undefined) {
    existing.title = String(call.body.title);
    existing.body = String(call.body.description);
    return [200, { iid: existing.number, web_url: `https://forge.test/${project}/-/merge_requests/${existing.number}` }];
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Json);
}

/** `kind` decides the auth header and routes; `prefix` is the API root's path (`/api/v1` for Gitea, `/api/v4` for GitLab). */
export async function startForgeServer(options: { readonly kind: 'github' | 'gitea' | 'gitlab'; readonly token: string; readonly repo: string; readonly prefix?: string }): Promise<ForgeServer> {
  const pulls: StoredPull[] = [];
  const calls: string[] = [];
  const refused: string[] = [];
  const prefix = options.prefix ?? '';
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const call: Call = { method: request.method ?? '', url: new URL(url.pathname.slice(prefix.length) + url.search, 'http://127.0.0.1'), headers: request.headers, body: await readBody(request) };
      calls.push(`${call.method} ${url.pathname}`);
      const authorised = url.pathname.startsWith(prefix) && AUTH[options.kind]?.(request.headers, options.token) === true;
      const answer = authorised ? (options.kind === 'gitlab' ? gitlab(pulls, call, options.repo) : githubLike(pulls, call, options.repo)) : [401, { message: 'Bad credentials' }] as [number, unknown];
      if (answer === undefined || answer[0] >= 400) refused.push(`${call.method} ${url.pathname}`);
      const [status, body] = answer ?? [404, { message: 'Not Found' }];
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    pulls,
    calls,
    refused,
    close: () => new Promise((resolve) => server.close(() => { resolve(); })),
  };
}
