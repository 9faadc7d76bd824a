/** Lists a kind page by page; list items carry no apiVersion/kind on the wire, so they are filled in. */
import type { KubeObject } from '../model/resource.js';
import type { RequestSubject } from './error-map.js';
import { collectionPath } from './paths.js';
import type { Requester } from './requester.js';
import { withQuery } from './transport.js';
import type { ResourceInfo } from './types.js';

/** Objects per page: large enough for few round trips, small enough that one page never strains the server. */
const PAGE_SIZE = 500;

export interface ListRequest {
  readonly info: ResourceInfo;
  /** As the caller named it; items get this apiVersion and kind. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Undefined: all namespaces (or a cluster-scoped kind). */
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly what: RequestSubject;
}

export interface ListResult {
  readonly items: KubeObject[];
  /** The list's resourceVersion, where a watch starts to see every later change. */
  readonly resourceVersion: string | undefined;
}

interface ListPage {
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items?: readonly Record<string, unknown>[];
}

export async function listAll(requester: Requester, request: ListRequest): Promise<ListResult> {
  const items: KubeObject[] = [];
  let resourceVersion: string | undefined;
  let token: string | undefined;
  do {
    const path = withQuery(collectionPath(request.info, request.namespace), { labelSelector: request.labelSelector, limit: String(PAGE_SIZE), continue: token });
    const page = (await requester.json({ method: 'GET', path }, request.what)) as ListPage;
    // Every page of one list is served from the first page's snapshot, so its resourceVersion stands for all.
    resourceVersion ??= page.metadata?.resourceVersion;
    for (const item of page.items ?? []) items.push({ apiVersion: request.apiVersion, kind: request.kind, ...item } as KubeObject);
    token = page.metadata?.continue === '' ? undefined : page.metadata?.continue;
  } while (token !== undefined);
  return { items, resourceVersion };
}
