/**
 * Kyverno policies (kyverno.io/v1 ClusterPolicy and Policy), as Argo CD's bundled kyverno.io/Policy script judges
 * them: Healthy only when the Ready condition is True with reason Succeeded and message "Ready" (what Kyverno writes
 * once the policy's webhooks are configured); anything else is Progressing. Kyverno writes Ready=False while it
 * cannot serve the policy yet, so the condition's message is shown.
 *
 * Cleanup policies (kyverno.io/v2 CleanupPolicy, ClusterCleanupPolicy) have no Argo CD script and Kyverno does not
 * promise a Ready condition for them: a Ready condition decides when there is one, else the policy is Healthy.
 */
import type { KubeObject } from '../../model/resource.js';
import { conditionsOf, result, withDetail } from '../fields.js';
import { conditionHealth } from '../ready-condition.js';
import type { HealthResult } from '../types.js';
import { about, explain, firstCondition } from './conditions.js';

export function kyvernoPolicyHealth(policy: KubeObject): HealthResult {
  for (const condition of conditionsOf(policy)) {
    if (condition.type === 'Ready' && condition.status === 'True' && condition.reason === 'Succeeded' && condition.message === 'Ready') {
      return about(policy, 'Healthy', 'Policy is ready');
    }
  }
  const ready = firstCondition(policy, 'Ready');
  const why = ready === undefined || ready.status === 'True' ? '' : explain(ready);
  return about(policy, 'Progressing', withDetail('Waiting for Policy to be ready', why));
}

export function kyvernoCleanupPolicyHealth(policy: KubeObject): HealthResult {
  const ready = firstCondition(policy, 'Ready');
  return ready === undefined ? result('Healthy', '') : conditionHealth(policy, ready);
}
