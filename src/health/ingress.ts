/**
 * Ingress (networking.k8s.io/v1, extensions/v1beta1), as Argo CD judges it: Progressing until the ingress controller
 * publishes an address in `status.loadBalancer.ingress`. Clusters whose controller never publishes one keep their
 * Ingresses Progressing; Argo CD users then add `argocd.argoproj.io/ignore-healthcheck: "true"`, which works here too.
 */
import type { KubeObject } from '../model/resource.js';
import { named, result } from './fields.js';
import { loadBalancerAddresses } from './service.js';
import type { HealthResult } from './types.js';

export function ingressHealth(ingress: KubeObject): HealthResult {
  const addresses = loadBalancerAddresses(ingress);
  if (addresses.length === 0) return result('Progressing', `${named(ingress)} is waiting for an address from its ingress controller`);
  return result('Healthy', `${named(ingress)} has address ${addresses.join(', ')}`);
}
