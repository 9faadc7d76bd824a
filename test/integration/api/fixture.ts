/**
 * The world the API tests share: a real control plane (tier 2, so Deployments get ReplicaSets and Pods), a git
 * repository, the controller with the API add-on on 127.0.0.1, an OIDC provider, local accounts and an RBAC policy,
 * and a logger that keeps every line (audit lines are asserted on).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { ApiAddon } from '../../../src/api/addon.js';
import type { RunningController } from '../../../src/cli/commands/controller.js';
import { runController } from '../../../src/cli/commands/controller.js';
import type { Logger } from '../../../src/controller/services.js';
import { waitEstablished } from '../../../src/install/apply.js';
import { crdManifests } from '../../../src/install/crds.js';
import { createKubeClient } from '../../../src/kube/index.js';
import type { KubeClient } from '../../../src/kube/types.js';
import type { KubeObject } from '../../../src/model/resource.js';
import type { ControlPlane, GitFixture } from '../../../src/testing/index.js';
import { createGitRepo, eventually, startControlPlane } from '../../../src/testing/index.js';
import type { OidcServer } from './oidc-server.js';
import { startOidcServer } from './oidc-server.js';

export const NS = 'argocd';
/** Planted in a Secret an application manages: no API response may ever contain it (nor its base64). */
export const PLANTED = 'planted-S3cret-value-7f3a9c';
export const READER_PASSWORD = 'reader-password-123';

const DEPLOYMENT = (name: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: app, image: "nginx:1.27"}]\n`;
const CONFIG = (name: string, value: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  greeting: "${value}"\n`;
const SECRET = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-secret\nstringData:\n  password: "${PLANTED}"\n`;

export interface LogLine {
  readonly level: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly message: string;
}

export interface ApiWorld {
  readonly plane: ControlPlane;
  readonly client: KubeClient;
  readonly repo: GitFixture;
  readonly running: RunningController;
  readonly url: string;
  readonly oidc: OidcServer;
  readonly lines: LogLine[];
  app(name: string): Promise<KubeObject & { status?: Record<string, unknown>; operation?: unknown }>;
  stop(): Promise<void>;
}

export function application(name: string, repo: GitFixture, options: { path: string; project?: string; labels?: Record<string, string>; automated?: boolean }): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: NS, labels: options.labels ?? {} },
    spec: {
      project: options.project ?? 'default',
      source: { repoURL: repo.url, path: options.path, targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
      syncPolicy: { syncOptions: ['CreateNamespace=true'], ...(options.automated === true ? { automated: { prune: true } } : {}) },
    },
  };
}

function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (fields: Readonly<Record<string, unknown>>, message: string): void => { lines.push({ level, fields, message }); };
  return { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

async function configure(client: KubeClient, oidcIssuer: string): Promise<void> {
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await client.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace: NS }, spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] } });
  await client.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team-b', namespace: NS }, spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] } });
  await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: NS }, data: {
    'accounts.reader': 'login, apiKey',
    'accounts.ci': 'apiKey',
    'oidc.config': `name: TestSSO\nissuer: ${oidcIssuer}\nclientID: launchpad\nclientSecret: $oidc.clientSecret\nrequestedScopes: [openid, email, groups]\n`,
  } });
  await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm', namespace: NS }, data: {
    'policy.csv': [
      'p, role:team-b-syncer, applications, get, team-b/*, allow',
      'p, role:team-b-syncer, applications, sync, team-b/*, allow',
      'g, team-b-devs, role:team-b-syncer',
      'g, reader, role:readonly',
    ].join('\n'),
    scopes: '[groups, email]',
  } });
  // The reader's password, as an operator sets it (Argo CD: argocd account update-password); admin's is generated.
  await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: NS }, data: { 'accounts.reader.password': b64(bcrypt.hashSync(READER_PASSWORD, 4)), 'oidc.clientSecret': b64('oidc-client-secret') } });
}

export async function startApiWorld(): Promise<ApiWorld> {
  const plane = await startControlPlane({ tier: 2 });
  const client = await createKubeClient({ kubeconfig: plane.kubeconfigPath });
  for (const crd of crdManifests()) await client.apply(crd);
  await waitEstablished(client, crdManifests());
  const cacheDir = await mkdtemp(join(tmpdir(), 'launchpad-api-cache-'));
  const repo = await createGitRepo({ files: {
    'web/deployment.yaml': DEPLOYMENT('web'), 'web/config.yaml': CONFIG('web-config', 'hello'), 'web/secret.yaml': SECRET,
    'other/config.yaml': CONFIG('other-config', 'b'),
    'spare/config.yaml': CONFIG('spare-config', 's'),
  } });
  const lines: LogLine[] = [];
  // The OIDC provider must know the API's redirect URI before the API listens: a fixed free port is picked first.
  const port = await freePort();
  const oidc = await startOidcServer({ clientId: 'launchpad', clientSecret: 'oidc-client-secret', redirectUri: `http://127.0.0.1:${port}/auth/callback`, user: { sub: 'dev-1', email: 'dev@example.com', groups: ['team-b-devs'] } });
  await configure(client, oidc.issuer);
  const running = await runController({
    client, namespace: NS, listen: `127.0.0.1:${port}`, leaderElect: false, processors: 4, appResyncMs: 60_000, selfHealTimeoutMs: 1_000,
    webhookInsecure: false, offline: false, cacheDir, log: recordingLogger(lines), addons: [new ApiAddon({ cacheDir, loginRateLimit: 30 })],
  });
  await client.apply(application('web', repo, { path: 'web', labels: { team: 'web', tier: 'front' } }));
  await client.apply(application('other', repo, { path: 'other', project: 'team-b', labels: { team: 'b' }, automated: true }));
  await client.apply(application('spare', repo, { path: 'spare', labels: { team: 'web' }, automated: true }));
  const app = async (name: string): Promise<KubeObject & { status?: Record<string, unknown> }> =>
    (await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: NS, name })) as KubeObject & { status?: Record<string, unknown> };
  await eventually(async () => {
    const statuses = await Promise.all(['web', 'other', 'spare'].map(async (name) => (await app(name)).status));
    return statuses.every((status) => status?.reconciledAt !== undefined) ? true : undefined;
  }, { what: 'the applications to be compared', timeoutMs: 90_000, intervalMs: 250 });
  return {
    plane, client, repo, running, url: running.server.url, oidc, lines, app,
    async stop() {
      await running.stop();
      await oidc.close();
      client.close?.();
      await plane.stop();
      await repo.remove();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => { resolve(port); });
    });
  });
}

export function auditLines(lines: readonly LogLine[]): LogLine[] {
  return lines.filter((line) => line.fields.audit === true);
}
