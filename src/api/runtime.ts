/**
 * Everything the API's routes use, made when the add-on starts (routes are registered before: until then they answer
 * 503). One object, so each route module receives one thing.
 */
import type { Logger } from '../controller/services.js';
import type { KubeClient } from '../kube/types.js';
import type { Access } from './access.js';
import type { AuditLog } from './audit.js';
import type { OidcClient } from './auth/oidc.js';
import type { SessionSigner } from './auth/session.js';
import type { ApiClusters } from './clusters.js';
import type { ConfigReader } from './config-reader.js';
import type { DesiredState } from './desired.js';
import { ApiError } from './errors.js';
import type { ApiStore } from './store.js';

export interface ApiRuntime {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly store: ApiStore;
  readonly settings: ConfigReader;
  readonly access: Access;
  readonly clusters: ApiClusters;
  readonly desired: DesiredState;
  readonly log: Logger;
}

/** What exists from the start (routes and the cookie signer need it before the add-on starts). */
export interface ApiShared {
  readonly audit: AuditLog;
  readonly signer: SessionSigner;
  readonly oidc: OidcClient;
  /** Login attempts allowed per client address per minute. */
  readonly loginRateLimit: number;
  runtime(): ApiRuntime;
}

export class RuntimeHolder {
  private current: ApiRuntime | undefined;

  set(runtime: ApiRuntime | undefined): void {
    this.current = runtime;
  }

  get(): ApiRuntime {
    if (this.current === undefined) throw new ApiError(503, 'the API is not serving yet (this controller is starting, or is a standby)', 'retry in a moment; behind the Service only the leader receives requests');
    return this.current;
  }
}
