/**
 * The destination clusters the API reads live objects from: the in-cluster client, or a client made from the cluster
 * Secret that names the destination (kept while that Secret's resourceVersion holds). Unlike the controller's
 * registry nothing is watched: the API reads live objects only when a resource tree, manifest or diff is asked for.
 */
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER, kubeConfigOf, readClusterSecret } from '../controller/clusters.js';
import type { ClusterSecret } from '../controller/clusters.js';
import { createKubeClient } from '../kube/client.js';
import type { KubeClient } from '../kube/types.js';
import type { KubeObject } from '../model/resource.js';
import { ApiError } from './errors.js';

export interface Destination {
  readonly server?: string;
  readonly name?: string;
}

/** Where the cluster Secrets come from: the API's watch, or one list read by a CLI command. */
export interface ClusterSecretSource {
  clusterSecrets(): KubeObject[];
}

export class ApiClusters {
  private readonly clients = new Map<string, { readonly version: string; readonly client: Promise<KubeClient> }>();

  constructor(private readonly inCluster: KubeClient, private readonly store: ClusterSecretSource) {}

  /** The cluster Secrets as readable entries (unusable ones left out). */
  known(): ClusterSecret[] {
    return this.store.clusterSecrets().map(readClusterSecret).filter((entry): entry is ClusterSecret => typeof entry !== 'string');
  }

  /** The client for a destination; an ApiError naming the clusters there are when none matches. */
  async clientFor(destination: Destination): Promise<KubeClient> {
    const server = destination.server?.replace(/\/+$/, '');
    if (server === IN_CLUSTER_SERVER || ((server === undefined || server === '') && (destination.name ?? IN_CLUSTER_NAME) === IN_CLUSTER_NAME)) return this.inCluster;
    const found = this.known().find((entry) => (server !== undefined && server !== '' ? entry.server === server : entry.name === destination.name));
    if (found === undefined) throw new ApiError(404, `cluster ${server ?? `named "${destination.name ?? ''}"`} is not known`, 'add it with "launchpad cluster add" or a cluster Secret');
    const rv = this.store.clusterSecrets().find((secret) => secret.metadata.name === found.secretName)?.metadata.resourceVersion;
    const version = typeof rv === 'string' ? rv : '';
    const cached = this.clients.get(found.server);
    if (cached?.version === version) return cached.client;
    void cached?.client.then((client) => { client.close?.(); }, () => undefined);
    const client = createKubeClient({ inMemory: { config: kubeConfigOf(found), source: `cluster Secret ${found.secretName}` } });
    this.clients.set(found.server, { version, client });
    client.catch(() => { if (this.clients.get(found.server)?.client === client) this.clients.delete(found.server); });
    return client;
  }

  close(): void {
    for (const { client } of this.clients.values()) void client.then((made) => { made.close?.(); }, () => undefined);
    this.clients.clear();
  }
}
