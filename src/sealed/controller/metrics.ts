/**
 * The unsealer's Prometheus metrics under Bitnami's names (`sealed_secrets_controller_*`), so the dashboards and
 * alerts of its Helm chart work unchanged: unseal requests and errors by reason and namespace, each SealedSecret's
 * condition (-1 False, 1 True), and the HTTP endpoints' requests and latency. They join the registry the process
 * serves on `/metrics` (the controller's, or the standalone command's own).
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Metric, Registry } from 'prom-client';

export type UnsealErrorReason = 'unseal' | 'unmanaged' | 'update' | 'status' | 'fetch';

export class SealedSecretsMetrics {
  readonly unsealRequests = new Counter({ name: 'sealed_secrets_controller_unseal_requests_total', help: 'Total number of sealed secret unseal requests', registers: [] });
  readonly unsealErrors = new Counter({ name: 'sealed_secrets_controller_unseal_errors_total', help: 'Total number of sealed secret unseal errors by reason', labelNames: ['reason', 'namespace'], registers: [] });
  readonly conditionInfo = new Gauge({ name: 'sealed_secrets_controller_condition_info', help: 'Current SealedSecret condition status. Values are -1 (false), 0 (unknown or absent), 1 (true)', labelNames: ['namespace', 'name', 'condition'], registers: [] });
  readonly httpRequests = new Counter({ name: 'sealed_secrets_controller_http_requests_total', help: 'A counter for requests to the wrapped handler.', labelNames: ['path', 'code', 'method'], registers: [] });
  readonly httpSeconds = new Histogram({ name: 'sealed_secrets_controller_http_request_duration_seconds', help: 'A histogram of latencies for requests.', labelNames: ['path', 'method'], registers: [] });
  readonly keys = new Gauge({ name: 'sealed_secrets_controller_keys', help: 'Sealing keys held (every one is tried on unseal).', registers: [] });

  /** Adds the metrics to `registry` once (a controller that leads again reuses them). */
  registerWith(registry: Registry): void {
    const metrics = [this.unsealRequests, this.unsealErrors, this.conditionInfo, this.httpRequests, this.httpSeconds, this.keys] as unknown as (Metric & { readonly name: string })[];
    for (const metric of metrics) {
      if (registry.getSingleMetric(metric.name) === undefined) registry.registerMetric(metric);
    }
  }

  observeCondition(namespace: string, name: string, synced: boolean | undefined): void {
    if (synced === undefined) this.conditionInfo.remove({ namespace, name, condition: 'Synced' });
    else this.conditionInfo.set({ namespace, name, condition: 'Synced' }, synced ? 1 : -1);
  }
}
