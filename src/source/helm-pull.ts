/**
 * `helm pull … --untar` into a directory, as an argv array. Helm's own configuration stays the user's: registry
 * logins (`helm registry login`) and repository credentials keep working. Credentials written in an https
 * repoURL are passed as --username/--password and redacted from every message.
 *
 * Credentials from a repository Secret never reach the argv (where `ps`, /proc and audit logs would show them):
 * for an index repository helm pulls `launchpad-repo/<chart>` through a private repositories.yaml holding them,
 * with a one-entry index written to a private repository cache (the version and URLs the index fetch found); for
 * an OCI registry, through a private registry config (`--registry-config`) holding them. Both live in a 0700
 * temporary folder, as 0600 files, for the duration of the pull. `insecure` adds --insecure-skip-tls-verify.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYamlValue } from '../model/yaml-guard.js';
import { SourceError, ToolError } from '../errors.js';
import { findBinary } from '../process/binaries.js';
import { runProcess } from '../process/run.js';
import type { RepoCredentials } from './credentials.js';
import { redactSecrets } from './credentials.js';
import type { IndexedVersion } from './helm-index.js';
import { redactURL, splitCredentials, urlSecrets } from './url.js';

/** @default for one `helm pull` */
export const HELM_PULL_TIMEOUT_MS = 300_000;

/** The name of the repository in the private repositories.yaml used for a Secret's credentials. */
export const HELM_REPO_NAME = 'launchpad-repo';

export interface HelmPullRequest {
  readonly repoURL: string;
  readonly chart: string;
  /** An exact version, or (OCI only) a constraint Helm resolves against the registry's tags. */
  readonly version: string;
  /** Where helm untars; the chart lands in `<untarDir>/<chart>/`. */
  readonly untarDir: string;
  /** Talk http to an OCI registry (a local test or air-gapped registry without TLS). @default false */
  readonly plainHttp?: boolean;
  /** Credentials of a repository Secret; credentials written in the URL win over them. */
  readonly credentials?: RepoCredentials;
  /** The index entry of `version` (index repositories): lets helm use a Secret's credentials without argv. */
  readonly indexed?: IndexedVersion;
  /** More strings to keep out of every message (all values of the credential store). */
  readonly redact?: readonly string[];
  /**
   * Send the credentials to the chart's download URL even on another host than the repository's (helm sends them
   * only to the repository's own scheme and host otherwise). @default false
   */
  readonly passCredentials?: boolean;
}

/** Private helm configuration files that carry a Secret's credentials (see helmAuthFiles). */
export interface HelmAuthFiles {
  /** repositories.yaml naming the repository HELM_REPO_NAME, with its credentials. */
  readonly repositoryConfig?: string;
  /** Holds `<HELM_REPO_NAME>-index.yaml`. */
  readonly repositoryCache?: string;
  /** An OCI registry config (`{"auths": {host: {auth}}}`). */
  readonly registryConfig?: string;
}

/** The helm argv for a pull: `oci://…/<chart>` for registries, `<chart> --repo <url>` for index repositories. */
export function helmPullArgs(request: HelmPullRequest, files: HelmAuthFiles = {}): string[] {
  const { url, username, password } = splitCredentials(request.repoURL.trim());
  const base = url.replace(/\/+$/, '');
  const auth = username === undefined ? [] : ['--username', username, '--password', password ?? ''];
  const plain = request.plainHttp === true ? ['--plain-http'] : [];
  const insecure = request.credentials?.insecure === true ? ['--insecure-skip-tls-verify'] : [];
  // With a private repositories.yaml the entry's pass_credentials_all says it; otherwise the flag does.
  const pass = request.passCredentials === true && files.repositoryConfig === undefined && username !== undefined ? ['--pass-credentials'] : [];
  return ['pull', ...pullTarget(request, base, files), '--version', request.version, ...auth, ...pass, ...plain, ...insecure, ...configArgs(files), '--untar', '--untardir', request.untarDir];
}

function pullTarget(request: HelmPullRequest, base: string, files: HelmAuthFiles): string[] {
  if (/^oci:\/\//i.test(base)) return [`${base}/${request.chart}`];
  return files.repositoryConfig === undefined ? [request.chart, '--repo', base] : [`${HELM_REPO_NAME}/${request.chart}`];
}

function configArgs(files: HelmAuthFiles): string[] {
  const args: string[] = [];
  if (files.repositoryConfig !== undefined) args.push('--repository-config', files.repositoryConfig);
  if (files.repositoryCache !== undefined) args.push('--repository-cache', files.repositoryCache);
  if (files.registryConfig !== undefined) args.push('--registry-config', files.registryConfig);
  return args;
}

/** Pulls and unpacks a chart; returns the unpacked chart directory. */
export async function helmPull(request: HelmPullRequest): Promise<string> {
  const secrets = [...urlSecrets(request.repoURL), ...(request.redact ?? [])].sort((a, b) => b.length - a.length);
  const label = `chart "${request.chart}" version "${request.version}" from ${redactURL(request.repoURL.trim())}`;
  await withHelmAuth(request, async (files) => {
    try {
      await runProcess(findBinary('helm'), helmPullArgs(request, files), { timeoutMs: HELM_PULL_TIMEOUT_MS, redact: secrets });
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      throw pullError(label, redactSecrets(redactURL(error.message), secrets), { cause: error, ...(files === NO_FILES ? {} : { source: request.credentials?.source }) });
    }
  });
  return join(request.untarDir, request.chart);
}

function pullError(label: string, detail: string, context: { readonly cause: unknown; readonly source?: string | undefined }): SourceError {
  const denied = /unauthorized|401|403|denied|authentication required|basic credential not found|failed to authorize/i.test(detail);
  const missing = /not found|no such|manifest unknown|no chart version/i.test(detail) && !denied;
  const used = context.source === undefined ? '' : ` with the credentials of ${context.source}`;
  const deniedFix = context.source === undefined
    ? 'declare a repository Secret for it (label argocd.argoproj.io/secret-type: repository), log in with "helm registry login" (OCI) or put credentials in the repository URL'
    : `check the username and password in ${context.source}`;
  return new SourceError(`could not pull ${label}${denied ? `${used}: authentication failed` : ''}: ${detail}`, {
    errorClass: denied || missing ? 'terminal' : 'retryable',
    cause: context.cause,
    fix: denied ? deniedFix : 'check the chart name, version and repository URL, then retry',
  });
}

const NO_FILES: HelmAuthFiles = {};

/**
 * Runs `run` with private helm configuration files carrying the request's Secret credentials, removed afterwards.
 * Credentials in the URL win (passed as before); without a username or password there is nothing to write.
 */
async function withHelmAuth(request: HelmPullRequest, run: (files: HelmAuthFiles) => Promise<void>): Promise<void> {
  const { credentials } = request;
  const plan = authPlan(request);
  if (plan === undefined || credentials === undefined) {
    await run(NO_FILES);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'launchpad-helm-auth-')).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new SourceError(`could not prepare the credentials for ${redactURL(request.repoURL.trim())} in ${tmpdir()} (${code})`, { errorClass: 'retryable', fix: 'the temporary folder (TMPDIR) must be writable' });
  });
  try {
    const basic = { username: credentials.username ?? '', password: credentials.password ?? '' };
    await run(plan === 'oci' ? await writeRegistryConfig(dir, request, basic) : await writeRepositoryConfig(dir, request, basic));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function authPlan(request: HelmPullRequest): 'oci' | 'index' | undefined {
  const { credentials } = request;
  if (credentials?.username === undefined && credentials?.password === undefined) return undefined;
  if (splitCredentials(request.repoURL.trim()).username !== undefined) return undefined;
  if (/^oci:\/\//i.test(request.repoURL.trim())) return 'oci';
  return request.indexed === undefined ? undefined : 'index';
}

interface Basic {
  readonly username: string;
  readonly password: string;
}

async function writeRegistryConfig(dir: string, request: HelmPullRequest, basic: Basic): Promise<HelmAuthFiles> {
  const host = request.repoURL.trim().replace(/^oci:\/\//i, '').split('/')[0] ?? '';
  const registryConfig = join(dir, 'registry.json');
  const auth = Buffer.from(`${basic.username}:${basic.password}`).toString('base64');
  await writeFile(registryConfig, JSON.stringify({ auths: { [host]: { auth } } }), { mode: 0o600, flag: 'wx' });
  return { registryConfig };
}

async function writeRepositoryConfig(dir: string, request: HelmPullRequest, basic: Basic): Promise<HelmAuthFiles> {
  const repositoryConfig = join(dir, 'repositories.yaml');
  const repositoryCache = join(dir, 'cache');
  const url = request.repoURL.trim().replace(/\/+$/, '');
  const entry = { name: HELM_REPO_NAME, url, ...basic, insecure_skip_tls_verify: request.credentials?.insecure === true, pass_credentials_all: request.passCredentials === true };
  // JSON is YAML: helm reads both files with its YAML parser.
  await writeFile(repositoryConfig, JSON.stringify({ apiVersion: '', repositories: [entry] }), { mode: 0o600, flag: 'wx' });
  const version = { apiVersion: 'v2', name: request.chart, version: request.version, urls: request.indexed?.urls ?? [] };
  const index = { apiVersion: 'v1', entries: { [request.chart]: [version] } };
  await mkdir(repositoryCache, { mode: 0o700 });
  await writeFile(join(repositoryCache, `${HELM_REPO_NAME}-index.yaml`), JSON.stringify(index), { mode: 0o600 });
  return { repositoryConfig, repositoryCache };
}

/** The `version` of an unpacked chart. */
export async function readChartVersion(chartDir: string): Promise<string> {
  const file = join(chartDir, 'Chart.yaml');
  let document: unknown;
  try {
    document = parseYamlValue(await readFile(file, 'utf8'), file);
  } catch (error) {
    throw new SourceError(`could not read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error, fix: 'the folder must hold a Helm chart (Chart.yaml)' });
  }
  const version = typeof document === 'object' && document !== null ? (document as Record<string, unknown>).version : undefined;
  if (typeof version !== 'string' && typeof version !== 'number') throw new SourceError(`${file} has no version`, { fix: 'add "version:" to Chart.yaml' });
  return String(version);
}
