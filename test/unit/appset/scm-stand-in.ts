/**
 * A stand-in for the GitHub, Gitea and GitLab APIs: a real HTTP server on 127.0.0.1 that answers the paths a test
 * registers, refuses any request without the expected credential header (401), answers 404 for anything else, and
 * records what it received so tests can check the requests themselves.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInRoute {
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly status?: number;
}

export interface StandIn {
  readonly url: string;
  /** Path with query (`/api/v3/repos/o/r/pulls?per_page=100`) of every request received. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startStandIn(auth: { readonly header: string; readonly value: string }, routes: Readonly<Record<string, StandInRoute>>): Promise<StandIn> {
  const requests: string[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const url = request.url ?? '/';
    requests.push(url);
    if (request.headers[auth.header.toLowerCase()] !== auth.value) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
      return;
    }
    const route = routes[url] ?? routes[url.split('?')[0] ?? ''];
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    response.writeHead(route.status ?? 200, { 'content-type': 'application/json', ...route.headers }).end(JSON.stringify(route.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.close(() => { resolve(); }); }),
  };
}
