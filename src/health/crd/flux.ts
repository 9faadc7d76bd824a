/**
 * Flux (kustomize.toolkit.fluxcd.io, helm.toolkit.fluxcd.io, source.toolkit.fluxcd.io, image.toolkit.fluxcd.io,
 * notification.toolkit.fluxcd.io), as Argo CD's bundled scripts judge it. Each script counts conditions and compares
 * the counts: "progressing" votes (Ready=Unknown, Reconciling=True) and "succeeded" votes (Ready=True, and for
 * sources ArtifactInStorage=True, for HelmRelease Released/TestSuccess=True). Two progressing votes → Progressing;
 * enough succeeded votes → Healthy; anything else → Degraded. `spec.suspend: true` → Suspended first.
 *
 * Flux records the generation each verdict is for (kstatus): on the Ready condition, and in `status.observedGeneration`
 * (-1 until a reconcile completes). A Ready condition older than the spec is Progressing whatever it says — Argo CD's
 * scripts do not look, and would report the previous spec's result. The Ready condition's own generation is preferred:
 * a source failure leaves `status.observedGeneration` behind while Ready=False is current, and that is Degraded.
 *
 * Messages: Argo CD shows the Ready condition's reason; Launchpad shows its message (which names the revision or
 * the error) and falls back to the reason.
 */
import type { KubeObject } from '../../model/resource.js';
import type { Condition } from '../fields.js';
import { conditionsOf, field, named, result, text, withDetail } from '../fields.js';
import type { HealthResult, HealthStatus } from '../types.js';
import { about, conditionIsStale, conditionsAt, explain, staleHealth, statusIsStale } from './conditions.js';

interface Votes {
  progressing: number;
  succeeded: number;
}

interface FluxRule {
  /** The Ready status that votes "progressing": Unknown for most kinds, False for the image automation kinds. */
  readonly readyProgressing: 'Unknown' | 'False';
  /** Which Reconciling=True conditions vote "progressing" (undefined: any). */
  readonly reconcilingReasons?: readonly string[];
  /** Extra condition types whose True votes "succeeded" (ArtifactInStorage for sources). */
  readonly succeededTypes?: readonly string[];
  /** Succeeded votes needed for Healthy. */
  readonly succeededNeeded: 1 | 2;
  /** Receiver: two votes against are Degraded, not Progressing. */
  readonly twoVotesAre?: HealthStatus;
}

function vote(condition: Condition, rule: FluxRule, votes: Votes): void {
  if (condition.type === 'Ready') {
    if (condition.status === 'True') votes.succeeded += 1;
    else if (condition.status === rule.readyProgressing) votes.progressing += 1;
  } else if (condition.type === 'Reconciling' && condition.status === 'True') {
    if (rule.reconcilingReasons === undefined || rule.reconcilingReasons.includes(condition.reason)) votes.progressing += 1;
  } else if (rule.succeededTypes?.includes(condition.type) === true && condition.status === 'True') {
    votes.succeeded += 1;
  }
}

/** Phrased by the outcome and the Ready condition: `Kustomization "apps" is not Ready: kustomize build failed…`. */
function message(object: KubeObject, status: HealthStatus, ready: Condition | undefined): string {
  const phrase = status === 'Healthy' ? 'is Ready' : status === 'Progressing' ? 'is not Ready yet' : 'is not Ready';
  return withDetail(`${named(object)} ${phrase}`, ready === undefined ? '' : explain(ready));
}

function readyIsStale(object: KubeObject): boolean {
  const ready = conditionsAt(object, 'status', 'conditions').find((condition) => condition.type === 'Ready');
  if (ready?.observedGeneration === undefined) return statusIsStale(object);
  return conditionIsStale(object, ready);
}

function fluxHealth(object: KubeObject, rule: FluxRule): HealthResult {
  if (field(object, 'spec', 'suspend') === true) return result('Suspended', `${named(object)} is suspended`);
  // An empty list is not "no status": Argo CD's scripts count it (to Degraded), as here.
  if (!Array.isArray(field(object, 'status', 'conditions'))) return about(object, 'Progressing', 'Status unknown');
  if (readyIsStale(object)) return staleHealth(object);
  const conditions = conditionsOf(object);
  const votes: Votes = { progressing: 0, succeeded: 0 };
  for (const condition of conditions) vote(condition, rule, votes);
  const status: HealthStatus = votes.progressing === 2 ? (rule.twoVotesAre ?? 'Progressing') : votes.succeeded === rule.succeededNeeded ? 'Healthy' : 'Degraded';
  return result(status, message(object, status, conditions.find((condition) => condition.type === 'Ready')));
}

const KUSTOMIZATION: FluxRule = { readyProgressing: 'Unknown', succeededNeeded: 1 };
const HELM_RELEASE: FluxRule = { readyProgressing: 'Unknown', succeededTypes: ['Released', 'TestSuccess'], succeededNeeded: 2 };
const SOURCE: FluxRule = { readyProgressing: 'Unknown', succeededTypes: ['ArtifactInStorage'], succeededNeeded: 2 };
const IMAGE_REPOSITORY: FluxRule = { readyProgressing: 'False', reconcilingReasons: ['NewGeneration', 'Scanning'], succeededNeeded: 1 };
const IMAGE_POLICY: FluxRule = { readyProgressing: 'False', reconcilingReasons: ['NewGeneration', 'AccessingRepository', 'ApplyingPolicy'], succeededNeeded: 1 };
const IMAGE_UPDATE_AUTOMATION: FluxRule = { readyProgressing: 'Unknown', succeededNeeded: 1 };
const RECEIVER: FluxRule = { readyProgressing: 'False', succeededNeeded: 1, twoVotesAre: 'Degraded' };

export const fluxKustomizationHealth = (object: KubeObject): HealthResult => fluxHealth(object, KUSTOMIZATION);
export const fluxHelmReleaseHealth = (object: KubeObject): HealthResult => fluxHealth(object, HELM_RELEASE);
export const fluxSourceHealth = (object: KubeObject): HealthResult => fluxHealth(object, SOURCE);
export const fluxImageRepositoryHealth = (object: KubeObject): HealthResult => fluxHealth(object, IMAGE_REPOSITORY);
export const fluxImagePolicyHealth = (object: KubeObject): HealthResult => fluxHealth(object, IMAGE_POLICY);
export const fluxImageUpdateAutomationHealth = (object: KubeObject): HealthResult => fluxHealth(object, IMAGE_UPDATE_AUTOMATION);
export const fluxReceiverHealth = (object: KubeObject): HealthResult => fluxHealth(object, RECEIVER);

/**
 * HelmRepository of type "oci" keeps no status (Flux documents this; Argo CD's script calls it Healthy); other
 * HelmRepositories are sources.
 */
export function fluxHelmRepositoryHealth(repository: KubeObject): HealthResult {
  if (field(repository, 'spec', 'suspend') !== true && text(repository, 'spec', 'type') === 'oci') {
    return about(repository, 'Healthy', "Helm repositories of type 'oci' do not contain any information in the status.");
  }
  return fluxSourceHealth(repository);
}
