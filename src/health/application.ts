/**
 * Argo CD Application (argoproj.io/v1alpha1): the health its controller reported in `status.health.status`, so an
 * app-of-apps sync wave waits until the child application is Healthy. Argo CD itself stopped assessing Applications
 * in 1.8 and documents a Lua customization that does this; here it is on by default. No status yet → Progressing.
 */
import type { KubeObject } from '../model/resource.js';
import { named, result, text } from './fields.js';
import type { HealthResult, HealthStatus } from './types.js';

const STATUSES: ReadonlySet<string> = new Set<HealthStatus>(['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown']);

const isHealthStatus = (value: string): value is HealthStatus => STATUSES.has(value);

export function applicationHealth(app: KubeObject): HealthResult {
  const status = text(app, 'status', 'health', 'status');
  const message = text(app, 'status', 'health', 'message') ?? '';
  if (status === undefined || status === '') return result('Progressing', `${named(app)} has not reported its health yet`);
  if (!isHealthStatus(status)) return result('Unknown', `${named(app)} reports an unknown health "${status}"`);
  return result(status, message === '' ? `${named(app)} is ${status}` : message);
}
