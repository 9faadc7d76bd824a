/**
 * Destination clusters, as Argo CD knows them: the controller's own cluster (`https://kubernetes.default.svc`, name
 * `in-cluster`) and one per Secret labelled `argocd.argoproj.io/secret-type: cluster` in the controller's namespace
 * (`name`, `server`, `config` JSON with `bearerToken`, `username`/`password`, `tlsClientConfig`). Each cluster gets
 * one API client and one live cache, created when an application first deploys there. Credentials go from the Secret
 * to the HTTP layer and nowhere else: never into a log, an error or a status.
 */
import { describeError } from '../errors.js';
import { discoverCapabilities } from '../kube/capabilities.js';
import type { ClusterCapabilities } from '../kube/capabilities.js';
import { createKubeClient } from '../kube/client.js';
import { KubeConfig } from '../kube/kubeconfig-model.js';
import type { KubeClient } from '../kube/types.js';
import type { ApplicationDestination } from '../model/application.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';
import type { Informer } from './informer.js';
import { LiveCache } from './live-cache.js';
import type { LiveChange } from './live-cache.js';
import type { ClusterHandle } from './services.js';
import type { Tracking } from '../settings/tracking.js';

export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
export const IN_CLUSTER_NAME = 'in-cluster';
export const CLUSTER_SECRET_LABEL = 'argocd.argoproj.io/secret-type';
/** Argo CD's cluster Secrets, as every part of the process selects them (one shared watch). */
export const CLUSTER_SECRETS_SELECTOR = `${CLUSTER_SECRET_LABEL}=cluster`;
/** Argo CD's repository and repository-credential Secrets. */
export const REPOSITORY_SECRETS_SELECTOR = `${CLUSTER_SECRET_LABEL} in (repository,repo-creds)`;

/** A cluster Secret, decoded; `config` holds the credentials and is only handed to the client. */
export interface ClusterSecret {
  readonly secretName: string;
  readonly name: string;
  readonly server: string;
  readonly config: ClusterConfig;
}

export interface ClusterConfig {
  readonly bearerToken?: string;
  readonly username?: string;
  readonly password?: string;
  readonly tlsClientConfig?: { readonly insecure?: boolean; readonly caData?: string; readonly certData?: string; readonly keyData?: string; readonly serverName?: string };
}

function decode(data: unknown, key: string): string | undefined {
  if (!isPlainObject(data)) return undefined;
  const value = data[key];
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

/** Reads a cluster Secret; a string says why it cannot be used (without quoting any credential). */
export function readClusterSecret(secret: KubeObject): ClusterSecret | string {
  const secretName = secret.metadata.name ?? '';
  const server = decode(secret.data, 'server') ?? (isPlainObject(secret.stringData) && typeof secret.stringData.server === 'string' ? secret.stringData.server : undefined);
  if (server === undefined || server === '') return `cluster Secret ${secretName} has no "server"`;
  const name = decode(secret.data, 'name') ?? server;
  const rawConfig = decode(secret.data, 'config') ?? '{}';
  let config: unknown;
  try {
    config = JSON.parse(rawConfig);
  } catch {
    return `cluster Secret ${secretName}: "config" is not JSON`;
  }
  if (!isPlainObject(config)) return `cluster Secret ${secretName}: "config" must be a JSON object`;
  const decoded: ClusterConfig = config;
  return { secretName, name, server: server.replace(/\/+$/, ''), config: decoded };
}

/** A kubeconfig in memory for a cluster Secret: the only place its credentials go. */
export function kubeConfigOf(cluster: ClusterSecret): KubeConfig {
  const tls = cluster.config.tlsClientConfig ?? {};
  return new KubeConfig({
    clusters: [{ name: cluster.name, server: cluster.server, skipTLSVerify: tls.insecure === true, ...(tls.caData === undefined ? {} : { caData: tls.caData }), ...(tls.serverName === undefined ? {} : { tlsServerName: tls.serverName }) }],
    users: [{
      name: 'launchpad',
      ...(cluster.config.bearerToken === undefined ? {} : { token: cluster.config.bearerToken }),
      ...(cluster.config.username === undefined ? {} : { username: cluster.config.username, password: cluster.config.password ?? '' }),
      ...(tls.certData === undefined ? {} : { certData: tls.certData }),
      ...(tls.keyData === undefined ? {} : { keyData: tls.keyData }),
    }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: 'launchpad' }],
    currentContext: cluster.name,
  });
}

export interface ClusterRegistryOptions {
  /** The controller's own cluster. */
  readonly inCluster: KubeClient;
  /** Wraps each client made for a cluster Secret (request metrics). @default as it is */
  readonly wrap?: (client: KubeClient) => KubeClient;
  /** Cluster Secrets in the controller's namespace. */
  readonly secrets: Informer;
  readonly signal: AbortSignal;
  readonly onChange: (server: string, change: LiveChange) => void;
  readonly log: (message: string) => void;
  /** How objects name their application (argocd-cm's tracking method). @default annotation */
  readonly tracking?: () => Tracking;
}

/** How long a cluster's discovered capabilities are reused before the API server is asked again (new CRDs count). */
export const CAPABILITIES_TTL_MS = 30_000;

export class ClusterRegistry {
  private readonly handles = new Map<string, Promise<ClusterHandle>>();
  private readonly capabilityCache = new Map<string, { readonly at: number; readonly value: Promise<ClusterCapabilities> }>();
  private readonly secretVersions = new Map<string, string>();
  private readonly stops = new Map<string, AbortController>();

  constructor(private readonly options: ClusterRegistryOptions) {}

  /** Every cluster in use, for metrics. */
  async inUse(): Promise<ClusterHandle[]> {
    return Promise.all(this.handles.values());
  }

  /** The cluster a destination names (server wins over name, as Argo CD), or why there is none. */
  async resolve(destination: ApplicationDestination): Promise<ClusterHandle | { readonly error: string }> {
    const server = destination.server?.replace(/\/+$/, '');
    const wanted = server !== undefined && server !== '' ? { server } : { name: destination.name ?? '' };
    if (wanted.server === IN_CLUSTER_SERVER || (wanted.server === undefined && wanted.name === IN_CLUSTER_NAME)) return this.handle(IN_CLUSTER_SERVER, IN_CLUSTER_NAME, undefined);
    const secrets = this.options.secrets.list().map(readClusterSecret);
    this.retireRemoved(secrets);
    const found = secrets.find((entry): entry is ClusterSecret => typeof entry !== 'string' && (wanted.server === undefined ? entry.name === wanted.name : entry.server === wanted.server));
    if (found === undefined) {
      const known = [IN_CLUSTER_NAME, ...secrets.flatMap((entry) => (typeof entry === 'string' ? [] : [`${entry.name} (${entry.server})`]))].join(', ');
      return { error: `cluster ${wanted.server ?? `named "${wanted.name}"`} is not known to Launchpad (known: ${known}); add it with "launchpad cluster add" or a cluster Secret` };
    }
    // A cluster whose credentials the API server refuses (or that cannot be reached) is reported, not used.
    return this.handle(found.server, found.name, found).catch((error: unknown) => ({ error: `cluster "${found.name}" (${found.server}) of cluster Secret ${found.secretName} cannot be used: ${describeError(error)}` }));
  }

  /**
   * The destination cluster's version and API versions, as Argo CD's controller sends them to the repo-server for
   * helm; undefined when the destination is not a usable cluster (that error is reported where the app is compared).
   */
  async capabilities(destination: ApplicationDestination): Promise<ClusterCapabilities | undefined> {
    const handle = await this.resolve(destination);
    if ('error' in handle) return undefined;
    const cached = this.capabilityCache.get(handle.server);
    if (cached !== undefined && Date.now() - cached.at < CAPABILITIES_TTL_MS) return cached.value;
    const value = discoverCapabilities(handle.client);
    this.capabilityCache.set(handle.server, { at: Date.now(), value });
    // A failed discovery is not kept: the next render asks again.
    value.catch(() => {
      if (this.capabilityCache.get(handle.server)?.value === value) this.capabilityCache.delete(handle.server);
    });
    return value;
  }

  private handle(server: string, name: string, secret: ClusterSecret | undefined): Promise<ClusterHandle> {
    const version = secret === undefined ? '' : (this.options.secrets.get(secret.secretName)?.metadata.resourceVersion as string | undefined) ?? '';
    // A Secret that changed (rotated credentials) gets a new client and live cache; the old cache stops watching.
    if (this.secretVersions.get(server) !== version) this.retire(server);
    let found = this.handles.get(server);
    if (found === undefined) {
      this.secretVersions.set(server, version);
      const stop = new AbortController();
      this.stops.set(server, stop);
      const created = this.create(server, name, secret, AbortSignal.any([this.options.signal, stop.signal]));
      this.handles.set(server, created);
      created.catch(() => {
        if (this.handles.get(server) === created) this.retire(server);
      });
      found = created;
    }
    return found;
  }

  /** Forgets a cluster's client and ends its live cache's watches (credentials replaced, Secret deleted). */
  private retire(server: string): void {
    this.capabilityCache.delete(server);
    this.stops.get(server)?.abort();
    this.stops.delete(server);
    this.handles.delete(server);
  }

  /** Clusters whose Secret is gone are retired: nothing keeps watching them with credentials no longer configured. */
  private retireRemoved(secrets: readonly (ClusterSecret | string)[]): void {
    const servers = new Set(secrets.flatMap((entry) => (typeof entry === 'string' ? [] : [entry.server])));
    for (const server of [...this.handles.keys()]) if (server !== IN_CLUSTER_SERVER && !servers.has(server)) this.retire(server);
  }

  private async create(server: string, name: string, secret: ClusterSecret | undefined, signal: AbortSignal): Promise<ClusterHandle> {
    const wrap = this.options.wrap ?? ((made: KubeClient): KubeClient => made);
    const client = secret === undefined ? this.options.inCluster : wrap(await createKubeClient({ inMemory: { config: kubeConfigOf(secret), source: `cluster Secret ${secret.secretName}` } }));
    // Discovery first: refused credentials or an unreachable server fail here, not as "every resource is Missing".
    if (secret !== undefined) {
      await client.resourceFor('v1', 'Namespace').catch((error: unknown) => {
        client.close?.();
        throw error;
      });
    }
    const cache = new LiveCache({ client, signal, onChange: (change) => { this.options.onChange(server, change); }, log: this.options.log, ...(this.options.tracking === undefined ? {} : { tracking: this.options.tracking }) });
    return { server, name, client, cache };
  }
}
