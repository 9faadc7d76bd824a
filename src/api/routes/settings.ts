/**
 * Projects, clusters and repositories, read-only. Clusters and repositories come from their Secrets, and only what
 * names them leaves: never a password, token, key or kubeconfig (`hasCredentials` says whether there are some).
 * Each list holds only what the caller may `get` (`projects`/`clusters`/`repositories` RBAC, object = name or URL).
 */
import type { FastifyInstance } from 'fastify';
import { readClusterSecret } from '../../controller/clusters.js';
import type { KubeObject } from '../../model/resource.js';
import { stringData } from '../config-reader.js';
import { identityOf } from '../http.js';
import type { ApiShared } from '../runtime.js';
import { S } from '../schemas.js';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../../controller/clusters.js';

const CREDENTIAL_KEYS = ['password', 'sshPrivateKey', 'tlsClientCertKey', 'githubAppPrivateKey', 'bearerToken', 'gcpServiceAccountKey'];

function repository(secret: KubeObject): Record<string, unknown> {
  const data = stringData(secret);
  const labels = secret.metadata.labels ?? {};
  return {
    url: data.url ?? '', type: data.type ?? 'git', name: data.name ?? '', project: data.project ?? '', secretName: secret.metadata.name ?? '',
    template: labels['argocd.argoproj.io/secret-type'] === 'repo-creds', hasCredentials: CREDENTIAL_KEYS.some((key) => (data[key] ?? '') !== ''),
  };
}

export function settingsRoutes(app: FastifyInstance, shared: ApiShared): void {
  app.get('/api/v1/projects', { schema: { tags: ['settings'], summary: 'AppProjects', response: { 200: S.projects } } }, async (request) => {
    const runtime = shared.runtime();
    const identity = identityOf(request);
    const { enforcer } = await runtime.access.rbacConfig();
    const items = runtime.store.projectList().filter((project) => enforcer.enforce({ name: identity.sub, groups: identity.groups }, 'projects', 'get', project.metadata.name ?? ''));
    return { items: items.map((project) => ({ metadata: { name: project.metadata.name, namespace: project.metadata.namespace, labels: project.metadata.labels ?? {} }, spec: project.spec ?? {} })) };
  });

  app.get('/api/v1/clusters', { schema: { tags: ['settings'], summary: 'clusters (the in-cluster one and cluster Secrets), without credentials', response: { 200: S.clusters } } }, async (request) => {
    const runtime = shared.runtime();
    const identity = identityOf(request);
    const { enforcer } = await runtime.access.rbacConfig();
    const secrets = runtime.store.clusterSecrets().map(readClusterSecret).flatMap((entry) => (typeof entry === 'string' ? [] : [{
      name: entry.name, server: entry.server, secretName: entry.secretName,
      authentication: entry.config.bearerToken !== undefined ? 'bearer token' : entry.config.username !== undefined ? 'basic' : entry.config.tlsClientConfig?.certData !== undefined ? 'client certificate' : 'none',
    }]));
    const all = [{ name: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER, secretName: '', authentication: 'service account' }, ...secrets];
    return { items: all.filter((cluster) => enforcer.enforce({ name: identity.sub, groups: identity.groups }, 'clusters', 'get', cluster.server)) };
  });

  app.get('/api/v1/repositories', { schema: { tags: ['settings'], summary: 'repositories and credential templates, without credentials', response: { 200: S.repositories } } }, async (request) => {
    const runtime = shared.runtime();
    const identity = identityOf(request);
    const { enforcer } = await runtime.access.rbacConfig();
    const items = runtime.store.repositorySecrets().map(repository);
    return { items: items.filter((item) => enforcer.enforce({ name: identity.sub, groups: identity.groups }, 'repositories', 'get', String(item.url))) };
  });
}
