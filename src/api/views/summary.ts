/**
 * The compact form of an Application that lists and the event stream carry: what a tile or a row shows, and what
 * the filters read. Built once per change of the Application (not per request), so listing 1,000 of them is a
 * filter over ready objects.
 */
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';

export interface AppSource {
  readonly repoURL: string;
  readonly path?: string;
  readonly chart?: string;
  readonly targetRevision?: string;
}

export interface AppSummary {
  readonly name: string;
  readonly namespace: string;
  readonly project: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly sources: readonly AppSource[];
  readonly destination: { readonly server: string; readonly name: string; readonly namespace: string };
  readonly sync: { readonly status: string; readonly revisions: readonly string[] };
  readonly health: { readonly status: string; readonly message: string };
  /** The last (or running) operation; `requested` while one is written and not started. */
  readonly operation: { readonly phase: string; readonly message: string; readonly startedAt: string; readonly finishedAt: string; readonly requested: boolean };
  readonly conditions: readonly { readonly type: string; readonly message: string }[];
  readonly automated: boolean;
  readonly reconciledAt: string;
  readonly resourceCount: number;
  readonly deleting: boolean;
  readonly resourceVersion: string;
}

type Json = Readonly<Record<string, unknown>>;

const obj = (value: unknown): Json => (isPlainObject(value) ? value : {});
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function sourceOf(value: unknown): AppSource | undefined {
  const source = obj(value);
  if (typeof source.repoURL !== 'string') return undefined;
  return {
    repoURL: source.repoURL,
    ...(typeof source.path === 'string' ? { path: source.path } : {}),
    ...(typeof source.chart === 'string' ? { chart: source.chart } : {}),
    ...(typeof source.targetRevision === 'string' ? { targetRevision: source.targetRevision } : {}),
  };
}

export function summarize(app: KubeObject): AppSummary {
  const spec = obj(app.spec);
  const status = obj(app.status);
  const destination = obj(spec.destination);
  const sync = obj(status.sync);
  const health = obj(status.health);
  const state = obj(status.operationState);
  const list = Array.isArray(spec.sources) ? spec.sources : spec.source === undefined ? [] : [spec.source];
  const revisions = Array.isArray(sync.revisions) ? sync.revisions.filter((item): item is string => typeof item === 'string') : str(sync.revision) === '' ? [] : [str(sync.revision)];
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject).map((condition) => ({ type: str(condition.type), message: str(condition.message) })) : [];
  return {
    name: app.metadata.name ?? '',
    namespace: app.metadata.namespace ?? '',
    project: str(spec.project) || 'default',
    labels: { ...(app.metadata.labels ?? {}) },
    createdAt: str(app.metadata.creationTimestamp),
    sources: list.map(sourceOf).filter((source): source is AppSource => source !== undefined),
    destination: { server: str(destination.server), name: str(destination.name), namespace: str(destination.namespace) },
    sync: { status: str(sync.status) || 'Unknown', revisions },
    health: { status: str(health.status) || 'Unknown', message: str(health.message) },
    operation: { phase: str(state.phase), message: str(state.message), startedAt: str(state.startedAt), finishedAt: str(state.finishedAt), requested: app.operation !== undefined && app.operation !== null },
    conditions,
    automated: isPlainObject(obj(spec.syncPolicy).automated),
    reconciledAt: str(status.reconciledAt),
    resourceCount: Array.isArray(status.resources) ? status.resources.length : 0,
    deleting: app.metadata.deletionTimestamp !== undefined,
    resourceVersion: str(app.metadata.resourceVersion),
  };
}
