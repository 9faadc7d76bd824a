/**
 * What the controller's parts share: the cluster the Applications live in, the clusters they deploy to, rendering,
 * health, events, logs, metrics and the queue. Each part gets this one object instead of a long parameter list, so
 * the reconcile, the operation runner and deletion read as narratives of their own steps.
 */
import type { HealthResult } from '../health/types.js';
import type { Application, ApplicationDestination } from '../model/application.js';
import type { ArgoCdSettings } from '../model/argocd-cm.js';
import type { KubeObject } from '../model/resource.js';
import type { KubeClient } from '../kube/types.js';
import type { AppRenderResult } from '../render/app.js';
import type { LiveCache } from './live-cache.js';
import type { ControllerMetrics } from './metrics.js';

export const APPLICATION_API_VERSION = 'argoproj.io/v1alpha1';

/** A destination cluster: its API client and its shared live cache. */
export interface ClusterHandle {
  readonly server: string;
  readonly name: string;
  readonly client: KubeClient;
  readonly cache: LiveCache;
}

export interface Logger {
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
  debug(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface RenderRequest {
  /** Bypass the render cache (`argocd.argoproj.io/refresh: hard`). */
  readonly hard: boolean;
}

export interface ControllerServices {
  /** Where Applications, AppProjects and the controller's Secrets live. */
  readonly namespace: string;
  /** The cluster holding the Applications (the controller's own). */
  readonly client: KubeClient;
  clusterFor(destination: ApplicationDestination): Promise<ClusterHandle | { readonly error: string }>;
  render(app: Application, request: RenderRequest): Promise<AppRenderResult>;
  /** Forget resolved revisions: the next render fetches repositories again. */
  renewSources(): void;
  readonly assessHealth: (object: KubeObject | undefined) => HealthResult;
  /** argocd-cm as last read (exclusions, customizations, tracking). @default Argo CD's defaults */
  readonly settings?: () => ArgoCdSettings;
  readonly log: Logger;
  readonly metrics: ControllerMetrics;
  enqueue(name: string, delayMs?: number): void;
  /** Queues ahead of every waiting app: someone is waiting for this one (its operation just ended). */
  enqueueFirst(name: string): void;
  /** False once leadership is lost or the process drains: nothing may be written any more. */
  writesAllowed(): boolean;
  /** Records a Kubernetes Event on the Application (best effort). */
  event(app: KubeObject, reason: string, message: string, type?: 'Normal' | 'Warning'): void;
}
