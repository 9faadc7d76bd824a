/**
 * A real git smart-HTTP server for tests: Node's http (or https) server on 127.0.0.1 in front of `git http-backend`
 * run as a CGI program, optionally behind HTTP basic auth. Tests get a "remote" repository URL, with or without
 * credentials and TLS, and no network beyond loopback. The CGI needs streamed binary stdin/stdout, which the one-shot
 * process seam does not offer, hence spawn here; every CGI process is bounded by a timeout and killed by pid on close.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { findBinary } from '../process/binaries.js';
import { runProcess } from '../process/run.js';

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` (or https); repositories are `${base}/<name>` for `<root>/<name>`. */
  readonly base: string;
  /** Requests served so far (method + path). */
  readonly requests: string[];
  /** Per request, the basic-auth user name it carried ('' for none) and whether it was accepted; never a password. */
  readonly attempts: { readonly username: string; readonly accepted: boolean }[];
  close(): Promise<void>;
}

export interface GitHttpServerOptions {
  /** Folder whose sub-folders are the served repositories. */
  readonly root: string;
  /** Require these basic-auth credentials. */
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Serve https with this key and certificate (PEM). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Longest a CGI process may run. @default 30_000 */
  readonly cgiTimeoutMs?: number;
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const requests: string[] = [];
  const attempts: { username: string; accepted: boolean }[] = [];
  const children = new Set<ChildProcess>();
  const backend = await httpBackendPath();
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    const username = basicUser(request);
    const accepted = authorised(request, options.credentials);
    attempts.push({ username: username ?? '', accepted });
    if (!accepted) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="launchpad test"', 'content-type': 'text/plain' }).end('authentication required\n');
      return;
    }
    serveCgi({ backend, root: options.root, request, response, children, timeoutMs: options.cgiTimeoutMs ?? 30_000, ...(username === undefined ? {} : { username }) });
  };
  const server: Server = options.tls === undefined ? createServer(handler) : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    requests,
    attempts,
    close: () => new Promise((resolve) => {
      for (const child of children) child.kill('SIGKILL');
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}

async function httpBackendPath(): Promise<string> {
  const result = await runProcess(findBinary('git'), ['--exec-path']);
  return `${result.stdout.trim()}/git-http-backend`;
}

function basicUser(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  return decoded.split(':', 1)[0] ?? '';
}

function authorised(request: IncomingMessage, credentials: GitHttpServerOptions['credentials']): boolean {
  if (credentials === undefined) return true;
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return request.headers.authorization === expected;
}

interface CgiContext {
  readonly backend: string;
  readonly root: string;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly children: Set<ChildProcess>;
  readonly timeoutMs: number;
  readonly username?: string;
}

function serveCgi(context: CgiContext): void {
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
      REMOTE_USER: context.username ?? '',
      REMOTE_ADDR: '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  context.children.add(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), context.timeoutMs);
  request.pipe(child.stdin);
  child.stdin.on('error', () => undefined); // the backend may exit before reading everything
  response.on('close', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  streamCgiOutput(child, response);
  child.on('close', () => {
    clearTimeout(timer);
    context.children.delete(child);
    response.end();
  });
  child.on('error', () => {
    clearTimeout(timer);
    context.children.delete(child);
    response.destroy();
  });
}

/** Parses the CGI header block (Status:, Content-Type, …) and streams the body after it. */
function streamCgiOutput(child: ChildProcess, response: ServerResponse): void {
  let buffered = Buffer.alloc(0);
  let headersSent = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk);
      return;
    }
    buffered = Buffer.concat([buffered, chunk]);
    const end = headerEnd(buffered);
    if (end === undefined) return;
    headersSent = true;
    writeCgiHeaders(response, buffered.subarray(0, end.at).toString('latin1'));
    response.write(buffered.subarray(end.at + end.length));
  });
}

function headerEnd(buffer: Buffer): { at: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  if (crlf >= 0) return { at: crlf, length: 4 };
  const lf = buffer.indexOf('\n\n');
  return lf >= 0 ? { at: lf, length: 2 } : undefined;
}

function writeCgiHeaders(response: ServerResponse, head: string): void {
  let status = 200;
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else response.setHeader(name, value);
  }
  response.statusCode = status;
}
