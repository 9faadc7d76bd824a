/**
 * What the API reads on every request, kept in memory from watches (the controller's Informer): Applications (with
 * their summaries, rebuilt only when one changes), AppProjects, cluster and repository Secrets of the namespace.
 * Listing 1,000 applications is then a filter over ready objects, never a request to the API server. Changes to
 * Applications are passed on to the event stream's subscribers.
 */
import { Informer } from '../controller/informer.js';
import { CLUSTER_SECRET_LABEL } from '../controller/clusters.js';
import { APPLICATION_API_VERSION } from '../controller/services.js';
import type { KubeClient, WatchEvent } from '../kube/types.js';
import type { KubeObject } from '../model/resource.js';
import { summarize } from './views/summary.js';
import type { AppSummary } from './views/summary.js';

export interface AppChange {
  readonly type: WatchEvent['type'];
  readonly app: AppSummary;
}

export type AppListener = (change: AppChange) => void;

export class ApiStore {
  private apps: Informer | undefined;
  private projects: Informer | undefined;
  private clusters: Informer | undefined;
  private repositories: Informer | undefined;
  private readonly summaries = new Map<string, AppSummary>();
  private readonly listeners = new Set<AppListener>();

  constructor(private readonly client: KubeClient, readonly namespace: string) {}

  /** Starts the watches; resolves when each has listed once. */
  async start(signal: AbortSignal, onError: (what: string, error: unknown) => void): Promise<void> {
    const { client, namespace } = this;
    const watch = (what: string, apiVersion: string, kind: string, extra: { labelSelector?: string; onChange?: (event: WatchEvent) => void } = {}): Informer => new Informer({
      client, apiVersion, kind, namespace, signal, ...extra, onError: (error) => { onError(what, error); },
    });
    this.apps = watch('Applications', APPLICATION_API_VERSION, 'Application', { onChange: (event) => { this.onApp(event); } });
    this.projects = watch('AppProjects', APPLICATION_API_VERSION, 'AppProject');
    this.clusters = watch('cluster Secrets', 'v1', 'Secret', { labelSelector: `${CLUSTER_SECRET_LABEL}=cluster` });
    this.repositories = watch('repository Secrets', 'v1', 'Secret', { labelSelector: `${CLUSTER_SECRET_LABEL} in (repository,repo-creds)` });
    await Promise.all([this.apps.synced, this.projects.synced, this.clusters.synced, this.repositories.synced]);
  }

  get started(): boolean {
    return this.apps?.isSynced() === true;
  }

  application(name: string): KubeObject | undefined {
    return this.apps?.get(name);
  }

  applications(): KubeObject[] {
    return this.apps?.list() ?? [];
  }

  /** Every application's summary, by name. */
  summariesList(): AppSummary[] {
    return [...this.summaries.values()];
  }

  summary(name: string): AppSummary | undefined {
    return this.summaries.get(name);
  }

  projectList(): KubeObject[] {
    return this.projects?.list() ?? [];
  }

  project(name: string): KubeObject | undefined {
    return this.projects?.get(name);
  }

  clusterSecrets(): KubeObject[] {
    return this.clusters?.list() ?? [];
  }

  repositorySecrets(): KubeObject[] {
    return this.repositories?.list() ?? [];
  }

  subscribe(listener: AppListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private onApp(event: WatchEvent): void {
    const name = event.object.metadata.name ?? '';
    const summary = summarize(event.object);
    if (event.type === 'DELETED') this.summaries.delete(name);
    else this.summaries.set(name, summary);
    for (const listener of this.listeners) listener({ type: event.type, app: summary });
  }
}
