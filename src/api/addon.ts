/**
 * The API and UI server as a controller add-on: its routes (registered on `--listen` before anything starts, in
 * their own Fastify scope) and, once this process leads, the watches they read from. Until then — and on a standby,
 * which the Service does not send requests to (it selects the leader's Pod by label, see controller/leader-pod-label.ts) —
 * the API answers 503.
 */
import type { FastifyInstance } from 'fastify';
import type { AddonContext, ControllerAddon } from '../controller/addon.js';
import { informersFor } from '../controller/shared-informers.js';
import { describeError } from '../errors.js';
import type { LaunchpadConfig } from '../source/config.js';
import { Access } from './access.js';
import { AuditLog } from './audit.js';
import { ARGOCD_SECRET, SERVER_SECRET_KEY, ensureAdminAccount } from './auth/accounts.js';
import { OidcClient } from './auth/oidc.js';
import { SessionSigner } from './auth/session.js';
import { ApiClusters } from './clusters.js';
import { ConfigReader, stringData } from './config-reader.js';
import { DesiredState } from './desired.js';
import { setupHttp } from './http.js';
import { accountRoutes } from './routes/account.js';
import { actionRoutes } from './routes/actions.js';
import { applicationRoutes } from './routes/applications.js';
import { sessionRoutes } from './routes/session.js';
import { resourceRoutes } from './routes/resource.js';
import { settingsRoutes } from './routes/settings.js';
import { defaultUiDir, staticRoutes } from './routes/static.js';
import { streamRoutes } from './routes/stream.js';
import { RuntimeHolder } from './runtime.js';
import type { ApiShared } from './runtime.js';
import { ApiStore } from './store.js';

export interface ApiAddonOptions {
  /** launchpad.yaml (repository substitutions) for desired manifests and diffs, as the controller renders. */
  readonly config?: LaunchpadConfig;
  readonly cacheDir?: string;
  readonly offline?: boolean;
  /** Login attempts per client address per minute. @default 10 */
  readonly loginRateLimit?: number;
  /** The built UI to serve at `/`. @default dist/ui */
  readonly uiDir?: string;
}

export class ApiAddon implements ControllerAddon {
  readonly name = 'api';
  private readonly holder = new RuntimeHolder();
  private readonly shared: ApiShared;
  private clusters: ApiClusters | undefined;

  constructor(private readonly options: ApiAddonOptions = {}) {
    const holder = this.holder;
    this.shared = { audit: new AuditLog(), signer: new SessionSigner(), oidc: new OidcClient(), loginRateLimit: options.loginRateLimit ?? 10, runtime: () => holder.get() };
  }

  routes(app: FastifyInstance): void {
    void app.register(async (scope) => {
      await setupHttp(scope, this.shared);
      sessionRoutes(scope, this.shared);
      applicationRoutes(scope, this.shared);
      resourceRoutes(scope, this.shared);
      actionRoutes(scope, this.shared);
      accountRoutes(scope, this.shared);
      settingsRoutes(scope, this.shared);
      streamRoutes(scope, this.shared);
      scope.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, () => scope.swagger());
      await staticRoutes(scope, this.options.uiDir ?? defaultUiDir());
    });
  }

  async start(context: AddonContext): Promise<void> {
    const { client, namespace, log } = context;
    this.shared.audit.attach(log);
    // Two API servers starting at once: one generates, the other's write conflicts and it reads what was made.
    const made = await ensureAdminAccount(client, namespace).catch(async (error: unknown) => {
      log.warn({}, `admin account: ${describeError(error)}; reading it again`);
      return ensureAdminAccount(client, namespace);
    });
    if (made.generated) log.info({}, 'generated the admin password: see it with "launchpad admin password"');
    const settings = new ConfigReader(client, namespace);
    const key = stringData(await settings.secret(ARGOCD_SECRET))[SERVER_SECRET_KEY];
    if (key === undefined) throw new Error(`${ARGOCD_SECRET} has no ${SERVER_SECRET_KEY}`);
    this.shared.signer.setKey(key);
    const store = new ApiStore(namespace);
    await store.start(informersFor(context), context.signal);
    this.clusters = new ApiClusters(client, store);
    const desired = new DesiredState({
      repositorySecrets: () => store.repositorySecrets(),
      ...(this.options.config === undefined ? {} : { config: this.options.config }),
      ...(this.options.cacheDir === undefined ? {} : { cacheDir: this.options.cacheDir }),
      ...(this.options.offline === undefined ? {} : { offline: this.options.offline }),
    });
    const access = new Access(settings, (message) => { log.error({}, `argocd-rbac-cm: ${message}`); });
    this.holder.set({ client, namespace, store, settings, access, clusters: this.clusters, desired, log });
  }

  stop(): Promise<void> {
    this.holder.set(undefined);
    this.clusters?.close();
    return Promise.resolve();
  }
}
