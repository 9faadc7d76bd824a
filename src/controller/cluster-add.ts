/**
 * `launchpad cluster add` as `argocd cluster add` does it. In the *target* cluster (a kubeconfig context): a
 * ServiceAccount (`launchpad-manager` in kube-system), its permissions — a ClusterRole and ClusterRoleBinding with full
 * access like Argo CD's `argocd-manager-role`, or with `namespaces` a Role and RoleBinding in each of them only — and a
 * `kubernetes.io/service-account-token` Secret, which the token controller fills with a long-lived token and the
 * cluster's CA (Kubernetes ≥ 1.24 no longer makes one per ServiceAccount). A cluster without a token controller gets
 * a token from the TokenRequest API instead, valid for a year at most, and says so. Then, in the *controller's*
 * cluster, the Argo CD cluster Secret `cluster-<host>-<fnv32a(server)>` (the name Argo CD gives it) labelled
 * `argocd.argoproj.io/secret-type: cluster` with `name`, `server` and `config` (bearerToken, tlsClientConfig).
 * Everything is applied server-side, so running it again changes nothing and keeps the token. The token goes from the
 * target's API to the cluster Secret and nowhere else: never into a report line or an error.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LaunchpadError } from '../errors.js';
import { createKubeClient } from '../kube/client.js';
import { loadKubeconfig } from '../kube/kubeconfig.js';
import type { LoadedKubeconfig } from '../kube/kubeconfig.js';
import { Requester } from '../kube/requester.js';
import { Transport } from '../kube/transport.js';
import type { KubeClient, ObjectRef } from '../kube/types.js';
import { formatResourceKey, resourceKey } from '../model/resource.js';
import type { KubeObject } from '../model/resource.js';
import { isPlainObject } from '../model/values.js';
import { CLUSTER_SECRET_LABEL, CLUSTER_SECRETS_SELECTOR, IN_CLUSTER_NAME, IN_CLUSTER_SERVER, readClusterSecret } from './clusters.js';
import type { ClusterConfig, ClusterSecret } from './clusters.js';

export const DEFAULT_SERVICE_ACCOUNT = 'launchpad-manager';
export const DEFAULT_SYSTEM_NAMESPACE = 'kube-system';
export const DEFAULT_CONTROLLER_NAMESPACE = 'argocd';
/** The field manager of what `cluster add` applies, in both clusters. */
export const CLUSTER_ADD_FIELD_MANAGER = 'launchpad-cluster-add';
/** @default 30 s: the token controller fills a token Secret within a second or two. */
export const DEFAULT_TOKEN_TIMEOUT_MS = 30_000;
/** The lifetime asked of the TokenRequest API when no token controller runs (the API server may shorten it). */
export const TOKEN_REQUEST_SECONDS = 365 * 24 * 60 * 60;
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'launchpad' };

/** The names of the objects made for a ServiceAccount, as Argo CD names them for `argocd-manager`. */
export function managerNames(serviceAccount: string): { readonly role: string; readonly binding: string; readonly tokenSecret: string } {
  return { role: `${serviceAccount}-role`, binding: `${serviceAccount}-role-binding`, tokenSecret: `${serviceAccount}-long-lived-token` };
}

/** 32-bit FNV-1a of the UTF-8 bytes, as Go's hash/fnv New32a. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** Argo CD's cluster Secret name (URIToSecretName): `cluster-<host without port, lower case>-<fnv32a of the URL>`. */
export function clusterSecretName(server: string): string {
  let host: string;
  try {
    host = new URL(server).hostname;
  } catch {
    throw new LaunchpadError(`cluster server "${server}" is not a URL`, { fix: 'fix the server of the kubeconfig context' });
  }
  if (host.startsWith('[')) host = host.slice(1, -1).replaceAll(':', '-');
  return `cluster-${host.toLowerCase()}-${fnv32a(server)}`;
}

export interface ManagerPlan {
  readonly serviceAccount: string;
  readonly systemNamespace: string;
  /** Roles in these namespaces only; undefined: a ClusterRole with full access. */
  readonly namespaces?: readonly string[];
}

const FULL_ACCESS = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };

function rbacObjects(plan: ManagerPlan): KubeObject[] {
  const names = managerNames(plan.serviceAccount);
  const subjects = [{ kind: 'ServiceAccount', name: plan.serviceAccount, namespace: plan.systemNamespace }];
  const group = 'rbac.authorization.k8s.io';
  if (plan.namespaces === undefined) {
    return [
      { apiVersion: `${group}/v1`, kind: 'ClusterRole', metadata: { name: names.role, labels: MANAGED_BY }, rules: [FULL_ACCESS, { nonResourceURLs: ['*'], verbs: ['get'] }] },
      { apiVersion: `${group}/v1`, kind: 'ClusterRoleBinding', metadata: { name: names.binding, labels: MANAGED_BY }, roleRef: { apiGroup: group, kind: 'ClusterRole', name: names.role }, subjects },
    ];
  }
  return plan.namespaces.flatMap((namespace): KubeObject[] => [
    { apiVersion: `${group}/v1`, kind: 'Role', metadata: { name: names.role, namespace, labels: MANAGED_BY }, rules: [FULL_ACCESS] },
    { apiVersion: `${group}/v1`, kind: 'RoleBinding', metadata: { name: names.binding, namespace, labels: MANAGED_BY }, roleRef: { apiGroup: group, kind: 'Role', name: names.role }, subjects },
  ]);
}

/** What `cluster add` applies in the target cluster, in order: ServiceAccount, RBAC, token Secret. */
export function managerObjects(plan: ManagerPlan): KubeObject[] {
  const names = managerNames(plan.serviceAccount);
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: plan.serviceAccount, namespace: plan.systemNamespace, labels: MANAGED_BY } },
    ...rbacObjects(plan),
    {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
      metadata: { name: names.tokenSecret, namespace: plan.systemNamespace, labels: MANAGED_BY, annotations: { [SERVICE_ACCOUNT_NAME_ANNOTATION]: plan.serviceAccount } },
    },
  ];
}

export interface ClusterSecretSpec {
  readonly namespace: string;
  readonly secretName: string;
  readonly name: string;
  readonly server: string;
  readonly config: ClusterConfig;
  readonly namespaces?: readonly string[];
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The cluster Secret in Argo CD's format (`namespaces`/`clusterResources` too when the access is per namespace). */
export function clusterSecretObject(spec: ClusterSecretSpec): KubeObject {
  const scoped = spec.namespaces === undefined ? {} : { namespaces: base64(spec.namespaces.join(',')), clusterResources: base64('false') };
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: spec.secretName, namespace: spec.namespace, labels: { [CLUSTER_SECRET_LABEL]: 'cluster', ...MANAGED_BY } },
    data: { name: base64(spec.name), server: base64(spec.server), config: base64(JSON.stringify(spec.config)), ...scoped },
  };
}

function refOf(object: KubeObject): ObjectRef {
  const { apiVersion, kind, metadata } = object;
  return { apiVersion, kind, name: metadata.name ?? '', ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }) };
}

/** Server-side apply, reported as `created`, `configured` or `unchanged` (never the object's data). */
async function applyReported(client: KubeClient, object: KubeObject, report: (line: string) => void, where: string): Promise<void> {
  const before = await client.get(refOf(object));
  const after = await client.apply(object);
  const action = before === undefined ? 'created' : before.metadata.resourceVersion === after.metadata.resourceVersion ? 'unchanged' : 'configured';
  report(`${action} ${formatResourceKey(resourceKey(object))}${where}`);
}

interface TargetTls {
  readonly insecure: boolean;
  readonly caData?: string;
  readonly serverName?: string;
}

/** How the kubeconfig trusts the target's API server: its CA (data or file), skip-verify, TLS server name. */
function kubeconfigTls(loaded: LoadedKubeconfig): TargetTls {
  const cluster = loaded.config.getCluster(loaded.cluster);
  if (cluster === null) return { insecure: false };
  const caFile = cluster.caFile ?? '';
  const caData = cluster.caData ?? (caFile === '' ? undefined : readFileSync(caFile).toString('base64'));
  return { insecure: cluster.skipTLSVerify, ...(caData === undefined || caData === '' ? {} : { caData }), ...(cluster.tlsServerName === undefined ? {} : { serverName: cluster.tlsServerName }) };
}

interface IssuedToken {
  readonly token: string;
  /** The cluster CA from the token Secret (base64 PEM), when the token controller issued the token. */
  readonly caData?: string;
  readonly source: 'token-secret' | 'token-request';
  /** When a TokenRequest token expires (RFC 3339). */
  readonly expires?: string;
}

/** Polls the token Secret until the token controller has written `token` (and `ca.crt`, normally); undefined after the bound. */
async function waitForTokenSecret(client: KubeClient, ref: ObjectRef, timeoutMs: number): Promise<IssuedToken | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const secret = await client.get(ref);
    const data = isPlainObject(secret?.data) ? secret.data : {};
    const token = typeof data.token === 'string' ? Buffer.from(data.token, 'base64').toString('utf8') : '';
    const ca = typeof data['ca.crt'] === 'string' ? data['ca.crt'] : '';
    if (token !== '') return { token, ...(ca === '' ? {} : { caData: ca }), source: 'token-secret' };
    if (Date.now() >= deadline) return undefined;
    await sleep(250);
  }
}

/** `POST …/serviceaccounts/<name>/token`: a token without the token controller, bounded in time by the API server. */
async function requestToken(loaded: LoadedKubeconfig, serviceAccount: string, namespace: string): Promise<IssuedToken> {
  const transport = new Transport(loaded.config, loaded.server);
  const requester = new Requester(transport, { server: loaded.server, context: loaded.context, user: loaded.user });
  const subject = `ServiceAccount/${namespace}/${serviceAccount}`;
  try {
    const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: TOKEN_REQUEST_SECONDS } });
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`;
    const answer = await requester.json({ method: 'POST', path, body }, { subject, verb: 'create token' });
    const status = isPlainObject(answer) && isPlainObject(answer.status) ? answer.status : {};
    if (typeof status.token !== 'string' || status.token === '') throw new LaunchpadError(`${subject}: the TokenRequest API answered without a token`);
    return { token: status.token, source: 'token-request', ...(typeof status.expirationTimestamp === 'string' ? { expires: status.expirationTimestamp } : {}) };
  } finally {
    transport.close();
  }
}

export interface ClusterAddOptions {
  /** The target cluster's context in the kubeconfig. */
  readonly context: string;
  /** @default $KUBECONFIG or ~/.kube/config, as kubectl */
  readonly kubeconfig?: string;
  /** The cluster's name in Applications' `destination.name`. @default the context name */
  readonly name?: string;
  /** The controller's namespace, where the cluster Secret goes. @default 'argocd' */
  readonly namespace?: string;
  /** The controller's cluster. @default the current context of `controllerKubeconfig`, else of `kubeconfig` */
  readonly controllerKubeconfig?: string;
  readonly controllerContext?: string;
  /** @default 'launchpad-manager' */
  readonly serviceAccount?: string;
  /** @default 'kube-system' */
  readonly systemNamespace?: string;
  /** Access to these namespaces only; undefined: full access to the cluster. */
  readonly namespaces?: readonly string[];
  /** Store `insecure: true` (no CA): the controller will not verify the API server's certificate. */
  readonly insecure?: boolean;
  /** @default DEFAULT_TOKEN_TIMEOUT_MS */
  readonly tokenTimeoutMs?: number;
  /** Progress lines (no credentials in them). */
  readonly report?: (line: string) => void;
}

export interface ClusterAddResult {
  readonly name: string;
  readonly server: string;
  readonly namespace: string;
  readonly secretName: string;
  readonly tokenSource: IssuedToken['source'];
  readonly tokenExpires?: string;
}

const trimServer = (server: string): string => server.replace(/\/+$/, '');

/** The existing cluster Secrets of the controller's namespace, decoded. */
async function clusterSecrets(client: KubeClient, namespace: string): Promise<{ readonly object: KubeObject; readonly cluster: ClusterSecret | string }[]> {
  const secrets = await client.list('v1', 'Secret', { namespace, labelSelector: CLUSTER_SECRETS_SELECTOR });
  return secrets.map((object) => ({ object, cluster: readClusterSecret(object) }));
}

/** Before anything is created: the namespace exists and the name is free; the Secret to write (an existing one for the server wins). */
async function planClusterSecret(client: KubeClient, namespace: string, name: string, server: string): Promise<string> {
  if (name === IN_CLUSTER_NAME || server === IN_CLUSTER_SERVER) {
    throw new LaunchpadError(`"${IN_CLUSTER_NAME}" (${IN_CLUSTER_SERVER}) is the controller's own cluster and needs no cluster Secret`, { fix: 'pass --name with another name' });
  }
  if ((await client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace })) === undefined) {
    throw new LaunchpadError(`namespace "${namespace}" does not exist in the controller's cluster`, { fix: `install Launchpad there first (launchpad install --apply --namespace ${namespace}) or pass --namespace` });
  }
  const existing = await clusterSecrets(client, namespace);
  const clash = existing.find((entry) => typeof entry.cluster !== 'string' && entry.cluster.name === name && entry.cluster.server !== server);
  if (clash !== undefined && typeof clash.cluster !== 'string') {
    throw new LaunchpadError(`cluster name "${name}" is already used by ${clash.cluster.server} (Secret ${namespace}/${clash.cluster.secretName})`, { fix: `pass --name with another name, or remove that cluster first: launchpad cluster rm ${name}` });
  }
  const same = existing.find((entry) => typeof entry.cluster !== 'string' && entry.cluster.server === server);
  return same?.object.metadata.name ?? clusterSecretName(server);
}

/** With access per namespace, a ClusterRoleBinding left by an earlier full-access `cluster add` is removed. */
async function removeClusterWideAccess(client: KubeClient, plan: ManagerPlan, report: (line: string) => void, where: string): Promise<void> {
  if (plan.namespaces === undefined) return;
  const names = managerNames(plan.serviceAccount);
  for (const ref of [{ kind: 'ClusterRoleBinding', name: names.binding }, { kind: 'ClusterRole', name: names.role }]) {
    const full = { apiVersion: 'rbac.authorization.k8s.io/v1', ...ref };
    if ((await client.get(full)) === undefined) continue;
    await client.delete(full, { propagationPolicy: 'Background' });
    report(`deleted ${ref.kind}/${ref.name}${where} (access is per namespace now)`);
  }
}

async function issueToken(target: KubeClient, loaded: LoadedKubeconfig, plan: ManagerPlan, timeoutMs: number): Promise<IssuedToken> {
  const tokenRef = { apiVersion: 'v1', kind: 'Secret', namespace: plan.systemNamespace, name: managerNames(plan.serviceAccount).tokenSecret };
  return (await waitForTokenSecret(target, tokenRef, timeoutMs)) ?? (await requestToken(loaded, plan.serviceAccount, plan.systemNamespace));
}

function clusterConfig(token: IssuedToken, tls: TargetTls, insecure: boolean): ClusterConfig {
  const serverName = tls.serverName === undefined ? {} : { serverName: tls.serverName };
  if (insecure || tls.insecure) return { bearerToken: token.token, tlsClientConfig: { insecure: true, ...serverName } };
  // The CA the kubeconfig trusts this server with (as Argo CD), else the cluster CA the token controller wrote.
  const caData = tls.caData ?? token.caData;
  return { bearerToken: token.token, tlsClientConfig: { insecure: false, ...(caData === undefined ? {} : { caData }), ...serverName } };
}

function tokenLine(token: IssuedToken, plan: ManagerPlan, timeoutMs: number): string {
  if (token.source === 'token-secret') return `token issued by the token controller in Secret/${plan.systemNamespace}/${managerNames(plan.serviceAccount).tokenSecret}`;
  return `the token controller did not fill Secret/${plan.systemNamespace}/${managerNames(plan.serviceAccount).tokenSecret} within ${Math.round(timeoutMs / 1000)}s `
    + `(no kube-controller-manager?): token issued by the TokenRequest API, valid until ${token.expires ?? 'an unknown time'} — run "launchpad cluster add" again before then`;
}

interface ResolvedAdd {
  readonly targetOptions: { readonly context: string; readonly kubeconfig?: string };
  readonly controllerOptions: { readonly context?: string; readonly kubeconfig?: string };
  readonly name: string;
  readonly namespace: string;
  readonly plan: ManagerPlan;
  readonly timeoutMs: number;
  readonly report: (line: string) => void;
}

function resolveAdd(options: ClusterAddOptions): ResolvedAdd {
  const controllerFile = options.controllerKubeconfig ?? options.kubeconfig;
  return {
    targetOptions: { context: options.context, ...(options.kubeconfig === undefined ? {} : { kubeconfig: options.kubeconfig }) },
    controllerOptions: { ...(controllerFile === undefined ? {} : { kubeconfig: controllerFile }), ...(options.controllerContext === undefined ? {} : { context: options.controllerContext }) },
    name: options.name ?? options.context,
    namespace: options.namespace ?? DEFAULT_CONTROLLER_NAMESPACE,
    plan: {
      serviceAccount: options.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT, systemNamespace: options.systemNamespace ?? DEFAULT_SYSTEM_NAMESPACE,
      ...(options.namespaces === undefined ? {} : { namespaces: options.namespaces }),
    },
    timeoutMs: options.tokenTimeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
    report: options.report ?? ((): void => undefined),
  };
}

/** Adds the context's cluster: see the module comment. Throws a LaunchpadError naming the cluster and the fix. */
export async function addCluster(options: ClusterAddOptions): Promise<ClusterAddResult> {
  const { targetOptions, controllerOptions, name, namespace, plan, timeoutMs, report } = resolveAdd(options);
  const targetLoaded = loadKubeconfig(targetOptions);
  const controllerLoaded = loadKubeconfig(controllerOptions);
  const server = trimServer(targetLoaded.server);
  const controller = await createKubeClient({ ...controllerOptions, fieldManager: CLUSTER_ADD_FIELD_MANAGER });
  const target = await createKubeClient({ ...targetOptions, fieldManager: CLUSTER_ADD_FIELD_MANAGER });
  try {
    const secretName = await planClusterSecret(controller, namespace, name, server);
    const inTarget = ` in context "${targetLoaded.context}"`;
    report(`adding cluster "${name}" (${server}, context "${targetLoaded.context}") to the controller in namespace ${namespace} (context "${controllerLoaded.context}")`);
    for (const object of managerObjects(plan)) await applyReported(target, object, report, inTarget);
    await removeClusterWideAccess(target, plan, report, inTarget);
    const token = await issueToken(target, targetLoaded, plan, timeoutMs);
    report(tokenLine(token, plan, timeoutMs));
    const config = clusterConfig(token, kubeconfigTls(targetLoaded), options.insecure === true);
    const secret = clusterSecretObject({ namespace, secretName, name, server, config, ...(plan.namespaces === undefined ? {} : { namespaces: plan.namespaces }) });
    await applyReported(controller, secret, report, ` in context "${controllerLoaded.context}"`);
    report(`cluster "${name}" added: Applications reach ${server} with destination.name "${name}" or destination.server "${server}"`);
    return { name, server, namespace, secretName, tokenSource: token.source, ...(token.expires === undefined ? {} : { tokenExpires: token.expires }) };
  } finally {
    controller.close?.();
    target.close?.();
  }
}

export interface ClusterEntry {
  readonly name: string;
  readonly server: string;
  /** Undefined for the controller's own cluster. */
  readonly secretName?: string;
  /** Why the Secret cannot be used (it then has no name or server). */
  readonly problem?: string;
}

/** The controller's own cluster, then one entry per cluster Secret, by name. */
export async function listClusters(client: KubeClient, namespace: string): Promise<ClusterEntry[]> {
  const entries = (await clusterSecrets(client, namespace)).map(({ object, cluster }): ClusterEntry => (typeof cluster === 'string'
    ? { name: '', server: '', secretName: object.metadata.name ?? '', problem: cluster }
    : { name: cluster.name, server: cluster.server, secretName: cluster.secretName }));
  entries.sort((a, b) => a.name.localeCompare(b.name) || (a.secretName ?? '').localeCompare(b.secretName ?? ''));
  return [{ name: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER }, ...entries];
}

/** Deletes the cluster Secret(s) with this name or server; returns the Secrets' names. */
export async function removeCluster(client: KubeClient, namespace: string, nameOrServer: string): Promise<ClusterEntry[]> {
  const wanted = trimServer(nameOrServer);
  if (wanted === IN_CLUSTER_NAME || wanted === IN_CLUSTER_SERVER) {
    throw new LaunchpadError(`"${nameOrServer}" is the controller's own cluster, which has no cluster Secret to remove`);
  }
  const matches = (await listClusters(client, namespace)).filter((entry) => entry.secretName !== undefined && (entry.name === wanted || entry.server === wanted));
  if (matches.length === 0) {
    const known = (await listClusters(client, namespace)).map((entry) => entry.name).filter((entry) => entry !== '').join(', ');
    throw new LaunchpadError(`no cluster named or at "${nameOrServer}" in namespace ${namespace} (known: ${known})`, { fix: 'launchpad cluster list shows them' });
  }
  for (const entry of matches) await client.delete({ apiVersion: 'v1', kind: 'Secret', namespace, name: entry.secretName ?? '' }, { propagationPolicy: 'Background' });
  return matches;
}
