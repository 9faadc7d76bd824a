/**
 * The controller's Deployment and Service. The pod is hardened as Kubernetes' "restricted" Pod Security Standard
 * asks: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp and a read-only root filesystem —
 * the only writable places are /tmp and the cache folder (git clones, Helm charts and renders), both emptyDirs.
 */
import type { KubeObject } from '../model/resource.js';
import { LEADER_LABEL } from '../controller/leader-pod-label.js';
import { CONTROLLER_LABELS, CONTROLLER_NAME, HTTP_PORT, SELECTOR_LABELS } from './names.js';

/** The image's user and home folder (see the Dockerfile); the cache lives under $HOME/.cache. */
export const CONTROLLER_UID = 10001;
export const CONTROLLER_HOME = '/home/launchpad';

export interface ControllerSettings {
  readonly namespace: string;
  readonly image: string;
  readonly replicas: number;
}

function fieldEnv(name: string, fieldPath: string): Record<string, unknown> {
  return { name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } };
}

function probe(path: string, periodSeconds: number): Record<string, unknown> {
  return { httpGet: { path, port: 'http' }, periodSeconds, timeoutSeconds: 5, failureThreshold: 3 };
}

function container(settings: ControllerSettings): Record<string, unknown> {
  return {
    name: 'controller',
    image: settings.image,
    imagePullPolicy: 'IfNotPresent',
    args: ['controller', '--namespace', settings.namespace, '--listen', `0.0.0.0:${HTTP_PORT}`],
    // The pod's own identity, for leader election (the Lease holder) and for Events the controller writes.
    env: [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace')],
    ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
    livenessProbe: probe('/healthz', 20),
    readinessProbe: probe('/readyz', 10),
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'cache', mountPath: `${CONTROLLER_HOME}/.cache` },
    ],
  };
}

export function deployment(settings: ControllerSettings): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: CONTROLLER_NAME, namespace: settings.namespace, labels: CONTROLLER_LABELS },
    spec: {
      replicas: settings.replicas,
      selector: { matchLabels: SELECTOR_LABELS },
      // Ready (/readyz) means "leads": at most one pod is ever Ready, so a rollout that waited for new pods to be
      // Ready before stopping old ones would wait forever. Old pods may all stop at once: on SIGTERM the leader hands
      // the Lease over, and a new pod takes it as soon as it runs.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '100%' } },
      template: {
        metadata: { labels: CONTROLLER_LABELS },
        spec: {
          serviceAccountName: CONTROLLER_NAME,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: CONTROLLER_UID,
            runAsGroup: CONTROLLER_UID,
            fsGroup: CONTROLLER_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // With two replicas (leader election), keep them on different nodes when the cluster allows it.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: SELECTOR_LABELS } } },
              ],
            },
          },
          containers: [container(settings)],
          volumes: [
            { name: 'tmp', emptyDir: {} },
            { name: 'cache', emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** In front of the leader's HTTP server: Git webhooks, the web UI and API, the add-ons' endpoints, /metrics. */
export function service(namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: CONTROLLER_NAME,
      namespace,
      labels: CONTROLLER_LABELS,
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(HTTP_PORT), 'prometheus.io/path': '/metrics' },
    },
    spec: {
      type: 'ClusterIP',
      // Only the replica holding the Lease labels its Pod so (src/controller/leader-pod-label.ts): the UI, API,
      // webhooks and cert.pem are answered from the leader's state, and a standby has none.
      selector: { ...SELECTOR_LABELS, [LEADER_LABEL]: 'true' },
      ports: [{ name: 'http', port: HTTP_PORT, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}
