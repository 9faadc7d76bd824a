/**
 * What kwok does to the fake node and its Pods, as kwok `Stage` objects (kwok's own binary ships none; kwokctl
 * normally writes them). Ours are deliberately few, each the smallest step a kubelet would take:
 *   node-ready       a new node reports Ready with room for many Pods
 *   pod-running      a scheduled Pod starts: Running and Ready, with IPs from documentation ranges
 *   pod-job-succeed  a Pod owned by a Job finishes with exit code 0 (so Jobs, e.g. sync hooks, complete)
 *   pod-delete       a Pod marked for deletion is removed, as the kubelet does after its containers stop
 * The node's Lease is renewed by kwok itself (--node-lease-duration-seconds), so the node stays Ready.
 */
import { KUBERNETES_VERSION } from './binaries.js';

/** The annotation that tells our kwok to manage a node. */
export const FAKE_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
export const FAKE_NODE_ANNOTATION_VALUE = 'fake';

const nodeReady = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: node-ready
spec:
  resourceRef: {apiGroup: v1, kind: Node}
  selector:
    matchExpressions:
    - {key: '.status.conditions.[] | select(.type == "Ready") | .status', operator: NotIn, values: ['True']}
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      {{ range NodeConditions }}
      - type: {{ .type | Quote }}
        status: {{ .status | Quote }}
        reason: {{ .reason | Quote }}
        message: {{ .message | Quote }}
        lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $now | Quote }}
      {{ end }}
      addresses:
      - {type: InternalIP, address: {{ NodeIP | Quote }}}
      - {type: Hostname, address: {{ NodeName | Quote }}}
      daemonEndpoints:
        kubeletEndpoint:
          Port: {{ NodePort }}
      capacity: {cpu: "32", memory: 256Gi, pods: "250", ephemeral-storage: 1Ti}
      allocatable: {cpu: "32", memory: 256Gi, pods: "250", ephemeral-storage: 1Ti}
      nodeInfo:
        architecture: amd64
        operatingSystem: linux
        kubeletVersion: v${KUBERNETES_VERSION}
        kubeProxyVersion: v${KUBERNETES_VERSION}
        containerRuntimeVersion: {{ printf "kwok://%s" Version | Quote }}
        kernelVersion: fake
        osImage: launchpad fake node
        machineID: ""
        systemUUID: ""
        bootID: ""
      phase: Running
`;

const podRunning = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-running
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector:
    matchExpressions:
    - {key: '.metadata.deletionTimestamp', operator: DoesNotExist}
    - {key: '.status.phase', operator: In, values: [Pending]}
    - {key: '.status.conditions.[] | select(.type == "Ready") | .status', operator: NotIn, values: ['True']}
  next:
    statusTemplate: |
      {{ $now := Now }}
      phase: Running
      startTime: {{ $now | Quote }}
      conditions:
      {{ range list "PodScheduled" "Initialized" "ContainersReady" "Ready" }}
      - {type: {{ . }}, status: "True", lastTransitionTime: {{ $now | Quote }}}
      {{ end }}
      {{ range .spec.readinessGates }}
      - {type: {{ .conditionType | Quote }}, status: "True", lastTransitionTime: {{ $now | Quote }}}
      {{ end }}
      containerStatuses:
      {{ range .spec.containers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: true
        started: true
        restartCount: 0
        state: {running: {startedAt: {{ $now | Quote }}}}
      {{ end }}
      initContainerStatuses:
      {{ range .spec.initContainers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: true
        restartCount: 0
        state: {terminated: {exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }}}}
      {{ end }}
      hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
      hostIPs: [{ip: {{ NodeIPWith .spec.nodeName | Quote }}}]
      {{ $podIP := PodIPWith .spec.nodeName (or .spec.hostNetwork false) (or .metadata.uid "") (or .metadata.name "") (or .metadata.namespace "") }}
      podIP: {{ $podIP | Quote }}
      podIPs: [{ip: {{ $podIP | Quote }}}]
`;

const podJobSucceed = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-job-succeed
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector:
    matchExpressions:
    - {key: '.metadata.deletionTimestamp', operator: DoesNotExist}
    - {key: '.status.phase', operator: In, values: [Running]}
    - {key: '.metadata.ownerReferences.[].kind', operator: In, values: [Job]}
  next:
    statusTemplate: |
      {{ $now := Now }}
      phase: Succeeded
      conditions:
      {{ range list "ContainersReady" "Ready" }}
      - {type: {{ . }}, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }}}
      {{ end }}
      containerStatuses:
      {{ range .spec.containers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: false
        started: false
        restartCount: 0
        state: {terminated: {exitCode: 0, reason: Completed, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }}}}
      {{ end }}
`;

const podDelete = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-delete
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector:
    matchExpressions:
    - {key: '.metadata.deletionTimestamp', operator: Exists}
  next:
    delete: true
`;

/** The kwok configuration file (multi-document YAML) with our stages. */
export function renderKwokStages(): string {
  return [nodeReady, podRunning, podJobSucceed, podDelete].join('---\n');
}

/** The fake Node object the control plane registers for kwok to manage. */
export function fakeNode(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [FAKE_NODE_ANNOTATION]: FAKE_NODE_ANNOTATION_VALUE, 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
    },
    spec: {},
  };
}
