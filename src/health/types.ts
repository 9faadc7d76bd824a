/** Health of live objects, as Argo CD assesses it (plus a few kinds Argo CD leaves to Lua scripts). Pure. */
import type { KubeObject } from '../model/resource.js';

export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

export interface HealthResult {
  readonly status: HealthStatus;
  /** A sentence a user understands, e.g. `Deployment "web" has 1/3 updated replicas available`. */
  readonly message: string;
}

/** One kind's rule: undefined when the kind has no opinion (the object is then Healthy if it exists). */
export type HealthCheck = (object: KubeObject) => HealthResult | undefined;
