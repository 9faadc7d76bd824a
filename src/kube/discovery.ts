/**
 * Which kinds the API server serves, and under which resource name and scope. Aggregated discovery (Kubernetes ≥ 1.26,
 * on by default from 1.30) answers with two requests, `/api` and `/apis`; older servers get the classic walk: group
 * list, then one request per group version, in parallel. The table is cached per client and rebuilt when a kind is
 * missing (a CRD created mid-sync) or when asked to. Concurrent lookups share one rebuild.
 */
import type { ResourceInfo } from './types.js';
import type { RequestSubject } from './error-map.js';
import { groupVersionPath, splitApiVersion } from './paths.js';
import type { Requester } from './requester.js';

/** v2 is GA since 1.30; v2beta1 serves 1.26–1.29; plain JSON makes older servers answer the classic documents. */
const AGGREGATED_ACCEPT = [
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  'application/json',
].join(',');

/** Parallel requests of the classic walk, so a cluster with a hundred group versions does not open a hundred connections. */
const CLASSIC_CONCURRENCY = 8;

type Table = ReadonlyMap<string, ResourceInfo>;

const keyOf = (group: string, version: string, kind: string): string => `${group}/${version}/${kind}`;

interface AggregatedResource {
  readonly resource?: string;
  readonly responseKind?: { readonly kind?: string };
  readonly scope?: string;
  readonly verbs?: readonly string[];
}
interface AggregatedList {
  readonly kind?: string;
  readonly items?: readonly {
    readonly metadata?: { readonly name?: string };
    readonly versions?: readonly { readonly version?: string; readonly resources?: readonly AggregatedResource[] }[];
  }[];
}
interface ClassicResourceList {
  readonly resources?: readonly { readonly name?: string; readonly kind?: string; readonly namespaced?: boolean; readonly verbs?: readonly string[] }[];
}
interface ClassicGroupList {
  readonly groups?: readonly { readonly name?: string; readonly versions?: readonly { readonly version?: string }[] }[];
}
interface ClassicVersions {
  readonly versions?: readonly string[];
}

export class Discovery {
  private table: Promise<Table> | undefined;
  private readonly what: RequestSubject;

  constructor(private readonly requester: Requester) {
    this.what = { subject: `API server ${requester.identity.server}`, verb: 'discovery' };
  }

  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const { group, version } = splitApiVersion(apiVersion);
    const key = keyOf(group, version, kind);
    const fresh = this.table === undefined;
    const current = this.current();
    const found = (await current).get(key);
    if (found !== undefined || fresh) return found;
    // Refresh once, unless another lookup already replaced the table we read while we waited.
    if (this.table === current) this.invalidate();
    return (await this.current()).get(key);
  }

  invalidate(): void {
    this.table = undefined;
  }

  /** Every kind served, one entry per group/version/kind. */
  async resources(): Promise<ResourceInfo[]> {
    return [...(await this.current()).values()];
  }

  private current(): Promise<Table> {
    if (this.table === undefined) {
      const loading = this.load();
      this.table = loading;
      // A failed load is not cached: the next lookup tries again.
      void loading.catch(() => {
        if (this.table === loading) this.table = undefined;
      });
    }
    return this.table;
  }

  private async load(): Promise<Table> {
    const table = new Map<string, ResourceInfo>();
    const [core, groups] = await Promise.all([this.aggregated('/api'), this.aggregated('/apis')]);
    if (isAggregated(core)) addAggregated(table, core);
    else await this.addClassicCore(table, core as ClassicVersions);
    if (isAggregated(groups)) addAggregated(table, groups);
    else await this.addClassicGroups(table, groups as ClassicGroupList);
    return table;
  }

  private async aggregated(path: '/api' | '/apis'): Promise<unknown> {
    return await this.requester.json({ method: 'GET', path, accept: AGGREGATED_ACCEPT }, this.what);
  }

  private async addClassicCore(table: Map<string, ResourceInfo>, versions: ClassicVersions): Promise<void> {
    await this.addClassic(table, (versions.versions ?? []).map((version) => ({ group: '', version })));
  }

  private async addClassicGroups(table: Map<string, ResourceInfo>, list: ClassicGroupList): Promise<void> {
    const groupVersions = (list.groups ?? []).flatMap((group) =>
      (group.versions ?? []).flatMap((entry) => (group.name === undefined || entry.version === undefined ? [] : [{ group: group.name, version: entry.version }])),
    );
    await this.addClassic(table, groupVersions);
  }

  private async addClassic(table: Map<string, ResourceInfo>, groupVersions: readonly { group: string; version: string }[]): Promise<void> {
    const queue = [...groupVersions];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const { group, version } = next;
        try {
          const list = (await this.requester.json({ method: 'GET', path: groupVersionPath(group, version) }, this.what)) as ClassicResourceList;
          addClassicList(table, { group, version }, list);
        } catch {
          // As kubectl does: a group version that cannot answer (an aggregated API whose backend is down) is left
          // out; its kinds read as unknown until it answers again.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CLASSIC_CONCURRENCY, queue.length) }, worker));
  }
}

function isAggregated(document: unknown): document is AggregatedList {
  return typeof document === 'object' && document !== null && (document as { kind?: unknown }).kind === 'APIGroupDiscoveryList';
}

function addAggregated(table: Map<string, ResourceInfo>, list: AggregatedList): void {
  for (const item of list.items ?? []) {
    const group = item.metadata?.name ?? '';
    for (const { version, resources } of item.versions ?? []) {
      if (version === undefined) continue;
      for (const entry of resources ?? []) {
        const kind = entry.responseKind?.kind;
        if (kind === undefined || entry.resource === undefined) continue;
        add(table, { group, version, kind, resource: entry.resource, namespaced: entry.scope === 'Namespaced', verbs: entry.verbs ?? [] });
      }
    }
  }
}

function addClassicList(table: Map<string, ResourceInfo>, groupVersion: { group: string; version: string }, list: ClassicResourceList): void {
  for (const entry of list.resources ?? []) {
    // Subresources (deployments/scale, pods/status) are listed beside their parents; they are not kinds of their own.
    if (entry.name === undefined || entry.kind === undefined || entry.name.includes('/')) continue;
    add(table, { ...groupVersion, kind: entry.kind, resource: entry.name, namespaced: entry.namespaced === true, verbs: entry.verbs ?? [] });
  }
}

/** The first resource serving a kind wins, as in kubectl's RESTMapper. */
function add(table: Map<string, ResourceInfo>, info: ResourceInfo): void {
  const key = keyOf(info.group, info.version, info.kind);
  if (!table.has(key)) table.set(key, info);
}
