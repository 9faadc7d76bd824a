/**
 * The HTTPS listener the API server calls with AdmissionReviews. Plain node:https (the controller's Fastify server
 * speaks HTTP on --listen; admission needs TLS with the add-on's own certificate). Every request gets an answer:
 * 404/405/413/400 for what is not a review, the handler's verdict otherwise; the certificate can be swapped without a
 * restart (renewal).
 */
import { createServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LaunchpadError, describeError } from '../../errors.js';
import type { AdmissionResponse } from './admission.js';
import { BadReviewError, parseAdmissionReview, reviewOf } from './admission.js';
import type { AdmissionRequest } from './admission.js';
import type { KeyPair } from './certificates.js';
import type { WebhookPath } from './webhook-config.js';
import { WEBHOOK_PATHS, parseWebhookPath } from './webhook-config.js';

/** The API server sends at most 3 MiB per object; a review holds the object and the old one. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface WebhookServerOptions {
  /** `host:port`; port 0 picks a free one. */
  readonly listen: string;
  readonly tls: KeyPair;
  readonly answer: (path: WebhookPath, request: AdmissionRequest) => Promise<AdmissionResponse>;
  /** Called once per answered review (for metrics): the endpoint, whether it allowed, and how long it took. */
  readonly observe?: (path: WebhookPath, allowed: boolean, seconds: number) => void;
  readonly onError?: (message: string) => void;
}

export interface RunningWebhookServer {
  /** `https://host:port`, as the API server must dial it. */
  readonly url: string;
  readonly port: number;
  /** Replaces the serving certificate for new connections. */
  setCertificate(tls: KeyPair): void;
  close(): Promise<void>;
}

export function parseListen(listen: string): { readonly host: string; readonly port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !Number.isInteger(port) || port > 65535) {
    throw new LaunchpadError(`--policy-webhook-listen ${listen}: not a host:port`, { fix: 'use for example 127.0.0.1:9443, or 0.0.0.0:9443 in a cluster' });
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RangeError(`the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error) {
    throw new BadReviewError(`the body is not JSON: ${describeError(error)}`);
  }
}

async function handle(options: WebhookServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '').split('?')[0] as WebhookPath;
  if (parseWebhookPath(path) === undefined) {
    send(response, 404, { message: `no admission endpoint at ${request.url ?? ''}; the endpoints are ${WEBHOOK_PATHS.join(', ')}, each optionally followed by /<1-30>s` });
    return;
  }
  if (request.method !== 'POST') {
    send(response, 405, { message: 'admission endpoints take POST' });
    return;
  }
  const started = performance.now();
  try {
    const review = parseAdmissionReview(await readJson(request));
    const answer = await options.answer(path, review);
    options.observe?.(path, answer.allowed, (performance.now() - started) / 1000);
    send(response, 200, reviewOf(answer));
  } catch (error) {
    if (error instanceof RangeError) send(response, 413, { message: error.message });
    else if (error instanceof BadReviewError) send(response, 400, { message: error.message });
    else {
      options.onError?.(`admission ${path}: ${describeError(error)}`);
      send(response, 500, { message: describeError(error) });
    }
  }
}

/** Starts the HTTPS server; resolves once it listens. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<RunningWebhookServer> {
  const { host, port } = parseListen(options.listen);
  const server: Server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem, minVersion: 'TLSv1.2' }, (request, response) => {
    void handle(options, request, response);
  });
  // A client that stops sending must not hold a socket; the API server sends a review at once and waits for the answer.
  server.requestTimeout = 15_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    throw new LaunchpadError(`the policy webhook cannot listen on ${options.listen}: ${describeError(error)}`, { cause: error, fix: 'choose another --policy-webhook-listen address' });
  });
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `https://${urlHost === '0.0.0.0' ? '127.0.0.1' : urlHost}:${bound}`,
    port: bound,
    setCertificate(tls) {
      (server as unknown as { setSecureContext(options: { cert: string; key: string }): void }).setSecureContext({ cert: tls.certPem, key: tls.keyPem });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        server.closeAllConnections();
      });
    },
  };
}
