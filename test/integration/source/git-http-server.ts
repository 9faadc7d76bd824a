/**
 * A real git smart-HTTP server for tests: Node's http server in front of `git http-backend` (CGI), on 127.0.0.1,
 * optionally behind HTTP basic auth. It gives tests a repository URL that is "remote" (http, so --offline must not
 * touch it) without any network beyond loopback. The CGI needs streamed binary stdin/stdout, which the one-shot
 * process seam does not offer, hence spawn here (test infrastructure only).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findBinary } from '../../../src/process/binaries.js';
import { runProcess } from '../../../src/process/run.js';

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` (no trailing slash); repositories are `${base}/<name>` for `<root>/<name>`. */
  readonly base: string;
  /** Requests served so far (method + path), to assert that offline runs made none. */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface GitHttpServerOptions {
  /** Folder whose sub-folders are the served repositories. */
  readonly root: string;
  /** Require these basic-auth credentials. */
  readonly credentials?: { readonly username: string; readonly password: string };
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const requests: string[] = [];
  const backend = await httpBackendPath();
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    if (!authorised(request, options.credentials)) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    serveCgi({ backend, root: options.root, request, response });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}

async function httpBackendPath(): Promise<string> {
  const result = await runProcess(findBinary('git'), ['--exec-path']);
  return `${result.stdout.trim()}/git-http-backend`;
}

function authorised(request: IncomingMessage, credentials: GitHttpServerOptions['credentials']): boolean {
  if (credentials === undefined) return true;
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return request.headers.authorization === expected;
}

function serveCgi(context: { backend: string; root: string; request: IncomingMessage; response: ServerResponse }): void {
  const { request, response } = context;
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const child = spawn(context.backend, [], {
    env: {
      PATH: process.env.PATH ?? '',
      GIT_PROJECT_ROOT: context.root,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
      REMOTE_ADDR: '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  request.pipe(child.stdin);
  let buffered = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk);
      return;
    }
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersSent = true;
    writeCgiHeaders(response, buffered.subarray(0, end).toString('latin1'));
    response.write(buffered.subarray(end + 4));
  });
  child.on('close', () => response.end());
  child.on('error', () => response.destroy());
}

function writeCgiHeaders(response: ServerResponse, head: string): void {
  let status = 200;
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else response.setHeader(name, value);
  }
  response.statusCode = status;
}
