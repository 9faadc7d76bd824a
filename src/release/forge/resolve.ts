/**
 * Which forge API to open a pull request through, for which project, with which token: from the flags, else
 * guessed from the values repository's remote URL (github.com → GitHub, gitlab.com → GitLab; a self-hosted server
 * must say which it runs). The token comes from the environment only — LAUNCHPAD_FORGE_TOKEN, else the forge's
 * usual variable — so it never appears in argv, logs or the process list. Pure apart from reading `env`.
 */
import { InputError } from '../../errors.js';
import type { Forge, ForgeKind, ForgeOptions } from './types.js';

const TOKEN_VARIABLES: Readonly<Record<ForgeKind, readonly string[]>> = {
  github: ['LAUNCHPAD_FORGE_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN'],
  gitea: ['LAUNCHPAD_FORGE_TOKEN', 'GITEA_TOKEN'],
  gitlab: ['LAUNCHPAD_FORGE_TOKEN', 'GITLAB_TOKEN'],
};

const SCP_LIKE = /^[^/@:\s]+@([^/:\s]+):(?!\/\/)(.+)$/;
const WITH_SCHEME = /^(https?|ssh|git):\/\/(?:[^/@]*@)?([^/:]+)(?::\d+)?\/(.+)$/i;

/** Host and `owner/name` path of a remote URL (credentials dropped); undefined for local paths. */
export function remoteParts(url: string): { readonly host: string; readonly path: string; readonly https: boolean } | undefined {
  const text = url.trim();
  const scheme = WITH_SCHEME.exec(text);
  const scp = scheme === null ? SCP_LIKE.exec(text) : null;
  const host = scheme?.[2] ?? scp?.[1];
  const path = (scheme?.[3] ?? scp?.[2])?.replace(/\/+$/, '').replace(/\.git$/, '');
  if (host === undefined || path === undefined || path === '') return undefined;
  return { host: host.toLowerCase(), path, https: /^https?:/i.test(text) };
}

function guessKind(host: string | undefined): ForgeKind | undefined {
  if (host === 'github.com') return 'github';
  if (host === 'gitlab.com') return 'gitlab';
  return undefined;
}

function defaultApi(kind: ForgeKind, host: string): string {
  if (kind === 'github') return host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
  return kind === 'gitea' ? `https://${host}/api/v1` : `https://${host}/api/v4`;
}

function usage(flag: string, message: string, fix: string): InputError {
  return new InputError({ file: flag }, message, { fix });
}

/** The forge for a remote URL and the flags; `env` is process.env in the CLI. */
export function resolveForge(remoteURL: string, options: ForgeOptions, env: Readonly<Record<string, string | undefined>>): Forge {
  const parts = remoteParts(remoteURL);
  const kind = options.forge ?? guessKind(parts?.host);
  if (kind === undefined) {
    throw usage('--forge', `cannot tell which forge serves ${parts?.host ?? 'this repository'}`, 'pass --forge github|gitea|gitlab (and --api-url for a self-hosted server)');
  }
  const project = options.project ?? parts?.path;
  if (project === undefined || !project.includes('/')) {
    throw usage('--project', 'the repository\'s owner/name is not known', 'pass --project <owner>/<name> (the remote is not a forge URL)');
  }
  const apiURL = options.apiURL ?? (parts === undefined ? undefined : defaultApi(kind, parts.host));
  if (apiURL === undefined) throw usage('--api-url', `the ${kind} API address is not known`, 'pass --api-url, e.g. https://git.example.com/api/v1');
  const variables = TOKEN_VARIABLES[kind];
  const token = variables.map((name) => env[name]).find((value) => value !== undefined && value.trim() !== '');
  if (token === undefined) {
    throw usage('--pull-request', `no ${kind} token in the environment`, `set ${variables.join(' or ')} to a token that may push branches and open pull requests`);
  }
  return { kind, apiURL: apiURL.replace(/\/+$/, ''), project, token: token.trim() };
}
