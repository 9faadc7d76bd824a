/** Desired vs live comparison results. Pure; secrets are redacted before anything is shown. */
import type { ResourceKey } from '../model/resource.js';

export type DiffStatus = 'in-sync' | 'out-of-sync' | 'missing' | 'extraneous';

export interface ResourceDiff {
  readonly key: ResourceKey;
  readonly status: DiffStatus;
  /** Unified diff of the normalized YAML (live → desired), Secret values redacted; "" when in sync. */
  readonly diff: string;
}
