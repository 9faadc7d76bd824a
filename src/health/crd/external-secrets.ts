/**
 * External Secrets Operator (external-secrets.io/v1, v1beta1, v1alpha1), as Argo CD's bundled scripts judge it.
 * ExternalSecret, SecretStore, ClusterSecretStore and PushSecret: the first Ready condition decides (False →
 * Degraded with the provider's error, True → Healthy), absent → Progressing. ClusterExternalSecret appends a
 * condition per reconcile, so only the last one counts: Ready → Healthy, PartiallyReady or NotReady → Degraded.
 */
import type { KubeObject } from '../../model/resource.js';
import { conditionsOf } from '../fields.js';
import type { HealthCheck, HealthResult } from '../types.js';
import { about, readyOrWaiting } from './conditions.js';

/** One check per kind, each waiting with Argo CD's words ("Waiting for SecretStore"). */
export function externalSecretsHealth(kind: 'ExternalSecret' | 'SecretStore' | 'ClusterSecretStore' | 'PushSecret'): HealthCheck {
  return (object) => readyOrWaiting(object, `Waiting for ${kind}`);
}

export function clusterExternalSecretHealth(secret: KubeObject): HealthResult {
  const last = conditionsOf(secret).at(-1);
  if (last?.status === 'True') {
    if (last.type === 'Ready') return about(secret, 'Healthy', last.message);
    if (last.type === 'PartiallyReady' || last.type === 'NotReady') return about(secret, 'Degraded', last.message);
  }
  return about(secret, 'Progressing', 'Waiting for ClusterExternalSecret');
}
