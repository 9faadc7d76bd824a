/**
 * `apiCall` context entries in the cluster: the entry's `urlPath` is a Kubernetes API path, answered through the
 * controller's own KubeClient (its identity and permissions, as Kyverno uses its service account). The path is read
 * as what it names — a collection (`/api/v1/namespaces/shop/configmaps?labelSelector=app=web`), one object
 * (`/apis/apps/v1/namespaces/shop/deployments/web`) or, for POST, a create (`/apis/authorization.k8s.io/v1/
 * subjectaccessreviews` with the entry's `data` as the body) — and the answer has the shape the raw API returns: a
 * `<Kind>List` with `items`, the object, or the created object with its status. Paths the client cannot express
 * (subresources, `fieldSelector`, discovery documents) fail with a message naming the path, so `default` applies.
 *
 * One admission request sees each distinct call once: {@link perRequestApiCalls} memoises within a request, never
 * across requests (the next request must see the cluster as it is then).
 */
import type { KubeClient, ResourceInfo } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import type { ApiCallRequest } from '../api.js';

export type ApiCaller = (call: ApiCallRequest) => Promise<unknown>;

/** What a urlPath names, before discovery resolves the resource to a kind. */
export interface ApiPath {
  readonly group: string;
  readonly version: string;
  /** Undefined for a cluster-wide path (cluster-scoped kinds, or every namespace). */
  readonly namespace: string | undefined;
  /** Plural resource name, e.g. `configmaps`. */
  readonly resource: string;
  /** Undefined for the collection. */
  readonly name: string | undefined;
  readonly labelSelector: string | undefined;
  readonly limit: number | undefined;
}

export class ApiCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiCallError';
  }
}

const SUPPORTED_QUERY = new Set(['labelSelector', 'limit']);

function parseQuery(urlPath: string, query: URLSearchParams): Pick<ApiPath, 'labelSelector' | 'limit'> {
  for (const key of query.keys()) {
    if (!SUPPORTED_QUERY.has(key)) throw new ApiCallError(`${urlPath}: the query parameter ${key} is not supported (labelSelector and limit are)`);
  }
  const limitText = query.get('limit');
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new ApiCallError(`${urlPath}: limit must be a positive whole number`);
  return { labelSelector: query.get('labelSelector') ?? undefined, limit };
}

/** Splits a Kubernetes API path into group, version, namespace, resource and name. */
export function parseApiPath(urlPath: string): ApiPath {
  const url = new URL(urlPath, 'https://kubernetes.invalid');
  // Kyverno's own docs write a second query parameter after another `?`: accept it as `&`.
  const query = new URLSearchParams(url.search.slice(1).replaceAll('?', '&'));
  const parts = url.pathname.split('/').filter((part) => part !== '').map(decodeURIComponent);
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    throw new ApiCallError(`${urlPath}: not a Kubernetes resource path (/api/v1/… or /apis/<group>/<version>/…)`);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (resource === undefined) throw new ApiCallError(`${urlPath}: names no resource (a discovery document is not supported)`);
  if (subresource !== undefined) throw new ApiCallError(`${urlPath}: subresources (${subresource}) are not supported by apiCall in Launchpad`);
  return { group, version, namespace, resource, name, ...parseQuery(urlPath, query) };
}

function findResource(path: ApiPath, resources: readonly ResourceInfo[], urlPath: string): ResourceInfo {
  const info = resources.find((candidate) => candidate.group === path.group && candidate.version === path.version && candidate.resource === path.resource);
  if (info === undefined) throw new ApiCallError(`${urlPath}: the API server serves no ${path.resource} in ${path.group === '' ? '' : `${path.group}/`}${path.version}`);
  return info;
}

const apiVersionOf = (info: ResourceInfo): string => (info.group === '' ? info.version : `${info.group}/${info.version}`);

async function get(client: KubeClient, info: ResourceInfo, path: ApiPath, urlPath: string): Promise<unknown> {
  const apiVersion = apiVersionOf(info);
  if (path.name !== undefined) {
    const object = await client.get({ apiVersion, kind: info.kind, name: path.name, ...(path.namespace === undefined ? {} : { namespace: path.namespace }) });
    if (object === undefined) throw new ApiCallError(`${urlPath}: ${info.kind} ${path.namespace === undefined ? '' : `${path.namespace}/`}${path.name} not found`);
    return object;
  }
  const items = await client.list(apiVersion, info.kind, {
    ...(path.namespace === undefined ? {} : { namespace: path.namespace }),
    ...(path.labelSelector === undefined ? {} : { labelSelector: path.labelSelector }),
  });
  return { apiVersion, kind: `${info.kind}List`, metadata: {}, items: path.limit === undefined ? items : items.slice(0, path.limit) };
}

async function post(client: KubeClient, info: ResourceInfo, path: ApiPath, call: ApiCallRequest): Promise<unknown> {
  if (path.name !== undefined) throw new ApiCallError(`${call.urlPath}: POST goes to a collection, not to one object`);
  const body = call.data ?? {};
  const metadata = isPlainObject(body.metadata) ? body.metadata : {};
  const object = { ...body, apiVersion: apiVersionOf(info), kind: info.kind, metadata: { ...metadata, ...(path.namespace === undefined ? {} : { namespace: path.namespace }) } } as KubeObject;
  return client.create(object);
}

/** Answers apiCall entries through `client`, resolving resources with discovery. */
export function kubeApiCaller(client: KubeClient, resources: () => Promise<readonly ResourceInfo[]>): ApiCaller {
  return async (call) => {
    const path = parseApiPath(call.urlPath);
    const info = findResource(path, await resources(), call.urlPath);
    return call.method === 'POST' ? post(client, info, path, call) : get(client, info, path, call.urlPath);
  };
}

/** A caller that makes each distinct call once: give every admission request (or background item) its own. */
export function perRequestApiCalls(caller: ApiCaller): ApiCaller {
  const seen = new Map<string, Promise<unknown>>();
  return (call) => {
    const key = JSON.stringify([call.method, call.urlPath, call.data ?? null]);
    let answer = seen.get(key);
    if (answer === undefined) {
      answer = caller(call);
      seen.set(key, answer);
    }
    return answer;
  };
}
