/**
 * The Applications a set owns and how a generated one is written over the live one, as Argo CD's createOrUpdate:
 * the spec is replaced; labels, annotations and finalizers are the generated ones, except the preserved annotations
 * (`preservedFields`, notifications' and refresh annotations) and Argo CD's pre/post-delete finalizers, which keep
 * their live values; fields `ignoreApplicationDifferences` selects keep their live values too. Nothing is written
 * when the result equals the live Application.
 */
import type { IgnoreDifference } from '../../model/application.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import { selectedPaths } from '../../diff/ignore.js';
import { deepEqual, getAt, removeAt, setAt } from '../../diff/values.js';
import type { ApplicationSetSpec } from '../spec.js';
import { APPLICATION_SET_API_VERSION, APPLICATION_SET_KIND } from '../spec.js';

const DEFAULT_PRESERVED_ANNOTATIONS = ['notified.notifications.argoproj.io', 'argocd.argoproj.io/refresh', 'argocd.argoproj.io/hydrate'];
const DEFAULT_PRESERVED_FINALIZERS = ['pre-delete-finalizer.argocd.argoproj.io', 'post-delete-finalizer.argocd.argoproj.io'];

interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export function ownerReferenceOf(appSet: ApplicationSetSpec): OwnerReference {
  return { apiVersion: APPLICATION_SET_API_VERSION, kind: APPLICATION_SET_KIND, name: appSet.name, uid: appSet.uid, controller: true, blockOwnerDeletion: true };
}

/** The name of the ApplicationSet controlling an Application (its controller owner reference), if any. */
export function controllingSet(app: KubeObject): string | undefined {
  const refs = Array.isArray(app.metadata.ownerReferences) ? (app.metadata.ownerReferences as unknown[]) : [];
  const ref = refs.find((entry): entry is OwnerReference => isPlainObject(entry) && entry.kind === APPLICATION_SET_KIND && entry.controller === true && typeof entry.name === 'string');
  return ref?.name;
}

function preserved(keys: readonly string[], live: Readonly<Record<string, string>> | undefined, generated: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = { ...generated };
  for (const key of keys) {
    const value = live?.[key];
    if (value !== undefined) out[key] = value;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function finalizersOf(live: KubeObject, generated: KubeObject): string[] | undefined {
  const liveFinalizers = Array.isArray(live.metadata.finalizers) ? (live.metadata.finalizers as string[]) : [];
  const out = [...(Array.isArray(generated.metadata.finalizers) ? (generated.metadata.finalizers as string[]) : [])];
  for (const prefix of DEFAULT_PRESERVED_FINALIZERS) for (const finalizer of liveFinalizers) if (finalizer.startsWith(prefix)) out.push(finalizer);
  return out.length === 0 ? undefined : out;
}

function ignoreRules(appSet: ApplicationSetSpec, name: string): IgnoreDifference[] {
  return appSet.ignoreDifferences
    .filter((rule) => rule.name === undefined || rule.name === name)
    .map((rule) => ({ group: 'argoproj.io', kind: 'Application', jsonPointers: [...rule.jsonPointers], jqPathExpressions: [...rule.jqPathExpressions] }));
}

/** Ignored fields take their live values (or stay absent when the live Application lacks them). */
async function keepIgnoredFields(desired: Record<string, unknown>, live: KubeObject, rules: readonly IgnoreDifference[]): Promise<void> {
  if (rules.length === 0) return;
  const paths = [...(await selectedPaths(rules, live)), ...(await selectedPaths(rules, desired as unknown as KubeObject))];
  for (const path of paths) {
    const value = getAt(live, path);
    if (value === undefined) removeAt(desired, path);
    else setAt(desired, path, structuredClone(value));
  }
}

/** The Application to write over `live`, or undefined when nothing would change. */
export async function updatedApplication(live: KubeObject, generated: KubeObject, appSet: ApplicationSetSpec): Promise<KubeObject | undefined> {
  const name = live.metadata.name ?? '';
  const labels = preserved(appSet.preservedLabels, live.metadata.labels, generated.metadata.labels);
  const annotations = preserved([...appSet.preservedAnnotations, ...DEFAULT_PRESERVED_ANNOTATIONS], live.metadata.annotations, generated.metadata.annotations);
  const finalizers = finalizersOf(live, generated);
  const written = { labels, annotations, finalizers };
  // Fields the generated Application leaves empty are removed from the live one, as Argo CD's update does.
  const kept = Object.entries(live.metadata).filter(([key]) => !(key in written));
  const set = Object.entries(written).filter(([, value]) => value !== undefined);
  const metadata: Record<string, unknown> = { ...Object.fromEntries([...kept, ...set]), ownerReferences: [ownerReferenceOf(appSet)] };
  const desired: Record<string, unknown> = { ...live, metadata, spec: structuredClone(generated.spec) };
  if (generated.operation !== undefined) desired.operation = generated.operation;
  await keepIgnoredFields(desired, live, ignoreRules(appSet, name));
  return deepEqual(desired, live) ? undefined : (desired as KubeObject);
}

/** A generated Application as first created: owned by its set. */
export function createdApplication(generated: KubeObject, appSet: ApplicationSetSpec): KubeObject {
  return { ...generated, metadata: { ...generated.metadata, ownerReferences: [ownerReferenceOf(appSet)] } };
}
