/**
 * The dispatch table: which rule judges which kind, keyed on `group/Kind` (core kinds by `Kind` alone). Written down
 * once; the version is not part of the key, because every served version of a kind has the same status fields.
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

/** `apps/Deployment`, `networking.k8s.io/Ingress`; core kinds without a group: `Pod`. */
export function healthCheckKey(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

export const HEALTH_CHECKS: Readonly<Record<string, HealthCheck>> = {
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
  // Argo CD's bundled resource customizations (Lua there)
  'batch/CronJob': cronJobHealth,
  'cert-manager.io/Certificate': certificateHealth,
  'bitnami.com/SealedSecret': sealedSecretHealth,
  // Beyond Argo CD's defaults: child applications, so app-of-apps waves wait for them
  'argoproj.io/Application': applicationHealth,
};
