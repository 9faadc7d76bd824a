/**
 * Turns API-server answers and transport failures into KubeErrors: the object first, then what failed, then the
 * server's own message (which is where an admission webhook's denial, a schema violation or an RBAC refusal is
 * explained). Classes follow what a retry can change: conflicts, throttling, server errors and network failures are
 * retryable; bad requests, refusals, missing things and invalid objects are terminal.
 */
import type { ErrorClass } from '../errors.js';
import { KubeError } from '../errors.js';
import type { HttpResponse } from './transport.js';
import { TransportError } from './transport.js';

/** What a request was about, for the message: `{ subject: 'Deployment/shop/web', verb: 'apply' }`. */
export interface RequestSubject {
  readonly subject: string;
  /** `apply`, `dry-run apply`, `get`, `list`, `delete`, `discovery` … */
  readonly verb: string;
}

/** Who is asking where, for the fixes (names only; never credentials). */
export interface ClusterIdentity {
  readonly server: string;
  readonly context: string;
  readonly user: string | undefined;
}

/** The fields of a metav1.Status the messages use. */
interface Status {
  readonly kind?: unknown;
  readonly message?: unknown;
  readonly reason?: unknown;
}

function parseStatus(response: HttpResponse): Status | undefined {
  if (!response.contentType.includes('json')) return undefined;
  try {
    const parsed: unknown = JSON.parse(response.body);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function classOfStatus(status: number, reason: string | undefined): ErrorClass {
  if (status === 409) return reason === 'AlreadyExists' ? 'terminal' : 'retryable';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'terminal';
}

/**
 * Server-side apply answers a manifest that does not fit the kind's schema (a number where a string belongs) with a
 * 500 "failed to create typed patch object"; sending the same manifest again cannot succeed.
 */
function isSchemaMismatch(status: number, message: string): boolean {
  return status === 500 && message.startsWith('failed to create typed patch object');
}

function fixFor(status: number, identity: ClusterIdentity): string | undefined {
  if (status === 401) {
    return `the API server ${identity.server} rejected the credentials of ${identity.user === undefined ? 'the anonymous user' : `user "${identity.user}"`} (context "${identity.context}"); renew them or check the kubeconfig`;
  }
  return undefined;
}

/** A KubeError for a non-2xx answer. */
export function statusError(what: RequestSubject, response: HttpResponse, identity: ClusterIdentity): KubeError {
  const status = parseStatus(response);
  const reason = typeof status?.reason === 'string' && status.reason !== '' ? status.reason : undefined;
  const serverMessage = typeof status?.message === 'string' && status.message !== '' ? status.message : fallbackMessage(response, reason);
  const fix = fixFor(response.status, identity);
  return new KubeError(what.subject, `${what.verb} failed: ${serverMessage}`, {
    status: response.status,
    ...(reason === undefined ? {} : { reason }),
    errorClass: isSchemaMismatch(response.status, serverMessage) ? 'terminal' : classOfStatus(response.status, reason),
    ...(fix === undefined ? {} : { fix }),
  });
}

function fallbackMessage(response: HttpResponse, reason: string | undefined): string {
  const text = response.contentType.startsWith('text/plain') ? response.body.trim().slice(0, 300) : '';
  const parts = [`HTTP ${response.status}`, reason, text].filter((part): part is string => part !== undefined && part !== '');
  return parts.join(' ');
}

/** A KubeError for a request that got no answer; `TransportError`s only say what Node said about the socket. */
export function transportError(what: RequestSubject, error: unknown, identity: ClusterIdentity): KubeError {
  if (!(error instanceof TransportError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new KubeError(what.subject, `${what.verb} failed: ${message}`, { errorClass: 'retryable', cause: error });
  }
  switch (error.failure) {
    case 'tls':
      return new KubeError(what.subject, `${what.verb} failed: TLS with ${identity.server} failed: ${error.message}`, {
        fix: `check the certificate authority of cluster and the client certificate of context "${identity.context}" in the kubeconfig`,
        cause: error,
      });
    case 'credentials':
      return new KubeError(what.subject, `${what.verb} failed: ${error.message}`, {
        fix: `check the user of context "${identity.context}" in the kubeconfig`,
        cause: error,
      });
    case 'timeout':
      return new KubeError(what.subject, `${what.verb} failed: ${identity.server} gave ${error.message}`, { errorClass: 'retryable', cause: error });
    case 'network':
      return new KubeError(what.subject, `${what.verb} failed: cannot reach the API server ${identity.server}: ${error.message}`, {
        errorClass: 'retryable',
        fix: 'check that the cluster is running and reachable from here',
        cause: error,
      });
  }
}
