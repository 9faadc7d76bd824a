/**
 * Reading a Helm repository's `index.yaml` over http(s) with Node's fetch: which versions of a chart exist.
 * Credentials written in the URL are sent as HTTP basic auth and never printed.
 */
import { inputLimits } from '../model/limits.js';
import { parseYamlValue } from '../model/yaml-guard.js';
import { SourceError } from '../errors.js';
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

/** Fetches and parses the index of a chart repository. */
export async function fetchIndex(repoURL: string, timeoutMs: number = INDEX_TIMEOUT_MS): Promise<ChartIndex> {
  const label = redactURL(repoURL.trim());
  const { url, username, password } = splitCredentials(indexURL(repoURL));
  const headers: Record<string, string> = { accept: 'application/yaml, text/yaml, */*' };
  if (username !== undefined) headers.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    const reason = error instanceof Error ? describeFetchError(error) : String(error);
    throw new SourceError(`could not fetch the chart index of ${label}: ${redactURL(reason)}`, {
      errorClass: 'retryable',
      cause: error,
      fix: 'check that the repository URL is right and reachable, then retry (or map it to a local folder in launchpad.yaml)',
    });
  }
  if (!response.ok) throw httpError(label, response.status);
  return parseIndex(await response.text(), label);
}

function describeFetchError(error: Error): string {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error.name === 'TimeoutError' ? 'timed out' : `${error.message}${cause}`;
}

function httpError(label: string, status: number): SourceError {
  if (status === 401 || status === 403) {
    return new SourceError(`the chart repository ${label} refused access (HTTP ${status})`, { fix: 'put credentials in the repoURL of a launchpad.yaml replaceWith entry, or use a mirror' });
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
