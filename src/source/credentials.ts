/**
 * Repository credentials as Argo CD declares them: Secrets labelled `argocd.argoproj.io/secret-type: repository`
 * (one repository, matched by its URL as normaliseRepoURL compares them) or `repo-creds` (a credential template,
 * matched by URL prefix: the longest prefix wins). An exact `repository` Secret wins over every template; one that
 * holds no credentials of its own (only `url`, `type`, `insecure`…) takes them from the best template, as Argo CD's
 * credential inheritance does. Pure: parsing and lookup only — git-auth.ts and helm-pull.ts hand the result to the
 * tools, and every value is kept out of messages (`secretValues()` feeds the redaction lists).
 *
 * Matching never crosses URL forms: `https://host/org` and `git@host:org` normalise to different strings, so an
 * https credential applies to https URLs only and an ssh key to ssh URLs only. Unlike Argo CD's plain string prefix,
 * a template never matches another host: `https://git.example.com` does not match `https://git.example.com.evil/x`.
 */
import type { KubeObject } from '../model/resource.js';
import { isLocalRepoURL, normaliseRepoURL, redactURL } from './url.js';

/** The label Argo CD reads to know what a Secret declares. */
export const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

export type RepoType = 'git' | 'helm' | 'oci';

/** What a repository is reached with. No field is ever printed; `source` names the Secret for messages. */
export interface RepoCredentials {
  readonly username?: string;
  readonly password?: string;
  /** An ssh private key (PEM or OpenSSH), for ssh URLs. */
  readonly sshPrivateKey?: string;
  /** Skip TLS verification (`insecure: "true"`). */
  readonly insecure?: boolean;
  /** The Secret's `type`, when it sets one. */
  readonly type?: RepoType;
  /** A Helm OCI registry (`enableOCI: "true"`, or `type: oci`). */
  readonly enableOCI?: boolean;
  /** Where the credentials come from, for messages: `Secret argocd/private-repo`, or `Secret a (template for Secret b)`. */
  readonly source?: string;
}

/** Fields that hold secrets: their values are redacted everywhere, whether the Secret is usable or not. */
const SECRET_FIELDS = ['password', 'sshPrivateKey', 'tlsClientCertKey', 'githubAppPrivateKey', 'bearerToken', 'gcpServiceAccountKey'];
/** Argo CD fields Launchpad does not act on yet: a Secret using them is still used, and the gap is reported. */
const UNSUPPORTED_FIELDS = ['tlsClientCertData', 'tlsClientCertKey', 'githubAppPrivateKey', 'githubAppID', 'githubAppInstallationID', 'gcpServiceAccountKey', 'bearerToken', 'proxy', 'noProxy', 'forceHttpBasicAuth', 'useAzureWorkloadIdentity'];
/** Shorter user names (`git`, `ci`) are not secret and would mangle every message if replaced. */
const MIN_REDACTED_USERNAME = 4;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TRUE_VALUES = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE_VALUES = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False', '']);

type SecretKind = 'repository' | 'repo-creds';

interface ParsedSecret {
  readonly kind: SecretKind;
  /** `namespace/name`, for messages and for a stable order. */
  readonly name: string;
  /** The URL as matched: normalised (see matchKey). */
  readonly key: string;
  readonly credentials: RepoCredentials;
  /** username, password or sshPrivateKey set: an exact Secret with none inherits a template's. */
  readonly hasCredentials: boolean;
}

/** Why a Secret's field cannot be read; thrown inside parsing, caught per Secret. */
class SecretProblem extends Error {}

/** Parsed repository Secrets, looked up by repoURL. Build one from the Secrets of Argo CD's namespace. */
export class CredentialStore {
  private readonly repositories: ParsedSecret[] = [];
  private readonly templates: ParsedSecret[] = [];
  private readonly found: string[] = [];
  private readonly values: string[];

  constructor(secrets: readonly KubeObject[]) {
    const values = new Set<string>();
    const labelled = secrets.flatMap((secret) => {
      const kind = secretKind(secret);
      return kind === undefined ? [] : [{ secret, kind, name: secretName(secret) }];
    });
    for (const { secret, kind, name } of labelled.sort((a, b) => a.name.localeCompare(b.name))) {
      for (const value of collectSecretValues(secret)) values.add(value);
      try {
        const parsed = parseSecret(secret, kind, name, this.found);
        this.add(parsed);
      } catch (error) {
        if (!(error instanceof SecretProblem)) throw error;
        this.found.push(`Secret ${name} (${kind}) skipped: ${error.message}`);
      }
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.values = [...values].filter((value) => value !== '').sort((a, b) => b.length - a.length || a.localeCompare(b));
  }

  /** The credentials for a repository: the exact `repository` Secret, else the longest matching `repo-creds` prefix. */
  lookup(repoURL: string): RepoCredentials | undefined {
    if (repoURL.trim() === '' || isLocalRepoURL(repoURL)) return undefined;
    const key = matchKey(repoURL);
    const exact = this.repositories.find((secret) => secret.key === key);
    if (exact?.hasCredentials === true) return exact.credentials;
    const template = this.bestTemplate(key);
    if (exact === undefined) return template?.credentials;
    if (template === undefined) return exact.credentials;
    return inherit(exact, template);
  }

  /** Every secret value of every repository Secret (usable or not), longest first: for runProcess's `redact`. */
  secretValues(): string[] {
    return [...this.values];
  }

  /** Why Secrets were skipped, or which of their fields are ignored; names Secrets and fields, never values. */
  problems(): string[] {
    return [...this.found];
  }

  /** Number of usable Secrets (exact and templates). */
  get size(): number {
    return this.repositories.length + this.templates.length;
  }

  private add(parsed: ParsedSecret): void {
    const list = parsed.kind === 'repository' ? this.repositories : this.templates;
    const earlier = list.find((other) => other.key === parsed.key);
    if (earlier !== undefined) {
      this.found.push(`Secret ${parsed.name} (${parsed.kind}) ignored: Secret ${earlier.name} declares the same URL and is used`);
      return;
    }
    list.push(parsed);
  }

  private bestTemplate(key: string): ParsedSecret | undefined {
    let best: ParsedSecret | undefined;
    for (const template of this.templates) {
      if (prefixMatches(key, template.key) && template.key.length > (best?.key.length ?? -1)) best = template;
    }
    return best;
  }
}

/**
 * The form URLs are matched in: normaliseRepoURL's (case, `.git`, trailing `/`, `git@host:org` ≡ `ssh://git@host/org`,
 * userinfo of http(s) URLs dropped), with `oci://` removed — Argo CD writes OCI Helm repositories without a scheme.
 */
export function matchKey(url: string): string {
  return normaliseRepoURL(url.trim().replace(/^oci:\/\//i, ''));
}

/** A template's prefix applies: a plain prefix, as Argo CD's, that never ends in the middle of a host name. */
export function prefixMatches(key: string, prefix: string): boolean {
  if (prefix === '' || !key.startsWith(prefix)) return false;
  if (key.length === prefix.length) return true;
  const hostComplete = prefix.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').includes('/');
  const next = key.charAt(prefix.length);
  return hostComplete || next === '/' || next === ':';
}

/** An ssh URL: `ssh://…`, `git+ssh://…` or scp-like `user@host:path`. */
export function isSshURL(url: string): boolean {
  const text = url.trim();
  if (/^(ssh|git\+ssh|ssh\+git):\/\//i.test(text)) return true;
  return !text.includes('://') && /^[^/@:\s]+@[^/:\s]+:/.test(text);
}

/** An http(s) URL. */
export function isHttpURL(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}

/** Replaces every secret (longest first) with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) if (secret !== '') result = result.split(secret).join('***');
  return result;
}

function inherit(exact: ParsedSecret, template: ParsedSecret): RepoCredentials {
  const own = exact.credentials;
  const from = template.credentials;
  const merged: RepoCredentials = { ...from, ...defined({ insecure: own.insecure, type: own.type, enableOCI: own.enableOCI }) };
  return { ...merged, source: `Secret ${template.name} (template for Secret ${exact.name})` };
}

/** The record without its undefined fields (exactOptionalPropertyTypes). */
function defined<T extends object>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** Inputs are plain objects from the API server or a file: read them as unknown, not as their declared type. */
function secretKind(object: KubeObject): SecretKind | undefined {
  if (!isRecord(object)) return undefined;
  const kind: unknown = (object as { kind?: unknown }).kind;
  if (kind !== undefined && kind !== 'Secret') return undefined;
  const metadata: unknown = (object as { metadata?: unknown }).metadata;
  const labels = isRecord(metadata) ? metadata.labels : undefined;
  const label = isRecord(labels) ? labels[SECRET_TYPE_LABEL] : undefined;
  return label === 'repository' || label === 'repo-creds' ? label : undefined;
}

function secretName(object: KubeObject): string {
  const name = typeof object.metadata.name === 'string' ? object.metadata.name : '(unnamed)';
  return typeof object.metadata.namespace === 'string' ? `${object.metadata.namespace}/${name}` : name;
}

/** The Secret's fields: `data` base64-decoded, `stringData` over it (as the API server merges them). */
function readFields(secret: KubeObject): Map<string, string> {
  const fields = new Map<string, string>();
  const data = secret.data;
  if (data !== undefined && data !== null) {
    if (!isRecord(data)) throw new SecretProblem('data is not a map');
    for (const [field, value] of Object.entries(data)) fields.set(field, decodeBase64(field, value));
  }
  const stringData = secret.stringData;
  if (stringData !== undefined && stringData !== null) {
    if (!isRecord(stringData)) throw new SecretProblem('stringData is not a map');
    for (const [field, value] of Object.entries(stringData)) {
      if (typeof value !== 'string') throw new SecretProblem(`stringData.${field} is not a string`);
      fields.set(field, value);
    }
  }
  return fields;
}

function decodeBase64(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new SecretProblem(`data.${field} is not a string`);
  if (!BASE64.test(value)) throw new SecretProblem(`data.${field} is not valid base64`);
  return Buffer.from(value, 'base64').toString('utf8');
}

function parseSecret(secret: KubeObject, kind: SecretKind, name: string, notes: string[]): ParsedSecret {
  const fields = readFields(secret);
  const url = (fields.get('url') ?? '').trim();
  if (url === '') throw new SecretProblem('it has no "url"');
  if (/\s/.test(url)) throw new SecretProblem('its "url" contains white space');
  const type = parseType(fields.get('type'));
  const sshPrivateKey = optional(fields, 'sshPrivateKey');
  if (sshPrivateKey !== undefined && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(sshPrivateKey)) {
    throw new SecretProblem('"sshPrivateKey" is not a PEM or OpenSSH private key');
  }
  const credentials: RepoCredentials = {
    ...defined({
      username: optional(fields, 'username'),
      password: optional(fields, 'password'),
      sshPrivateKey,
      insecure: parseBoolean(fields, 'insecure'),
      type,
      enableOCI: type === 'oci' ? true : parseBoolean(fields, 'enableOCI'),
    }),
    source: kind === 'repository' ? `Secret ${name}` : `Secret ${name} (repo-creds for ${redactURL(url)})`,
  };
  const unsupported = UNSUPPORTED_FIELDS.filter((field) => optional(fields, field) !== undefined);
  if (unsupported.length > 0) notes.push(`Secret ${name} (${kind}): ${unsupported.join(', ')} not supported by Launchpad yet; ignored`);
  const hasCredentials = credentials.username !== undefined || credentials.password !== undefined || credentials.sshPrivateKey !== undefined;
  return { kind, name, key: urlKey(url), credentials, hasCredentials };
}

function urlKey(url: string): string {
  try {
    return matchKey(url);
  } catch {
    throw new SecretProblem('its "url" is not a valid URL'); // e.g. a file:// URL with a host
  }
}

function optional(fields: ReadonlyMap<string, string>, field: string): string | undefined {
  const value = fields.get(field);
  return value === undefined || value === '' ? undefined : value;
}

function parseType(value: string | undefined): RepoType | undefined {
  const type = value?.trim() ?? '';
  if (type === '') return undefined;
  if (type === 'git' || type === 'helm' || type === 'oci') return type;
  throw new SecretProblem(`"type" must be git, helm or oci`);
}

function parseBoolean(fields: ReadonlyMap<string, string>, field: string): boolean | undefined {
  const value = fields.get(field)?.trim();
  if (value === undefined) return undefined;
  if (TRUE_VALUES.has(value)) return true;
  if (FALSE_VALUES.has(value)) return false;
  throw new SecretProblem(`"${field}" must be "true" or "false"`);
}

/** Every decodable secret value of a Secret, and the forms a tool may echo them in (basic-auth header, URL-encoded). */
function collectSecretValues(secret: KubeObject): string[] {
  const fields = new Map<string, string>();
  for (const source of [secret.data, secret.stringData]) {
    if (!isRecord(source)) continue;
    for (const [field, value] of Object.entries(source)) {
      if (typeof value !== 'string') continue;
      fields.set(field, source === secret.data ? (BASE64.test(value) ? Buffer.from(value, 'base64').toString('utf8') : value) : value);
    }
  }
  const values: string[] = [];
  for (const field of SECRET_FIELDS) {
    const value = fields.get(field);
    if (value !== undefined && value !== '') values.push(value, value.trim(), encodeURIComponent(value));
  }
  const username = fields.get('username') ?? '';
  if (username.length >= MIN_REDACTED_USERNAME) values.push(username, encodeURIComponent(username));
  const password = fields.get('password');
  if (password !== undefined && password !== '') values.push(Buffer.from(`${username}:${password}`).toString('base64'));
  return values;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
