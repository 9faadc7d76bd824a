/**
 * Reading a Helm repository's `index.yaml` over http(s) with Node's fetch: which versions of a chart exist.
 * Credentials written in the URL, else those of a repository Secret, are sent as HTTP basic auth and never printed.
 * A Secret's `insecure: "true"` fetches with node:https without certificate verification (fetch cannot).
 */
import { request as httpsRequest } from 'node:https';
import { inputLimits } from '../model/limits.js';
import { parseYamlValue } from '../model/yaml-guard.js';
import { SourceError } from '../errors.js';
import type { RepoCredentials } from './credentials.js';
import { redactSecrets } from './credentials.js';
import { pickVersion, sortNewestFirst } from './helm-version.js';
import { redactURL, splitCredentials } from './url.js';

/** Public chart repositories publish index files of tens of MiB; they are read as they are. */
const INDEX_SIZE = 256 * 1024 * 1024;

/** @default for fetching an index */
export const INDEX_TIMEOUT_MS = 60_000;

/** One version of a chart as the index lists it. */
export interface IndexedVersion {
  readonly version: string;
  /** Where its package is: absolute, or relative to the repository root. */
  readonly urls: readonly string[];
}

/** chart name → versions as listed. */
export type ChartIndex = ReadonlyMap<string, readonly IndexedVersion[]>;

export function indexURL(repoURL: string): string {
  return `${repoURL.trim().replace(/\/+$/, '')}/index.yaml`;
}

/** Credentials of a repository Secret for the index, and every value to keep out of messages. */
export interface IndexAuth {
  readonly credentials?: RepoCredentials;
  readonly redact?: readonly string[];
}

/** Fetches and parses the index of a chart repository. */
export async function fetchIndex(repoURL: string, timeoutMs: number = INDEX_TIMEOUT_MS, auth: IndexAuth = {}): Promise<ChartIndex> {
  const label = redactURL(repoURL.trim());
  const { url, username, password } = splitCredentials(indexURL(repoURL));
  const basic = username === undefined ? storeBasic(auth.credentials) : { username, password: password ?? '' };
  const headers = requestHeaders(basic);
  const insecure = auth.credentials?.insecure === true && /^https:/i.test(url);
  let response: { readonly status: number; text(): Promise<string> };
  try {
    response = insecure ? await insecureGet(url, headers, timeoutMs) : await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    const reason = error instanceof Error ? describeFetchError(error) : String(error);
    throw new SourceError(`could not fetch the chart index of ${label}: ${redactSecrets(redactURL(reason), auth.redact ?? [])}`, {
      errorClass: 'retryable',
      cause: error,
      fix: 'check that the repository URL is right and reachable, then retry (or map it to a local folder in launchpad.yaml)',
    });
  }
  if (response.status < 200 || response.status > 299) throw httpError(label, response.status, username === undefined && basic !== undefined ? auth.credentials : undefined);
  return parseIndex(await response.text(), label);
}

function requestHeaders(basic: { username: string; password: string } | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/yaml, text/yaml, */*' };
  if (basic !== undefined) headers.authorization = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
  return headers;
}

function storeBasic(credentials: RepoCredentials | undefined): { username: string; password: string } | undefined {
  if (credentials?.username === undefined && credentials?.password === undefined) return undefined;
  return { username: credentials.username ?? '', password: credentials.password ?? '' };
}

/**
 * One GET without certificate verification, for a Secret's `insecure: "true"` (Node's fetch has no such switch).
 * Redirects are not followed: an insecure repository is a fixed, known address.
 */
function insecureGet(url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; text(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { headers, rejectUnauthorized: false, signal: AbortSignal.timeout(timeoutMs) }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > INDEX_SIZE) request.destroy(new Error(`the index is larger than ${INDEX_SIZE} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, text: () => Promise.resolve(body) });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

function describeFetchError(error: Error): string {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error.name === 'TimeoutError' ? 'timed out' : `${error.message}${cause}`;
}

function httpError(label: string, status: number, credentials: RepoCredentials | undefined): SourceError {
  if (status === 401 || status === 403) {
    const used = credentials?.source === undefined ? '' : ` with the credentials of ${credentials.source}`;
    const fix = credentials?.source === undefined
      ? 'declare a repository Secret for it (label argocd.argoproj.io/secret-type: repository, with username and password), put credentials in the repoURL of a launchpad.yaml replaceWith entry, or use a mirror'
      : `check the username and password in ${credentials.source}`;
    return new SourceError(`the chart repository ${label} refused access (HTTP ${status})${used}: authentication failed`, { fix });
  }
  if (status === 404) return new SourceError(`${label} has no index.yaml (HTTP 404)`, { fix: 'check the repoURL: it must be the Helm repository root that holds index.yaml' });
  return new SourceError(`could not fetch the chart index of ${label}: HTTP ${status}`, { errorClass: status >= 500 || status === 429 ? 'retryable' : 'terminal', fix: 'retry later' });
}

/** The chart → versions map of an index document (YAML or JSON). */
export function parseIndex(text: string, label: string): ChartIndex {
  let document: unknown;
  try {
    document = parseYamlValue(text, label, { maxAliasCount: -1, limits: { ...inputLimits(), maxFileSize: Math.max(inputLimits().maxFileSize, INDEX_SIZE), maxDocuments: 1 } });
  } catch (error) {
    throw new SourceError(`the index.yaml of ${label} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`, { cause: error, fix: 'regenerate it with "helm repo index"' });
  }
  const entries = isRecord(document) ? document.entries : undefined;
  if (!isRecord(entries)) throw new SourceError(`the index.yaml of ${label} has no "entries" map`, { fix: 'regenerate it with "helm repo index"' });
  const index = new Map<string, IndexedVersion[]>();
  for (const [chart, list] of Object.entries(entries)) {
    if (Array.isArray(list)) index.set(chart, list.flatMap(indexedVersion));
  }
  return index;
}

function indexedVersion(entry: unknown): IndexedVersion[] {
  if (!isRecord(entry) || (typeof entry.version !== 'string' && typeof entry.version !== 'number')) return [];
  const urls = Array.isArray(entry.urls) ? entry.urls.filter((url): url is string => typeof url === 'string') : [];
  return [{ version: String(entry.version), urls }];
}

export interface IndexQuery {
  readonly chart: string;
  readonly requested: string;
  /** The repository, for messages (credentials already redacted). */
  readonly label: string;
}

/** The version of `chart` the request selects, or a SourceError listing what there is. */
export function selectFromIndex(index: ChartIndex, query: IndexQuery): IndexedVersion {
  const { chart, requested, label } = query;
  const versions = index.get(chart);
  if (versions === undefined) {
    throw new SourceError(`chart "${chart}" not found in ${label}; charts there: ${listSome([...index.keys()].sort())}`, { fix: 'check spec.source.chart and repoURL' });
  }
  const picked = pickVersion(versions.map((entry) => entry.version), requested);
  const found = versions.find((entry) => entry.version === picked);
  if (found !== undefined) return found;
  throw new SourceError(`no version of chart "${chart}" in ${label} matches "${requested}"; available: ${listSome(sortNewestFirst(versions.map((entry) => entry.version)))}`, {
    fix: 'set targetRevision to one of the available versions or a range that includes one',
  });
}

function listSome(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.slice(0, 10).join(', ') + (names.length > 10 ? ', …' : '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
