/**
 * The dispatch table: which rule judges which kind, keyed on `group/Kind` (core kinds by `Kind` alone). Written down
 * once; the version is not part of the key, because every served version of a kind has the same status fields.
 *
 * A few families are keyed by group pattern, as Argo CD's wildcard customizations are (`*.crossplane.io/*`): a kind
 * with no entry of its own is looked up by the suffix of its group. findHealthCheck resolves them.
 */
import { apiServiceHealth } from './apiservice.js';
import { applicationHealth } from './application.js';
import { certificateHealth } from './certificate.js';
import { cronJobHealth } from './cronjob.js';
import { daemonSetHealth } from './daemonset.js';
import { deploymentHealth } from './deployment.js';
import { hpaHealth } from './hpa.js';
import { ingressHealth } from './ingress.js';
import { jobHealth } from './job.js';
import { podHealth } from './pod.js';
import { pvcHealth } from './pvc.js';
import { replicaSetHealth } from './replicaset.js';
import { sealedSecretHealth } from './sealed-secret.js';
import { serviceHealth } from './service.js';
import { statefulSetHealth } from './statefulset.js';
import type { HealthCheck } from './types.js';
import { analysisRunHealth, experimentHealth, rolloutHealth } from './crd/argo-rollouts.js';
import { certificateRequestHealth, clusterIssuerHealth, issuerHealth } from './crd/cert-manager.js';
import { crossplaneHealth, crossplaneProviderHealth, upboundHealth } from './crd/crossplane.js';
import { clusterExternalSecretHealth, externalSecretsHealth } from './crd/external-secrets.js';
import {
  fluxHelmReleaseHealth, fluxHelmRepositoryHealth, fluxImagePolicyHealth, fluxImageRepositoryHealth, fluxImageUpdateAutomationHealth,
  fluxKustomizationHealth, fluxReceiverHealth, fluxSourceHealth,
} from './crd/flux.js';
import { backendTlsPolicyHealth, gatewayClassHealth, gatewayHealth, gatewayRouteHealth } from './crd/gateway-api.js';
import { scaledJobHealth, scaledObjectHealth } from './crd/keda.js';
import { kyvernoCleanupPolicyHealth, kyvernoPolicyHealth } from './crd/kyverno.js';
import { prometheusOperatorHealth } from './crd/prometheus-operator.js';
import { kafkaHealth, kafkaNodePoolHealth, kafkaRebalanceHealth, strimziResourceHealth } from './crd/strimzi.js';

/** `apps/Deployment`, `networking.k8s.io/Ingress`; core kinds without a group: `Pod`. */
export function healthCheckKey(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

const EXACT_CHECKS: Readonly<Record<string, HealthCheck>> = {
  // Argo CD's built-in rules (gitops-engine pkg/health)
  'apps/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'apps/ReplicaSet': replicaSetHealth,
  Pod: podHealth,
  Service: serviceHealth,
  PersistentVolumeClaim: pvcHealth,
  'networking.k8s.io/Ingress': ingressHealth,
  'extensions/Ingress': ingressHealth,
  'batch/Job': jobHealth,
  'autoscaling/HorizontalPodAutoscaler': hpaHealth,
  'apiregistration.k8s.io/APIService': apiServiceHealth,
  // Argo CD's bundled resource customizations (Lua there), and the same projects' kinds it has no script for
  'batch/CronJob': cronJobHealth,
  'bitnami.com/SealedSecret': sealedSecretHealth,
  // cert-manager
  'cert-manager.io/Certificate': certificateHealth,
  'cert-manager.io/Issuer': issuerHealth,
  'cert-manager.io/ClusterIssuer': clusterIssuerHealth,
  'cert-manager.io/CertificateRequest': certificateRequestHealth,
  // Kyverno
  'kyverno.io/ClusterPolicy': kyvernoPolicyHealth,
  'kyverno.io/Policy': kyvernoPolicyHealth,
  'kyverno.io/CleanupPolicy': kyvernoCleanupPolicyHealth,
  'kyverno.io/ClusterCleanupPolicy': kyvernoCleanupPolicyHealth,
  // Prometheus operator
  'monitoring.coreos.com/Prometheus': prometheusOperatorHealth,
  'monitoring.coreos.com/PrometheusAgent': prometheusOperatorHealth,
  'monitoring.coreos.com/Alertmanager': prometheusOperatorHealth,
  'monitoring.coreos.com/ThanosRuler': prometheusOperatorHealth,
  // Argo Rollouts
  'argoproj.io/Rollout': rolloutHealth,
  'argoproj.io/AnalysisRun': analysisRunHealth,
  'argoproj.io/Experiment': experimentHealth,
  // External Secrets Operator
  'external-secrets.io/ExternalSecret': externalSecretsHealth('ExternalSecret'),
  'external-secrets.io/SecretStore': externalSecretsHealth('SecretStore'),
  'external-secrets.io/ClusterSecretStore': externalSecretsHealth('ClusterSecretStore'),
  'external-secrets.io/PushSecret': externalSecretsHealth('PushSecret'),
  'external-secrets.io/ClusterExternalSecret': clusterExternalSecretHealth,
  // Flux
  'kustomize.toolkit.fluxcd.io/Kustomization': fluxKustomizationHealth,
  'helm.toolkit.fluxcd.io/HelmRelease': fluxHelmReleaseHealth,
  'source.toolkit.fluxcd.io/GitRepository': fluxSourceHealth,
  'source.toolkit.fluxcd.io/OCIRepository': fluxSourceHealth,
  'source.toolkit.fluxcd.io/HelmRepository': fluxHelmRepositoryHealth,
  'source.toolkit.fluxcd.io/HelmChart': fluxSourceHealth,
  'source.toolkit.fluxcd.io/Bucket': fluxSourceHealth,
  'image.toolkit.fluxcd.io/ImageRepository': fluxImageRepositoryHealth,
  'image.toolkit.fluxcd.io/ImagePolicy': fluxImagePolicyHealth,
  'image.toolkit.fluxcd.io/ImageUpdateAutomation': fluxImageUpdateAutomationHealth,
  'notification.toolkit.fluxcd.io/Receiver': fluxReceiverHealth,
  // Gateway API
  'gateway.networking.k8s.io/Gateway': gatewayHealth,
  'gateway.networking.k8s.io/GatewayClass': gatewayClassHealth,
  'gateway.networking.k8s.io/HTTPRoute': gatewayRouteHealth,
  'gateway.networking.k8s.io/GRPCRoute': gatewayRouteHealth,
  'gateway.networking.k8s.io/TLSRoute': gatewayRouteHealth,
  'gateway.networking.k8s.io/TCPRoute': gatewayRouteHealth,
  'gateway.networking.k8s.io/UDPRoute': gatewayRouteHealth,
  'gateway.networking.k8s.io/BackendTLSPolicy': backendTlsPolicyHealth,
  // KEDA
  'keda.sh/ScaledObject': scaledObjectHealth,
  'keda.sh/ScaledJob': scaledJobHealth,
  // Crossplane (the rest of its groups by pattern, below)
  'pkg.crossplane.io/Provider': crossplaneProviderHealth,
  // Strimzi
  'kafka.strimzi.io/Kafka': kafkaHealth,
  'kafka.strimzi.io/KafkaTopic': strimziResourceHealth('Waiting for Kafka Topic'),
  'kafka.strimzi.io/KafkaUser': strimziResourceHealth('Waiting for Kafka User'),
  'kafka.strimzi.io/KafkaConnect': strimziResourceHealth('Waiting for Kafka Connect'),
  'kafka.strimzi.io/KafkaConnector': strimziResourceHealth('Waiting for KafkaConnector'),
  'kafka.strimzi.io/KafkaBridge': strimziResourceHealth('Waiting for KafkaBridge'),
  'kafka.strimzi.io/KafkaMirrorMaker2': strimziResourceHealth('Waiting for KafkaMirrorMaker2'),
  'kafka.strimzi.io/KafkaNodePool': kafkaNodePoolHealth,
  'kafka.strimzi.io/KafkaRebalance': kafkaRebalanceHealth,
  // Beyond Argo CD's defaults: child applications, so app-of-apps waves wait for them
  'argoproj.io/Application': applicationHealth,
};

/** Argo CD's wildcard customizations: every kind of a group ending with the suffix (`*.crossplane.io/*`). */
const GROUP_SUFFIX_CHECKS: readonly (readonly [suffix: string, check: HealthCheck])[] = [
  ['.crossplane.io', crossplaneHealth],
  ['.upbound.io', upboundHealth],
];

/** The rule for a `group/Kind` key: its own entry first, as in Argo CD, else its group's pattern. */
export function findHealthCheck(key: string): HealthCheck | undefined {
  if (Object.hasOwn(EXACT_CHECKS, key)) return EXACT_CHECKS[key];
  const slash = key.lastIndexOf('/');
  if (slash < 0) return undefined;
  const group = key.slice(0, slash);
  return GROUP_SUFFIX_CHECKS.find(([suffix]) => group.endsWith(suffix))?.[1];
}

/** The exact entries; findHealthCheck also applies the group patterns. */
export const HEALTH_CHECKS: Readonly<Record<string, HealthCheck>> = EXACT_CHECKS;
