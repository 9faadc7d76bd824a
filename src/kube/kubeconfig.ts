/**
 * Finds and loads the kubeconfig the way controllers do (controller-runtime's order): an explicit `--kubeconfig`
 * file, else the `KUBECONFIG` list merged as kubectl merges it, else the in-cluster service account, else
 * `~/.kube/config`; then selects `--context` or the current context. Errors name the file or context and the fix, and
 * never quote the files' contents: a YAML error in a kubeconfig would otherwise print the lines around it, tokens and
 * client keys included.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { YAMLParseError } from 'yaml';
import { InputError, KubeconfigError, describeError } from '../errors.js';
import { KubeConfig, parseKubeconfig } from './kubeconfig-model.js';
import type { Cluster, Context, User } from './kubeconfig-model.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface LoadKubeconfigOptions {
  /** An explicit kubeconfig file (`--kubeconfig`); wins over everything else. */
  readonly kubeconfig?: string;
  /** The context to use (`--context`). @default the kubeconfig's current-context */
  readonly context?: string;
  /** Where KUBECONFIG and KUBERNETES_SERVICE_HOST/PORT are read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Home folder holding `.kube/config`. @default os.homedir() */
  readonly homeDir?: string;
  /** The mounted service account (token, ca.crt, namespace). @default /var/run/secrets/kubernetes.io/serviceaccount */
  readonly serviceAccountDir?: string;
  /**
   * A configuration built in memory (a cluster Secret's server and credentials); wins over everything else.
   * `source` names it in messages, never its credentials.
   */
  readonly inMemory?: { readonly config: KubeConfig; readonly source: string };
}

export interface LoadedKubeconfig {
  /** The merged configuration with the selected context current; hand it to the HTTP layer. */
  readonly config: KubeConfig;
  /** Where it came from, for messages: a file, `KUBECONFIG (a:b)` or `in-cluster service account (dir)`. */
  readonly source: string;
  readonly context: string;
  readonly cluster: string;
  /** The user's name in the kubeconfig (never its credentials). */
  readonly user: string | undefined;
  /** The API server URL. */
  readonly server: string;
  /** The context's namespace, for objects and references that name none. @default 'default' */
  readonly namespace: string;
}

interface Candidate {
  readonly config: KubeConfig;
  readonly source: string;
}

/** Loads and selects a kubeconfig; throws a KubeconfigError naming the file or context and the fix. */
export function loadKubeconfig(options: LoadKubeconfigOptions = {}): LoadedKubeconfig {
  const candidate = findKubeconfig(options);
  return selectContext(candidate, options.context);
}

function findKubeconfig(options: LoadKubeconfigOptions): Candidate {
  if (options.inMemory !== undefined) return options.inMemory;
  const env = options.env ?? process.env;
  if (options.kubeconfig !== undefined) {
    if (!existsSync(options.kubeconfig)) {
      throw new KubeconfigError(`kubeconfig ${options.kubeconfig} does not exist`, { fix: 'check the --kubeconfig path' });
    }
    return { config: readKubeconfigFile(options.kubeconfig), source: options.kubeconfig };
  }
  const list = env.KUBECONFIG ?? '';
  if (list !== '') return mergeKubeconfigList(list);
  const inCluster = inClusterConfig(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  if (inCluster !== undefined) return inCluster;
  const home = join(options.homeDir ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return { config: readKubeconfigFile(home), source: home };
  throw new KubeconfigError(`no kubeconfig found: no --kubeconfig, KUBECONFIG is not set, not running in a cluster, and ${home} does not exist`, {
    fix: 'pass --kubeconfig FILE or set KUBECONFIG',
  });
}

/** Reads one file; relative certificate and key paths in it are made relative to its folder, as kubectl does. */
export function readKubeconfigFile(file: string): KubeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeconfigError(`kubeconfig ${file} cannot be read: ${describeError(error)}`, { fix: 'check the file and its permissions' });
  }
  try {
    return parseKubeconfig(text, file);
  } catch (error) {
    // Neither the message nor the cause of a YAML error is kept: both quote the lines around the error.
    throw new KubeconfigError(`kubeconfig ${file} is not a valid kubeconfig: ${safeParseProblem(error)}`, { fix: 'fix the file (kubectl config view shows what kubectl makes of it)' });
  }
}

/** What is wrong with a kubeconfig's text, without any of the text itself. */
function safeParseProblem(error: unknown): string {
  if (error instanceof YAMLParseError) {
    const [start] = error.linePos ?? [];
    return `YAML error at line ${start?.line ?? '?'}, column ${start?.col ?? '?'}: ${error.code.toLowerCase().replace(/_/g, ' ')}`;
  }
  // Field paths ("users[0].user.token must be a string") and the input limits' messages quote no values.
  if (error instanceof KubeconfigError || error instanceof InputError) return error.message;
  // The yaml package's other errors (an alias without its anchor) name what they found; say only what kind it is.
  return `YAML error (${error instanceof Error ? error.name : 'unknown'})`;
}

/**
 * kubectl's merge of a KUBECONFIG list: missing files are skipped; the first file to define a cluster, user or context
 * name wins, and so does the first current-context.
 */
function mergeKubeconfigList(list: string): Candidate {
  const files = list.split(delimiter).filter((file) => file !== '');
  const source = `KUBECONFIG (${files.join(delimiter)})`;
  const present = files.filter((file) => existsSync(file));
  if (present.length === 0) {
    throw new KubeconfigError(`${source}: none of its files exist`, { fix: 'point KUBECONFIG at an existing kubeconfig or pass --kubeconfig FILE' });
  }
  const clusters: Cluster[] = [];
  const users: User[] = [];
  const contexts: Context[] = [];
  let currentContext = '';
  for (const file of present) {
    const config = readKubeconfigFile(file);
    addNew(clusters, config.getClusters());
    addNew(users, config.getUsers());
    addNew(contexts, config.getContexts());
    if (currentContext === '') currentContext = config.getCurrentContext() ?? '';
  }
  return { config: new KubeConfig({ clusters, users, contexts, currentContext }), source };
}

function addNew<T extends { readonly name: string }>(target: T[], entries: readonly T[]): void {
  for (const entry of entries) {
    if (!target.some((existing) => existing.name === entry.name)) target.push(entry);
  }
}

/** The service account Kubernetes mounts into a pod, when we run in one. */
function inClusterConfig(env: Readonly<Record<string, string | undefined>>, dir: string): Candidate | undefined {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '';
  const tokenFile = join(dir, 'token');
  if (host === '' || port === '' || !existsSync(tokenFile)) return undefined;
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // The token file is re-read once a minute (kubeconfig-credentials.ts): projected service-account tokens rotate.
  const config = new KubeConfig({
    clusters: [{ name: 'in-cluster', server, caFile: join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'service-account', tokenFile }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account', ...(namespace === undefined || namespace === '' ? {} : { namespace }) }],
    currentContext: 'in-cluster',
  });
  return { config, source: `in-cluster service account (${dir})` };
}

function selectContext(candidate: Candidate, requested: string | undefined): LoadedKubeconfig {
  const { config, source } = candidate;
  const names = config.getContexts().map((context) => context.name);
  const available = names.length === 0 ? `${source} defines no contexts` : `contexts: ${names.join(', ')}`;
  const name = requested ?? config.getCurrentContext() ?? '';
  if (name === '') {
    throw new KubeconfigError(`${source} has no current-context`, { fix: `pass --context NAME (${available})` });
  }
  const context = config.getContextObject(name);
  if (context === null) {
    const fix = requested === undefined ? `set current-context to one of them or pass --context NAME (${available})` : `use one of them (${available})`;
    throw new KubeconfigError(`context "${name}" ${requested === undefined ? '(the current-context) ' : ''}is not defined in ${source}`, { fix });
  }
  const cluster = config.getCluster(context.cluster);
  if (cluster === null) {
    throw new KubeconfigError(`context "${name}" in ${source} refers to cluster "${context.cluster}", which is not defined`, { fix: 'add the cluster or fix the context' });
  }
  const user = context.user;
  if (user !== undefined && config.getUser(user) === null) {
    throw new KubeconfigError(`context "${name}" in ${source} refers to user "${user}", which is not defined`, { fix: 'add the user or fix the context' });
  }
  if (cluster.server === '') {
    throw new KubeconfigError(`cluster "${cluster.name}" in ${source} has no server`, { fix: 'set the cluster\'s server to the API server URL' });
  }
  config.setCurrentContext(name);
  const unsupported = config.unsupportedFeature();
  if (unsupported !== undefined) throw new KubeconfigError(`context "${name}" in ${source}: ${unsupported.problem}`, { fix: unsupported.fix });
  return { config, source, context: name, cluster: cluster.name, user, server: cluster.server, namespace: context.namespace ?? 'default' };
}
