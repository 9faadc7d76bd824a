/**
 * CronJob (batch/v1), as Argo CD's built-in resource customization judges it: suspended → Suspended; no status yet →
 * Progressing; otherwise Healthy unless the last scheduled run is over and finished later than the last success
 * (Degraded). A CronJob that never succeeded or is running now is Healthy: its status cannot tell a first run from a
 * failing one.
 */
import type { KubeObject } from '../model/resource.js';
import { field, list, named, result, text } from './fields.js';
import type { HealthResult } from './types.js';

export function cronJobHealth(cron: KubeObject): HealthResult {
  if (field(cron, 'spec', 'suspend') === true) return result('Suspended', `${named(cron)} is suspended`);
  const status = field(cron, 'status');
  if (status === undefined || status === null) return result('Progressing', `Waiting for ${named(cron)}`);
  const lastSchedule = text(status, 'lastScheduleTime');
  if (lastSchedule === undefined) return result('Healthy', `${named(cron)} has not been scheduled yet`);
  const lastSuccess = text(status, 'lastSuccessfulTime');
  if (lastSuccess === undefined) return result('Healthy', `${named(cron)} has never completed successfully; it may not be healthy`);
  if (list(status, 'active').length > 0) return result('Healthy', `${named(cron)} is running a job; its last run may not have succeeded`);
  if (Date.parse(lastSuccess) < Date.parse(lastSchedule)) {
    return result('Degraded', `${named(cron)} has not completed its last run successfully`);
  }
  return result('Healthy', `${named(cron)} completed its last run successfully`);
}
