/**
 * Service (v1), as Argo CD judges it: a LoadBalancer Service is Progressing until its load balancer reports an
 * address; every other type is Healthy as soon as it exists.
 */
import type { KubeObject } from '../model/resource.js';
import { list, named, result, text } from './fields.js';
import type { HealthResult } from './types.js';

/** The addresses a load balancer or ingress controller published in `status.loadBalancer.ingress`. */
export function loadBalancerAddresses(object: KubeObject): string[] {
  return list(object, 'status', 'loadBalancer', 'ingress').map((entry) => text(entry, 'ip') ?? text(entry, 'hostname') ?? '?');
}

export function serviceHealth(service: KubeObject): HealthResult {
  if (text(service, 'spec', 'type') !== 'LoadBalancer') return result('Healthy', '');
  const addresses = loadBalancerAddresses(service);
  if (addresses.length === 0) return result('Progressing', `${named(service)} is waiting for its load balancer address`);
  return result('Healthy', `${named(service)} has load balancer address ${addresses.join(', ')}`);
}
