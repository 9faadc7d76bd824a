/**
 * Runs the system git for the source layer: never interactive (credential helpers and the ssh agent still work,
 * a password prompt does not hang a render), English messages (so failures can be classified), LFS pointers left
 * as they are (as Argo CD does by default), and credentials scrubbed from everything it reports.
 */
import { findBinary } from '../process/binaries.js';
import { runProcess, trimToolOutput } from '../process/run.js';
import type { RunResult } from '../process/run.js';
import { redactURL } from './url.js';

const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: '0',
  GCM_INTERACTIVE: 'never',
  GIT_LFS_SKIP_SMUDGE: '1',
  LC_ALL: 'C',
  LANGUAGE: 'C',
};

/** Local operations (rev-parse, ls-tree, checkout-index). */
export const LOCAL_GIT_TIMEOUT_MS = 120_000;
/** Clone and fetch: large repositories over slow links take a while, but never forever. */
export const NETWORK_GIT_TIMEOUT_MS = 600_000;

export interface GitRunOptions {
  readonly cwd?: string;
  /** @default LOCAL_GIT_TIMEOUT_MS */
  readonly timeoutMs?: number;
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Secrets (URL passwords, tokens) to scrub from output. */
  readonly secrets?: readonly string[];
}

/** Runs git; never throws for a non-zero exit (callers turn failures into SourceErrors with context). */
export async function runGit(args: readonly string[], options: GitRunOptions = {}): Promise<RunResult> {
  return runProcess(findBinary('git'), args, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.input === undefined ? {} : { input: options.input }),
    env: { ...GIT_ENV, ...options.env },
    timeoutMs: options.timeoutMs ?? LOCAL_GIT_TIMEOUT_MS,
    allowFailure: true,
    redact: options.secrets ?? [],
  });
}

/** git's own explanation of a failure, trimmed and with credentials removed. */
export function gitFailureText(result: RunResult, secrets: readonly string[] = []): string {
  const raw = result.stderr.trim() === '' ? result.stdout : result.stderr;
  // git's generic advice after a failed fetch adds nothing to the reason before it.
  const reason = raw.replace(/^Please make sure you have the correct access rights\s*\nand the repository exists\.\s*$/m, '');
  const text = trimToolOutput(reason, secrets);
  return redactURL(text).replace(/\n+/g, '; ') || `git exited with code ${result.exitCode}`;
}

/** Failures retrying cannot fix: git was told no by the server (credentials), not that it could not reach it. */
export function isAuthFailure(text: string): boolean {
  return /Authentication failed|could not read (Username|Password)|Permission denied \(publickey|terminal prompts disabled|HTTP Basic: Access denied|returned error: 40[13]/i.test(text);
}
