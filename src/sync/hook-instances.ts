/**
 * Hook instances. A hook named with `generateName` gets a new name at every run, so "the previous instance" cannot be
 * found by name: every hook Launchpad writes carries two labels — the application and the hook's template name — and
 * `BeforeHookCreation` deletes the earlier instances found by them. This is also what makes a sync interrupted by a
 * dead controller safe to run again: the re-run finds and replaces the instance the interrupted run created, so
 * nothing is duplicated or left behind.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../model/resource.js';
import type { KubeClient } from '../kube/types.js';

export const HOOK_OF_LABEL = 'launchpad.dev/hook-of';
export const HOOK_NAME_LABEL = 'launchpad.dev/hook';

/** A label value (63 characters of [A-Za-z0-9._-], alphanumeric at both ends); long names keep a hash. */
export function labelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (cleaned.length <= 63 && cleaned === text) return cleaned;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 10);
  return `${cleaned.slice(0, 52).replace(/[^A-Za-z0-9]+$/, '')}-${hash}`;
}

function templateName(object: KubeObject): string {
  return object.metadata.name ?? object.metadata.generateName ?? '';
}

/** The hook as it is written: labelled with its application and its template name. */
export function labelHook(object: KubeObject, app: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, [HOOK_OF_LABEL]: labelValue(app), [HOOK_NAME_LABEL]: labelValue(templateName(object)) } } };
}

/** Earlier instances of a generateName hook (same application, same template), found by their labels. */
export async function earlierInstances(client: KubeClient, hook: KubeObject, app: string): Promise<KubeObject[]> {
  const selector = `${HOOK_OF_LABEL}=${labelValue(app)},${HOOK_NAME_LABEL}=${labelValue(templateName(hook))}`;
  return client.list(hook.apiVersion, hook.kind, { labelSelector: selector, ...(hook.metadata.namespace === undefined ? {} : { namespace: hook.metadata.namespace }) });
}
