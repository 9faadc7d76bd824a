/**
 * What the API reads on every request, kept in memory from the watches the controller shares: Applications (with
 * their summaries, rebuilt only when one changes), AppProjects, cluster and repository Secrets of the namespace.
 * Listing 1,000 applications is then a filter over ready objects, never a request to the API server. Changes to
 * Applications are passed on to the event stream's subscribers.
 */
import type { Informer } from '../controller/informer.js';
import { CLUSTER_SECRETS_SELECTOR, REPOSITORY_SECRETS_SELECTOR } from '../controller/clusters.js';
import type { SharedInformers } from '../controller/shared-informers.js';
import { APPLICATION_API_VERSION } from '../controller/services.js';
import type { WatchEvent } from '../kube/types.js';
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

  constructor(readonly namespace: string) {}

  /** Subscribes to the (shared) watches until `signal` aborts; resolves when each has listed once. */
  async start(informers: SharedInformers, signal: AbortSignal): Promise<void> {
    const { namespace } = this;
    this.apps = informers.informer({ apiVersion: APPLICATION_API_VERSION, kind: 'Application', namespace });
    this.apps.subscribe((event) => { this.onApp(event); }, signal);
    this.projects = informers.informer({ apiVersion: APPLICATION_API_VERSION, kind: 'AppProject', namespace });
    this.clusters = informers.informer({ apiVersion: 'v1', kind: 'Secret', namespace, labelSelector: CLUSTER_SECRETS_SELECTOR });
    this.repositories = informers.informer({ apiVersion: 'v1', kind: 'Secret', namespace, labelSelector: REPOSITORY_SECRETS_SELECTOR });
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
