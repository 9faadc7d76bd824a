/**
 * Gateway API (gateway.networking.k8s.io), as Argo CD's bundled scripts judge it, by the Accepted, ResolvedRefs and
 * Programmed conditions the specification defines:
 * - Gateway: ResolvedRefs or Accepted False → Degraded; Programmed not True → Progressing; the same for each
 *   listener ("Listener: …"); Healthy once the controller has written conditions or listeners.
 * - Routes (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute): the same per parent ("Parent gw: …"); Healthy when
 *   some parent has reported, Progressing until then.
 * - GatewayClass: the Accepted condition. BackendTLSPolicy: Accepted and ResolvedRefs per ancestor.
 *
 * The specification has controllers record `observedGeneration` on every condition; conditions written for an older
 * generation describe an older spec. Argo CD skips them for HTTPRoute, GatewayClass and BackendTLSPolicy; Launchpad
 * does so for every kind here (a Gateway whose conditions are stale is Progressing).
 */
import type { KubeObject } from '../../model/resource.js';
import { field, list, text } from '../fields.js';
import type { HealthResult } from '../types.js';
import type { ObservedCondition } from './conditions.js';
import { about, conditionIsStale, conditionsAt, STALE_MESSAGE } from './conditions.js';

interface Verdict {
  readonly status: 'Degraded' | 'Progressing';
  readonly message: string;
}

/** ResolvedRefs=False, then Accepted=False (Degraded), then Programmed not True (Progressing); undefined when fine. */
function judge(conditions: readonly ObservedCondition[], programming: string): Verdict | undefined {
  for (const type of ['ResolvedRefs', 'Accepted']) {
    const failed = conditions.find((condition) => condition.type === type && condition.status === 'False');
    if (failed !== undefined) return { status: 'Degraded', message: failed.message === '' ? `Failed condition: ${type}` : failed.message };
  }
  const programmed = conditions.find((condition) => condition.type === 'Programmed' && condition.status !== 'True');
  if (programmed !== undefined) return { status: 'Progressing', message: programmed.message === '' ? programming : programmed.message };
  return undefined;
}

export function gatewayHealth(gateway: KubeObject): HealthResult {
  if (field(gateway, 'status') === undefined) return about(gateway, 'Progressing', 'Waiting for Gateway status');
  const conditions = conditionsAt(gateway, 'status', 'conditions');
  if (conditions.some((condition) => conditionIsStale(gateway, condition))) return about(gateway, 'Progressing', STALE_MESSAGE);
  const own = judge(conditions, 'Gateway is still being programmed');
  if (own !== undefined) return about(gateway, own.status, own.message);
  const listeners = list(gateway, 'status', 'listeners');
  for (const listener of listeners) {
    const verdict = judge(conditionsAt(listener, 'conditions'), 'Listener is still being programmed');
    if (verdict !== undefined) return about(gateway, verdict.status, `Listener: ${verdict.message}`);
  }
  if (Array.isArray(field(gateway, 'status', 'conditions')) || listeners.length > 0) return about(gateway, 'Healthy', 'Gateway is healthy');
  return about(gateway, 'Progressing', 'Waiting for Gateway status');
}

/** A parent whose conditions were all written for the current generation (HTTPRoute's rule in Argo CD). */
function parentObserved(route: KubeObject, conditions: readonly ObservedCondition[]): boolean {
  if (field(route, 'metadata', 'generation') === undefined) return true;
  return conditions.length > 0 && !conditions.some((condition) => conditionIsStale(route, condition));
}

/** HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute share the parent-status rule. */
export function gatewayRouteHealth(route: KubeObject): HealthResult {
  const parents = list(route, 'status', 'parents').map((parent) => ({
    name: text(parent, 'parentRef', 'name') ?? '',
    conditions: conditionsAt(parent, 'conditions'),
    reported: Array.isArray(field(parent, 'conditions')),
  }));
  for (const parent of parents) {
    if (!parent.reported || !parentObserved(route, parent.conditions)) continue;
    const verdict = judge(parent.conditions, 'Route is still being programmed');
    if (verdict !== undefined) return about(route, verdict.status, `Parent ${parent.name}: ${verdict.message}`);
  }
  if (parents.some((parent) => parent.conditions.length > 0 && parentObserved(route, parent.conditions))) {
    return about(route, 'Healthy', `${route.kind} is healthy`);
  }
  return about(route, 'Progressing', `Waiting for ${route.kind} status`);
}

export function gatewayClassHealth(gatewayClass: KubeObject): HealthResult {
  const accepted = conditionsAt(gatewayClass, 'status', 'conditions').find((condition) => condition.type === 'Accepted' && !conditionIsStale(gatewayClass, condition));
  if (accepted?.status === 'True') return about(gatewayClass, 'Healthy', accepted.message === '' ? 'GatewayClass is accepted' : accepted.message);
  if (accepted?.status === 'False') return about(gatewayClass, 'Degraded', accepted.message === '' ? 'GatewayClass is not accepted' : accepted.message);
  if (accepted !== undefined && accepted.message !== '') return about(gatewayClass, 'Progressing', accepted.message);
  return about(gatewayClass, 'Progressing', 'Waiting for GatewayClass status');
}

export function backendTlsPolicyHealth(policy: KubeObject): HealthResult {
  const ancestors = list(policy, 'status', 'ancestors').map((ancestor) => ({ name: text(ancestor, 'ancestorRef', 'name') ?? '', conditions: conditionsAt(ancestor, 'conditions') }));
  for (const ancestor of ancestors) {
    if (ancestor.conditions.some((condition) => conditionIsStale(policy, condition))) {
      return about(policy, 'Progressing', `Waiting for Ancestor ${ancestor.name} to update BackendTLSPolicy status`);
    }
  }
  let accepted = false;
  for (const ancestor of ancestors) {
    for (const condition of ancestor.conditions) {
      if ((condition.type === 'Accepted' || condition.type === 'ResolvedRefs') && condition.status !== 'True') {
        return about(policy, 'Degraded', `Ancestor ${ancestor.name}: ${condition.message}`);
      }
      if (condition.type === 'Accepted') accepted = true;
    }
  }
  return accepted ? about(policy, 'Healthy', 'BackendTLSPolicy is healthy') : about(policy, 'Progressing', 'Waiting for BackendTLSPolicy status');
}
