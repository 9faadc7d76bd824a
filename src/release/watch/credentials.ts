/**
 * Where a watch's registry credentials come from: a `kubernetes.io/dockerconfigjson` Secret read through the
 * kubeconfig (as Argo CD Image Updater reads pull secrets), else the docker config (`credentials.dockerConfig`, or
 * the user's). The Secret wins for the hosts it names.
 */
import { readFile } from 'node:fs/promises';
import { LaunchpadError } from '../../errors.js';
import { createKubeClient } from '../../kube/index.js';
import type { KubeClientOptions } from '../../kube/index.js';
import { lookupCredentials, parseDockerConfig, readDefaultDockerConfig } from './docker-config.js';
import type { DockerConfig, RegistryCredentials } from './docker-config.js';
import type { WatchConfig } from './config.js';

export type CredentialLookup = (host: string) => Promise<RegistryCredentials | undefined>;

async function secretConfig(secret: { readonly namespace: string; readonly name: string }, kube: KubeClientOptions): Promise<DockerConfig> {
  const client = await createKubeClient(kube);
  const object = await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: secret.namespace, name: secret.name });
  const subject = `Secret/${secret.namespace}/${secret.name}`;
  if (object === undefined) throw new LaunchpadError(`${subject} not found`, { fix: 'create the pull Secret (kubectl create secret docker-registry …) or fix credentials.secret' });
  const data = (object as { data?: Record<string, string> }).data ?? {};
  const encoded = data['.dockerconfigjson'] ?? data['.dockercfg'];
  if (encoded === undefined) throw new LaunchpadError(`${subject} has no .dockerconfigjson`, { fix: 'use a Secret of type kubernetes.io/dockerconfigjson' });
  const parsed = parseDockerConfig(Buffer.from(encoded, 'base64').toString('utf8'), subject);
  // A legacy .dockercfg is the auths object itself.
  return data['.dockerconfigjson'] === undefined ? { auths: parsed as Record<string, never> } : parsed;
}

export async function credentialLookup(config: WatchConfig, kube: KubeClientOptions): Promise<CredentialLookup> {
  const docker = config.dockerConfig === undefined ? await readDefaultDockerConfig() : parseDockerConfig(await readFile(config.dockerConfig, 'utf8'), config.dockerConfig);
  const fromSecret = config.secret === undefined ? undefined : await secretConfig(config.secret, kube);
  return async (host) => (fromSecret === undefined ? undefined : await lookupCredentials(fromSecret, host)) ?? lookupCredentials(docker, host);
}
