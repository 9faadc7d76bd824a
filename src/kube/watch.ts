/**
 * A watch that lasts until its AbortSignal fires, over watch streams that do not: the server ends each one after
 * `timeoutSeconds`, proxies cut them, networks drop. It starts from a list (existing objects arrive as ADDED), then
 * follows the stream from the list's resourceVersion and resumes from the last resourceVersion seen (events and
 * bookmarks) whenever a stream ends. When the server no longer has that version (410 Gone) it lists again and reports
 * the difference against what it knew, so a consumer sees every object's latest state and every deletion exactly as
 * if the stream had never broken. Retryable failures are retried with backoff; terminal ones end the watch.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeError } from '../errors.js';
import type { KubeObject } from '../model/resource.js';
import type { RequestSubject } from './error-map.js';
import { classOfStatus, transportError } from './error-map.js';
import { listAll } from './list.js';
import type { ListRequest } from './list.js';
import { collectionPath } from './paths.js';
import type { Requester } from './requester.js';
import { isAbort } from './requester.js';
import { readBody, withQuery } from './transport.js';
import type { WatchEvent } from './types.js';

export interface WatchRequest extends ListRequest {
  readonly signal: AbortSignal;
  /** The server ends each stream after this long; the watch resumes. */
  readonly timeoutSeconds: number;
  readonly onEvent: (event: WatchEvent) => void;
  /** Called once, after the first list has been reported. */
  readonly onSynced?: () => void;
}

/** The server has compacted the version we would resume from. */
class Gone extends Error {}

interface RawEvent {
  readonly type?: string;
  readonly object?: Record<string, unknown>;
}

const MAX_BACKOFF_MS = 5_000;

/** Read through a call: the loop condition would otherwise have TypeScript believe it cannot have changed. */
const stopped = (signal: AbortSignal): boolean => signal.aborted;

export async function runWatch(requester: Requester, request: WatchRequest): Promise<void> {
  const state = new WatchState(request);
  let resourceVersion: string | undefined;
  let failures = 0;
  let synced = false;
  while (!request.signal.aborted) {
    try {
      if (resourceVersion === undefined) {
        resourceVersion = await state.relist(requester);
        if (!synced) request.onSynced?.();
        synced = true;
      }
      resourceVersion = await state.follow(requester, resourceVersion);
      failures = 0;
    } catch (error) {
      if (isAbort(error) || stopped(request.signal)) return;
      if (error instanceof Gone) {
        resourceVersion = undefined;
        continue;
      }
      if (!(error instanceof KubeError) || !error.retryable) throw error;
      failures += 1;
      const interrupted = await sleep(Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures), undefined, { signal: request.signal }).then(
        () => false,
        () => true,
      );
      if (interrupted) return;
    }
  }
}

const keyOf = (object: Record<string, unknown>): string => {
  const metadata = (object.metadata ?? {}) as { namespace?: string; name?: string };
  return `${metadata.namespace ?? ''}/${metadata.name ?? ''}`;
};

const versionOf = (object: Record<string, unknown>): string | undefined => (object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;

/** What the consumer has been told, so a relist reports only differences and a repeated event is not reported twice. */
class WatchState {
  private readonly known = new Map<string, KubeObject>();
  private readonly what: RequestSubject;

  constructor(private readonly request: WatchRequest) {
    this.what = { subject: request.what.subject, verb: 'watch' };
  }

  async relist(requester: Requester): Promise<string | undefined> {
    const { items, resourceVersion } = await listAll(requester, this.request);
    const seen = new Set<string>();
    for (const object of items) {
      seen.add(keyOf(object));
      this.report('ADDED', object);
    }
    for (const [key, object] of this.known) {
      if (!seen.has(key)) this.report('DELETED', object);
    }
    return resourceVersion;
  }

  /** Follows one stream to its end and returns the last resourceVersion it carried. */
  async follow(requester: Requester, from: string | undefined): Promise<string | undefined> {
    const { request } = this;
    const path = withQuery(collectionPath(request.info, request.namespace), {
      watch: '1',
      resourceVersion: from,
      allowWatchBookmarks: 'true',
      labelSelector: request.labelSelector,
      timeoutSeconds: String(request.timeoutSeconds),
    });
    let response;
    try {
      // A stream silent for longer than the server's own end of it has lost its connection.
      response = await requester.transport.open({ method: 'GET', path, signal: request.signal, idleTimeoutMs: (request.timeoutSeconds + 30) * 1000 });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw transportError(this.what, error, requester.identity);
    }
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const failure = { status, contentType: response.headers['content-type'] ?? '', body: await readBody(response) };
      if (status === 410) throw new Gone();
      throw requester.failure(this.what, failure);
    }
    const chunks = response[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let version = from;
    let pending = '';
    try {
      for (;;) {
        const next = await this.nextChunk(chunks, requester);
        if (next === undefined) break;
        const lines = (pending + next.toString('utf8')).split('\n');
        pending = lines.pop() ?? '';
        // Errors from here on are the server's (an ERROR event) or the consumer's; they end this stream as they are.
        for (const line of lines) version = this.onLine(line, version);
      }
    } finally {
      response.destroy();
    }
    return this.onLine(pending, version);
  }

  /** The next piece of the stream; undefined at its end. A broken connection is a retryable KubeError. */
  private async nextChunk(chunks: AsyncIterator<Buffer>, requester: Requester): Promise<Buffer | undefined> {
    try {
      const next = await chunks.next();
      return next.done === true ? undefined : next.value;
    } catch (error) {
      if (isAbort(error)) throw error;
      throw transportError(this.what, error, requester.identity);
    }
  }

  private onLine(line: string, version: string | undefined): string | undefined {
    if (line.trim() === '') return version;
    let event: RawEvent;
    try {
      event = JSON.parse(line) as RawEvent;
    } catch (error) {
      throw new KubeError(this.what.subject, 'watch failed: the API server sent an event that is not JSON', { errorClass: 'retryable', cause: error });
    }
    const object = event.object ?? {};
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        this.report(event.type, { apiVersion: this.request.apiVersion, kind: this.request.kind, ...object } as KubeObject);
        return versionOf(object) ?? version;
      case 'BOOKMARK':
        return versionOf(object) ?? version;
      case 'ERROR':
        throw this.streamError(object);
      default:
        return version;
    }
  }

  private streamError(status: Record<string, unknown>): Error {
    const code = typeof status.code === 'number' ? status.code : 500;
    if (code === 410) return new Gone();
    const reason = typeof status.reason === 'string' ? status.reason : undefined;
    const message = typeof status.message === 'string' ? status.message : `HTTP ${code}`;
    return new KubeError(this.what.subject, `watch failed: ${message}`, { status: code, ...(reason === undefined ? {} : { reason }), errorClass: classOfStatus(code, reason) });
  }

  /** Tells the consumer, unless it already knows this version of the object. */
  private report(type: WatchEvent['type'], object: KubeObject): void {
    const key = keyOf(object);
    const previous = this.known.get(key);
    if (type === 'DELETED') {
      this.known.delete(key);
    } else {
      if (previous !== undefined && versionOf(previous) === versionOf(object)) return;
      this.known.set(key, object);
    }
    this.request.onEvent({ type: previous === undefined || type !== 'ADDED' ? type : 'MODIFIED', object });
  }
}
