/**
 * Registry credentials as docker (and podman, crane, helm) keep them: a docker config JSON — `~/.docker/config.json`
 * or `$DOCKER_CONFIG/config.json`, or the `.dockerconfigjson` of a `kubernetes.io/dockerconfigjson` Secret — with
 * `auths.<host>.auth` (base64 `user:password`) or `username`/`password`, or a credential helper
 * (`credHelpers.<host>`, else `credsStore`) run as `docker-credential-<name> get`. Values are never printed; they
 * are returned for the registry client only.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LaunchpadError } from '../../errors.js';
import { runProcess } from '../../process/run.js';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

interface AuthEntry {
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
}

export interface DockerConfig {
  readonly auths?: Readonly<Record<string, AuthEntry>>;
  readonly credHelpers?: Readonly<Record<string, string>>;
  readonly credsStore?: string;
}

/** Keys docker writes for one host: `ghcr.io`, `https://ghcr.io`, `https://index.docker.io/v1/` for Docker Hub. */
function keysFor(host: string): string[] {
  const keys = [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`];
  return host === 'docker.io' ? [...keys, 'https://index.docker.io/v1/', 'index.docker.io', 'registry-1.docker.io'] : keys;
}

export function parseDockerConfig(text: string, source: string): DockerConfig {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed;
  } catch (error) {
    throw new LaunchpadError(`${source} is not a docker config: ${(error as Error).message}`, { fix: 'it must be JSON with an "auths" object, as docker login writes it' });
  }
}

function fromEntry(entry: AuthEntry): RegistryCredentials | undefined {
  if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password };
  if (entry.auth === undefined || entry.auth === '') return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function fromHelper(helper: string, host: string): Promise<RegistryCredentials | undefined> {
  const result = await runProcess(`docker-credential-${helper}`, ['get'], { input: host, allowFailure: true, timeoutMs: 30_000 });
  if (result.exitCode !== 0) return undefined;
  try {
    const answer = JSON.parse(result.stdout) as { Username?: string; Secret?: string };
    return answer.Username === undefined || answer.Secret === undefined ? undefined : { username: answer.Username, password: answer.Secret };
  } catch {
    return undefined;
  }
}

/** The credentials a docker config holds for `host`, or undefined (anonymous pulls). */
export async function lookupCredentials(config: DockerConfig, host: string): Promise<RegistryCredentials | undefined> {
  for (const key of keysFor(host)) {
    const helper = config.credHelpers?.[key];
    if (helper !== undefined) return fromHelper(helper, host);
    const entry = config.auths?.[key];
    const found = entry === undefined ? undefined : fromEntry(entry);
    if (found !== undefined) return found;
  }
  return config.credsStore === undefined ? undefined : fromHelper(config.credsStore, host);
}

/** The user's docker config, or an empty one when there is none. */
export async function readDefaultDockerConfig(env: Readonly<Record<string, string | undefined>> = process.env): Promise<DockerConfig> {
  const file = join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? {} : parseDockerConfig(text, file);
}
