/**
 * Argo CD sync options: `argocd.argoproj.io/sync-options: Prune=false,Replace=true` on a resource, and
 * `spec.syncPolicy.syncOptions` on the Application (resource annotations win). Unknown options are kept so a
 * caller can warn about them.
 */
import { ANNOTATION } from '../model/annotations.js';
import type { KubeObject } from '../model/resource.js';

export type SyncOptions = ReadonlyMap<string, string>;

export function parseSyncOptions(list: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (const entry of list) {
    for (const part of entry.split(',')) {
      const [key = '', value = ''] = part.split('=', 2).map((text) => text.trim());
      if (key !== '') options.set(key, value);
    }
  }
  return options;
}

/** The options in force for one resource: the Application's, overridden by the resource's annotation. */
export function resourceSyncOptions(object: KubeObject, appOptions: SyncOptions): SyncOptions {
  const annotation = object.metadata.annotations?.[ANNOTATION.syncOptions];
  if (annotation === undefined) return appOptions;
  return new Map([...appOptions, ...parseSyncOptions([annotation])]);
}

export function optionIs(options: SyncOptions, key: string, value: string): boolean {
  return options.get(key)?.toLowerCase() === value.toLowerCase();
}
