// Scenarios for the custom resources of the example platform's own stack (cert-manager, Traefik, Kyverno, the
// Prometheus operator), plus Argo Rollouts and External Secrets. Their controllers are not part of the test control
// plane: statuses are written as each operator writes them (see capture-health-fixtures.operator-tools.mjs).
import { captureOperatorFixtures, condition, stamp } from './capture-health-fixtures.operator-tools.mjs';

const CM = 'cert-manager';
const issuerRef = { name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' };
const csr = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K';
const acme = (email) => ({ acme: { email, server: 'https://acme-v02.api.letsencrypt.org/directory', privateKeySecretRef: { name: 'letsencrypt-account' }, solvers: [{ http01: { ingress: { ingressClassName: 'traefik' } } }] } });

const certManager = [
  { file: 'issuer-ready', apiVersion: 'cert-manager.io/v1', kind: 'Issuer', plural: 'issuers', name: 'letsencrypt', operator: CM, expected: 'Healthy', spec: acme('platform@example.com'),
    status: () => ({ acme: { uri: 'https://acme-v02.api.letsencrypt.org/acme/acct/2071536447', lastRegisteredEmail: 'platform@example.com' }, conditions: [condition('Ready', 'True', 'ACMEAccountRegistered', 'The ACME account was registered with the ACME server', { observedGeneration: 1 })] }) },
  { file: 'issuer-failed', apiVersion: 'cert-manager.io/v1', kind: 'Issuer', plural: 'issuers', name: 'staging', operator: CM, expected: 'Degraded', spec: acme('platform@example.com'),
    status: () => ({ acme: {}, conditions: [condition('Ready', 'False', 'ErrRegisterACMEAccount', 'Failed to register ACME account: Get "https://acme.invalid/directory": dial tcp: lookup acme.invalid on 10.96.0.10:53: no such host', { observedGeneration: 1 })] }) },
  { file: 'clusterissuer-ready', apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', plural: 'clusterissuers', name: 'internal-ca', namespaced: false, operator: CM, expected: 'Healthy', spec: { ca: { secretName: 'internal-ca' } },
    status: () => ({ conditions: [condition('Ready', 'True', 'KeyPairVerified', 'Signing CA verified', { observedGeneration: 1 })] }) },
  { file: 'clusterissuer-initializing', apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', plural: 'clusterissuers', name: 'letsencrypt', namespaced: false, expected: 'Progressing', spec: acme('platform@example.com'),
    status: null, note: ['No status: cert-manager has not reconciled this ClusterIssuer yet.'] },
  { file: 'certificaterequest-issued', apiVersion: 'cert-manager.io/v1', kind: 'CertificateRequest', plural: 'certificaterequests', name: 'shop-1', operator: CM, expected: 'Healthy', spec: { issuerRef, request: csr, usages: ['digital signature', 'key encipherment'] },
    status: () => ({ conditions: [condition('Approved', 'True', 'cert-manager.io', 'Certificate request has been approved by cert-manager.io'), condition('Ready', 'True', 'Issued', 'Certificate fetched from issuer successfully')] }) },
  { file: 'certificaterequest-pending', apiVersion: 'cert-manager.io/v1', kind: 'CertificateRequest', plural: 'certificaterequests', name: 'blog-1', operator: CM, expected: 'Progressing', spec: { issuerRef, request: csr },
    status: () => ({ conditions: [condition('Approved', 'True', 'cert-manager.io', 'Certificate request has been approved by cert-manager.io'), condition('Ready', 'False', 'Pending', 'Waiting on certificate issuance from order health/blog-1-2755214051: "pending"')] }) },
  { file: 'certificaterequest-denied', apiVersion: 'cert-manager.io/v1', kind: 'CertificateRequest', plural: 'certificaterequests', name: 'api-1', operator: CM, expected: 'Degraded', spec: { issuerRef, request: csr, duration: '87600h' },
    status: () => ({ failureTime: stamp(), conditions: [condition('Denied', 'True', 'policy.cert-manager.io', 'No policy approved this request'), condition('Ready', 'False', 'Denied', 'The CertificateRequest was denied by an approval controller')] }) },
];

// Traefik's CRDs (traefik.io/v1alpha1) define no status at all: Argo CD has no check for them, and neither does
// Launchpad — an IngressRoute or Middleware that exists is Healthy.
const NO_STATUS_TRAEFIK = ['No status: Traefik\'s CRDs define none, so an object that exists is Healthy (as in Argo CD).'];
const traefik = [
  { file: 'ingressroute-healthy', apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', plural: 'ingressroutes', name: 'shop', expected: 'Healthy', status: null, note: NO_STATUS_TRAEFIK,
    spec: { entryPoints: ['websecure'], routes: [{ match: 'Host(`shop.example.com`)', kind: 'Rule', services: [{ name: 'shop', port: 80 }] }], tls: { secretName: 'shop-tls' } } },
  { file: 'middleware-healthy', apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', plural: 'middlewares', name: 'redirect-https', expected: 'Healthy', status: null, note: NO_STATUS_TRAEFIK,
    spec: { redirectScheme: { scheme: 'https', permanent: true } } },
];

const KYVERNO = 'Kyverno';
const rule = { name: 'require-team-label', match: { any: [{ resources: { kinds: ['Deployment'] } }] }, validate: { message: 'label team is required', pattern: { metadata: { labels: { team: '?*' } } } } };
const policyStatus = (ready, reason, message) => () => ({
  autogen: { rules: [] }, ready, rulecount: { generate: 0, mutate: 0, validate: 1, verifyimages: 0 }, validatingadmissionpolicy: { generated: false, message: '' },
  conditions: [condition('Ready', ready ? 'True' : 'False', reason, message)],
});
const kyverno = [
  { file: 'clusterpolicy-ready', apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', plural: 'clusterpolicies', name: 'require-team-label', namespaced: false, operator: KYVERNO, expected: 'Healthy',
    spec: { validationFailureAction: 'Enforce', background: true, rules: [rule] }, status: policyStatus(true, 'Succeeded', 'Ready') },
  { file: 'clusterpolicy-not-ready', apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', plural: 'clusterpolicies', name: 'disallow-latest-tag', namespaced: false, operator: KYVERNO, expected: 'Progressing',
    spec: { validationFailureAction: 'Audit', rules: [{ ...rule, name: 'no-latest' }] }, status: policyStatus(false, 'Failed', 'Webhook not configured') },
  { file: 'policy-ready', apiVersion: 'kyverno.io/v1', kind: 'Policy', plural: 'policies', name: 'require-team-label', operator: KYVERNO, expected: 'Healthy',
    spec: { validationFailureAction: 'Audit', rules: [rule] }, status: policyStatus(true, 'Succeeded', 'Ready') },
  { file: 'clustercleanuppolicy-healthy', apiVersion: 'kyverno.io/v2', kind: 'ClusterCleanupPolicy', plural: 'clustercleanuppolicies', name: 'remove-stale-jobs', namespaced: false, operator: KYVERNO, expected: 'Healthy',
    spec: { schedule: '*/30 * * * *', match: { any: [{ resources: { kinds: ['Job'] } }] } }, status: () => ({ conditions: [], lastExecutionTime: stamp() }) },
];

const PO = 'the Prometheus operator';
const workloadStatus = (replicas, available, conditions) => () => ({
  paused: false, replicas, updatedReplicas: replicas, availableReplicas: available, unavailableReplicas: replicas - available, conditions,
});
const promSpec = { replicas: 2, serviceAccountName: 'prometheus', serviceMonitorSelector: {}, ruleSelector: {} };
const prometheusOperator = [
  { file: 'prometheus-available', apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', plural: 'prometheuses', name: 'k8s', operator: PO, expected: 'Healthy', spec: promSpec,
    status: () => ({ ...workloadStatus(2, 2, [condition('Available', 'True', '', '', { observedGeneration: 1 }), condition('Reconciled', 'True', '', '', { observedGeneration: 1 })])(), shards: 1, shardStatuses: [{ shardID: '0', replicas: 2, updatedReplicas: 2, availableReplicas: 2, unavailableReplicas: 0 }] }) },
  { file: 'prometheus-rolling', apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', plural: 'prometheuses', name: 'rolling', operator: PO, expected: 'Progressing', spec: promSpec,
    status: workloadStatus(2, 1, [condition('Available', 'Degraded', 'SomePodsNotReady', 'shard 0: pod prometheus-rolling-1: containers with unready status: [prometheus]', { observedGeneration: 1 }), condition('Reconciled', 'True', '', '', { observedGeneration: 1 })]) },
  { file: 'alertmanager-degraded', apiVersion: 'monitoring.coreos.com/v1', kind: 'Alertmanager', plural: 'alertmanagers', name: 'main', operator: PO, expected: 'Degraded', spec: { replicas: 1 },
    status: workloadStatus(1, 0, [condition('Available', 'False', 'NoPodReady', 'pod alertmanager-main-0: containers with incomplete status: [init-config-reloader]', { observedGeneration: 1 }), condition('Reconciled', 'True', '', '', { observedGeneration: 1 })]) },
  { file: 'prometheusagent-available', apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'PrometheusAgent', plural: 'prometheusagents', name: 'agent', operator: PO, expected: 'Healthy', spec: { replicas: 1, serviceAccountName: 'prometheus' },
    status: workloadStatus(1, 1, [condition('Available', 'True', '', '', { observedGeneration: 1 }), condition('Reconciled', 'True', '', '', { observedGeneration: 1 })]) },
  { file: 'thanosruler-stale', apiVersion: 'monitoring.coreos.com/v1', kind: 'ThanosRuler', plural: 'thanosrulers', name: 'rules', operator: PO, expected: 'Progressing', spec: { replicas: 1, queryEndpoints: ['dnssrv+_http._tcp.thanos-query'] },
    specChange: { replicas: 2 }, status: workloadStatus(1, 1, [condition('Available', 'True', '', '', { observedGeneration: 1 }), condition('Reconciled', 'True', '', '', { observedGeneration: 1 })]) },
];

const ROLLOUTS = 'the Argo Rollouts controller';
const rolloutSpec = {
  replicas: 3, selector: { matchLabels: { app: 'checkout' } },
  template: { metadata: { labels: { app: 'checkout' } }, spec: { containers: [{ name: 'app', image: 'registry.example/checkout:2' }] } },
  strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: '10m' } }], analysis: { templates: [{ templateName: 'success-rate' }] } } },
};
const rolloutStatus = (phase, message, extra) => () => ({
  observedGeneration: '1', phase, message, currentPodHash: '7d9f8c6b5', stableRS: '7d9f8c6b5', replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3,
  selector: 'app=checkout', canary: {}, currentStepHash: '5f7b9c8d4', currentStepIndex: 4, ...extra,
});
const rollouts = [
  { file: 'rollout-healthy', apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', name: 'checkout', operator: ROLLOUTS, expected: 'Healthy', spec: rolloutSpec,
    status: rolloutStatus('Healthy', '', { conditions: [condition('Available', 'True', 'AvailableReason', 'Rollout has minimum availability'), condition('Completed', 'True', 'RolloutCompleted', 'Rollout completed update to revision 1 (7d9f8c6b5): Initial deploy'), condition('Healthy', 'True', 'RolloutHealthy', 'Rollout is healthy'), condition('Progressing', 'True', 'NewReplicaSetAvailable', 'ReplicaSet "checkout-7d9f8c6b5" has successfully progressed.')] }) },
  { file: 'rollout-paused', apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', name: 'search', operator: ROLLOUTS, expected: 'Suspended', spec: rolloutSpec,
    status: rolloutStatus('Paused', 'CanaryPauseStep', { currentPodHash: '6c4d9b7f8', updatedReplicas: 1, currentStepIndex: 1, controllerPause: true, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: stamp() }] }) },
  { file: 'rollout-degraded', apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', name: 'payments', operator: ROLLOUTS, expected: 'Degraded', spec: rolloutSpec,
    status: rolloutStatus('Degraded', 'RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)', { currentPodHash: '59b8c7d6f', abort: true, conditions: [condition('Progressing', 'False', 'RolloutAborted', 'Rollout aborted update to revision 2: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)')] }) },
  { file: 'analysisrun-successful', apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', plural: 'analysisruns', name: 'checkout-7d9f8c6b5-2-1', operator: ROLLOUTS, expected: 'Healthy',
    spec: { metrics: [{ name: 'success-rate', successCondition: 'result[0] >= 0.95', provider: { prometheus: { address: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total{code!~"5.."}[5m])) / sum(rate(http_requests_total[5m]))' } } }] },
    status: () => ({ phase: 'Successful', startedAt: stamp(), dryRunSummary: {}, runSummary: { count: 1, successful: 1 }, metricResults: [{ name: 'success-rate', phase: 'Successful', count: 1, successful: 1, measurements: [{ phase: 'Successful', value: '[0.998]', startedAt: stamp(), finishedAt: stamp() }] }] }) },
  { file: 'analysisrun-failed', apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', plural: 'analysisruns', name: 'payments-59b8c7d6f-2-1', operator: ROLLOUTS, expected: 'Degraded',
    spec: { metrics: [{ name: 'success-rate', successCondition: 'result[0] >= 0.95', provider: { prometheus: { address: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total{code!~"5.."}[5m])) / sum(rate(http_requests_total[5m]))' } } }] },
    status: () => ({ phase: 'Failed', message: 'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)', startedAt: stamp(), dryRunSummary: {}, runSummary: { count: 1, failed: 1 }, metricResults: [{ name: 'success-rate', phase: 'Failed', count: 1, failed: 1, measurements: [{ phase: 'Failed', value: '[0.71]', startedAt: stamp(), finishedAt: stamp() }] }] }) },
  { file: 'experiment-running', apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', plural: 'experiments', name: 'checkout-baseline', operator: ROLLOUTS, expected: 'Progressing',
    spec: { duration: '10m', templates: [{ name: 'baseline', replicas: 1, selector: { matchLabels: { app: 'checkout', role: 'baseline' } }, template: { metadata: { labels: { app: 'checkout', role: 'baseline' } }, spec: { containers: [{ name: 'app', image: 'registry.example/checkout:1' }] } } }] },
    status: () => ({ phase: 'Running', availableAt: stamp(), templateStatuses: [{ name: 'baseline', status: 'Running', replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, lastTransitionTime: stamp() }], conditions: [condition('Progressing', 'True', 'NewReplicaSetAvailable', 'Experiment "checkout-baseline" is running.')] }) },
];

const ESO = 'the External Secrets operator';
const externalSecretSpec = { refreshInterval: '1h', secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, target: { name: 'db-credentials', creationPolicy: 'Owner' }, data: [{ secretKey: 'password', remoteRef: { key: 'platform/db', property: 'password' } }] };
const vault = { provider: { vault: { server: 'https://vault.example.com', path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'external-secrets' } } } } };
const externalSecrets = [
  { file: 'externalsecret-synced', apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', plural: 'externalsecrets', name: 'db-credentials', operator: ESO, expected: 'Healthy', spec: externalSecretSpec,
    status: () => ({ binding: { name: 'db-credentials' }, refreshTime: stamp(), syncedResourceVersion: '1-9f3c2a1b7e6d5c4b3a2f1e0d9c8b7a6f', conditions: [condition('Ready', 'True', 'SecretSynced', 'secret synced')] }) },
  { file: 'externalsecret-failed', apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', plural: 'externalsecrets', name: 'api-token', operator: ESO, expected: 'Degraded', spec: { ...externalSecretSpec, target: { name: 'api-token' } },
    status: () => ({ binding: { name: '' }, refreshTime: null, conditions: [condition('Ready', 'False', 'SecretSyncedError', 'could not get secret data from provider')] }) },
  { file: 'secretstore-valid', apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', plural: 'secretstores', name: 'vault', operator: ESO, expected: 'Healthy', spec: vault,
    status: () => ({ capabilities: 'ReadWrite', conditions: [condition('Ready', 'True', 'Valid', 'store validated')] }) },
  { file: 'clustersecretstore-invalid', apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', plural: 'clustersecretstores', name: 'vault', namespaced: false, operator: ESO, expected: 'Degraded', spec: vault,
    status: () => ({ conditions: [condition('Ready', 'False', 'InvalidProviderConfig', 'unable to validate store: unable to log in with Kubernetes auth: Error making API request. Code: 403. Errors: * permission denied')] }) },
  { file: 'pushsecret-synced', apiVersion: 'external-secrets.io/v1alpha1', kind: 'PushSecret', plural: 'pushsecrets', name: 'ca-bundle', operator: ESO, expected: 'Healthy',
    spec: { refreshInterval: '1h', secretStoreRefs: [{ name: 'vault', kind: 'ClusterSecretStore' }], selector: { secret: { name: 'ca-bundle' } }, data: [{ match: { secretKey: 'ca.crt', remoteRef: { remoteKey: 'platform/ca' } } }] },
    status: () => ({ refreshTime: stamp(), syncedResourceVersion: '1-3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d', conditions: [condition('Ready', 'True', 'Synced', 'PushSecret synced successfully')] }) },
];

export async function seedStackScenarios(t) {
  await captureOperatorFixtures(t, [...certManager, ...traefik, ...kyverno, ...prometheusOperator, ...rollouts, ...externalSecrets]);
}
