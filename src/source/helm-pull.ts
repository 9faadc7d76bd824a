/**
 * `helm pull … --untar` into a directory, as an argv array. Helm's own configuration stays the user's: registry
 * logins (`helm registry login`) and repository credentials keep working. Credentials written in an https
 * repoURL are passed as --username/--password and redacted from every message.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseYamlValue } from '../model/yaml-guard.js';
import { SourceError, ToolError } from '../errors.js';
import { findBinary } from '../process/binaries.js';
import { runProcess } from '../process/run.js';
import { redactURL, splitCredentials, urlSecrets } from './url.js';

/** @default for one `helm pull` */
export const HELM_PULL_TIMEOUT_MS = 300_000;

export interface HelmPullRequest {
  readonly repoURL: string;
  readonly chart: string;
  /** An exact version, or (OCI only) a constraint Helm resolves against the registry's tags. */
  readonly version: string;
  /** Where helm untars; the chart lands in `<untarDir>/<chart>/`. */
  readonly untarDir: string;
  /** Talk http to an OCI registry (a local test or air-gapped registry without TLS). @default false */
  readonly plainHttp?: boolean;
}

/** The helm argv for a pull: `oci://…/<chart>` for registries, `<chart> --repo <url>` for index repositories. */
export function helmPullArgs(request: HelmPullRequest): string[] {
  const { url, username, password } = splitCredentials(request.repoURL.trim());
  const base = url.replace(/\/+$/, '');
  const target = /^oci:\/\//i.test(base) ? [`${base}/${request.chart}`] : [request.chart, '--repo', base];
  const auth = username === undefined ? [] : ['--username', username, '--password', password ?? ''];
  const plain = request.plainHttp === true ? ['--plain-http'] : [];
  return ['pull', ...target, '--version', request.version, ...auth, ...plain, '--untar', '--untardir', request.untarDir];
}

/** Pulls and unpacks a chart; returns the unpacked chart directory. */
export async function helmPull(request: HelmPullRequest): Promise<string> {
  const secrets = urlSecrets(request.repoURL);
  const label = `chart "${request.chart}" version "${request.version}" from ${redactURL(request.repoURL.trim())}`;
  try {
    await runProcess(findBinary('helm'), helmPullArgs(request), { timeoutMs: HELM_PULL_TIMEOUT_MS, redact: secrets });
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    const detail = redactURL(error.message);
    const denied = /unauthorized|401|403|denied|authentication required/i.test(detail);
    const missing = /not found|no such|manifest unknown|no chart version/i.test(detail) && !denied;
    throw new SourceError(`could not pull ${label}: ${detail}`, {
      errorClass: denied || missing ? 'terminal' : 'retryable',
      cause: error,
      fix: denied ? 'log in with "helm registry login" (OCI) or put credentials in the repository URL' : 'check the chart name, version and repository URL, then retry',
    });
  }
  return join(request.untarDir, request.chart);
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
