/** Writes an ApplicationSet's status through its status subresource, only when what a user sees changed. */
import type { KubeClient } from '../../kube/types.js';
import { KubeError } from '../../errors.js';
import type { KubeObject } from '../../model/resource.js';
import type { AppStepStatus } from './rolling-sync.js';
import type { Condition } from './status.js';
import { mergeConditions, resourceStatuses, statusChanged } from './status.js';

export interface StatusUpdate {
  readonly conditions: readonly Condition[];
  /** The set's Applications as they are now; undefined keeps `resources` as it is (generation failed). */
  readonly live?: readonly KubeObject[];
  readonly applicationStatus?: readonly AppStepStatus[];
}

export async function writeStatus(client: KubeClient, object: KubeObject, update: StatusUpdate, now: string): Promise<void> {
  const status: Record<string, unknown> = { conditions: mergeConditions(object, update.conditions, now) };
  if (update.live !== undefined) {
    const resources = resourceStatuses(update.live);
    status.resources = resources;
    status.resourcesCount = resources.length;
  }
  if (update.applicationStatus !== undefined) status.applicationStatus = update.applicationStatus;
  if (!statusChanged(object, status)) return;
  const ref = { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '' };
  try {
    await client.patch(ref, { status }, { type: 'merge', subresource: 'status' });
  } catch (error) {
    // The set was deleted meanwhile: nothing to report on.
    if (error instanceof KubeError && error.status === 404) return;
    throw error;
  }
}
