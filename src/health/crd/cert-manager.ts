/**
 * cert-manager issuers and certificate requests (cert-manager.io/v1); Certificate has its own file. Issuer and
 * ClusterIssuer follow Argo CD's bundled scripts: the Ready condition decides, absent → "Initializing issuer".
 * CertificateRequest has no Argo CD script; cert-manager documents its Ready condition (True once issued; False with
 * reason Pending while waiting, Failed or Denied when it will not be issued) and the InvalidRequest and Denied
 * conditions, which are final.
 */
import type { KubeObject } from '../../model/resource.js';
import type { HealthResult } from '../types.js';
import { about, explain, firstCondition, readyOrWaiting } from './conditions.js';

export function issuerHealth(issuer: KubeObject): HealthResult {
  return readyOrWaiting(issuer, 'Initializing issuer');
}

export function clusterIssuerHealth(issuer: KubeObject): HealthResult {
  return readyOrWaiting(issuer, 'Initializing ClusterIssuer');
}

export function certificateRequestHealth(request: KubeObject): HealthResult {
  for (const final of ['InvalidRequest', 'Denied']) {
    const condition = firstCondition(request, final);
    if (condition?.status === 'True') return about(request, 'Degraded', explain(condition));
  }
  const ready = firstCondition(request, 'Ready');
  if (ready?.status === 'True') return about(request, 'Healthy', explain(ready));
  if (ready?.status === 'False' && (ready.reason === 'Failed' || ready.reason === 'Denied')) return about(request, 'Degraded', explain(ready));
  return about(request, 'Progressing', ready === undefined ? 'Waiting for the certificate to be issued' : explain(ready));
}
