/**
 * Job (batch/v1), as Argo CD judges it: Failed condition → Degraded with its message; Complete → Healthy;
 * Suspended=True → Suspended; anything else is still running → Progressing. One deliberate difference: Argo CD
 * counts a Suspended condition with status False (a Job that was resumed) as finished and Healthy; here a resumed
 * Job is Progressing until it completes, so a sync does not move past a hook that is still running.
 */
import type { KubeObject } from '../model/resource.js';
import { conditionsOf, count, named, result, withDetail } from './fields.js';
import type { HealthResult } from './types.js';

export function jobHealth(job: KubeObject): HealthResult {
  const conditions = conditionsOf(job);
  const failed = conditions.find((condition) => condition.type === 'Failed');
  if (failed !== undefined) return result('Degraded', withDetail(`${named(job)} failed`, failed.message));
  const complete = conditions.find((condition) => condition.type === 'Complete');
  if (complete !== undefined) return result('Healthy', withDetail(`${named(job)} completed`, complete.message));
  const suspended = conditions.find((condition) => condition.type === 'Suspended' && condition.status === 'True');
  if (suspended !== undefined) return result('Suspended', withDetail(`${named(job)} is suspended`, suspended.message));
  return result('Progressing', `${named(job)} is running (${count(job, 'status', 'active')} active, ${count(job, 'status', 'succeeded')} succeeded, ${count(job, 'status', 'failed')} failed)`);
}
