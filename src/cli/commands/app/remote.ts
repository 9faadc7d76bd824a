/**
 * `launchpad app … --server URL`: the same subcommands through the Launchpad API instead of the cluster, with the same
 * output and exit codes. The API applies the caller's RBAC; a refusal (403: the permission it names is missing; 409:
 * another operation is in progress) ends with exit 1 like the direct path's refusals, a missing application or bad
 * request with exit 2.
 */
import type { ApiClient } from '../../api-client.js';
import { ApiRequestError, apiClientFor } from '../../api-client.js';
import type { KubeObject } from '../../../model/resource.js';
import { createLimiter } from '../../../render/limit.js';
import type { AppFlags } from './context.js';
import { refuse } from './context.js';
import { forOutput } from './fields.js';

export interface RemoteFlags extends AppFlags {
  readonly server: string;
}

export const isRemote = <F extends AppFlags>(flags: F): flags is F & RemoteFlags => flags.server !== undefined;

/** Runs `work` with a client of the API; refusals of the API end as refusals of the CLI (exit 1). */
export async function withApi<T>(flags: RemoteFlags, work: (api: ApiClient) => Promise<T>): Promise<T> {
  const api = apiClientFor(flags);
  try {
    return await work(api);
  } catch (error) {
    // The message carries the API's fix already (`… — ask an administrator for a role that allows it`).
    if (error instanceof ApiRequestError && (error.status === 403 || error.status === 409)) refuse(error.message);
    throw error;
  }
}

export const appPath = (name: string, tail = ''): string => `/api/v1/applications/${encodeURIComponent(name)}${tail}`;

/** The Application as the direct path prints it: the API's `permissions` is about the caller, not the object. */
export function asObject(response: KubeObject): KubeObject {
  const copy: Record<string, unknown> = { ...response };
  delete copy.permissions;
  return forOutput(copy as unknown as KubeObject);
}

/** An application or a usage error naming it, as the direct path's lookup. */
export async function requireRemoteApp(api: ApiClient, name: string): Promise<KubeObject> {
  try {
    return asObject(await api.json<KubeObject>('GET', appPath(name)));
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 404) throw new ApiRequestError(404, `application "${name}" not found on ${api.server}`, error.fix ?? 'see the applications there with: launchpad app list --server …');
    throw error;
  }
}

/** Several applications read in full, a few at a time (the list endpoint returns summaries). */
export async function fetchApps(api: ApiClient, names: readonly string[]): Promise<KubeObject[]> {
  const limit = createLimiter(8);
  const found = await Promise.all(names.map((name) => limit(async () => {
    try {
      return await requireRemoteApp(api, name);
    } catch (error) {
      // Deleted between the list and the read: not listed, as a later list would not.
      if (error instanceof ApiRequestError && error.status === 404) return undefined;
      throw error;
    }
  })));
  return found.filter((app): app is KubeObject => app !== undefined);
}

/** What `GET /api/v1/applications` returns per item (the fields the list table shows). */
export interface RemoteSummary {
  readonly name: string;
  readonly namespace: string;
  readonly project: string;
  readonly destination: { readonly server: string; readonly name: string; readonly namespace: string };
  readonly sync: { readonly status: string; readonly revisions: readonly string[] };
  readonly health: { readonly status: string; readonly message: string };
  readonly operation: { readonly phase: string; readonly message: string; readonly requested: boolean };
}

/**
 * A summary in the shape of the Application it summarizes — only the fields the list table reads — so the table is
 * built by the very function the direct path uses.
 */
export function summaryAsApp(summary: RemoteSummary): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { name: summary.name, namespace: summary.namespace },
    spec: { project: summary.project, destination: { ...summary.destination } },
    status: { sync: { status: summary.sync.status, revisions: [...summary.sync.revisions] }, health: { ...summary.health }, operationState: { phase: summary.operation.phase, message: summary.operation.message } },
    ...(summary.operation.requested ? { operation: {} } : {}),
  };
}

/**
 * The application as it was when the API accepted an operation — what tells the end of *this* operation from the
 * last one's (its `finishedAt`).
 */
export function beforeOf(accepted: RemoteSummary & { readonly operation: { readonly finishedAt?: string } }): KubeObject {
  const app = summaryAsApp(accepted);
  const status = (app.status ?? {}) as Record<string, unknown>;
  const state = (status.operationState ?? {}) as Record<string, unknown>;
  return { ...app, status: { ...status, operationState: { ...state, ...(accepted.operation.finishedAt === undefined || accepted.operation.finishedAt === '' ? {} : { finishedAt: accepted.operation.finishedAt }) } } };
}
