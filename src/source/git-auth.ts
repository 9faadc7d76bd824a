/**
 * Hands credentials from a repository Secret to one git command without putting them in the URL, the argv or the
 * mirror's config:
 *
 * - https username/password: GIT_ASKPASS names a tiny script (written once per process to a private 0700 temp
 *   folder; it holds no secret) that prints `$LAUNCHPAD_GIT_USERNAME` or `$LAUNCHPAD_GIT_PASSWORD` depending on
 *   git's prompt. The values travel in that one child's environment only. `-c credential.helper=` keeps the user's
 *   credential helpers from answering first or from storing the password afterwards.
 * - ssh private key: written to a 0600 file in a private 0700 temp folder for the duration of the command, used
 *   through GIT_SSH_COMMAND (`-i <file> -o IdentitiesOnly=yes`, a private known-hosts file, never a prompt), and
 *   removed afterwards, whatever happened.
 * - `insecure`: `-c http.sslVerify=false` for that command only (https); ssh host keys are accepted on first use.
 */
import { rmSync } from 'node:fs';
import { access, chmod, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '../errors.js';
import type { RepoCredentials } from './credentials.js';
import { isHttpURL, isSshURL } from './credentials.js';
import { redactURL } from './url.js';

/** What one git command gets: `-c` options (before the subcommand) and environment variables. */
export interface GitAuth {
  readonly config: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export const NO_GIT_AUTH: GitAuth = { config: [], env: {} };

/** The askpass script: answers from the environment of the one git command that runs it, never from a file. */
export const ASKPASS_SCRIPT = [
  '#!/bin/sh',
  '# Launchpad GIT_ASKPASS: prints the answer to git\'s prompt from this git command\'s own environment.',
  'case "$1" in',
  '  [Uu]sername*) printf \'%s\\n\' "${LAUNCHPAD_GIT_USERNAME-}" ;;',
  '  *) printf \'%s\\n\' "${LAUNCHPAD_GIT_PASSWORD-}" ;;',
  'esac',
  '',
].join('\n');

/**
 * Runs `run` with the git options and environment that pass `credentials` for `repoURL`; temporary files live
 * exactly as long as `run`. Without credentials (or for a form they do not apply to) `run` gets NO_GIT_AUTH.
 */
export async function withGitAuth<T>(repoURL: string, credentials: RepoCredentials | undefined, run: (auth: GitAuth) => Promise<T>): Promise<T> {
  if (credentials === undefined) return run(NO_GIT_AUTH);
  if (isSshURL(repoURL)) return credentials.sshPrivateKey === undefined ? run(NO_GIT_AUTH) : withSshKey(repoURL, credentials.sshPrivateKey, run);
  if (isHttpURL(repoURL)) return run(await httpAuth(repoURL, credentials));
  return run(NO_GIT_AUTH);
}

async function httpAuth(repoURL: string, credentials: RepoCredentials): Promise<GitAuth> {
  const insecure = credentials.insecure === true && /^https:/i.test(repoURL.trim()) ? ['-c', 'http.sslVerify=false'] : [];
  if (credentials.username === undefined && credentials.password === undefined) return { config: insecure, env: {} };
  return {
    config: [...insecure, '-c', 'credential.helper='],
    env: {
      GIT_ASKPASS: await askpassPath(repoURL),
      LAUNCHPAD_GIT_USERNAME: credentials.username ?? '',
      LAUNCHPAD_GIT_PASSWORD: credentials.password ?? '',
      GIT_TERMINAL_PROMPT: '0',
    },
  };
}

/** GIT_SSH_COMMAND for a key file: that key only, host keys remembered in a private file, never a prompt. */
export function gitSshCommand(keyFile: string, knownHostsFile: string): string {
  return [
    'ssh', '-i', shellQuote(keyFile), '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=accept-new',
    '-o', `UserKnownHostsFile=${shellQuote(knownHostsFile)}`, '-o', 'BatchMode=yes',
  ].join(' ');
}

/** git runs GIT_SSH_COMMAND through the shell: paths are single-quoted. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

async function withSshKey<T>(repoURL: string, key: string, run: (auth: GitAuth) => Promise<T>): Promise<T> {
  const dir = await privateTempDir('launchpad-ssh-', repoURL);
  try {
    const keyFile = join(dir, 'id');
    const knownHosts = join(dir, 'known_hosts');
    try {
      // ssh refuses keys without a final newline or with CRLF line ends, and keys readable by others.
      await writeFile(keyFile, `${key.replace(/\r\n/g, '\n').trim()}\n`, { mode: 0o600, flag: 'wx' });
      await writeFile(knownHosts, '', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw prepareError(repoURL, error);
    }
    return await run({ config: [], env: { GIT_SSH_COMMAND: gitSshCommand(keyFile, knownHosts), GIT_SSH_VARIANT: 'ssh' } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function privateTempDir(prefix: string, repoURL: string): Promise<string> {
  try {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    await chmod(dir, 0o700);
    return dir;
  } catch (error) {
    throw prepareError(repoURL, error);
  }
}

function prepareError(repoURL: string, error: unknown): SourceError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return new SourceError(`could not prepare the credentials for ${redactURL(repoURL.trim())} in ${tmpdir()} (${code})`, {
    fix: 'the temporary folder (TMPDIR) must be writable',
    errorClass: 'retryable',
  });
}

let askpass: Promise<string> | undefined;

/** The askpass script, written once per process; written again if something removed it. */
async function askpassPath(repoURL: string): Promise<string> {
  if (askpass !== undefined) {
    const path = await askpass.catch(() => undefined);
    if (path !== undefined && (await isExecutable(path))) return path;
  }
  askpass = writeAskpass(repoURL);
  return askpass;
}

async function writeAskpass(repoURL: string): Promise<string> {
  const dir = await privateTempDir('launchpad-askpass-', repoURL);
  const file = join(dir, 'askpass');
  try {
    await writeFile(file, ASKPASS_SCRIPT, { mode: 0o700 });
    await chmod(file, 0o700);
  } catch (error) {
    throw prepareError(repoURL, error);
  }
  process.once('exit', () => {
    rmSync(dir, { recursive: true, force: true });
  });
  return file;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
