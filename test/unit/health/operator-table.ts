/**
 * The fixture table for the operators' custom resources (test/fixtures/health, written by
 * scripts/capture-health-fixtures.mjs with capture-health-fixtures.seed-stack.mjs and .ecosystem.mjs): one row per
 * fixture, joined to the core table in health.test.ts, which checks that every fixture has a row.
 */
import type { HealthStatus } from '../../../src/health/index.js';

export type FixtureRow = readonly [fixture: string, status: HealthStatus, message: string | RegExp];

export const OPERATOR_TABLE: readonly FixtureRow[] = [
  // cert-manager (Argo CD scripts for Issuer and ClusterIssuer; CertificateRequest from cert-manager's documented conditions)
  ['certificaterequest-denied', 'Degraded', 'CertificateRequest "api-1": No policy approved this request'],
  ['certificaterequest-issued', 'Healthy', 'CertificateRequest "shop-1": Certificate fetched from issuer successfully'],
  ['certificaterequest-pending', 'Progressing', 'CertificateRequest "blog-1": Waiting on certificate issuance from order health/blog-1-2755214051: "pending"'],
  ['clusterissuer-initializing', 'Progressing', 'ClusterIssuer "letsencrypt": Initializing ClusterIssuer'],
  ['clusterissuer-ready', 'Healthy', 'ClusterIssuer "internal-ca": Signing CA verified'],
  ['issuer-failed', 'Degraded', 'Issuer "staging": Failed to register ACME account: Get "https://acme.invalid/directory": dial tcp: lookup acme.invalid on 10.96.0.10:53: no such host'],
  ['issuer-ready', 'Healthy', 'Issuer "letsencrypt": The ACME account was registered with the ACME server'],
  // Traefik: its CRDs define no status, so an object that exists is Healthy (no Argo CD script either)
  ['ingressroute-healthy', 'Healthy', ''],
  ['middleware-healthy', 'Healthy', ''],
  // Kyverno
  ['clustercleanuppolicy-healthy', 'Healthy', ''],
  ['clusterpolicy-not-ready', 'Progressing', 'ClusterPolicy "disallow-latest-tag": Waiting for Policy to be ready: Webhook not configured'],
  ['clusterpolicy-ready', 'Healthy', 'ClusterPolicy "require-team-label": Policy is ready'],
  ['policy-ready', 'Healthy', 'Policy "require-team-label": Policy is ready'],
  // Prometheus operator (one rule for the four workload kinds; a condition for an older generation is stale)
  ['alertmanager-degraded', 'Degraded', 'Alertmanager "main": pod alertmanager-main-0: containers with incomplete status: [init-config-reloader]'],
  ['prometheus-available', 'Healthy', 'Prometheus "k8s": All instances are available'],
  ['prometheus-rolling', 'Progressing', 'Prometheus "rolling": shard 0: pod prometheus-rolling-1: containers with unready status: [prometheus]'],
  ['prometheusagent-available', 'Healthy', 'PrometheusAgent "agent": All instances are available'],
  ['thanosruler-stale', 'Progressing', 'ThanosRuler "rules": waiting for the controller to observe the latest spec'],
  // Argo Rollouts
  ['analysisrun-failed', 'Degraded', 'AnalysisRun "payments-59b8c7d6f-2-1": Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)'],
  ['analysisrun-successful', 'Healthy', 'AnalysisRun "checkout-7d9f8c6b5-2-1": Analysis run completed successfully'],
  ['experiment-running', 'Progressing', 'Experiment "checkout-baseline": Experiment is running'],
  ['rollout-degraded', 'Degraded', 'Rollout "payments": RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)'],
  ['rollout-healthy', 'Healthy', ''],
  ['rollout-paused', 'Suspended', 'Rollout "search": CanaryPauseStep'],
  // External Secrets
  ['clustersecretstore-invalid', 'Degraded', 'ClusterSecretStore "vault": unable to validate store: unable to log in with Kubernetes auth: Error making API request. Code: 403. Errors: * permission denied'],
  ['externalsecret-failed', 'Degraded', 'ExternalSecret "api-token": could not get secret data from provider'],
  ['externalsecret-synced', 'Healthy', 'ExternalSecret "db-credentials": secret synced'],
  ['pushsecret-synced', 'Healthy', 'PushSecret "ca-bundle": PushSecret synced successfully'],
  ['secretstore-valid', 'Healthy', 'SecretStore "vault": store validated'],
  // Flux (Kustomization rows are in health.test.ts)
  ['bucket-suspended', 'Suspended', 'Bucket "backups" is suspended'],
  ['gitrepository-ready', 'Healthy', 'GitRepository "platform" is Ready: stored artifact for revision \'main@sha1:3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49\''],
  ['helmchart-ready', 'Healthy', 'HelmChart "health-podinfo" is Ready: pulled \'podinfo\' chart with version \'6.7.1\''],
  ['helmrelease-failed', 'Degraded', 'HelmRelease "broken" is not Ready: Helm install failed for release health/broken with chart podinfo@6.7.1: context deadline exceeded'],
  ['helmrelease-ready', 'Healthy', 'HelmRelease "podinfo" is Ready: Helm install succeeded for release health/podinfo.v1 with chart podinfo@6.7.1'],
  ['helmrelease-upgrading', 'Progressing', 'HelmRelease "upgrading" is not Ready yet: Fulfilling prerequisites'],
  ['helmrepository-oci', 'Healthy', 'HelmRepository "podinfo": Helm repositories of type \'oci\' do not contain any information in the status.'],
  ['imagepolicy-ready', 'Healthy', 'ImagePolicy "podinfo" is Ready: Latest image tag for \'ghcr.io/stefanprodan/podinfo\' resolved to 6.7.1'],
  ['imagerepository-ready', 'Healthy', 'ImageRepository "podinfo" is Ready: successful scan: found 42 tags'],
  ['ocirepository-failed', 'Degraded', 'OCIRepository "manifests" is not Ready: failed to determine artifact digest: GET https://ghcr.io/token: UNAUTHORIZED: authentication required'],
  // Gateway API
  ['gateway-listener-unresolved', 'Degraded', 'Gateway "shop": Listener: Cannot fetch TLS secret "health/wildcard-tls": secret not found'],
  ['gateway-pending', 'Progressing', 'Gateway "internal": Waiting for controller'],
  ['gateway-programmed', 'Healthy', 'Gateway "web": Gateway is healthy'],
  ['gatewayclass-accepted', 'Healthy', 'GatewayClass "traefik": Handled by Traefik controller'],
  ['grpcroute-accepted', 'Healthy', 'GRPCRoute "inventory": GRPCRoute is healthy'],
  ['httproute-accepted', 'Healthy', 'HTTPRoute "shop": HTTPRoute is healthy'],
  ['httproute-backend-not-found', 'Degraded', 'HTTPRoute "blog": Parent web: Cannot load HTTPBackendRef health/blog: service health/blog not found'],
  // KEDA
  ['scaledjob-ready', 'Healthy', 'ScaledJob "thumbnails": ScaledJob is defined correctly and is ready to scaling'],
  ['scaledobject-fallback', 'Degraded', 'ScaledObject "exporter": At least one trigger is falling back on this scaled object'],
  ['scaledobject-paused', 'Suspended', 'ScaledObject "batch": ScaledObject is paused'],
  ['scaledobject-ready', 'Healthy', 'ScaledObject "worker": ScaledObject is defined correctly and is ready for scaling'],
  // Crossplane (Argo CD's *.crossplane.io and *.upbound.io wildcard scripts, and pkg.crossplane.io/Provider)
  ['crossplane-bucket-failed', 'Degraded', 'Bucket "logs": observe failed: cannot run refresh: refresh failed: reading S3 Bucket (logs): operation error S3: HeadBucket, https response error StatusCode: 403, api error Forbidden'],
  ['crossplane-bucket-ready', 'Healthy', 'Bucket "platform-artifacts": Resource is up-to-date.'],
  ['crossplane-composition', 'Healthy', 'Composition "xdatabases.aws.platform.example.com": Resource is up-to-date.'],
  ['crossplane-provider-healthy', 'Healthy', 'Provider "provider-aws-s3": ActivePackageRevision HealthyPackageRevision'],
  ['crossplane-vpc-creating', 'Progressing', 'VPC "platform": Provisioning ...'],
  ['crossplane-xrd-established', 'Healthy', 'CompositeResourceDefinition "xdatabases.platform.example.com": Resource is up-to-date.'],
  // Strimzi
  ['kafka-creating', 'Progressing', 'Kafka "orders": Waiting for Kafka Cluster'],
  ['kafka-not-ready', 'Degraded', 'Kafka "audit": Exceeded timeout of 300000ms while waiting for Pods resource audit-brokers-0 in namespace health to be ready'],
  ['kafka-ready', 'Healthy', ''],
  ['kafkaconnect-ready', 'Healthy', ''],
  ['kafkamirrormaker2-progressing', 'Progressing', 'KafkaMirrorMaker2 "dr": Waiting for KafkaMirrorMaker2'],
  ['kafkanodepool-healthy', 'Healthy', ''],
  ['kafkarebalance-proposal-ready', 'Suspended', 'KafkaRebalance "full": the optimization proposal is ready; approve it with the annotation strimzi.io/rebalance=approve'],
  ['kafkatopic-ready', 'Healthy', ''],
  ['kafkauser-failed', 'Degraded', 'KafkaUser "billing": Authorization needs to be enabled in the Kafka custom resource'],
];

/** Fixtures of objects whose CRDs define no status, captured as the API server keeps them (no status written). */
export const CAPTURED_WITHOUT_STATUS: readonly string[] = ['clusterissuer-initializing', 'crossplane-composition', 'helmrepository-oci', 'ingressroute-healthy', 'middleware-healthy'];
