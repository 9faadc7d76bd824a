/**
 * The kubeconfig's entries as Launchpad keeps them after parsing (kubeconfig-model.ts reads them, and
 * kubeconfig-credentials.ts turns a user and its cluster into request credentials). Plain data, no behaviour.
 */
export interface Cluster {
  readonly name: string;
  /** The API server URL; empty when the kubeconfig gives none (refused when the cluster is selected). */
  readonly server: string;
  /** `certificate-authority-data`: base64 of the PEM bundle; wins over `caFile`. */
  readonly caData?: string;
  /** `certificate-authority`: an absolute path once loaded from a file. */
  readonly caFile?: string;
  readonly skipTLSVerify: boolean;
  readonly tlsServerName?: string;
  /** `proxy-url`: recorded so that selecting the cluster can refuse it. */
  readonly proxyUrl?: string;
  /** The `client.authentication.k8s.io/exec` extension, handed to exec plugins with provideClusterInfo. */
  readonly execExtension?: unknown;
}

export interface ExecConfig {
  /** `client.authentication.k8s.io/v1` or `client.authentication.k8s.io/v1beta1`. */
  readonly apiVersion: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  /** `Never`, `IfAvailable` or `Always`; Launchpad never has a terminal to offer. */
  readonly interactiveMode?: string;
  readonly provideClusterInfo: boolean;
  readonly installHint?: string;
}

export interface User {
  readonly name: string;
  /** `client-certificate-data` / `client-key-data`: base64 PEM; win over the files. */
  readonly certData?: string;
  readonly certFile?: string;
  readonly keyData?: string;
  readonly keyFile?: string;
  readonly token?: string;
  /** Re-read at most once a minute: projected service-account tokens rotate. */
  readonly tokenFile?: string;
  readonly username?: string;
  readonly password?: string;
  readonly exec?: ExecConfig;
  /** The name of an `auth-provider` (its config, which holds tokens, is not kept); refused when selected. */
  readonly authProvider?: string;
  /** Whether `as`, `as-groups`, `as-uid` or `as-user-extra` is set; refused when selected. */
  readonly impersonates?: boolean;
}

export interface Context {
  readonly name: string;
  readonly cluster: string;
  readonly user?: string;
  readonly namespace?: string;
}

export interface KubeConfigOptions {
  readonly clusters: readonly Cluster[];
  readonly users: readonly User[];
  readonly contexts: readonly Context[];
  readonly currentContext?: string;
}
