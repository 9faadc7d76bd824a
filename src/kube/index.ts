/** Cluster access: kubeconfig loading and the KubeClient over a real API server. This file only re-exports. */
export type * from './types.js';
export { createKubeClient, DEFAULT_FIELD_MANAGER } from './client.js';
export type { KubeClientOptions } from './client.js';
export { loadKubeconfig, readKubeconfigFile, SERVICE_ACCOUNT_DIR } from './kubeconfig.js';
export type { LoadKubeconfigOptions, LoadedKubeconfig } from './kubeconfig.js';
export { KubeConfig } from './kubeconfig-model.js';
export type { Cluster as KubeconfigCluster, Context as KubeconfigContext, ExecConfig as KubeconfigExec, KubeConfigOptions, User as KubeconfigUser } from './kubeconfig-model.js';
