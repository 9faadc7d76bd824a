/**
 * Each request's TLS material and Authorization header from a kubeconfig cluster and user. Files (CA, client
 * certificate and key, token file) are re-read at most once a minute, so rotated certificates and projected
 * service-account tokens are picked up. Exec plugins (client.authentication.k8s.io v1 and v1beta1) run through
 * runProcess with an argv, never a shell; their ExecCredential is kept until shortly before its expirationTimestamp
 * (for ever when it has none), and concurrent requests share one run. Errors name the user, the file or the plugin and
 * never carry a credential: a plugin's stdout is never quoted, and its stderr only with known secrets redacted.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { KubeconfigError, describeError } from '../errors.js';
import { isPlainObject } from '../model/values.js';
import { runProcess } from '../process/run.js';
import type { Cluster, ExecConfig, User } from './kubeconfig-types.js';

/** How often a file in the kubeconfig (token, certificates) is read again. */
export const FILE_REFRESH_MS = 60_000;
/** An exec credential is renewed this long before it expires, so no request goes out with an expired token. */
export const EXEC_EXPIRY_MARGIN_MS = 10_000;
/** Longest an exec plugin may run. */
export const EXEC_TIMEOUT_MS = 60_000;

export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
}

export interface RequestCredentials {
  readonly tls: TlsOptions;
  /** `Bearer …` or `Basic …`, when the user has credentials of that kind. */
  readonly authorization?: string;
}

export interface ExecCredential {
  readonly token?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Epoch milliseconds; undefined: valid until the process ends. */
  readonly expiresAt?: number;
}

interface CachedFile {
  readonly content: Buffer;
  readonly readAt: number;
}

/** Credentials of one KubeConfig: its file cache and its exec credentials, by user. */
export class Credentials {
  private readonly files = new Map<string, CachedFile>();
  private readonly exec = new Map<string, { readonly key: string; credential: Promise<ExecCredential>; settled?: ExecCredential }>();

  constructor(private readonly now: () => number = Date.now) {}

  async forRequest(cluster: Cluster, user: User | null): Promise<RequestCredentials> {
    const tls: TlsOptions = { rejectUnauthorized: !cluster.skipTLSVerify };
    if (cluster.tlsServerName !== undefined && cluster.tlsServerName !== '') tls.servername = cluster.tlsServerName;
    const ca = cluster.skipTLSVerify ? undefined : await this.material(cluster.caData, cluster.caFile, 'certificate-authority');
    if (ca !== undefined) tls.ca = ca;
    if (user === null) return { tls };
    const cert = await this.material(user.certData, user.certFile, 'client-certificate');
    const key = await this.material(user.keyData, user.keyFile, 'client-key');
    if (cert !== undefined) tls.cert = cert;
    if (key !== undefined) tls.key = key;
    const exec = user.exec === undefined || user.token !== undefined || user.tokenFile !== undefined ? undefined : await this.execCredential(user.name, user.exec, cluster);
    if (exec?.cert !== undefined && exec.key !== undefined) {
      tls.cert = exec.cert;
      tls.key = exec.key;
    }
    const authorization = await this.authorization(user, exec);
    return authorization === undefined ? { tls } : { tls, authorization };
  }

  /** A static token wins over a token file, which wins over an exec plugin's token; basic auth comes last. */
  private async authorization(user: User, exec: ExecCredential | undefined): Promise<string | undefined> {
    if (user.token !== undefined && user.token.trim() !== '') return `Bearer ${user.token.trim()}`;
    if (user.tokenFile !== undefined) return `Bearer ${await this.tokenFromFile(user.tokenFile)}`;
    if (exec?.token !== undefined) return `Bearer ${exec.token}`;
    if (user.username !== undefined && user.username !== '') return `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
    return undefined;
  }

  private async tokenFromFile(file: string): Promise<string> {
    const token = (await this.readFile(file, 'token file')).toString('utf8').trim();
    if (token === '') throw new KubeconfigError(`token file ${file} is empty`);
    return token;
  }

  /** Inline base64 data wins over a file, as in kubectl. */
  private async material(data: string | undefined, file: string | undefined, field: string): Promise<Buffer | undefined> {
    if (data !== undefined && data !== '') return Buffer.from(data, 'base64');
    if (file === undefined) return undefined;
    return await this.readFile(file, `${field} file`);
  }

  private async readFile(file: string, what: string): Promise<Buffer> {
    const cached = this.files.get(file);
    if (cached !== undefined && this.now() - cached.readAt < FILE_REFRESH_MS) return cached.content;
    try {
      const content = await readFile(file);
      this.files.set(file, { content, readAt: this.now() });
      return content;
    } catch (error) {
      const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'unreadable';
      throw new KubeconfigError(`${what} ${file} cannot be read (${code})`);
    }
  }

  private async execCredential(userName: string, exec: ExecConfig, cluster: Cluster): Promise<ExecCredential> {
    const key = `${cluster.name}\u0000${cluster.server}`;
    const entry = this.exec.get(userName);
    if (entry !== undefined && entry.key === key) {
      const settled = entry.settled;
      if (settled === undefined || settled.expiresAt === undefined || this.now() < settled.expiresAt - EXEC_EXPIRY_MARGIN_MS) return await entry.credential;
    }
    const previous = entry?.settled?.token;
    const credential = runExecPlugin(userName, exec, cluster, previous === undefined ? [] : [previous]);
    const next: { readonly key: string; credential: Promise<ExecCredential>; settled?: ExecCredential } = { key, credential };
    this.exec.set(userName, next);
    try {
      next.settled = await credential;
      return next.settled;
    } catch (error) {
      // A failure is not kept: the next request runs the plugin again.
      if (this.exec.get(userName) === next) this.exec.delete(userName);
      throw error;
    }
  }
}

/** Runs the plugin as kubectl does: its env over ours, KUBERNETES_EXEC_INFO describing the request, no stdin. */
async function runExecPlugin(userName: string, exec: ExecConfig, cluster: Cluster, secrets: readonly string[]): Promise<ExecCredential> {
  const plugin = `exec plugin ${basename(exec.command)} of user "${userName}"`;
  const env = Object.fromEntries(exec.env.map((entry) => [entry.name, entry.value]));
  const info = { apiVersion: exec.apiVersion, kind: 'ExecCredential', spec: { interactive: false, ...(exec.provideClusterInfo ? { cluster: clusterInfo(cluster) } : {}) } };
  let result;
  try {
    result = await runProcess(exec.command, exec.args, { env: { ...env, KUBERNETES_EXEC_INFO: JSON.stringify(info) }, timeoutMs: EXEC_TIMEOUT_MS, allowFailure: true, maxOutputBytes: 1024 * 1024 });
  } catch (error) {
    // Not found, timed out, too much output: runProcess's message names the program, never its output.
    const hint = exec.installHint?.trim().split('\n')[0] ?? '';
    throw new KubeconfigError(`${plugin} could not run: ${(describeError(error).split('\n')[0] ?? '').slice(0, 200)}${hint === '' ? '' : ` (${hint})`}`);
  }
  if (result.exitCode !== 0) {
    throw new KubeconfigError(`${plugin} failed (exit ${result.exitCode})${stderrLine(result.stderr, secrets)}`);
  }
  return parseExecCredential(result.stdout, exec.apiVersion, plugin);
}

/** The last non-empty line of a plugin's stderr, where tools say what went wrong; known secrets replaced. */
function stderrLine(stderr: string, secrets: readonly string[]): string {
  let line = stderr.split('\n').map((text) => text.trim()).filter((text) => text !== '').pop() ?? '';
  for (const secret of secrets) if (secret !== '') line = line.split(secret).join('***');
  return line === '' ? '' : `: ${line.slice(0, 200)}`;
}

function clusterInfo(cluster: Cluster): Record<string, unknown> {
  return {
    server: cluster.server,
    ...(cluster.tlsServerName === undefined ? {} : { 'tls-server-name': cluster.tlsServerName }),
    'insecure-skip-tls-verify': cluster.skipTLSVerify,
    ...(cluster.caData === undefined ? {} : { 'certificate-authority-data': cluster.caData }),
    ...(cluster.execExtension === undefined ? {} : { config: cluster.execExtension }),
  };
}

/** Reads an ExecCredential; what is wrong is named by field, the output itself never quoted. */
export function parseExecCredential(stdout: string, apiVersion: string, plugin: string): ExecCredential {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new KubeconfigError(`${plugin} did not print an ExecCredential (its output is not JSON)`);
  }
  const invalid = (problem: string): KubeconfigError => new KubeconfigError(`${plugin} printed an invalid ExecCredential: ${problem}`);
  if (!isPlainObject(parsed) || parsed.kind !== 'ExecCredential') throw invalid('kind is not ExecCredential');
  if (parsed.apiVersion !== apiVersion) throw invalid(`apiVersion is not ${apiVersion}`);
  const status = isPlainObject(parsed.status) ? parsed.status : {};
  const text = (key: string): string | undefined => {
    const value = status[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const token = text('token');
  const cert = text('clientCertificateData');
  const key = text('clientKeyData');
  if ((cert === undefined) !== (key === undefined)) throw invalid('status.clientCertificateData and status.clientKeyData must come together');
  if (token === undefined && cert === undefined) throw invalid('status has neither token nor clientCertificateData and clientKeyData');
  const expiresAt = expiryOf(text('expirationTimestamp'), invalid);
  return {
    ...(token === undefined ? {} : { token }),
    ...(cert === undefined || key === undefined ? {} : { cert: Buffer.from(cert, 'utf8'), key: Buffer.from(key, 'utf8') }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

function expiryOf(timestamp: string | undefined, invalid: (problem: string) => Error): number | undefined {
  if (timestamp === undefined) return undefined;
  const expiresAt = Date.parse(timestamp);
  if (Number.isNaN(expiresAt)) throw invalid('status.expirationTimestamp is not an RFC 3339 time');
  return expiresAt;
}
