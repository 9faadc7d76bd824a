/**
 * Small HTTPS requests to the control plane's components (readiness endpoints, creating the fake node) and a
 * polling wait that gives up early, naming the component and its log, when a component it depends on has died.
 */
import { request } from 'node:https';
import { ToolError } from '../../errors.js';
import type { Daemon } from './daemon.js';

export interface TlsIdentity {
  /** CA certificate (PEM) the server must chain to; omit with `insecure` for self-signed health endpoints. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** Skip server verification: only for loopback health endpoints whose certificate the component made itself. */
  readonly insecure?: boolean;
}

export interface HttpsRequest {
  readonly url: string;
  readonly tls: TlsIdentity;
  /** @default 'GET' */
  readonly method?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

export interface HttpsResponse {
  readonly status: number;
  readonly body: string;
}

/** One HTTPS request; network errors reject, HTTP error statuses resolve. */
export function httpsRequest(options: HttpsRequest): Promise<HttpsResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      options.url,
      {
        method: options.method ?? 'GET',
        ca: options.tls.ca,
        cert: options.tls.cert,
        key: options.tls.key,
        rejectUnauthorized: options.tls.insecure !== true,
        timeout: options.timeoutMs ?? 5000,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${options.url} did not answer in time`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface WaitOptions {
  /** What we wait for, for the error: "kube-apiserver /readyz". */
  readonly what: string;
  readonly timeoutMs: number;
  /** Daemons whose death makes waiting pointless. */
  readonly watch: readonly Daemon[];
  /** Where the logs are, for the error. */
  readonly logDir: string;
  /** @default 250 */
  readonly intervalMs?: number;
}

function deadDaemon(watch: readonly Daemon[]): Daemon | undefined {
  return watch.find((daemon) => daemon.exitStatus() !== undefined);
}

/** Polls `check` until it returns true; a ToolError when time runs out or a watched daemon exits. */
export async function waitUntil(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = '';
  for (;;) {
    const dead = deadDaemon(options.watch);
    if (dead !== undefined) {
      throw new ToolError(`${dead.name} exited (${String(dead.exitStatus())}) while waiting for ${options.what}`, {
        fix: `read its log: ${dead.logFile}`,
      });
    }
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      const detail = lastError === '' ? '' : ` (last error: ${lastError})`;
      throw new ToolError(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${detail}`, {
        errorClass: 'retryable',
        fix: `read the component logs in ${options.logDir}, or raise startTimeoutMs on a slow machine`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
