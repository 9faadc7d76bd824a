/**
 * Which kinds are cluster-scoped. Offline there is no discovery API to ask, so Launchpad knows the core kinds and the
 * ecosystem kinds a GitOps platform commonly carries, and learns the rest from CustomResourceDefinitions found in the
 * render. Anything else is treated as namespaced — and the caller says so, because it may be wrong.
 */
import type { KubeObject } from '../model/resource.js';
import { groupOf } from '../model/resource.js';

export type Scope = 'Cluster' | 'Namespaced';

/** `group/Kind` of cluster-scoped kinds; the core group is "". */
const CLUSTER_SCOPED = new Set<string>([
  '/Namespace', '/Node', '/PersistentVolume', '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy', 'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass', 'scheduling.k8s.io/PriorityClass', 'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass', 'networking.k8s.io/IPAddress', 'networking.k8s.io/ServiceCIDR',
  'certificates.k8s.io/CertificateSigningRequest', 'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema', 'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'internal.apiserver.k8s.io/StorageVersion', 'resource.k8s.io/DeviceClass', 'resource.k8s.io/ResourceSlice',
  'authentication.k8s.io/TokenReview', 'authorization.k8s.io/SubjectAccessReview', 'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
  // Ecosystem kinds the seed platform uses (cert-manager, Kyverno, Gateway API, Traefik, Prometheus operator, Trivy).
  'cert-manager.io/ClusterIssuer', 'kyverno.io/ClusterPolicy', 'kyverno.io/ClusterCleanupPolicy',
  'kyverno.io/ClusterPolicyException', 'wgpolicyk8s.io/ClusterPolicyReport', 'reports.kyverno.io/ClusterEphemeralReport',
  'policies.kyverno.io/ValidatingPolicy', 'policies.kyverno.io/ImageValidatingPolicy', 'policies.kyverno.io/MutatingPolicy',
  'policies.kyverno.io/GeneratingPolicy', 'policies.kyverno.io/DeletingPolicy',
  'gateway.networking.k8s.io/GatewayClass', 'aquasecurity.github.io/ClusterComplianceReport',
  'aquasecurity.github.io/ClusterConfigAuditReport', 'aquasecurity.github.io/ClusterRbacAssessmentReport',
  'aquasecurity.github.io/ClusterVulnerabilityReport', 'aquasecurity.github.io/ClusterSbomReport',
  'aquasecurity.github.io/ClusterInfraAssessmentReport', 'snapshot.storage.k8s.io/VolumeSnapshotClass',
  'snapshot.storage.k8s.io/VolumeSnapshotContent', 'metallb.io/BGPPeer',
]);

/** Kinds the built-in table knows to be namespaced even though they are not core (so no warning). */
const KNOWN_NAMESPACED_GROUPS = new Set<string>([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'coordination.k8s.io',
  'discovery.k8s.io', 'events.k8s.io', 'storage.k8s.io', 'argoproj.io', 'bitnami.com', 'cert-manager.io', 'acme.cert-manager.io',
  'traefik.io', 'traefik.containo.us', 'monitoring.coreos.com', 'kyverno.io', 'gateway.networking.k8s.io',
  'aquasecurity.github.io', 'snapshot.storage.k8s.io', 'resource.k8s.io', 'grafana.integreatly.org',
]);

export interface ScopeTable {
  scopeOf(apiVersion: string, kind: string): { readonly scope: Scope; readonly known: boolean };
}

/** A scope table: built-in kinds, overridden by CustomResourceDefinitions among `objects`. */
export function buildScopeTable(objects: readonly KubeObject[]): ScopeTable {
  const fromCrds = new Map<string, Scope>();
  for (const object of objects) {
    if (object.kind !== 'CustomResourceDefinition' || groupOf(object.apiVersion) !== 'apiextensions.k8s.io') continue;
    const spec = object.spec as { group?: unknown; names?: { kind?: unknown }; scope?: unknown } | undefined;
    if (typeof spec?.group !== 'string' || typeof spec.names?.kind !== 'string') continue;
    fromCrds.set(`${spec.group}/${spec.names.kind}`, spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced');
  }
  return {
    scopeOf(apiVersion, kind) {
      const key = `${groupOf(apiVersion)}/${kind}`;
      const crdScope = fromCrds.get(key);
      if (crdScope !== undefined) return { scope: crdScope, known: true };
      if (CLUSTER_SCOPED.has(key)) return { scope: 'Cluster', known: true };
      return { scope: 'Namespaced', known: KNOWN_NAMESPACED_GROUPS.has(groupOf(apiVersion)) };
    },
  };
}
