/**
 * Reading an Application as the API server returns it (plain JSON, any field may be missing or of another type): the
 * pieces `list`, `get` and the operation commands show, in Argo CD's field names.
 */
import type { KubeObject } from '../../../model/resource.js';
import { isPlainObject } from '../../../model/values.js';

type Json = Readonly<Record<string, unknown>>;

/** The object at `path` (an empty one when absent). */
export function record(value: unknown, ...path: readonly string[]): Json {
  let current: unknown = value;
  for (const key of path) current = isPlainObject(current) ? current[key] : undefined;
  return isPlainObject(current) ? current : {};
}

/** The string at `path` ('' when absent or not a string). */
export function text(value: unknown, ...path: readonly string[]): string {
  const last = path.at(-1);
  if (last === undefined) return typeof value === 'string' ? value : '';
  const found = record(value, ...path.slice(0, -1))[last];
  return typeof found === 'string' ? found : typeof found === 'number' ? String(found) : '';
}

/** The objects of the list at `path`. */
export function records(value: unknown, ...path: readonly string[]): Json[] {
  const last = path.at(-1);
  const found = last === undefined ? value : record(value, ...path.slice(0, -1))[last];
  return Array.isArray(found) ? found.filter(isPlainObject) : [];
}

export function strings(value: unknown, ...path: readonly string[]): string[] {
  const last = path.at(-1);
  const found = last === undefined ? value : record(value, ...path.slice(0, -1))[last];
  return Array.isArray(found) ? found.filter((item): item is string => typeof item === 'string') : [];
}

/** The object as `kubectl get -o yaml` shows it: without `metadata.managedFields`. */
export function forOutput(object: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = { ...object.metadata };
  delete metadata.managedFields;
  return { ...object, metadata };
}

export const shortSha = (revision: string): string => (/^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision);

export function operationState(app: KubeObject): Json {
  return record(app.status, 'operationState');
}

export function operationPhase(app: KubeObject): string {
  return text(app.status, 'operationState', 'phase');
}

/** A phase that means an operation is under way: the controller runs it (Running) or is stopping it (Terminating). */
export function isActivePhase(phase: string): boolean {
  return phase === 'Running' || phase === 'Terminating';
}

/** True when `operation` is written and not yet taken away by the controller. */
export function hasRequestedOperation(app: KubeObject): boolean {
  return app.operation !== undefined && app.operation !== null;
}

/** OPERATION column: the last operation's phase, or Pending when one is written and not started yet. */
export function operationColumn(app: KubeObject): string {
  const phase = operationPhase(app);
  if (hasRequestedOperation(app) && !isActivePhase(phase)) return 'Pending';
  return phase;
}

export function project(app: KubeObject): string {
  return text(app.spec, 'project') || 'default';
}

export function syncStatus(app: KubeObject): string {
  return text(app.status, 'sync', 'status') || 'Unknown';
}

export function healthStatus(app: KubeObject): string {
  return text(app.status, 'health', 'status') || 'Unknown';
}

/** The revision(s) the app was last compared at: one short sha, or one per source for multi-source apps. */
export function syncedRevision(app: KubeObject, short = true): string {
  const revisions = strings(app.status, 'sync', 'revisions');
  const list = revisions.length > 0 ? revisions : [text(app.status, 'sync', 'revision')].filter((revision) => revision !== '');
  return list.map((revision) => (short ? shortSha(revision) : revision)).join(',');
}

export function clusterOf(destination: Json): string {
  const name = text(destination, 'name');
  if (name !== '') return name;
  const server = text(destination, 'server');
  return server === 'https://kubernetes.default.svc' ? 'in-cluster' : server;
}

/** `in-cluster/shop`: the cluster (by name; the local one as in-cluster) and the namespace. */
export function destinationOf(app: KubeObject): string {
  const destination = record(app.spec, 'destination');
  const namespace = text(destination, 'namespace');
  return namespace === '' ? clusterOf(destination) : `${clusterOf(destination)}/${namespace}`;
}

/** The sources as written: `sources` for a multi-source app, else `source`. */
export function sourcesOf(app: KubeObject): Json[] {
  const multi = records(app.spec, 'sources');
  if (multi.length > 0) return multi;
  const single = record(app.spec, 'source');
  return Object.keys(single).length === 0 ? [] : [single];
}

export function isMultiSource(app: KubeObject): boolean {
  return Array.isArray(record(app.spec).sources);
}

/** `https://git.example.com/repo.git path apps/web` or `https://charts.example.com chart redis 1.2.3`. */
export function describeSource(source: Json): string {
  const parts = [text(source, 'repoURL')];
  if (text(source, 'chart') !== '') parts.push(`chart ${text(source, 'chart')}`);
  if (text(source, 'path') !== '') parts.push(`path ${text(source, 'path')}`);
  if (text(source, 'ref') !== '') parts.push(`ref ${text(source, 'ref')}`);
  return parts.filter((part) => part !== '').join(' ');
}

/** Automated sync is on: `syncPolicy.automated` is set and not `enabled: false`. */
export function isAutomated(app: KubeObject): boolean {
  const automated = record(app.spec, 'syncPolicy')['automated'];
  return isPlainObject(automated) && automated.enabled !== false;
}
