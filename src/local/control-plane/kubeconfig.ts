/** The admin kubeconfig of a test control plane: one cluster, one user (a client certificate), one context. */
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** e.g. https://127.0.0.1:34567 */
  readonly server: string;
  readonly caPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
  /** Cluster, user and context name. @default 'launchpad-test' */
  readonly name?: string;
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The kubeconfig YAML, credentials embedded so the file stands on its own. */
export function renderKubeconfig(options: KubeconfigOptions): string {
  const name = options.name ?? 'launchpad-test';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: options.server, 'certificate-authority-data': base64(options.caPem) } }],
    users: [{ name, user: { 'client-certificate-data': base64(options.clientCertPem), 'client-key-data': base64(options.clientKeyPem) } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
