/**
 * The generators' view of the cluster inside `launchpad controller`: cluster Secrets from the add-on's informer,
 * token Secrets and ConfigMaps read when asked, duck-typed resources listed through discovery, and git through the
 * source layer (launchpad.yaml substitutions, the shared cache, repository credentials from labelled Secrets).
 */
import { LaunchpadError } from '../../errors.js';
import type { KubeClient } from '../../kube/types.js';
import type { KubeObject } from '../../model/resource.js';
import { isPlainObject } from '../../model/values.js';
import type { LaunchpadConfig } from '../../source/config.js';
import { CredentialStore } from '../../source/credentials.js';
import { createSourceResolver } from '../../source/index.js';
import type { GeneratorContext } from '../context.js';
import { secretField } from '../generators/clusters.js';
import { gitTrees } from '../git-tree.js';
import { REPOSITORY_SECRETS_SELECTOR } from '../../controller/clusters.js';

export interface ClusterContextOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly clusterSecrets: () => readonly KubeObject[];
  readonly config?: LaunchpadConfig;
  readonly cacheDir?: string;
  readonly offline?: boolean;
}

/** A context for one round of generation: git revisions resolve once per round, so every round sees new commits. */
export async function clusterGeneratorContext(options: ClusterContextOptions): Promise<GeneratorContext> {
  const { client, namespace } = options;
  const secrets = await client.list('v1', 'Secret', { namespace, labelSelector: REPOSITORY_SECRETS_SELECTOR });
  const resolver = createSourceResolver({
    credentials: new CredentialStore(secrets),
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.offline === undefined ? {} : { offline: options.offline }),
  });
  return {
    namespace,
    offline: false,
    clusterSecrets: () => Promise.resolve(options.clusterSecrets()),
    git: gitTrees(resolver, options.offline === true),
    async secretValue(name, key) {
      const secret = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace, name });
      const value = secret === undefined ? undefined : secretField(secret, key);
      if (value === undefined) throw new LaunchpadError(`Secret ${namespace}/${name} has no key "${key}"`, { fix: 'create the Secret named by tokenRef in the ApplicationSet\'s namespace' });
      return value.trim();
    },
    async configMap(name) {
      const map = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
      return map === undefined ? undefined : (isPlainObject(map.data) ? map.data as Record<string, string> : {});
    },
    async listResources(apiVersion, resource, labelSelector) {
      const group = apiVersion.slice(0, apiVersion.indexOf('/'));
      const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
      const all = (await client.apiResources?.()) ?? [];
      const info = all.find((entry) => entry.group === group && entry.version === version && (entry.resource === resource || entry.kind === resource));
      if (info === undefined) throw new LaunchpadError(`failed to get dynamic resources: the API server serves no ${resource} in ${apiVersion}`, { fix: 'install the CRD, or fix apiVersion/kind in the generator\'s ConfigMap' });
      return client.list(apiVersion, info.kind, { namespace, ...(labelSelector === undefined ? {} : { labelSelector }) });
    },
  };
}
