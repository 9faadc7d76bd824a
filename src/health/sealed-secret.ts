/**
 * Bitnami SealedSecret (bitnami.com/v1alpha1), as Argo CD's resource customization judges it: the controller's
 * Synced condition True → Healthy (the Secret was unsealed), False → Degraded with its message (it could not be
 * decrypted), absent → Progressing.
 */
import type { KubeObject } from '../model/resource.js';
import { findCondition, named, result } from './fields.js';
import { conditionHealth } from './ready-condition.js';
import type { HealthResult } from './types.js';

export function sealedSecretHealth(secret: KubeObject): HealthResult {
  const synced = findCondition(secret, 'Synced');
  if (synced === undefined || (synced.status !== 'True' && synced.status !== 'False')) {
    return result('Progressing', `Waiting for ${named(secret)} to be decrypted`);
  }
  return conditionHealth(secret, synced);
}
