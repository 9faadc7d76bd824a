/**
 * Strimzi (kafka.strimzi.io/v1beta2, v1), as Argo CD's bundled scripts judge Kafka, KafkaTopic, KafkaUser,
 * KafkaConnect, KafkaConnector and KafkaBridge, extended to the kinds Argo CD has no script for (KafkaMirrorMaker2,
 * KafkaNodePool, KafkaRebalance) from Strimzi's documented status:
 * - NotReady=True → Degraded with its message (for Kafka not while the reason is Creating); Ready=True → Healthy;
 *   otherwise Progressing ("Waiting for Kafka Cluster", …), the first decisive condition winning.
 * - `status.observedGeneration` behind `metadata.generation` → Progressing: the operator has not reconciled the
 *   latest spec (Strimzi documents the field; Argo CD's scripts do not look).
 * - ReconciliationPaused=True (the `strimzi.io/pause-reconciliation` annotation) → Suspended.
 * - KafkaNodePool: Strimzi reports its readiness on the Kafka, not the pool; a pool is Healthy unless NotReady.
 * - KafkaRebalance: its state is the condition type — ProposalReady waits for a person to approve it and Stopped or
 *   ReconciliationPaused for one to resume it (Suspended); New, PendingProposal and Rebalancing are Progressing;
 *   Ready (the rebalance finished) Healthy; NotReady Degraded.
 */
import type { KubeObject } from '../../model/resource.js';
import { conditionsOf } from '../fields.js';
import type { HealthCheck, HealthResult, HealthStatus } from '../types.js';
import { about, staleHealth, statusIsStale } from './conditions.js';

function paused(object: KubeObject): HealthResult | undefined {
  const pause = conditionsOf(object).find((condition) => condition.type === 'ReconciliationPaused' && condition.status === 'True');
  return pause === undefined ? undefined : about(object, 'Suspended', pause.message === '' ? 'reconciliation is paused' : pause.message);
}

function strimziHealth(object: KubeObject, waiting: string, notReadyWhileCreating: boolean): HealthResult {
  if (statusIsStale(object)) return staleHealth(object);
  const pause = paused(object);
  if (pause !== undefined) return pause;
  for (const condition of conditionsOf(object)) {
    if (condition.type === 'NotReady' && condition.status === 'True' && !(notReadyWhileCreating && condition.reason === 'Creating')) {
      return about(object, 'Degraded', condition.message);
    }
    if (condition.type === 'Ready' && condition.status === 'True') return about(object, 'Healthy', '');
  }
  return about(object, 'Progressing', waiting);
}

/** One check per kind, each waiting with Argo CD's words. */
export function strimziResourceHealth(waiting: string): HealthCheck {
  return (object) => strimziHealth(object, waiting, false);
}

/** Kafka: a NotReady condition with reason Creating is the cluster being created, not a failure. */
export function kafkaHealth(kafka: KubeObject): HealthResult {
  return strimziHealth(kafka, 'Waiting for Kafka Cluster', true);
}

export function kafkaNodePoolHealth(pool: KubeObject): HealthResult {
  if (statusIsStale(pool)) return staleHealth(pool);
  const notReady = conditionsOf(pool).find((condition) => condition.type === 'NotReady' && condition.status === 'True');
  return notReady === undefined ? about(pool, 'Healthy', '') : about(pool, 'Degraded', notReady.message);
}

const REBALANCE_STATES: Readonly<Record<string, HealthStatus>> = {
  New: 'Progressing',
  PendingProposal: 'Progressing',
  ProposalReady: 'Suspended',
  Rebalancing: 'Progressing',
  Stopped: 'Suspended',
  Ready: 'Healthy',
  NotReady: 'Degraded',
  ReconciliationPaused: 'Suspended',
};

const REBALANCE_MESSAGES: Readonly<Record<string, string>> = {
  ProposalReady: 'the optimization proposal is ready; approve it with the annotation strimzi.io/rebalance=approve',
  Stopped: 'the rebalance was stopped; refresh it with the annotation strimzi.io/rebalance=refresh',
};

export function kafkaRebalanceHealth(rebalance: KubeObject): HealthResult {
  if (statusIsStale(rebalance)) return staleHealth(rebalance);
  const state = conditionsOf(rebalance).find((condition) => condition.status === 'True' && REBALANCE_STATES[condition.type] !== undefined);
  if (state === undefined) return about(rebalance, 'Progressing', 'Waiting for KafkaRebalance');
  const status = REBALANCE_STATES[state.type] ?? 'Progressing';
  return about(rebalance, status, state.message === '' ? (REBALANCE_MESSAGES[state.type] ?? state.type) : state.message);
}
