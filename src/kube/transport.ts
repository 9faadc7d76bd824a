/**
 * HTTP to the API server with the kubeconfig's credentials. The KubeConfig (kubeconfig-model.ts) supplies TLS
 * material and the Authorization header per request (so exec plugins and rotated token files refresh), and this
 * module keeps one keep-alive agent per TLS identity, so a sync of hundreds of objects reuses connections instead of
 * making a TLS handshake per request. Failures are thrown as TransportError, whose message never carries request
 * headers or TLS material.
 */
import type { KubeConfig } from './kubeconfig-model.js';
import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { RequestOptions } from 'node:https';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Path and query, e.g. `/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=launchpad`. */
  readonly path: string;
  readonly body?: string;
  /** @default 'application/json' when there is a body */
  readonly contentType?: string;
  /** @default 'application/json' */
  readonly accept?: string;
  readonly signal?: AbortSignal;
  /** Ends the request when the connection is silent this long. @default 60_000 */
  readonly idleTimeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Why no answer came. `credentials`: the kubeconfig's auth (exec plugin, token file) failed before sending. */
export type TransportFailure = 'network' | 'tls' | 'timeout' | 'credentials';

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Appends query parameters; undefined values are left out. */
export function withQuery(path: string, query: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${text}`;
}

export async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class Transport {
  private agent: { readonly key: string; readonly agent: HttpsAgent } | undefined;

  constructor(
    private readonly config: KubeConfig,
    /** The API server URL, e.g. https://127.0.0.1:6443 (a path prefix, as behind some proxies, is kept). */
    private readonly server: string,
  ) {}

  async request(request: HttpRequest): Promise<HttpResponse> {
    const response = await this.open(request);
    const body = await readBody(response).catch((error: unknown) => {
      throw asTransportError(error);
    });
    return { status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? '', body };
  }

  /** Sends the request and resolves with the response once its headers arrived; the caller reads (or destroys) it. */
  async open(request: HttpRequest): Promise<IncomingMessage> {
    const options = await this.requestOptions(request);
    const url = new URL(this.server.replace(/\/+$/, '') + request.path);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return await new Promise<IncomingMessage>((resolve, reject) => {
      let req;
      try {
        req = send(url, options, resolve);
      } catch (error) {
        // Bad TLS material (a key that does not match its certificate) throws here, before any socket exists.
        reject(asTransportError(error));
        return;
      }
      req.on('error', (error) => {
        reject(asTransportError(error));
      });
      req.setTimeout(request.idleTimeoutMs ?? 60_000, () => {
        req.destroy(new TransportError('timeout', `no answer within ${Math.round((request.idleTimeoutMs ?? 60_000) / 1000)} s`, 'ETIMEDOUT'));
      });
      req.end(request.body);
    });
  }

  /** Forgets pooled connections; requests in flight finish. */
  close(): void {
    this.agent?.agent.destroy();
    this.agent = undefined;
  }

  private async requestOptions(request: HttpRequest): Promise<RequestOptions> {
    const options: RequestOptions = {};
    try {
      await this.config.applyToHTTPSOptions(options);
    } catch (error) {
      // Exec plugins report through their stderr; keep one short line of it, never the plugin's output.
      const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '').slice(0, 200) : '';
      throw new TransportError('credentials', `could not get credentials for the kubeconfig's user${detail === '' ? '' : `: ${detail}`}`, undefined);
    }
    const headers: OutgoingHttpHeaders = { ...trimmed(options.headers), accept: request.accept ?? 'application/json' };
    if (request.body !== undefined) {
      headers['content-type'] = request.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(request.body);
    }
    return {
      method: request.method,
      headers,
      ...(this.server.startsWith('https:') ? { agent: this.pooledAgent(options) } : {}),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    };
  }

  /**
   * A keep-alive agent for HTTPS, replaced when the TLS identity changes (an exec plugin issuing a new client
   * certificate, a rotated CA file). Plain-HTTP clusters use Node's global agent.
   */
  private pooledAgent(options: RequestOptions): HttpsAgent {
    const hash = createHash('sha256');
    for (const part of [options.ca, options.cert, options.key]) hash.update(typeof part === 'string' || Buffer.isBuffer(part) ? part : JSON.stringify(part ?? null)).update('\0');
    const key = hash.update(`${String(options.rejectUnauthorized)}\0${options.servername ?? ''}`).digest('hex');
    if (this.agent?.key !== key) {
      // The agent replaced is left alone: requests and watches still using its connections finish on them.
      const tls = { ca: options.ca, cert: options.cert, key: options.key, rejectUnauthorized: options.rejectUnauthorized, servername: options.servername };
      const defined = Object.fromEntries(Object.entries(tls).filter(([, value]) => value !== undefined));
      this.agent = { key, agent: new HttpsAgent({ ...defined, keepAlive: true }) };
    }
    return this.agent.agent;
  }
}

/** Header values from token files may end in a newline, which Node refuses in a header. */
function trimmed(headers: RequestOptions['headers']): OutgoingHttpHeaders {
  const result: OutgoingHttpHeaders = {};
  if (headers === undefined || Array.isArray(headers)) return result;
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = typeof value === 'string' ? value.trim() : value;
  }
  return result;
}

const TLS_CODE = /^(ERR_TLS_|ERR_OSSL_|ERR_SSL_)|CERT|_SIGNATURE|SELF_SIGNED/;

/** Node's socket and TLS errors, by code; aborts pass through unchanged so callers can tell them apart. */
function asTransportError(error: unknown): Error {
  if (error instanceof TransportError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && TLS_CODE.test(code)) return new TransportError('tls', message, code);
  return new TransportError('network', message, code);
}
