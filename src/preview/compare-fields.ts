/**
 * Application-level changes — what a reviewer reads before any resource diff: destination, sync wave, sync policy,
 * project, each source's repository/revision/path/chart and options, and the Application's labels and annotations.
 * Pure.
 */
import type { Application } from '../model/application.js';
import { applicationSources } from '../model/application.js';
import type { RenderedApp } from '../render/types.js';
import type { FieldChange } from './types.js';
import { canonical } from './yaml-diff.js';

const WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Source keys in the order a reviewer expects them. Unknown keys follow, sorted. */
const SOURCE_KEYS = ['repoURL', 'targetRevision', 'path', 'chart', 'ref', 'name', 'helm', 'kustomize', 'directory', 'plugin'];
/** Spec keys compared on their own lines; every other spec key is compared generically after them. */
const SPEC_KEYS = new Set(['project', 'destination', 'syncPolicy', 'source', 'sources']);

/** One line: strings as they are, anything else as compact JSON with sorted keys; "" when absent. */
export function compact(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(canonical(value));
}

function push(changes: FieldChange[], field: string, base: unknown, head: unknown): void {
  const before = compact(base);
  const after = compact(head);
  if (before !== after) changes.push({ field, base: before, head: after });
}

function sourceChanges(base: Application, head: Application, changes: FieldChange[]): void {
  const before = applicationSources(base);
  const after = applicationSources(head);
  const multi = base.spec.sources !== undefined || head.spec.sources !== undefined || before.length !== 1 || after.length !== 1;
  if (before.length !== after.length) push(changes, 'sources (count)', before.length, after.length);
  for (let index = 0; index < Math.max(before.length, after.length); index += 1) {
    const left = (before[index] ?? {}) as Readonly<Record<string, unknown>>;
    const right = (after[index] ?? {}) as Readonly<Record<string, unknown>>;
    const extra = [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((key) => !SOURCE_KEYS.includes(key)).sort();
    const prefix = multi ? `sources[${index}]` : 'source';
    for (const key of [...SOURCE_KEYS, ...extra]) push(changes, `${prefix}.${key}`, left[key], right[key]);
  }
}

function withoutWave(annotations: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> | undefined {
  if (annotations === undefined) return undefined;
  const rest = Object.fromEntries(Object.entries(annotations).filter(([key]) => key !== WAVE_ANNOTATION));
  return Object.keys(rest).length === 0 ? undefined : rest;
}

/** The application-level differences of an application present at both sides, in a fixed order. */
export function applicationFieldChanges(base: RenderedApp, head: RenderedApp): FieldChange[] {
  const changes: FieldChange[] = [];
  const before = base.application;
  const after = head.application;
  push(changes, 'destination.server', before.spec.destination.server, after.spec.destination.server);
  push(changes, 'destination.name', before.spec.destination.name, after.spec.destination.name);
  push(changes, 'destination.namespace', before.spec.destination.namespace, after.spec.destination.namespace);
  push(changes, 'wave', base.wave, head.wave);
  push(changes, 'syncPolicy', before.spec.syncPolicy, after.spec.syncPolicy);
  push(changes, 'project', before.spec.project, after.spec.project);
  sourceChanges(before, after, changes);
  const spec = (app: Application): Readonly<Record<string, unknown>> => app.spec as unknown as Readonly<Record<string, unknown>>;
  const others = [...new Set([...Object.keys(spec(before)), ...Object.keys(spec(after))])].filter((key) => !SPEC_KEYS.has(key)).sort();
  for (const key of others) push(changes, key, spec(before)[key], spec(after)[key]);
  push(changes, 'metadata.labels', before.metadata.labels, after.metadata.labels);
  push(changes, 'metadata.annotations', withoutWave(before.metadata.annotations), withoutWave(after.metadata.annotations));
  return changes;
}
