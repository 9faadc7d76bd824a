/** One request to the API server, with its failure turned into a KubeError about the request's subject. */
import { KubeError } from '../errors.js';
import type { ClusterIdentity, RequestSubject } from './error-map.js';
import { statusError, transportError } from './error-map.js';
import type { HttpRequest, HttpResponse, Transport } from './transport.js';
import { TransportError } from './transport.js';

export function isOk(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** A pooled connection the server closed while idle fails at once; only then is a request sent a second time. */
function staleConnection(error: unknown): boolean {
  return error instanceof TransportError && error.failure === 'network' && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
}

export class Requester {
  constructor(
    readonly transport: Transport,
    readonly identity: ClusterIdentity,
  ) {}

  /** Any answer the server gave (callers decide what a 404 means); no answer is a KubeError, an abort stays an AbortError. */
  async send(request: HttpRequest, what: RequestSubject): Promise<HttpResponse> {
    try {
      return await this.transport.request(request);
    } catch (error) {
      if (isAbort(error)) throw error;
      // POST is left alone: sending a create twice could make two objects (generateName).
      if (!staleConnection(error) || request.method === 'POST') throw transportError(what, error, this.identity);
    }
    try {
      return await this.transport.request(request);
    } catch (error) {
      if (isAbort(error)) throw error;
      throw transportError(what, error, this.identity);
    }
  }

  /** The parsed body of a 2xx answer; anything else is a KubeError. */
  async json(request: HttpRequest, what: RequestSubject): Promise<unknown> {
    const response = await this.send(request, what);
    if (!isOk(response)) throw this.failure(what, response);
    return parseJson(response, what);
  }

  failure(what: RequestSubject, response: HttpResponse): KubeError {
    return statusError(what, response, this.identity);
  }
}

export function parseJson(response: HttpResponse, what: RequestSubject): unknown {
  try {
    return JSON.parse(response.body) as unknown;
  } catch (error) {
    throw new KubeError(what.subject, `${what.verb} failed: the API server answered HTTP ${response.status} with a body that is not JSON (${response.contentType || 'no content type'})`, {
      status: response.status,
      cause: error,
    });
  }
}
