/** PersistentVolumeClaim (v1), as Argo CD judges it: Bound → Healthy, Pending → Progressing, Lost → Degraded. */
import type { KubeObject } from '../model/resource.js';
import { named, result, text } from './fields.js';
import type { HealthResult } from './types.js';

export function pvcHealth(claim: KubeObject): HealthResult {
  const volume = text(claim, 'spec', 'volumeName') ?? '';
  switch (text(claim, 'status', 'phase')) {
    case 'Bound':
      return result('Healthy', `${named(claim)} is bound to PersistentVolume "${volume}"`);
    case 'Pending':
      return result('Progressing', `${named(claim)} is waiting for a volume to be bound`);
    case 'Lost':
      return result('Degraded', `${named(claim)} lost its PersistentVolume "${volume}"`);
    default:
      return result('Unknown', `${named(claim)} has no known phase`);
  }
}
