// Scenarios for the custom resources most platforms add: Flux, Gateway API, KEDA, Crossplane and Strimzi. Their
// controllers are not part of the test control plane: statuses are written as each one writes them (see
// capture-health-fixtures.operator-tools.mjs). Flux's Kustomization is in capture-health-fixtures.custom-resources.mjs.
import { captureOperatorFixtures, condition, stamp } from './capture-health-fixtures.operator-tools.mjs';

const REVISION = 'main@sha1:3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49';
const artifact = (path, revision) => ({ path, revision, digest: 'sha256:9c7e1c4e4b2d8f5a6b3c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a', lastUpdateTime: stamp(), size: 48213, url: `http://source-controller.flux-system.svc.cluster.local./${path}` });
const fluxStatus = (conditions, extra = {}) => () => ({ observedGeneration: 1, conditions: conditions.map((args) => condition(...args, { observedGeneration: 1 })), ...extra });

const FLUX_HELM = 'Flux\'s helm-controller';
const FLUX_SOURCE = 'Flux\'s source-controller';
const FLUX_IMAGE = 'Flux\'s image-reflector-controller';
const chart = { spec: { chart: 'podinfo', version: '6.7.1', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } };
const flux = [
  { file: 'helmrelease-ready', apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', plural: 'helmreleases', name: 'podinfo', operator: FLUX_HELM, expected: 'Healthy', spec: { interval: '10m', chart },
    status: fluxStatus([
      ['Ready', 'True', 'InstallSucceeded', 'Helm install succeeded for release health/podinfo.v1 with chart podinfo@6.7.1'],
      ['Released', 'True', 'InstallSucceeded', 'Helm install succeeded for release health/podinfo.v1 with chart podinfo@6.7.1'],
    ], { lastAttemptedRevision: '6.7.1', lastAttemptedConfigDigest: 'sha256:0f6c1b7a9e2d4c3b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b', history: [{ name: 'podinfo', namespace: 'health', version: 1, status: 'deployed', chartName: 'podinfo', chartVersion: '6.7.1', appVersion: '6.7.1', digest: 'sha256:4b1f0c6e2d8a7b9c3e5f1a0d2c4b6e8f0a1c3e5d7b9f1a3c5e7d9b1f3a5c7e9d', firstDeployed: stamp(), lastDeployed: stamp() }] }) },
  { file: 'helmrelease-failed', apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', plural: 'helmreleases', name: 'broken', operator: FLUX_HELM, expected: 'Degraded', spec: { interval: '10m', chart },
    status: fluxStatus([
      ['Ready', 'False', 'InstallFailed', 'Helm install failed for release health/broken with chart podinfo@6.7.1: context deadline exceeded'],
      ['Released', 'False', 'InstallFailed', 'Helm install failed for release health/broken with chart podinfo@6.7.1: context deadline exceeded'],
    ], { failures: 1, installFailures: 1, lastAttemptedRevision: '6.7.1' }) },
  { file: 'helmrelease-upgrading', apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', plural: 'helmreleases', name: 'upgrading', operator: FLUX_HELM, expected: 'Progressing', spec: { interval: '10m', chart },
    status: fluxStatus([
      ['Reconciling', 'True', 'Progressing', 'Fulfilling prerequisites'],
      ['Ready', 'Unknown', 'Progressing', 'Fulfilling prerequisites'],
      ['Released', 'True', 'InstallSucceeded', 'Helm install succeeded for release health/upgrading.v1 with chart podinfo@6.7.0'],
    ]) },
  { file: 'gitrepository-ready', apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', plural: 'gitrepositories', name: 'platform', operator: FLUX_SOURCE, expected: 'Healthy',
    spec: { interval: '1m', url: 'https://git.example.com/platform.git', ref: { branch: 'main' } },
    status: fluxStatus([
      ['Ready', 'True', 'Succeeded', `stored artifact for revision '${REVISION}'`],
      ['ArtifactInStorage', 'True', 'Succeeded', `stored artifact for revision '${REVISION}'`],
    ], { artifact: artifact('gitrepository/health/platform/3f2a1c0d.tar.gz', REVISION) }) },
  { file: 'ocirepository-failed', apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', plural: 'ocirepositories', name: 'manifests', operator: FLUX_SOURCE, expected: 'Degraded',
    spec: { interval: '5m', url: 'oci://ghcr.io/example/manifests', ref: { tag: 'latest' } },
    status: fluxStatus([
      ['Ready', 'False', 'OCIArtifactPullFailed', 'failed to determine artifact digest: GET https://ghcr.io/token: UNAUTHORIZED: authentication required'],
      ['FetchFailed', 'True', 'OCIArtifactPullFailed', 'failed to determine artifact digest: GET https://ghcr.io/token: UNAUTHORIZED: authentication required'],
    ]) },
  { file: 'helmrepository-oci', apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', plural: 'helmrepositories', name: 'podinfo', expected: 'Healthy',
    spec: { type: 'oci', interval: '10m', url: 'oci://ghcr.io/stefanprodan/charts' }, status: null,
    note: ['No status: Flux keeps none for a HelmRepository of type oci (it is Healthy, as in Argo CD).'] },
  { file: 'helmchart-ready', apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmChart', plural: 'helmcharts', name: 'health-podinfo', operator: FLUX_SOURCE, expected: 'Healthy',
    spec: { interval: '10m', chart: 'podinfo', version: '6.7.1', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } },
    status: fluxStatus([
      ['Ready', 'True', 'ChartPullSucceeded', "pulled 'podinfo' chart with version '6.7.1'"],
      ['ArtifactInStorage', 'True', 'ChartPullSucceeded', "pulled 'podinfo' chart with version '6.7.1'"],
    ], { artifact: artifact('helmchart/health/health-podinfo/podinfo-6.7.1.tgz', '6.7.1') }) },
  { file: 'bucket-suspended', apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'Bucket', plural: 'buckets', name: 'backups', operator: FLUX_SOURCE, expected: 'Suspended',
    spec: { interval: '10m', provider: 'generic', bucketName: 'manifests', endpoint: 'minio.example.com', suspend: true },
    status: fluxStatus([['Ready', 'True', 'Succeeded', "stored artifact for revision 'sha256:1c0d9e8b'"], ['ArtifactInStorage', 'True', 'Succeeded', "stored artifact for revision 'sha256:1c0d9e8b'"]]) },
  { file: 'imagerepository-ready', apiVersion: 'image.toolkit.fluxcd.io/v1beta2', kind: 'ImageRepository', plural: 'imagerepositories', name: 'podinfo', operator: FLUX_IMAGE, expected: 'Healthy',
    spec: { image: 'ghcr.io/stefanprodan/podinfo', interval: '5m' },
    status: fluxStatus([['Ready', 'True', 'Succeeded', 'successful scan: found 42 tags']], { canonicalImageName: 'ghcr.io/stefanprodan/podinfo', lastScanResult: { scanTime: stamp(), tagCount: 42, latestTags: ['6.7.1', '6.7.0', '6.6.3'] } }) },
  { file: 'imagepolicy-ready', apiVersion: 'image.toolkit.fluxcd.io/v1beta2', kind: 'ImagePolicy', plural: 'imagepolicies', name: 'podinfo', operator: FLUX_IMAGE, expected: 'Healthy',
    spec: { imageRepositoryRef: { name: 'podinfo' }, policy: { semver: { range: '6.x' } } },
    status: fluxStatus([['Ready', 'True', 'Succeeded', "Latest image tag for 'ghcr.io/stefanprodan/podinfo' resolved to 6.7.1"]], { latestImage: 'ghcr.io/stefanprodan/podinfo:6.7.1' }) },
];

const GATEWAY = 'a Gateway API implementation (Traefik)';
const gw = 'gateway.networking.k8s.io/v1';
const gatewayCondition = (type, status, reason, message) => condition(type, status, reason, message, { observedGeneration: 1 });
const listener = (conditions) => ({ name: 'websecure', attachedRoutes: 2, supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }, { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }], conditions });
const gatewaySpec = { gatewayClassName: 'traefik', listeners: [{ name: 'websecure', port: 8443, protocol: 'HTTPS', hostname: '*.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'wildcard-tls' }] } }] };
const routeStatus = (conditions) => () => ({ parents: [{ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'web', sectionName: 'websecure' }, controllerName: 'traefik.io/gateway-controller', conditions }] });
const gatewayApi = [
  { file: 'gatewayclass-accepted', apiVersion: gw, kind: 'GatewayClass', plural: 'gatewayclasses', name: 'traefik', namespaced: false, operator: GATEWAY, expected: 'Healthy',
    spec: { controllerName: 'traefik.io/gateway-controller' }, status: () => ({ conditions: [gatewayCondition('Accepted', 'True', 'Handled', 'Handled by Traefik controller')] }) },
  { file: 'gateway-programmed', apiVersion: gw, kind: 'Gateway', plural: 'gateways', name: 'web', operator: GATEWAY, expected: 'Healthy', spec: gatewaySpec,
    status: () => ({ addresses: [{ type: 'IPAddress', value: '203.0.113.30' }], conditions: [gatewayCondition('Accepted', 'True', 'Accepted', 'Gateway successfully scheduled'), gatewayCondition('Programmed', 'True', 'Programmed', 'Gateway successfully programmed')],
      listeners: [listener([gatewayCondition('Accepted', 'True', 'Accepted', 'No error found'), gatewayCondition('ResolvedRefs', 'True', 'ResolvedRefs', 'No error found'), gatewayCondition('Programmed', 'True', 'Programmed', 'No error found')])] }) },
  // The CRD's default status: what a Gateway shows before any implementation has looked at it.
  { file: 'gateway-pending', apiVersion: gw, kind: 'Gateway', plural: 'gateways', name: 'internal', operator: GATEWAY, expected: 'Progressing', spec: { ...gatewaySpec, gatewayClassName: 'unclaimed' },
    status: () => ({ conditions: [{ type: 'Accepted', status: 'Unknown', reason: 'Pending', message: 'Waiting for controller', lastTransitionTime: '1970-01-01T00:00:00Z' }, { type: 'Programmed', status: 'Unknown', reason: 'Pending', message: 'Waiting for controller', lastTransitionTime: '1970-01-01T00:00:00Z' }] }) },
  { file: 'gateway-listener-unresolved', apiVersion: gw, kind: 'Gateway', plural: 'gateways', name: 'shop', operator: GATEWAY, expected: 'Degraded', spec: gatewaySpec,
    status: () => ({ conditions: [gatewayCondition('Accepted', 'True', 'Accepted', 'Gateway successfully scheduled'), gatewayCondition('Programmed', 'True', 'Programmed', 'Gateway successfully programmed')],
      listeners: [listener([gatewayCondition('Accepted', 'True', 'Accepted', 'No error found'), gatewayCondition('ResolvedRefs', 'False', 'InvalidCertificateRef', 'Cannot fetch TLS secret "health/wildcard-tls": secret not found'), gatewayCondition('Programmed', 'False', 'Invalid', 'Cannot fetch TLS secret "health/wildcard-tls": secret not found')])] }) },
  { file: 'httproute-accepted', apiVersion: gw, kind: 'HTTPRoute', plural: 'httproutes', name: 'shop', operator: GATEWAY, expected: 'Healthy',
    spec: { parentRefs: [{ name: 'web', sectionName: 'websecure' }], hostnames: ['shop.example.com'], rules: [{ backendRefs: [{ name: 'shop', port: 80 }] }] },
    status: routeStatus([gatewayCondition('Accepted', 'True', 'Accepted', 'Route successfully accepted'), gatewayCondition('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved')]) },
  { file: 'httproute-backend-not-found', apiVersion: gw, kind: 'HTTPRoute', plural: 'httproutes', name: 'blog', operator: GATEWAY, expected: 'Degraded',
    spec: { parentRefs: [{ name: 'web', sectionName: 'websecure' }], hostnames: ['blog.example.com'], rules: [{ backendRefs: [{ name: 'blog', port: 80 }] }] },
    status: routeStatus([gatewayCondition('Accepted', 'True', 'Accepted', 'Route successfully accepted'), gatewayCondition('ResolvedRefs', 'False', 'BackendNotFound', 'Cannot load HTTPBackendRef health/blog: service health/blog not found')]) },
  { file: 'grpcroute-accepted', apiVersion: gw, kind: 'GRPCRoute', plural: 'grpcroutes', name: 'inventory', operator: GATEWAY, expected: 'Healthy',
    spec: { parentRefs: [{ name: 'web', sectionName: 'websecure' }], hostnames: ['grpc.example.com'], rules: [{ matches: [{ method: { service: 'inventory.v1.Inventory' } }], backendRefs: [{ name: 'inventory', port: 9090 }] }] },
    status: routeStatus([gatewayCondition('Accepted', 'True', 'Accepted', 'Route successfully accepted'), gatewayCondition('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved')]) },
];

const KEDA = 'the KEDA operator';
const scaledObjectSpec = { scaleTargetRef: { name: 'worker' }, minReplicaCount: 1, maxReplicaCount: 10, fallback: { failureThreshold: 3, replicas: 4 }, triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(rate(jobs_queued_total[2m]))', threshold: '50' } }] };
const scaledObjectStatus = (conditions, extra = {}) => () => ({ hpaName: 'keda-hpa-worker', originalReplicaCount: 1, scaleTargetKind: 'apps/v1.Deployment', scaleTargetGVKR: { group: 'apps', kind: 'Deployment', resource: 'deployments', version: 'v1' }, externalMetricNames: ['s0-prometheus'], conditions, ...extra });
const ready = condition('Ready', 'True', 'ScaledObjectReady', 'ScaledObject is defined correctly and is ready for scaling');
const keda = [
  { file: 'scaledobject-ready', apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', plural: 'scaledobjects', name: 'worker', operator: KEDA, expected: 'Healthy', spec: scaledObjectSpec,
    status: scaledObjectStatus([ready, condition('Active', 'False', 'ScalerNotActive', 'Scaling is not performed because triggers are not active'), condition('Fallback', 'False', 'NoFallbackFound', 'No fallbacks are active on this scaled object'), condition('Paused', 'False', '', '')]) },
  { file: 'scaledobject-fallback', apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', plural: 'scaledobjects', name: 'exporter', operator: KEDA, expected: 'Degraded', spec: { ...scaledObjectSpec, scaleTargetRef: { name: 'exporter' } },
    status: scaledObjectStatus([ready, condition('Active', 'True', 'ScalerActive', 'Scaling is performed because triggers are active'), condition('Fallback', 'True', 'FallbackExists', 'At least one trigger is falling back on this scaled object'), condition('Paused', 'False', '', '')], { health: { 's0-prometheus': { numberOfFailures: 4, status: 'Failing' } } }) },
  { file: 'scaledobject-paused', apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', plural: 'scaledobjects', name: 'batch', operator: KEDA, expected: 'Suspended',
    metadata: { annotations: { 'autoscaling.keda.sh/paused': 'true' } }, spec: { ...scaledObjectSpec, scaleTargetRef: { name: 'batch' } },
    status: scaledObjectStatus([ready, condition('Active', 'False', 'ScalerNotActive', 'Scaling is not performed because triggers are not active'), condition('Fallback', 'False', 'NoFallbackFound', 'No fallbacks are active on this scaled object'), condition('Paused', 'True', 'ScaledObjectPaused', 'ScaledObject is paused')]) },
  { file: 'scaledjob-ready', apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', plural: 'scaledjobs', name: 'thumbnails', operator: KEDA, expected: 'Healthy',
    spec: { jobTargetRef: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'registry.example/thumbnails:1' }] } } }, maxReplicaCount: 20, triggers: [{ type: 'rabbitmq', metadata: { queueName: 'thumbnails', mode: 'QueueLength', value: '5' } }] },
    status: () => ({ conditions: [condition('Ready', 'True', 'ScaledJobReady', 'ScaledJob is defined correctly and is ready to scaling'), condition('Active', 'False', 'ScalerNotActive', 'Scaling is not performed because triggers are not active'), condition('Paused', 'False', '', '')] }) },
];

const CROSSPLANE = 'Crossplane and its providers';
const managed = (conditions, extra = {}) => () => ({ atProvider: {}, conditions, ...extra });
const crossplane = [
  { file: 'crossplane-bucket-ready', apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', plural: 'buckets', name: 'platform-artifacts', namespaced: false, operator: CROSSPLANE, expected: 'Healthy',
    spec: { forProvider: { region: 'eu-west-1' }, providerConfigRef: { name: 'default' } },
    status: managed([condition('Synced', 'True', 'ReconcileSuccess', ''), condition('Ready', 'True', 'Available', '')], { atProvider: { arn: 'arn:aws:s3:::platform-artifacts', id: 'platform-artifacts' } }) },
  { file: 'crossplane-bucket-failed', apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', plural: 'buckets', name: 'logs', namespaced: false, operator: CROSSPLANE, expected: 'Degraded',
    spec: { forProvider: { region: 'eu-west-1' }, providerConfigRef: { name: 'default' } },
    status: managed([condition('Synced', 'False', 'ReconcileError', 'observe failed: cannot run refresh: refresh failed: reading S3 Bucket (logs): operation error S3: HeadBucket, https response error StatusCode: 403, api error Forbidden'), condition('Ready', 'False', 'Creating', '')]) },
  { file: 'crossplane-vpc-creating', apiVersion: 'ec2.aws.crossplane.io/v1beta1', kind: 'VPC', plural: 'vpcs', name: 'platform', namespaced: false, operator: CROSSPLANE, expected: 'Progressing',
    spec: { forProvider: { region: 'eu-west-1', cidrBlock: '10.10.0.0/16' }, providerConfigRef: { name: 'default' } },
    status: managed([condition('Synced', 'True', 'ReconcileSuccess', ''), condition('Ready', 'False', 'Creating', '')]) },
  { file: 'crossplane-composition', apiVersion: 'apiextensions.crossplane.io/v1', kind: 'Composition', plural: 'compositions', name: 'xdatabases.aws.platform.example.com', namespaced: false, expected: 'Healthy',
    spec: { compositeTypeRef: { apiVersion: 'platform.example.com/v1alpha1', kind: 'XDatabase' }, mode: 'Pipeline', pipeline: [{ step: 'patch-and-transform', functionRef: { name: 'function-patch-and-transform' } }] },
    status: null, note: ['No status: a Composition has none (Healthy, as in Argo CD).'] },
  { file: 'crossplane-xrd-established', apiVersion: 'apiextensions.crossplane.io/v1', kind: 'CompositeResourceDefinition', plural: 'compositeresourcedefinitions', name: 'xdatabases.platform.example.com', namespaced: false, operator: CROSSPLANE, expected: 'Healthy',
    spec: { group: 'platform.example.com', names: { kind: 'XDatabase', plural: 'xdatabases' }, claimNames: { kind: 'Database', plural: 'databases' }, versions: [{ name: 'v1alpha1', served: true, referenceable: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
    status: () => ({ controllers: { compositeResourceType: { apiVersion: 'platform.example.com/v1alpha1', kind: 'XDatabase' }, compositeResourceClaimType: { apiVersion: 'platform.example.com/v1alpha1', kind: 'Database' } }, conditions: [condition('Established', 'True', 'WatchingCompositeResource', ''), condition('Offered', 'True', 'OfferedClaim', '')] }) },
  { file: 'crossplane-provider-healthy', apiVersion: 'pkg.crossplane.io/v1', kind: 'Provider', plural: 'providers', name: 'provider-aws-s3', namespaced: false, operator: CROSSPLANE, expected: 'Healthy',
    spec: { package: 'xpkg.upbound.io/upbound/provider-aws-s3:v1.21.1' },
    status: () => ({ currentIdentifier: 'xpkg.upbound.io/upbound/provider-aws-s3:v1.21.1', currentRevision: 'provider-aws-s3-3d1f0c6e2b8a', conditions: [condition('Installed', 'True', 'ActivePackageRevision', ''), condition('Healthy', 'True', 'HealthyPackageRevision', '')] }) },
];

const STRIMZI = 'the Strimzi cluster operator';
const strimziStatus = (conditions, extra = {}) => () => ({ observedGeneration: 1, conditions, ...extra });
const strimziReady = () => condition('Ready', 'True', '', '');
const kafkaSpec = { kafka: { version: '4.0.0', metadataVersion: '4.0-IV3', listeners: [{ name: 'plain', port: 9092, type: 'internal', tls: false }], config: { 'offsets.topic.replication.factor': 3 } }, entityOperator: { topicOperator: {}, userOperator: {} } };
const clusterLabel = { labels: { 'strimzi.io/cluster': 'events' } };
const strimzi = [
  { file: 'kafka-ready', apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'Kafka', plural: 'kafkas', name: 'events', operator: STRIMZI, expected: 'Healthy', spec: kafkaSpec,
    status: strimziStatus([strimziReady()], { clusterId: 'Wq4gkFJsSsqPzoH3sYcHtA', kafkaVersion: '4.0.0', kafkaMetadataVersion: '4.0-IV3', kafkaMetadataState: 'KRaft', operatorLastSuccessfulVersion: '0.47.0', kafkaNodePools: [{ name: 'brokers' }], listeners: [{ name: 'plain', bootstrapServers: 'events-kafka-bootstrap.health.svc:9092' }] }) },
  { file: 'kafka-creating', apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'Kafka', plural: 'kafkas', name: 'orders', operator: STRIMZI, expected: 'Progressing', spec: kafkaSpec,
    status: strimziStatus([condition('NotReady', 'True', 'Creating', 'Kafka cluster is being deployed')]) },
  { file: 'kafka-not-ready', apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'Kafka', plural: 'kafkas', name: 'audit', operator: STRIMZI, expected: 'Degraded', spec: kafkaSpec,
    status: strimziStatus([condition('NotReady', 'True', 'TimeoutException', 'Exceeded timeout of 300000ms while waiting for Pods resource audit-brokers-0 in namespace health to be ready')]) },
  { file: 'kafkanodepool-healthy', apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaNodePool', plural: 'kafkanodepools', name: 'brokers', metadata: clusterLabel, operator: STRIMZI, expected: 'Healthy',
    spec: { replicas: 3, roles: ['controller', 'broker'], storage: { type: 'persistent-claim', size: '100Gi' } },
    status: strimziStatus([], { clusterId: 'Wq4gkFJsSsqPzoH3sYcHtA', nodeIds: [0, 1, 2], replicas: 3, roles: ['controller', 'broker'], labelSelector: 'strimzi.io/cluster=events,strimzi.io/name=events-kafka,strimzi.io/kind=Kafka,strimzi.io/pool-name=brokers' }) },
  { file: 'kafkatopic-ready', apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaTopic', plural: 'kafkatopics', name: 'orders', metadata: clusterLabel, operator: STRIMZI, expected: 'Healthy',
    spec: { partitions: 12, replicas: 3, config: { 'retention.ms': 604800000 } }, status: strimziStatus([strimziReady()], { topicName: 'orders', topicId: 'hX3b7TqvQ6mFz0r9YwU2kA' }) },
  { file: 'kafkauser-failed', apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaUser', plural: 'kafkausers', name: 'billing', metadata: clusterLabel, operator: STRIMZI, expected: 'Degraded',
    spec: { authentication: { type: 'scram-sha-512' }, authorization: { type: 'simple', acls: [{ resource: { type: 'topic', name: 'orders' }, operations: ['Read'] }] } },
    status: strimziStatus([condition('NotReady', 'True', 'InvalidResourceException', 'Authorization needs to be enabled in the Kafka custom resource')]) },
  { file: 'kafkaconnect-ready', apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaConnect', plural: 'kafkaconnects', name: 'connect', operator: STRIMZI, expected: 'Healthy',
    spec: { version: '4.0.0', replicas: 1, bootstrapServers: 'events-kafka-bootstrap:9092', config: { 'group.id': 'connect-cluster' } },
    status: strimziStatus([strimziReady()], { url: 'http://connect-connect-api.health.svc:8083', replicas: 1, labelSelector: 'strimzi.io/cluster=connect,strimzi.io/name=connect-connect,strimzi.io/kind=KafkaConnect', connectorPlugins: [] }) },
  { file: 'kafkamirrormaker2-progressing', apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaMirrorMaker2', plural: 'kafkamirrormaker2s', name: 'dr', operator: STRIMZI, expected: 'Progressing',
    spec: { version: '4.0.0', replicas: 1, connectCluster: 'target', clusters: [{ alias: 'source', bootstrapServers: 'events-kafka-bootstrap:9092' }, { alias: 'target', bootstrapServers: 'dr-kafka-bootstrap:9092' }], mirrors: [{ sourceCluster: 'source', targetCluster: 'target', topicsPattern: '.*', sourceConnector: {} }] },
    status: strimziStatus([], { replicas: 0 }) },
  { file: 'kafkarebalance-proposal-ready', apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaRebalance', plural: 'kafkarebalances', name: 'full', metadata: clusterLabel, operator: STRIMZI, expected: 'Suspended', spec: {},
    status: strimziStatus([condition('ProposalReady', 'True', '', '')], { sessionId: '7a2f4b1c-3d5e-4f60-8a9b-0c1d2e3f4a5b', optimizationResult: { numReplicaMovements: 24, dataToMoveMB: 1380, numLeaderMovements: 9, afterBeforeLoadConfigMap: 'full' } }) },
];

export async function ecosystemScenarios(t) {
  await captureOperatorFixtures(t, [...flux, ...gatewayApi, ...keda, ...crossplane, ...strimzi]);
}
