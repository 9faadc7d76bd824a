/**
 * APIService (apiregistration.k8s.io), as Argo CD judges it: the Available condition True → Healthy, present but not
 * True → Progressing (an aggregated API whose backend is not up yet), absent → Progressing.
 */
import type { KubeObject } from '../model/resource.js';
import { findCondition, named, result } from './fields.js';
import type { HealthResult } from './types.js';

export function apiServiceHealth(service: KubeObject): HealthResult {
  const available = findCondition(service, 'Available');
  if (available === undefined) return result('Progressing', `${named(service)} is waiting to be processed`);
  const detail = `${available.reason}: ${available.message}`;
  if (available.status === 'True') return result('Healthy', `${named(service)} is available (${detail})`);
  return result('Progressing', `${named(service)} is not available (${detail})`);
}
