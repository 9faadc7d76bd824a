/**
 * Command lines of the control-plane components, as pure functions of where files live and which ports were
 * picked. Everything listens on 127.0.0.1 only. Choices that differ from a production cluster say why.
 */
import { join } from 'node:path';
import { FAKE_NODE_ANNOTATION, FAKE_NODE_ANNOTATION_VALUE } from './kwok-stages.js';

/** Where one control plane keeps its files; every path is inside `root`. */
export interface ControlPlaneLayout {
  readonly root: string;
  readonly pkiDir: string;
  readonly logDir: string;
  readonly etcdDataDir: string;
  readonly kubeconfigPath: string;
  readonly kwokConfigPath: string;
}

export interface ControlPlanePorts {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
  readonly controllerManager: number;
  readonly scheduler: number;
  readonly kwok: number;
}

export function controlPlaneLayout(root: string): ControlPlaneLayout {
  return {
    root,
    pkiDir: join(root, 'pki'),
    logDir: join(root, 'logs'),
    etcdDataDir: join(root, 'etcd'),
    kubeconfigPath: join(root, 'admin.kubeconfig'),
    kwokConfigPath: join(root, 'kwok.yaml'),
  };
}

/** Files under pkiDir, written by the control plane before any component starts. */
export const pkiFiles = (layout: ControlPlaneLayout) => ({
  caCert: join(layout.pkiDir, 'ca.crt'),
  caKey: join(layout.pkiDir, 'ca.key'),
  servingCert: join(layout.pkiDir, 'apiserver.crt'),
  servingKey: join(layout.pkiDir, 'apiserver.key'),
  serviceAccountKey: join(layout.pkiDir, 'service-account.key'),
  serviceAccountPublicKey: join(layout.pkiDir, 'service-account.pub'),
  frontProxyCert: join(layout.pkiDir, 'front-proxy-client.crt'),
  frontProxyKey: join(layout.pkiDir, 'front-proxy-client.key'),
});

/** The name the API server's aggregation proxy presents; request headers are trusted only from it. */
export const FRONT_PROXY_NAME = 'front-proxy-client';

const loopback = (port: number): string => `http://127.0.0.1:${port}`;

export function etcdArgs(layout: ControlPlaneLayout, ports: ControlPlanePorts): string[] {
  return [
    '--name=launchpad',
    `--data-dir=${layout.etcdDataDir}`,
    `--listen-client-urls=${loopback(ports.etcdClient)}`,
    `--advertise-client-urls=${loopback(ports.etcdClient)}`,
    `--listen-peer-urls=${loopback(ports.etcdPeer)}`,
    `--initial-advertise-peer-urls=${loopback(ports.etcdPeer)}`,
    `--initial-cluster=launchpad=${loopback(ports.etcdPeer)}`,
    // Test data is thrown away: skipping fsync makes every write several times faster.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiserverArgs(layout: ControlPlaneLayout, ports: ControlPlanePorts): string[] {
  const pki = pkiFiles(layout);
  return [
    `--etcd-servers=${loopback(ports.etcdClient)}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${ports.apiserver}`,
    `--cert-dir=${layout.pkiDir}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    // RBAC as in real clusters, so permission mistakes show up in tests; the admin is in system:masters.
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    '--profiling=false',
    // The default reconciler would publish 127.0.0.1 as the "kubernetes" Service endpoint, which Endpoints
    // validation rejects every 10 s; nothing in a test cluster dials that Service.
    '--endpoint-reconciler-type=none',
    // Request-header authentication, so controllers' own servers and aggregated APIs work as in real clusters.
    `--requestheader-client-ca-file=${pki.caCert}`,
    `--requestheader-allowed-names=${FRONT_PROXY_NAME}`,
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki.frontProxyCert}`,
    `--proxy-client-key-file=${pki.frontProxyKey}`,
  ];
}

function kubeClientArgs(layout: ControlPlaneLayout): string[] {
  return [
    `--kubeconfig=${layout.kubeconfigPath}`,
    `--authentication-kubeconfig=${layout.kubeconfigPath}`,
    `--authorization-kubeconfig=${layout.kubeconfigPath}`,
    // One instance per control plane: no need to wait for a lease.
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
  ];
}

export function controllerManagerArgs(layout: ControlPlaneLayout, ports: ControlPlanePorts): string[] {
  const pki = pkiFiles(layout);
  return [
    ...kubeClientArgs(layout),
    `--secure-port=${ports.controllerManager}`,
    `--cert-dir=${join(layout.pkiDir, 'kube-controller-manager')}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    '--profiling=false',
  ];
}

export function schedulerArgs(layout: ControlPlaneLayout, ports: ControlPlanePorts): string[] {
  return [
    ...kubeClientArgs(layout),
    `--secure-port=${ports.scheduler}`,
    `--cert-dir=${join(layout.pkiDir, 'kube-scheduler')}`,
    '--profiling=false',
  ];
}

/** Pod and node addresses come from documentation ranges (RFC 5737): status data only, never reachable. */
export const FAKE_NODE_IP = '192.0.2.10';
export const FAKE_POD_CIDR = '198.51.100.0/24';

export function kwokArgs(layout: ControlPlaneLayout, ports: ControlPlanePorts): string[] {
  return [
    `--kubeconfig=${layout.kubeconfigPath}`,
    `--config=${layout.kwokConfigPath}`,
    `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION}=${FAKE_NODE_ANNOTATION_VALUE}`,
    '--node-lease-duration-seconds=40',
    `--node-ip=${FAKE_NODE_IP}`,
    `--cidr=${FAKE_POD_CIDR}`,
    // Without an explicit address kwok would listen on 0.0.0.0 for the node port.
    `--server-address=127.0.0.1:${ports.kwok}`,
    `--node-port=${ports.kwok}`,
  ];
}
