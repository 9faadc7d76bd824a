/**
 * The kubeconfig as Launchpad reads it, without a Kubernetes client library: clusters (server, CA file or data,
 * insecure-skip-tls-verify, tls-server-name), users (client certificate and key as file or data, token, tokenFile,
 * username/password, exec plugins), contexts and current-context. Text goes through the guarded YAML parser, and every
 * problem is reported by field path only (`users[0].user.token must be a string`), never by quoting the file: its
 * lines hold tokens and keys. Relative file paths (and an exec command with a `/`) are resolved against the
 * kubeconfig's folder, as kubectl does. What Launchpad cannot honour — proxy-url, auth-provider, impersonation, an
 * exec plugin that needs a terminal — is refused when a context using it is selected, not silently ignored.
 * Credentials for requests come from `applyToHTTPSOptions` (kubeconfig-credentials.ts).
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { RequestOptions } from 'node:https';
import { dirname, isAbsolute, resolve } from 'node:path';
import { KubeconfigError } from '../errors.js';
import { isPlainObject } from '../model/values.js';
import { parseYamlValue } from '../model/yaml-guard.js';
import { Credentials } from './kubeconfig-credentials.js';
import type { Cluster, Context, ExecConfig, KubeConfigOptions, User } from './kubeconfig-types.js';

export type { Cluster, Context, ExecConfig, KubeConfigOptions, User } from './kubeconfig-types.js';

export const EXEC_API_VERSIONS: readonly string[] = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

/** Clusters, users and contexts by name, one context current; supplies each request's TLS material and credentials. */
export class KubeConfig {
  private readonly clusters: readonly Cluster[];
  private readonly users: readonly User[];
  private readonly contexts: readonly Context[];
  private currentContext: string | undefined;
  private readonly credentials = new Credentials();

  constructor(options: KubeConfigOptions = { clusters: [], users: [], contexts: [] }) {
    this.clusters = options.clusters;
    this.users = options.users;
    this.contexts = options.contexts;
    this.currentContext = options.currentContext === '' ? undefined : options.currentContext;
  }

  getClusters(): readonly Cluster[] {
    return this.clusters;
  }

  getUsers(): readonly User[] {
    return this.users;
  }

  getContexts(): readonly Context[] {
    return this.contexts;
  }

  getCurrentContext(): string | undefined {
    return this.currentContext;
  }

  setCurrentContext(name: string): void {
    this.currentContext = name;
  }

  getCluster(name: string): Cluster | null {
    return this.clusters.find((cluster) => cluster.name === name) ?? null;
  }

  getUser(name: string): User | null {
    return this.users.find((user) => user.name === name) ?? null;
  }

  getContextObject(name: string): Context | null {
    return this.contexts.find((context) => context.name === name) ?? null;
  }

  getCurrentCluster(): Cluster | null {
    const context = this.currentContextObject();
    return context === null ? null : this.getCluster(context.cluster);
  }

  getCurrentUser(): User | null {
    const user = this.currentContextObject()?.user;
    return user === undefined ? null : this.getUser(user);
  }

  /** Why the current context cannot be used by Launchpad (a feature it does not support), or undefined. */
  unsupportedFeature(): { readonly problem: string; readonly fix: string } | undefined {
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (cluster?.proxyUrl !== undefined) {
      return { problem: `cluster "${cluster.name}" sets proxy-url, which is not supported`, fix: 'reach the API server directly (remove proxy-url)' };
    }
    if (user?.authProvider !== undefined) {
      return { problem: `user "${user.name}" uses auth-provider "${user.authProvider}", which is not supported`, fix: 'use an exec plugin instead (e.g. kubelogin, gke-gcloud-auth-plugin)' };
    }
    if (user?.impersonates === true) {
      return { problem: `user "${user.name}" impersonates (as, as-groups, as-uid or as-user-extra), which is not supported`, fix: 'use the impersonated identity\'s own credentials' };
    }
    if (user?.exec?.interactiveMode === 'Always') {
      return { problem: `user "${user.name}" has an exec plugin with interactiveMode Always, and Launchpad has no terminal`, fix: 'use a plugin that runs with interactiveMode Never or IfAvailable' };
    }
    return undefined;
  }

  /**
   * Sets TLS material (`ca`, `cert`, `key`, `rejectUnauthorized`, `servername`) and the Authorization header for one
   * request to the current context's cluster. Token files are re-read once a minute and exec credentials kept until
   * they expire. Failures (a plugin failing, a file that cannot be read) never quote a credential.
   */
  async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
    const cluster = this.getCurrentCluster();
    if (cluster === null) throw new KubeconfigError(`the current context "${this.currentContext ?? ''}" has no cluster`);
    const unsupported = this.unsupportedFeature();
    if (unsupported !== undefined) throw new KubeconfigError(unsupported.problem, { fix: unsupported.fix });
    const applied = await this.credentials.forRequest(cluster, this.getCurrentUser());
    Object.assign(options, applied.tls);
    if (applied.authorization === undefined) return;
    const headers: OutgoingHttpHeaders = {};
    if (options.headers !== undefined && !Array.isArray(options.headers)) Object.assign(headers, options.headers);
    options.headers = { ...headers, Authorization: applied.authorization };
  }

  /** Printed (util.inspect, a debugger) by names only: the users' credentials and cached tokens stay out of logs. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `KubeConfig { contexts: [${this.contexts.map((context) => context.name).join(', ')}], currentContext: ${this.currentContext ?? '(none)'} }`;
  }

  private currentContextObject(): Context | null {
    return this.currentContext === undefined ? null : this.getContextObject(this.currentContext);
  }
}

/**
 * Parses a kubeconfig's text; relative paths are resolved against `file`'s folder. Throws a KubeconfigError whose
 * message is the problem alone (a field path, or what the YAML parser's error was), never the text.
 */
export function parseKubeconfig(text: string, file: string): KubeConfig {
  // An empty file is an empty configuration for kubectl, not an error.
  if (text.trim() === '') return new KubeConfig();
  const root = parseYamlValue(text, file);
  if (root === null || root === undefined) return new KubeConfig();
  if (!isPlainObject(root)) throw new KubeconfigError('expected a mapping with clusters, users and contexts');
  const base = dirname(file);
  const node = new Node(root, '');
  return new KubeConfig({
    clusters: named(node, 'clusters', 'cluster', (entry, name) => readCluster(entry, name, base)),
    users: named(node, 'users', 'user', (entry, name) => readUser(entry, name, base)),
    contexts: named(node, 'contexts', 'context', readContext),
    ...optionalField('currentContext', node.string('current-context')),
  });
}

/** A mapping in the kubeconfig and its path there (`users[0].user`), for messages that quote no values. */
class Node {
  constructor(
    readonly value: Record<string, unknown>,
    readonly path: string,
  ) {}

  at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  string(key: string): string | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new KubeconfigError(`${this.at(key)} must be a string${typeof value === 'number' ? ' (quote it)' : ''}`);
    return value;
  }

  boolean(key: string): boolean {
    const value = this.value[key];
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') throw new KubeconfigError(`${this.at(key)} must be true or false`);
    return value;
  }

  list(key: string): unknown[] {
    const value = this.value[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new KubeconfigError(`${this.at(key)} must be a list`);
    return value;
  }

  mapping(key: string): Node | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) throw new KubeconfigError(`${this.at(key)} must be a mapping`);
    return new Node(value, this.at(key));
  }

  child(value: unknown, path: string): Node {
    if (!isPlainObject(value)) throw new KubeconfigError(`${path} must be a mapping`);
    return new Node(value, path);
  }
}

/** `{ name, <field>: {…} }` entries; a name may appear once per file, as kubectl requires. */
function named<T>(root: Node, key: string, field: string, read: (entry: Node, name: string) => T): T[] {
  const seen = new Set<string>();
  return root.list(key).map((item, index) => {
    const entry = root.child(item, `${key}[${index}]`);
    const name = entry.string('name') ?? '';
    if (name === '') throw new KubeconfigError(`${entry.at('name')} is missing`);
    if (seen.has(name)) throw new KubeconfigError(`${key}: the name "${name}" appears twice`);
    seen.add(name);
    return read(entry.mapping(field) ?? new Node({}, entry.at(field)), name);
  });
}

function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function absolute(path: string | undefined, base: string): string | undefined {
  return path === undefined || path === '' ? undefined : isAbsolute(path) ? path : resolve(base, path);
}

function readCluster(node: Node, name: string, base: string): Cluster {
  const extension = node.list('extensions').find((item) => isPlainObject(item) && item.name === 'client.authentication.k8s.io/exec');
  return {
    name,
    server: node.string('server') ?? '',
    ...optionalField('caData', node.string('certificate-authority-data')),
    ...optionalField('caFile', absolute(node.string('certificate-authority'), base)),
    skipTLSVerify: node.boolean('insecure-skip-tls-verify'),
    ...optionalField('tlsServerName', node.string('tls-server-name')),
    ...optionalField('proxyUrl', node.string('proxy-url')),
    ...(isPlainObject(extension) && extension.extension !== undefined ? { execExtension: extension.extension } : {}),
  };
}

function readUser(node: Node, name: string, base: string): User {
  const exec = node.mapping('exec');
  const authProvider = node.mapping('auth-provider');
  const impersonates = ['as', 'as-uid'].some((key) => (node.string(key) ?? '') !== '') || node.list('as-groups').length > 0 || node.mapping('as-user-extra') !== undefined;
  return {
    name,
    ...optionalField('certData', node.string('client-certificate-data')),
    ...optionalField('certFile', absolute(node.string('client-certificate'), base)),
    ...optionalField('keyData', node.string('client-key-data')),
    ...optionalField('keyFile', absolute(node.string('client-key'), base)),
    ...optionalField('token', node.string('token')),
    ...optionalField('tokenFile', absolute(node.string('tokenFile'), base)),
    ...optionalField('username', node.string('username')),
    ...optionalField('password', node.string('password')),
    ...(exec === undefined ? {} : { exec: readExec(exec, base) }),
    ...(authProvider === undefined ? {} : { authProvider: authProvider.string('name') ?? '(unnamed)' }),
    ...(impersonates ? { impersonates } : {}),
  };
}

function readExec(node: Node, base: string): ExecConfig {
  const apiVersion = node.string('apiVersion') ?? '';
  if (!EXEC_API_VERSIONS.includes(apiVersion)) {
    throw new KubeconfigError(`${node.at('apiVersion')} must be one of ${EXEC_API_VERSIONS.join(', ')}`);
  }
  const command = node.string('command') ?? '';
  if (command === '') throw new KubeconfigError(`${node.at('command')} is missing`);
  const interactiveMode = node.string('interactiveMode');
  if (interactiveMode !== undefined && !['Never', 'IfAvailable', 'Always'].includes(interactiveMode)) {
    throw new KubeconfigError(`${node.at('interactiveMode')} must be Never, IfAvailable or Always`);
  }
  const args = node.list('args').map((arg, index) => {
    if (typeof arg !== 'string') throw new KubeconfigError(`${node.at('args')}[${index}] must be a string`);
    return arg;
  });
  const env = node.list('env').map((item, index) => {
    const entry = node.child(item, `${node.at('env')}[${index}]`);
    return { name: entry.string('name') ?? '', value: entry.string('value') ?? '' };
  });
  return {
    apiVersion,
    // kubectl resolves a command with a path separator against the kubeconfig's folder; others are found on PATH.
    command: command.includes('/') ? (absolute(command, base) ?? command) : command,
    args,
    env,
    ...optionalField('interactiveMode', interactiveMode),
    provideClusterInfo: node.boolean('provideClusterInfo'),
    ...optionalField('installHint', node.string('installHint')),
  };
}

function readContext(node: Node, name: string): Context {
  return {
    name,
    cluster: node.string('cluster') ?? '',
    ...optionalField('user', node.string('user') || undefined),
    ...optionalField('namespace', node.string('namespace') || undefined),
  };
}
