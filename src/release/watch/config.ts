/**
 * The watch file: which values repository to change and, per app, which image to watch and which policy picks
 * its tag. Every problem names the file and the field (`release-watch.yaml: apps[1].policy: …`).
 *
 *   repository: ../helm-prod-values        # a clone (relative to this file) or a URL
 *   branch: main                           # default: the remote's default branch
 *   interval: 1m
 *   pullRequest: { forge: gitea, apiURL: https://git.example.com/api/v1 }   # omit to push directly
 *   author: Launchpad <launchpad@example.com>
 *   plainHTTP: [127.0.0.1:5000]            # registries spoken to over http
 *   credentials: { dockerConfig: ~/.docker/config.json, secret: argocd/registry-pull }
 *   apps:
 *     - app: mcp10x
 *       cluster: upc-prod                  # optional: the cluster's values file
 *       image: ghcr.io/fortedigital/10x
 *       policy: { semver: ">=2.0.0 <3" }   # or { regex: '^main-(\d+)$' } or { newest: '^build-' } / { newest: true }
 *       allowTags: '^\d+\.\d+\.\d+$'       # optional, as set-image --allow-tags
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';
import { InputError } from '../../errors.js';
import { parseGoDuration } from '../../model/duration.js';
import { isLocalRepoURL } from '../../source/url.js';
import { FORGE_KINDS } from '../forge/index.js';
import type { ForgeKind } from '../forge/index.js';
import { compileAllowTags } from '../image-version.js';
import { parseKeyPath } from '../key-path.js';
import type { PullRequestRequest } from '../types.js';
import type { Identity } from '../values-repo.js';
import { parseImageName } from './image-ref.js';
import type { ImageName } from './image-ref.js';
import type { TagPolicy } from './policy.js';

export interface WatchedApp {
  readonly app: string;
  readonly cluster?: string;
  readonly file?: string;
  readonly key?: string;
  readonly image: ImageName;
  readonly policy: TagPolicy;
  readonly allowTags?: string;
}

export interface WatchConfig {
  readonly file: string;
  readonly repository: string;
  readonly branch?: string;
  readonly intervalMs: number;
  readonly pullRequest?: PullRequestRequest;
  readonly author?: Identity;
  readonly plainHTTP: readonly string[];
  readonly dockerConfig?: string;
  readonly secret?: { readonly namespace: string; readonly name: string };
  readonly apps: readonly WatchedApp[];
}

type Fields = Readonly<Record<string, unknown>>;

const DEFAULT_INTERVAL_MS = 60_000;

class Reader {
  constructor(readonly file: string) {}

  fail(field: string, message: string, fix: string): InputError {
    return new InputError({ file: this.file }, message, { fieldPath: field, fix });
  }

  object(value: unknown, field: string): Fields {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw this.fail(field, 'must be a mapping', 'see the example at the top of docs (README: release watch)');
    return value as Fields;
  }

  string(fields: Fields, key: string, field: string): string | undefined {
    const value = fields[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') throw this.fail(`${field}.${key}`, 'must be a non-empty string', 'quote it if it looks like a number');
    return value;
  }

  required(fields: Fields, key: string, field: string): string {
    const value = this.string(fields, key, field);
    if (value === undefined) throw this.fail(`${field}.${key}`, 'is required', `add ${key}:`);
    return value;
  }

  pattern(text: string, field: string): RegExp {
    try {
      return new RegExp(text, 'u');
    } catch (error) {
      throw this.fail(field, `is not a valid regular expression (${(error as Error).message})`, 'write a JavaScript regular expression');
    }
  }
}

function policyOf(reader: Reader, value: unknown, field: string): TagPolicy {
  const fields = reader.object(value, field);
  const kinds = ['semver', 'regex', 'newest'].filter((key) => fields[key] !== undefined);
  if (kinds.length !== 1) throw reader.fail(field, `must name exactly one of semver, regex, newest (found ${kinds.length === 0 ? 'none' : kinds.join(', ')})`, 'e.g. policy: { semver: "^2.0.0" }');
  if (fields.semver !== undefined) {
    const range = reader.required(fields, 'semver', field);
    if (semver.validRange(range) === null) throw reader.fail(`${field}.semver`, `"${range}" is not a semver range`, 'e.g. ^2.0.0 or >=1.4 <2');
    return { kind: 'semver', range };
  }
  if (fields.regex !== undefined) return { kind: 'regex', pattern: reader.pattern(reader.required(fields, 'regex', field), `${field}.regex`) };
  if (fields.newest === true) return { kind: 'newest' };
  return { kind: 'newest', pattern: reader.pattern(reader.required(fields, 'newest', field), `${field}.newest`) };
}

function appOf(reader: Reader, value: unknown, index: number): WatchedApp {
  const field = `apps[${index}]`;
  const fields = reader.object(value, field);
  const app = reader.required(fields, 'app', field);
  const image = parseImageName(reader.required(fields, 'image', field), `${reader.file}: ${field}.image`);
  const optional = { cluster: reader.string(fields, 'cluster', field), file: reader.string(fields, 'file', field), key: reader.string(fields, 'key', field), allowTags: reader.string(fields, 'allowTags', field) };
  if (optional.key !== undefined) parseKeyPath(optional.key);
  if (optional.allowTags !== undefined) compileAllowTags(optional.allowTags);
  const given = Object.fromEntries(Object.entries(optional).filter(([, entry]) => entry !== undefined));
  return { ...given, app, image, policy: policyOf(reader, fields.policy, `${field}.policy`) };
}

function pullRequestOf(reader: Reader, value: unknown): PullRequestRequest | undefined {
  if (value === undefined || value === false || value === null) return undefined;
  if (value === true) return {};
  const fields = reader.object(value, 'pullRequest');
  const forge = reader.string(fields, 'forge', 'pullRequest');
  if (forge !== undefined && !FORGE_KINDS.includes(forge as ForgeKind)) throw reader.fail('pullRequest.forge', `"${forge}" is not one of ${FORGE_KINDS.join(', ')}`, 'name the forge');
  const optional = { forge, apiURL: reader.string(fields, 'apiURL', 'pullRequest'), project: reader.string(fields, 'project', 'pullRequest') };
  return Object.fromEntries(Object.entries(optional).filter(([, entry]) => entry !== undefined));
}

function authorOf(reader: Reader, text: string | undefined): Identity | undefined {
  if (text === undefined) return undefined;
  const match = /^(.+?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(text.trim());
  if (match?.[1] === undefined || match[2] === undefined) throw reader.fail('author', `"${text}" is not "Name <email>"`, 'write it as Launchpad <launchpad@example.com>');
  return { name: match[1], email: match[2] };
}

function secretOf(reader: Reader, text: string | undefined): { readonly namespace: string; readonly name: string } | undefined {
  if (text === undefined) return undefined;
  const [namespace, name, extra] = text.split('/');
  if (namespace === undefined || name === undefined || extra !== undefined || namespace === '' || name === '') throw reader.fail('credentials.secret', `"${text}" is not namespace/name`, 'e.g. argocd/registry-pull');
  return { namespace, name };
}

function intervalOf(reader: Reader, text: string | undefined): number {
  if (text === undefined) return DEFAULT_INTERVAL_MS;
  const ms = parseGoDuration(text);
  if (ms === undefined || ms < 1000) throw reader.fail('interval', `"${text}" is not a duration of at least 1s`, 'e.g. 1m or 30s');
  return ms;
}

export function parseWatchConfig(text: string, file: string): WatchConfig {
  const reader = new Reader(file);
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new InputError({ file }, `is not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`, { fix: 'fix the syntax' });
  }
  const top = reader.object(raw, '(top)');
  const repository = reader.required(top, 'repository', '(top)');
  const apps = top.apps;
  if (!Array.isArray(apps) || apps.length === 0) throw reader.fail('apps', 'must list at least one app', 'add apps: [{ app, image, policy }]');
  const credentials = top.credentials === undefined ? {} : reader.object(top.credentials, 'credentials');
  const dockerConfig = reader.string(credentials, 'dockerConfig', 'credentials');
  const plainHTTP = top.plainHTTP ?? [];
  if (!Array.isArray(plainHTTP) || plainHTTP.some((host) => typeof host !== 'string')) throw reader.fail('plainHTTP', 'must be a list of registry hosts', 'e.g. plainHTTP: [127.0.0.1:5000]');
  const optional = {
    branch: reader.string(top, 'branch', '(top)'),
    pullRequest: pullRequestOf(reader, top.pullRequest),
    author: authorOf(reader, reader.string(top, 'author', '(top)')),
    dockerConfig: dockerConfig === undefined ? undefined : resolve(dirname(file), dockerConfig.replace(/^~(?=\/)/, homedir())),
    secret: secretOf(reader, reader.string(credentials, 'secret', 'credentials')),
  };
  return {
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    file,
    repository: isLocalRepoURL(repository) || !repository.includes(':') ? resolve(dirname(file), repository) : repository,
    intervalMs: intervalOf(reader, reader.string(top, 'interval', '(top)')),
    plainHTTP: plainHTTP as string[],
    apps: apps.map((entry, index) => appOf(reader, entry, index)),
  };
}

export async function loadWatchConfig(file: string): Promise<WatchConfig> {
  const absolute = resolve(file);
  const text = await readFile(absolute, 'utf8').catch((error: unknown) => {
    throw new InputError({ file: absolute }, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (error as Error).message, { fix: 'give the watch file with --config' });
  });
  return parseWatchConfig(text, absolute);
}
