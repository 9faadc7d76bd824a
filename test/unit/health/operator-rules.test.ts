/**
 * GIVEN operators' custom resources in states the fixtures do not cover (most built from a captured fixture with one
 * field changed), WHEN their health is assessed, THEN each branch of Argo CD's bundled scripts — and Launchpad's
 * stale-status rule where the project documents observedGeneration — gives the status and message it should.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessHealth, findHealthCheck, HEALTH_CHECKS } from '../../../src/health/index.js';
import type { HealthStatus } from '../../../src/health/index.js';
import type { KubeObject } from '../../../src/model/resource.js';
import { fixture } from './fixtures.js';

type Json = Record<string, unknown>;

function object(apiVersion: string, kind: string, name: string, fields: Json = {}): KubeObject {
  const { metadata, ...rest } = fields;
  return { apiVersion, kind, metadata: { name, namespace: 'shop', ...(metadata as Json | undefined) }, ...rest };
}

/** The fixture with `status`, `spec` and `metadata` fields merged over its own (one level deep). */
function changed(name: string, change: { status?: Json; spec?: Json; metadata?: Json }): KubeObject {
  const base = fixture(name);
  const part = (key: 'status' | 'spec'): Json => ({ ...(base[key] as Json | undefined), ...change[key] });
  return { ...base, metadata: { ...base.metadata, ...change.metadata }, spec: part('spec'), status: part('status') };
}

const cond = (type: string, status: string, reason = '', message = ''): Json => ({ type, status, reason, message });
/** The same, written for generation 1 (Gateway API and the Prometheus operator record it per condition). */
const cond1 = (type: string, status: string, reason = '', message = ''): Json => ({ ...cond(type, status, reason, message), observedGeneration: 1 });

type Case = readonly [what: string, object: KubeObject, status: HealthStatus, message: string];

const certManager: Case[] = [
  ['an Issuer cert-manager has not looked at', object('cert-manager.io/v1', 'Issuer', 'ca'), 'Progressing', 'Issuer "ca": Initializing issuer'],
  ['a CertificateRequest with an invalid request', changed('certificaterequest-pending', { status: { conditions: [cond('InvalidRequest', 'True', 'BadConfig', 'Certificate request has issuer ref of kind "Foo"')] } }), 'Degraded', 'CertificateRequest "blog-1": Certificate request has issuer ref of kind "Foo"'],
  ['a CertificateRequest the issuer failed', changed('certificaterequest-pending', { status: { conditions: [cond('Ready', 'False', 'Failed', 'Failed to sign certificate: the CA key is missing')] } }), 'Degraded', 'CertificateRequest "blog-1": Failed to sign certificate: the CA key is missing'],
  ['a CertificateRequest without conditions', object('cert-manager.io/v1', 'CertificateRequest', 'r'), 'Progressing', 'CertificateRequest "r": Waiting for the certificate to be issued'],
];

const kyverno: Case[] = [
  ['a ClusterPolicy without status', object('kyverno.io/v1', 'ClusterPolicy', 'p'), 'Progressing', 'ClusterPolicy "p": Waiting for Policy to be ready'],
  // Argo CD's script wants Kyverno's exact words: reason Succeeded, message Ready.
  ['a ClusterPolicy Ready with another reason', changed('clusterpolicy-ready', { status: { conditions: [cond('Ready', 'True', 'Other', 'Ready')] } }), 'Progressing', 'ClusterPolicy "require-team-label": Waiting for Policy to be ready'],
  ['a cleanup policy Kyverno marked not Ready', changed('clustercleanuppolicy-healthy', { status: { conditions: [cond('Ready', 'False', 'Failed', 'invalid schedule')] } }), 'Degraded', 'ClusterCleanupPolicy "remove-stale-jobs" is not Ready: invalid schedule'],
];

const prometheus: Case[] = [
  ['a Prometheus without conditions', object('monitoring.coreos.com/v1', 'Prometheus', 'k8s'), 'Progressing', 'Prometheus "k8s": Waiting for initialization'],
  ['a Prometheus with a newer spec than its conditions', changed('prometheus-available', { metadata: { generation: 2 } }), 'Progressing', 'Prometheus "k8s": waiting for the controller to observe the latest spec'],
  ['a Prometheus not Available without a message', changed('prometheus-available', { status: { conditions: [cond1('Available', 'False', 'NoPodReady', '')] } }), 'Degraded', 'Prometheus "k8s": NoPodReady'],
];

const rollouts: Case[] = [
  ['a Rollout without status', object('argoproj.io/v1alpha1', 'Rollout', 'web', { metadata: { generation: 1 } }), 'Progressing', 'Rollout "web": Waiting for rollout spec update to be observed'],
  ['a Rollout with a newer spec', changed('rollout-healthy', { metadata: { generation: 2 } }), 'Progressing', 'Rollout "checkout": Waiting for rollout spec update to be observed'],
  ['a workloadRef Rollout whose workload changed', changed('rollout-healthy', { metadata: { annotations: { 'rollout.argoproj.io/workload-generation': '3' } }, spec: { workloadRef: { kind: 'Deployment', name: 'checkout' } }, status: { workloadObservedGeneration: '2' } }), 'Progressing', 'Rollout "checkout": Waiting for rollout spec update to be observed'],
  ['a Rollout in a phase Argo CD does not know', changed('rollout-healthy', { status: { phase: 'Sleeping' } }), 'Unknown', 'Rollout "checkout": reports an unknown phase "Sleeping"'],
  // Controllers before Rollouts 1.0 write no phase: conditions, pause state and counts decide.
  ['an old Rollout with an invalid spec', changed('rollout-healthy', { status: { phase: undefined, conditions: [cond('InvalidSpec', 'True', 'InvalidSpec', 'The Rollout "checkout" is invalid: spec.strategy: Required value')] } }), 'Degraded', 'Rollout "checkout": The Rollout "checkout" is invalid: spec.strategy: Required value'],
  ['an old Rollout past its progress deadline', changed('rollout-healthy', { status: { phase: undefined, conditions: [cond('Progressing', 'False', 'ProgressDeadlineExceeded', 'ReplicaSet "checkout-7d9f8c6b5" has timed out progressing.')] } }), 'Degraded', 'Rollout "checkout": ReplicaSet "checkout-7d9f8c6b5" has timed out progressing.'],
  ['an old paused Rollout', changed('rollout-healthy', { spec: { paused: true }, status: { phase: undefined, conditions: [] } }), 'Suspended', 'Rollout "checkout": Rollout is paused'],
  ['an old Rollout not reconciled', changed('rollout-healthy', { status: { phase: undefined, conditions: [], currentPodHash: undefined } }), 'Progressing', 'Rollout "checkout": Waiting for rollout to finish: status has not been reconciled.'],
  ['an old Rollout updating replicas', changed('rollout-healthy', { status: { phase: undefined, conditions: [], updatedReplicas: 1 } }), 'Progressing', 'Rollout "checkout": Waiting for roll out to finish: More replicas need to be updated'],
  ['an old Rollout waiting for availability', changed('rollout-healthy', { status: { phase: undefined, conditions: [], availableReplicas: 2 } }), 'Progressing', 'Rollout "checkout": Waiting for roll out to finish: updated replicas are still becoming available'],
  ['an old canary Rollout with old replicas left', changed('rollout-healthy', { status: { phase: undefined, conditions: [], replicas: 4 } }), 'Progressing', 'Rollout "checkout": Waiting for roll out to finish: old replicas are pending termination'],
  ['an old canary Rollout between steps', changed('rollout-healthy', { status: { phase: undefined, conditions: [], stableRS: '1a2b3c4d5' } }), 'Progressing', 'Rollout "checkout": Waiting for rollout to finish steps'],
  ['an old blue-green Rollout before cut-over', changed('rollout-healthy', { spec: { strategy: { blueGreen: { activeService: 'checkout' } } }, status: { phase: undefined, conditions: [], blueGreen: { activeSelector: '1a2b3c4d5' } } }), 'Progressing', 'Rollout "checkout": active service cutover pending'],
  ['an old Rollout that finished', changed('rollout-healthy', { status: { phase: undefined, conditions: [] } }), 'Healthy', ''],
  ['an AnalysisRun not reconciled', object('argoproj.io/v1alpha1', 'AnalysisRun', 'a'), 'Progressing', 'AnalysisRun "a": Waiting for analysis run to finish: status has not been reconciled.'],
  ['an inconclusive AnalysisRun', changed('analysisrun-successful', { status: { phase: 'Inconclusive' } }), 'Unknown', 'AnalysisRun "checkout-7d9f8c6b5-2-1": Analysis run was inconclusive'],
  ['an AnalysisRun in error without a message', changed('analysisrun-successful', { status: { phase: 'Error' } }), 'Degraded', 'AnalysisRun "checkout-7d9f8c6b5-2-1": Analysis run had an error'],
  ['a failed Experiment', changed('experiment-running', { status: { phase: 'Failed' } }), 'Degraded', 'Experiment "checkout-baseline": Experiment has failed'],
];

const externalSecrets: Case[] = [
  ['an ExternalSecret without status', object('external-secrets.io/v1', 'ExternalSecret', 'db'), 'Progressing', 'ExternalSecret "db": Waiting for ExternalSecret'],
  // ClusterExternalSecret appends conditions: only the last counts.
  ['a ClusterExternalSecret whose last condition is Ready', object('external-secrets.io/v1', 'ClusterExternalSecret', 'all', { status: { conditions: [cond('NotReady', 'True', '', 'one namespace failed'), cond('Ready', 'True', '', 'all namespaces synced')] } }), 'Healthy', 'ClusterExternalSecret "all": all namespaces synced'],
  ['a ClusterExternalSecret partially ready', object('external-secrets.io/v1', 'ClusterExternalSecret', 'all', { status: { conditions: [cond('Ready', 'True', '', 'synced'), cond('PartiallyReady', 'True', '', 'one namespace failed')] } }), 'Degraded', 'ClusterExternalSecret "all": one namespace failed'],
];

const flux: Case[] = [
  ['a suspended Kustomization', changed('kustomization-ready', { spec: { suspend: true } }), 'Suspended', 'Kustomization "infra" is suspended'],
  ['a GitRepository without status', object('source.toolkit.fluxcd.io/v1', 'GitRepository', 'repo'), 'Progressing', 'GitRepository "repo": Status unknown'],
  // Flux leaves status.observedGeneration at -1 until a reconcile completes; the Ready condition says which
  // generation it judged, and here that is the current one.
  ['a Kustomization that failed before any reconcile completed', changed('kustomization-failed', { status: { observedGeneration: -1 } }), 'Degraded', 'Kustomization "apps" is not Ready: kustomize build failed: accumulating resources: open apps/missing: no such file or directory'],
  ['a GitRepository with a newer spec', changed('gitrepository-ready', { metadata: { generation: 2 } }), 'Progressing', 'GitRepository "platform": waiting for the controller to observe the latest spec'],
  // Sources need Ready and ArtifactInStorage; a HelmRelease needs Ready and Released (Argo CD's counts).
  ['a GitRepository Ready but without an artifact', changed('gitrepository-ready', { status: { conditions: [cond('Ready', 'True', 'Succeeded', 'stored artifact')] } }), 'Degraded', 'GitRepository "platform" is not Ready: stored artifact'],
  ['a HelmRelease Ready but not Released', changed('helmrelease-ready', { status: { conditions: [cond('Ready', 'True', 'InstallSucceeded', 'Helm install succeeded')] } }), 'Degraded', 'HelmRelease "podinfo" is not Ready: Helm install succeeded'],
  ['a HelmRepository of type oci that is suspended', changed('helmrepository-oci', { spec: { suspend: true } }), 'Suspended', 'HelmRepository "podinfo" is suspended'],
  ['an ImageRepository scanning again', changed('imagerepository-ready', { status: { conditions: [cond('Ready', 'False', 'Scanning', 'scanning'), cond('Reconciling', 'True', 'Scanning', 'scanning')] } }), 'Progressing', 'ImageRepository "podinfo" is not Ready yet: scanning'],
  ['a Receiver failing while reconciling', object('notification.toolkit.fluxcd.io/v1', 'Receiver', 'github', { status: { conditions: [cond('Ready', 'False', 'TokenNotFound', 'secret "webhook-token" not found'), cond('Reconciling', 'True', 'Progressing', '')] } }), 'Degraded', 'Receiver "github" is not Ready: secret "webhook-token" not found'],
];

const gatewayApi: Case[] = [
  ['a Gateway without status', object('gateway.networking.k8s.io/v1', 'Gateway', 'gw'), 'Progressing', 'Gateway "gw": Waiting for Gateway status'],
  ['a Gateway with a newer spec than its conditions', changed('gateway-programmed', { metadata: { generation: 2 } }), 'Progressing', 'Gateway "web": waiting for the controller to observe the latest spec'],
  ['a Gateway not Accepted', changed('gateway-programmed', { status: { conditions: [cond1('Accepted', 'False', 'InvalidParameters', 'GatewayClass parameters are invalid')] } }), 'Degraded', 'Gateway "web": GatewayClass parameters are invalid'],
  ['an HTTPRoute whose only parent reported on an older generation', changed('httproute-accepted', { metadata: { generation: 2 } }), 'Progressing', 'HTTPRoute "shop": Waiting for HTTPRoute status'],
  ['an HTTPRoute not programmed yet', changed('httproute-accepted', { status: { parents: [{ parentRef: { name: 'web' }, conditions: [cond1('Accepted', 'True', 'Accepted', ''), cond1('Programmed', 'False', 'Pending', '')] }] } }), 'Progressing', 'HTTPRoute "shop": Parent web: Route is still being programmed'],
  ['a GRPCRoute no Gateway accepted', changed('grpcroute-accepted', { status: { parents: [{ parentRef: { name: 'web' }, conditions: [cond1('Accepted', 'False', 'NotAllowedByListeners', 'No listener allows GRPCRoute')] }] } }), 'Degraded', 'GRPCRoute "inventory": Parent web: No listener allows GRPCRoute'],
  ['an HTTPRoute without parents', object('gateway.networking.k8s.io/v1', 'HTTPRoute', 'r', { status: { parents: [] } }), 'Progressing', 'HTTPRoute "r": Waiting for HTTPRoute status'],
  ['a GatewayClass whose Accepted condition is stale', changed('gatewayclass-accepted', { metadata: { generation: 2 } }), 'Progressing', 'GatewayClass "traefik": Waiting for GatewayClass status'],
  ['a BackendTLSPolicy an ancestor rejected', object('gateway.networking.k8s.io/v1', 'BackendTLSPolicy', 'tls', { status: { ancestors: [{ ancestorRef: { name: 'web' }, conditions: [cond('Accepted', 'True'), cond('ResolvedRefs', 'False', 'InvalidCACertificateRef', 'ConfigMap "ca" not found')] }] } }), 'Degraded', 'BackendTLSPolicy "tls": Ancestor web: ConfigMap "ca" not found'],
  ['a BackendTLSPolicy accepted', object('gateway.networking.k8s.io/v1', 'BackendTLSPolicy', 'tls', { status: { ancestors: [{ ancestorRef: { name: 'web' }, conditions: [cond('Accepted', 'True')] }] } }), 'Healthy', 'BackendTLSPolicy "tls": BackendTLSPolicy is healthy'],
];

const keda: Case[] = [
  ['a ScaledObject without status', object('keda.sh/v1alpha1', 'ScaledObject', 'w'), 'Progressing', 'ScaledObject "w": Creating HorizontalPodAutoscaler Object'],
  ['a ScaledObject with a bad trigger', changed('scaledobject-ready', { status: { conditions: [cond('Ready', 'False', 'ScaledObjectCheckFailed', 'ScaledObject doesn\'t have correct triggers specification')] } }), 'Degraded', 'ScaledObject "worker": ScaledObject doesn\'t have correct triggers specification'],
  ['a ScaledJob whose readiness is unknown', changed('scaledjob-ready', { status: { conditions: [cond('Ready', 'Unknown', '', 'checking triggers')] } }), 'Degraded', 'ScaledJob "thumbnails": checking triggers'],
];

const crossplane: Case[] = [
  // Argo CD's script calls this Healthy (a precedence slip); waiting for the provider is what a sync wave needs.
  ['a managed resource the provider has not reported on', object('s3.aws.upbound.io/v1beta1', 'Bucket', 'b'), 'Progressing', 'Bucket "b": Provisioning ...'],
  ['a ProviderConfig in use', object('aws.upbound.io/v1beta1', 'ProviderConfig', 'default', { status: { users: 3 } }), 'Healthy', 'ProviderConfig "default": Resource is in use.'],
  ['a managed resource whose last async operation failed', object('rds.aws.upbound.io/v1beta1', 'Instance', 'db', { status: { conditions: [cond('LastAsyncOperation', 'False', 'ApplyFailure', 'create failed: InvalidParameterCombination'), cond('Synced', 'True')] } }), 'Degraded', 'Instance "db": create failed: InvalidParameterCombination'],
  ['a package in a crossplane.io group, Healthy=True', object('pkg.crossplane.io/v1', 'Function', 'function-patch-and-transform', { status: { conditions: [cond('Installed', 'True'), cond('Healthy', 'True')] } }), 'Healthy', 'Function "function-patch-and-transform": Resource is up-to-date.'],
  ['an upbound.io kind with Healthy=True only (the upbound script reads Ready only)', object('s3.aws.upbound.io/v1beta1', 'Bucket', 'b', { status: { conditions: [cond('Healthy', 'True')] } }), 'Progressing', 'Bucket "b": Provisioning ...'],
  ['a Provider whose package is unhealthy', changed('crossplane-provider-healthy', { status: { conditions: [cond('Installed', 'True', 'ActivePackageRevision'), cond('Healthy', 'False', 'UnhealthyPackageRevision')] } }), 'Degraded', 'Provider "provider-aws-s3": ActivePackageRevision UnhealthyPackageRevision'],
  // The pattern is a suffix with its dot: crossplane.io itself is not `*.crossplane.io`.
  ['a kind in the bare crossplane.io group', object('crossplane.io/v1', 'Widget', 'w', { status: { conditions: [cond('Synced', 'False', '', 'x')] } }), 'Healthy', ''],
];

const strimzi: Case[] = [
  ['a KafkaTopic without status', object('kafka.strimzi.io/v1beta2', 'KafkaTopic', 't'), 'Progressing', 'KafkaTopic "t": Waiting for Kafka Topic'],
  ['a Kafka with a newer spec', changed('kafka-ready', { metadata: { generation: 2 } }), 'Progressing', 'Kafka "events": waiting for the controller to observe the latest spec'],
  ['a Kafka whose reconciliation is paused', changed('kafka-ready', { status: { conditions: [cond('ReconciliationPaused', 'True', '', '')] } }), 'Suspended', 'Kafka "events": reconciliation is paused'],
  ['a KafkaBridge not ready while creating (only Kafka forgives Creating)', object('kafka.strimzi.io/v1beta2', 'KafkaBridge', 'b', { status: { conditions: [cond('NotReady', 'True', 'Creating', 'being deployed')] } }), 'Degraded', 'KafkaBridge "b": being deployed'],
  ['a KafkaNodePool the operator refused', changed('kafkanodepool-healthy', { status: { conditions: [cond('NotReady', 'True', 'InvalidResourceException', 'KafkaNodePool brokers has no role assigned')] } }), 'Degraded', 'KafkaNodePool "brokers": KafkaNodePool brokers has no role assigned'],
  ['a KafkaRebalance rebalancing', changed('kafkarebalance-proposal-ready', { status: { conditions: [cond('Rebalancing', 'True')] } }), 'Progressing', 'KafkaRebalance "full": Rebalancing'],
  ['a KafkaRebalance that finished', changed('kafkarebalance-proposal-ready', { status: { conditions: [cond('Ready', 'True')] } }), 'Healthy', 'KafkaRebalance "full": Ready'],
  ['a KafkaRebalance that failed', changed('kafkarebalance-proposal-ready', { status: { conditions: [cond('NotReady', 'True', 'CruiseControlRestException', 'Error processing POST request')] } }), 'Degraded', 'KafkaRebalance "full": Error processing POST request'],
];

for (const [what, live, status, message] of [...certManager, ...kyverno, ...prometheus, ...rollouts, ...externalSecrets, ...flux, ...gatewayApi, ...keda, ...crossplane, ...strimzi]) {
  test(`${what} → ${status}`, () => {
    assert.deepEqual(assessHealth(live), { status, message });
  });
}

test('group patterns apply to any kind of the group, and an exact entry wins over its pattern', () => {
  assert.equal(typeof findHealthCheck('ec2.aws.crossplane.io/Subnet'), 'function');
  assert.equal(typeof findHealthCheck('ec2.aws.upbound.io/Subnet'), 'function');
  assert.equal(findHealthCheck('example.com/Widget'), undefined);
  assert.notEqual(findHealthCheck('pkg.crossplane.io/Provider'), findHealthCheck('pkg.crossplane.io/Configuration'));
});

test('malformed statuses never make a rule throw: every operator kind answers with a health of its own', () => {
  const shapes: Json[] = [
    { status: 'broken' },
    { status: { conditions: 'broken', observedGeneration: 'x', parents: [null, 1, { conditions: 'x' }], listeners: {}, ancestors: [{}] } },
    { status: { conditions: [null, 7, 'x', { type: 3 }, { type: 'Ready', status: 1, message: {} }], phase: 5 }, spec: null },
    { metadata: { generation: 'two', annotations: { 'rollout.argoproj.io/workload-generation': 'x' } }, spec: { strategy: 'x', workloadRef: 1 }, status: {} },
  ];
  const keys = [...Object.keys(HEALTH_CHECKS), 'ec2.aws.crossplane.io/VPC', 's3.aws.upbound.io/Bucket'];
  for (const key of keys) {
    const [group, kind] = key.includes('/') ? [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)] : ['', key];
    for (const shape of shapes) {
      const health = assessHealth(object(group === '' ? 'v1' : `${group}/v1`, kind, 'x', shape));
      assert.doesNotMatch(health.message, /could not be assessed/, `${key} ${JSON.stringify(shape)}`);
    }
  }
});
