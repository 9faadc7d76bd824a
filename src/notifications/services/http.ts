/**
 * One HTTP call of a notification service, retried: network failures, 5xx and 429 are tried again with
 * exponential backoff (429's `Retry-After`, in seconds or as a date, is waited for instead when given); any other
 * 4xx fails at once. Errors name the service and the status, never the URL or a header: webhook URLs and tokens
 * are secrets.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LaunchpadError } from '../../errors.js';

/** A notification could not be delivered. Retryable ones were already retried `attempts` times. */
export class DeliveryError extends LaunchpadError {}

export interface RetryPolicy {
  /** Tries in all (the first one included). @default 4 */
  readonly attempts: number;
  /** First backoff; doubled each retry. @default 500 */
  readonly baseDelayMs: number;
  /** Backoff and Retry-After are capped here, so a hostile server cannot park delivery for hours. @default 30000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface SendOptions {
  /** Names the service in errors (`slack "team-slack"`). */
  readonly service: string;
  readonly retry?: RetryPolicy;
  readonly signal?: AbortSignal;
  /** Per-attempt timeout. @default 15000 */
  readonly timeoutMs?: number;
}

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

async function attempt(request: HttpRequest, options: SendOptions): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const response = await fetch(request.url, { method: request.method, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }), signal, redirect: 'error' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Sends with retries; resolves with the first non-retryable answer (a 2xx or a 4xx the caller interprets). */
export async function sendHttp(request: HttpRequest, options: SendOptions): Promise<HttpResponse> {
  const policy = options.retry ?? DEFAULT_RETRY;
  let last = '';
  for (let tries = 1; ; tries++) {
    let waitMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (tries - 1));
    try {
      const response = await attempt(request, options);
      if (!retryable(response.status)) return response;
      last = `HTTP ${response.status}`;
      waitMs = Math.min(policy.maxDelayMs, retryAfterMs(response.headers.get('retry-after')) ?? waitMs);
    } catch (error) {
      if (options.signal?.aborted === true) throw new DeliveryError(`${options.service}: delivery cancelled`, { cause: error });
      // The cause's message may quote the URL (a webhook secret): only its name is kept.
      last = error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : 'could not connect') : 'failed';
    }
    if (tries >= policy.attempts) {
      throw new DeliveryError(`${options.service}: ${last} after ${tries} ${tries === 1 ? 'attempt' : 'attempts'}`, { errorClass: 'retryable' });
    }
    await sleep(waitMs, undefined, options.signal === undefined ? {} : { signal: options.signal }).catch(() => undefined);
  }
}

/** A non-2xx answer as a terminal DeliveryError (the body's first line only: APIs echo no secrets there). */
export function rejected(options: SendOptions, response: HttpResponse, fix?: string): DeliveryError {
  const detail = response.text.split('\n')[0]?.slice(0, 200) ?? '';
  return new DeliveryError(`${options.service}: HTTP ${response.status}${detail === '' ? '' : ` ${detail}`}`, fix === undefined ? {} : { fix });
}
