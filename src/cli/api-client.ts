/**
 * The command line's client of the Launchpad API (`launchpad app … --server URL`): JSON requests with an API token
 * (`--auth-token`, or LAUNCHPAD_AUTH_TOKEN), the application event stream (Server-Sent Events), and the API's
 * refusals turned into what the CLI reports everywhere — a 403 names the permission that is missing and ends with
 * exit 1 like any refusal; 401, 404 and 400 are usage errors (exit 2) with the API's own fix. Plain node:http(s), so
 * `--insecure` can skip TLS verification for one client without touching the process's global agent.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LaunchpadError } from '../errors.js';
import { isPlainObject } from '../model/values.js';

export const AUTH_TOKEN_ENV = 'LAUNCHPAD_AUTH_TOKEN';

export interface ApiClientOptions {
  /** http(s)://host:port of `launchpad controller --listen` (or its Service/Ingress). */
  readonly server: string;
  /** An API token (`launchpad admin token create`). */
  readonly token?: string;
  /** Accept any TLS certificate (a self-signed one in a test setup). @default false */
  readonly insecure?: boolean;
}

/** A refusal of the API: its status, and its message followed by its fix (`detail` is the message alone). */
export class ApiRequestError extends LaunchpadError {
  constructor(readonly status: number, readonly detail: string, fix?: string) {
    super(detail, fix === undefined ? {} : { fix });
  }
}

const REQUEST_TIMEOUT_MS = 60_000;

function errorOf(status: number, body: unknown, what: string): ApiRequestError {
  const json = isPlainObject(body) ? body : {};
  const message = typeof json.error === 'string' ? json.error : `${what}: HTTP ${status}`;
  const fix = typeof json.fix === 'string' ? json.fix : undefined;
  if (status === 401) return new ApiRequestError(status, `the API refused the credentials: ${message}`, `pass an API token with --auth-token or ${AUTH_TOKEN_ENV} (create one with: launchpad admin token create)`);
  return new ApiRequestError(status, message, fix);
}

export class ApiClient {
  private readonly base: URL;

  constructor(private readonly options: ApiClientOptions) {
    let base: URL;
    try {
      base = new URL(options.server);
    } catch {
      throw new LaunchpadError(`--server ${options.server} is not a URL`, { fix: 'e.g. --server http://127.0.0.1:8080 (the controller\'s --listen address)' });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new LaunchpadError(`--server ${options.server}: expected an http:// or https:// URL`, { fix: 'e.g. --server http://127.0.0.1:8080' });
    this.base = base;
  }

  get server(): string {
    return this.base.origin;
  }

  /** GET/POST/DELETE a JSON endpoint; throws ApiRequestError on any status ≥ 400. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body === undefined ? undefined : JSON.stringify(body));
    const text = await readAll(response);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const status = response.statusCode ?? 0;
    if (status >= 400) throw errorOf(status, parsed, `${method} ${path}`);
    return parsed as T;
  }

  /**
   * Reads a Server-Sent Events stream until `signal` aborts or the server ends it: `onOpen` once connected, then
   * `onEvent` with each event's name and parsed data.
   */
  async stream(path: string, handlers: { readonly onOpen: () => void; readonly onEvent: (event: string, data: unknown) => void }, signal: AbortSignal): Promise<void> {
    const response = await this.send('GET', path, undefined, signal);
    const status = response.statusCode ?? 0;
    if (status >= 400) {
      const text = await readAll(response);
      let parsed: unknown;
      try { parsed = JSON.parse(text); } catch { parsed = undefined; }
      throw errorOf(status, parsed, `GET ${path}`);
    }
    handlers.onOpen();
    let buffer = '';
    await new Promise<void>((resolve) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          dispatch(buffer.slice(0, end), handlers.onEvent);
          buffer = buffer.slice(end + 2);
        }
      });
      response.on('end', resolve);
      response.on('close', resolve);
      response.on('error', () => { resolve(); });
    });
  }

  private send(method: string, path: string, body: string | undefined, signal?: AbortSignal): Promise<IncomingMessage> {
    const url = new URL(path, this.base);
    const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
    if (this.options.token !== undefined && this.options.token !== '') headers.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(url, {
        method, headers, ...(signal === undefined ? { timeout: REQUEST_TIMEOUT_MS } : { signal }),
        ...(url.protocol === 'https:' && this.options.insecure === true ? { rejectUnauthorized: false } : {}),
      }, resolve);
      outgoing.on('timeout', () => { outgoing.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s`)); });
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        if (error.name === 'AbortError') {
          reject(error);
          return;
        }
        const tls = /certificate|self.signed|CERT_/i.test(error.message);
        reject(new LaunchpadError(`cannot reach the Launchpad API at ${this.base.origin}: ${error.code ?? error.message}`, {
          fix: tls ? 'its TLS certificate is not trusted: pass --insecure for a test setup, or use a trusted certificate' : 'is `launchpad controller` (or `launchpad up`) running and listening there? check --server',
        }));
      });
      outgoing.end(body);
    });
  }
}

function readAll(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => { chunks.push(chunk); });
    response.on('end', () => { resolve(Buffer.concat(chunks).toString('utf8')); });
    response.on('error', reject);
  });
}

function dispatch(block: string, onEvent: (event: string, data: unknown) => void): void {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return;
  try {
    onEvent(event, JSON.parse(data.join('\n')));
  } catch {
    // Not JSON: not an event of this API.
  }
}

/** The client for `--server`/`--auth-token`/`--insecure` flags (the token from the environment when not given). */
export function apiClientFor(flags: { readonly server: string; readonly authToken?: string; readonly insecure?: boolean }): ApiClient {
  const token = flags.authToken ?? process.env[AUTH_TOKEN_ENV];
  return new ApiClient({ server: flags.server, ...(token === undefined ? {} : { token }), ...(flags.insecure === true ? { insecure: true } : {}) });
}
