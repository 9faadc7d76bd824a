/** The shown form of a difference: a unified diff of sorted YAML, live → desired, Secret values redacted. */
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';
import { stringify } from 'yaml';
import { formatResourceKey } from '../model/resource.js';
import type { KubeObject, ResourceKey } from '../model/resource.js';
import { redactPair } from './secrets.js';

/** Lines of context around each change when the caller does not say. */
export const DEFAULT_CONTEXT_LINES = 3;

function toYaml(object: KubeObject | undefined): string {
  return object === undefined ? '' : stringify(object, { sortMapEntries: true, lineWidth: 0 });
}

/**
 * `--- live/<Kind>/<ns>/<name>` / `+++ desired/…` and the hunks. An absent side is empty (a missing object is all
 * additions, an extraneous one all removals). Secret values are replaced before anything is serialized.
 */
export function unifiedDiff(key: ResourceKey, live: KubeObject | undefined, desired: KubeObject | undefined, context = DEFAULT_CONTEXT_LINES): string {
  const shown = redactPair(desired, live);
  const name = formatResourceKey(key);
  const patch = structuredPatch(`live/${name}`, `desired/${name}`, toYaml(shown.live), toYaml(shown.desired), undefined, undefined, { context });
  return patch.hunks.length === 0 ? '' : formatPatch(patch, FILE_HEADERS_ONLY);
}
