/**
 * The last step of rendering an application, as Argo CD does it: merge the sources' objects (a later source wins for
 * the same group/kind/namespace/name), give namespaced objects without a namespace the destination namespace, and
 * stamp each object with the tracking annotation that says which application owns it.
 */
import { ANNOTATION } from '../model/annotations.js';
import type { KubeObject, ResourceKey } from '../model/resource.js';
import { formatResourceKey, resourceKey, resourceKeyString, trackingId } from '../model/resource.js';
import { buildScopeTable } from './kube-scope.js';

export interface SourceObjects {
  /** For messages: "source 2 (https://… path apps/web)". */
  readonly label: string;
  readonly objects: readonly KubeObject[];
}

export interface FinalizeResult {
  readonly objects: KubeObject[];
  readonly warnings: string[];
  readonly errors: string[];
}

export interface FinalizeOptions {
  readonly appName: string;
  readonly destinationNamespace: string | undefined;
}

function withNamespace(object: KubeObject, namespace: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, namespace } };
}

function withTracking(object: KubeObject, id: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [ANNOTATION.trackingId]: id } } };
}

/** Sort order of rendered output: group, kind, namespace, name — stable bytes for diffs and golden files. */
export function compareResourceKeys(a: ResourceKey, b: ResourceKey): number {
  return resourceKeyString(a) < resourceKeyString(b) ? -1 : resourceKeyString(a) > resourceKeyString(b) ? 1 : 0;
}

function defaultNamespaces(objects: readonly KubeObject[], options: FinalizeOptions, warnings: string[]): KubeObject[] {
  const scopes = buildScopeTable(objects);
  const unknownKinds = new Set<string>();
  const result = objects.map((object) => {
    const { scope, known } = scopes.scopeOf(object.apiVersion, object.kind);
    if (scope === 'Cluster') {
      if (object.metadata.namespace === undefined) return object;
      const metadata = { ...object.metadata };
      delete metadata.namespace;
      return { ...object, metadata };
    }
    if (!known) unknownKinds.add(`${object.kind} (${object.apiVersion})`);
    const hasNamespace = object.metadata.namespace !== undefined && object.metadata.namespace !== '';
    return hasNamespace || options.destinationNamespace === undefined ? object : withNamespace(object, options.destinationNamespace);
  });
  for (const kind of [...unknownKinds].sort()) {
    warnings.push(`kind ${kind} is not known and no CustomResourceDefinition for it is in this application: treated as namespaced`);
  }
  return result;
}

export function finalizeObjects(sources: readonly SourceObjects[], options: FinalizeOptions): FinalizeResult {
  const warnings: string[] = [];
  const errors: string[] = [];
  const merged = new Map<string, { object: KubeObject; label: string }>();
  for (const source of sources) {
    const seenInSource = new Set<string>();
    for (const object of defaultNamespaces(source.objects, options, warnings)) {
      if (object.metadata.name === undefined && object.metadata.generateName === undefined) {
        errors.push(`a ${object.kind} from ${source.label} has no metadata.name — every object needs a name (or generateName for hooks)`);
        continue;
      }
      const key = resourceKey(object);
      const id = resourceKeyString(key);
      if (seenInSource.has(id)) {
        errors.push(`${formatResourceKey(key)} is produced twice by ${source.label} — remove the duplicate (names must be unique per kind and namespace)`);
        continue;
      }
      seenInSource.add(id);
      const previous = merged.get(id);
      if (previous !== undefined) warnings.push(`${formatResourceKey(key)} from ${previous.label} is replaced by the one from ${source.label} (a later source wins)`);
      merged.set(id, { object, label: source.label });
    }
  }
  const objects = [...merged.values()]
    .map(({ object }) => {
      const key = resourceKey(object);
      const trackingKey = { ...key, namespace: key.namespace === '' ? (options.destinationNamespace ?? '') : key.namespace };
      return withTracking(object, trackingId(options.appName, trackingKey));
    })
    .sort((a, b) => compareResourceKeys(resourceKey(a), resourceKey(b)));
  return { objects, warnings, errors };
}
