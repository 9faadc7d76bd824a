/**
 * cert-manager Certificate (cert-manager.io/v1), as Argo CD's resource customization judges it: Issuing=True →
 * Progressing (a certificate is being issued or renewed); else the Ready condition; no conditions yet → Progressing.
 */
import type { KubeObject } from '../model/resource.js';
import { findCondition, named, result, withDetail } from './fields.js';
import { conditionHealth } from './ready-condition.js';
import type { HealthResult } from './types.js';

export function certificateHealth(certificate: KubeObject): HealthResult {
  const issuing = findCondition(certificate, 'Issuing');
  if (issuing?.status === 'True') return result('Progressing', withDetail(`${named(certificate)} is being issued`, issuing.message));
  const ready = findCondition(certificate, 'Ready');
  if (ready === undefined || (ready.status !== 'True' && ready.status !== 'False')) {
    return result('Progressing', `Waiting for certificate ${named(certificate)}`);
  }
  return conditionHealth(certificate, ready);
}
