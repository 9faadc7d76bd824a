/** The notifications' Prometheus metrics, on the registry the controller serves on `/metrics`. */
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

export const DELIVERIES_METRIC = 'launchpad_notifications_deliveries_total';
export const TRIGGER_ERRORS_METRIC = 'launchpad_notifications_trigger_eval_errors_total';

export class NotificationsMetrics {
  readonly deliveries: Counter<'service' | 'trigger' | 'succeeded'>;
  readonly triggerErrors: Counter<'trigger'>;

  /** Reuses the registry's metrics when this add-on starts again (a new leadership term). */
  constructor(registry: Registry) {
    this.deliveries = (registry.getSingleMetric(DELIVERIES_METRIC) as Counter<'service' | 'trigger' | 'succeeded'> | undefined)
      ?? new Counter({ name: DELIVERIES_METRIC, help: 'Notifications delivered (succeeded="true") or given up after retries, by service and trigger.', labelNames: ['service', 'trigger', 'succeeded'], registers: [registry] });
    this.triggerErrors = (registry.getSingleMetric(TRIGGER_ERRORS_METRIC) as Counter<'trigger'> | undefined)
      ?? new Counter({ name: TRIGGER_ERRORS_METRIC, help: 'Trigger conditions that failed to evaluate (counted as false).', labelNames: ['trigger'], registers: [registry] });
  }
}
