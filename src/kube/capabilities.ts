/**
 * A cluster's capabilities as Argo CD's controller reads them for the repo-server: the server's version (`/version`
 * gitVersion, vendor suffix dropped, `v` kept: `v1.29.4-gke.1200` → `v1.29.4`) and the API versions it serves.
 */
import type { KubeClient, ResourceInfo } from './types.js';

export interface ClusterCapabilities {
  readonly kubeVersion: string;
  /** Undefined when the client cannot list what the server serves (then the next layer's list is used). */
  readonly apiVersions?: readonly string[];
}

const VERSION_NUMBERS = /^\s*v?([0-9]+(?:\.[0-9]+)+)/;

/**
 * Every `group/version` and `group/version/Kind` of the resources the cluster serves that can be listed and watched
 * (the ones Argo CD's cluster cache keeps), core as `v1` and `v1/Pod`, sorted.
 */
export function apiVersionsOf(resources: Iterable<Pick<ResourceInfo, 'group' | 'version' | 'kind' | 'verbs'>>): string[] {
  const found = new Set<string>();
  for (const resource of resources) {
    const verbs = resource.verbs.map((verb) => verb.toLowerCase());
    if (!verbs.includes('list') || !verbs.includes('watch')) continue;
    const groupVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
    found.add(groupVersion);
    found.add(`${groupVersion}/${resource.kind}`);
  }
  return [...found].sort();
}

/** `v` + major.minor.patch of a gitVersion; the text as it is when it holds no version. */
export function serverVersionOf(gitVersion: string): string {
  const numbers = VERSION_NUMBERS.exec(gitVersion)?.[1];
  return numbers === undefined ? gitVersion : `v${numbers.split('.').map((part) => String(Number(part))).join('.')}`;
}

/** Asks the API server now (discovery is read afresh: CRDs installed since the last look count). */
export async function discoverCapabilities(client: KubeClient): Promise<ClusterCapabilities> {
  client.invalidateDiscovery();
  const [gitVersion, resources] = await Promise.all([client.serverVersion(), client.apiResources?.()]);
  return { kubeVersion: serverVersionOf(gitVersion), ...(resources === undefined ? {} : { apiVersions: apiVersionsOf(resources) }) };
}
