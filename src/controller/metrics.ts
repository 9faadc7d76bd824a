/**
 * The controller's Prometheus metrics (prom-client), served on `/metrics`. Names follow Argo CD's where they have a
 * counterpart (`argocd_app_info` → `launchpad_app_info`), so dashboards port by a prefix change.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { KubeClient } from '../kube/types.js';

const VERBS = ['get', 'list', 'apply', 'create', 'replace', 'patch', 'delete', 'watch'] as const;

/** The client with every request counted by verb (`dry-run apply` apart from writes) in `launchpad_kube_requests_total`. */
export function instrumentClient(client: KubeClient, metrics: ControllerMetrics): KubeClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !(VERBS as readonly (string | symbol)[]).includes(property)) return value;
      return (...args: unknown[]): unknown => {
        const options = args[1] as { dryRun?: boolean } | undefined;
        metrics.kubeRequests.inc({ verb: property === 'apply' && options?.dryRun === true ? 'dry-run-apply' : String(property) });
        return (value as (...inner: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export interface AppInfo {
  readonly name: string;
  readonly namespace: string;
  readonly project: string;
  readonly syncStatus: string;
  readonly healthStatus: string;
  readonly destServer: string;
}

export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly appInfo = new Gauge({ name: 'launchpad_app_info', help: 'One series per application with its sync and health status.', labelNames: ['name', 'namespace', 'project', 'sync_status', 'health_status', 'dest_server'], registers: [this.registry] });
  readonly reconcileSeconds = new Histogram({ name: 'launchpad_app_reconcile_seconds', help: 'Time to reconcile (render, compare, write status) one application.', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry] });
  readonly syncSeconds = new Histogram({ name: 'launchpad_app_sync_seconds', help: 'Duration of sync operations.', labelNames: ['phase'], buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900], registers: [this.registry] });
  readonly syncTotal = new Counter({ name: 'launchpad_app_sync_total', help: 'Sync operations by final phase.', labelNames: ['name', 'namespace', 'project', 'phase'], registers: [this.registry] });
  readonly gitRequests = new Counter({ name: 'launchpad_git_requests_total', help: 'Git revision resolutions (fetches or cached lookups) by repository.', labelNames: ['repo'], registers: [this.registry] });
  readonly renders = new Counter({ name: 'launchpad_render_total', help: 'Application renders by outcome (ok, error, skipped) and whether the render cache served them.', labelNames: ['status', 'cached'], registers: [this.registry] });
  readonly renderProcesses = new Counter({ name: 'launchpad_render_processes_total', help: 'helm and kustomize processes run.', registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'launchpad_workqueue_depth', help: 'Applications waiting in the work queue.', registers: [this.registry] });
  readonly kubeRequests = new Counter({ name: 'launchpad_kube_requests_total', help: 'Requests to API servers by verb.', labelNames: ['verb'], registers: [this.registry] });
  readonly watchedKinds = new Gauge({ name: 'launchpad_cluster_watched_kinds', help: 'Kinds watched in the live cache per cluster.', labelNames: ['server'], registers: [this.registry] });
  readonly cachedObjects = new Gauge({ name: 'launchpad_cluster_cached_objects', help: 'Objects held in the live cache per cluster.', labelNames: ['server'], registers: [this.registry] });
  readonly leader = new Gauge({ name: 'launchpad_leader', help: '1 while this process leads.', registers: [this.registry] });
  private readonly infoLabels = new Map<string, Record<string, string>>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'launchpad_' });
  }

  setAppInfo(info: AppInfo): void {
    const labels = { name: info.name, namespace: info.namespace, project: info.project, sync_status: info.syncStatus, health_status: info.healthStatus, dest_server: info.destServer };
    const key = `${info.namespace}/${info.name}`;
    const previous = this.infoLabels.get(key);
    if (previous !== undefined && JSON.stringify(previous) !== JSON.stringify(labels)) this.appInfo.remove(previous);
    this.appInfo.set(labels, 1);
    this.infoLabels.set(key, labels);
  }

  removeApp(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const previous = this.infoLabels.get(key);
    if (previous !== undefined) this.appInfo.remove(previous);
    this.infoLabels.delete(key);
  }
}
