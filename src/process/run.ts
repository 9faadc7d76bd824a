/**
 * The one seam through which Launchpad starts other programs (git, helm, kustomize). Always an argv array, never a
 * shell; always a timeout; stderr trimmed into the error. Tests may replace the runner with `setProcessRunner`.
 */
import { spawn } from 'node:child_process';
import { ToolError } from '../errors.js';

export interface RunOptions {
  readonly cwd?: string;
  /** Extra environment; merged over process.env. */
  readonly env?: Readonly<Record<string, string>>;
  /** @default 120_000 */
  readonly timeoutMs?: number;
  /** Bytes written to stdin. */
  readonly input?: string | Buffer;
  /** Do not throw on a non-zero exit; return it. @default false */
  readonly allowFailure?: boolean;
  /** Strings that must never appear in errors (tokens, passwords); replaced by "***". */
  readonly redact?: readonly string[];
  /** Stop the program and fail once its stdout passes this many bytes. @default unlimited */
  readonly maxOutputBytes?: number;
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the process, milliseconds. */
  readonly durationMs: number;
}

export type ProcessRunner = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

const MAX_ERROR_CHARS = 2000;

/** Keeps the informative tail of a tool's stderr and drops noise such as helm's "Use --debug" hint. */
export function trimToolOutput(stderr: string, redact: readonly string[] = []): string {
  let text = stderr.replace(/\r/g, '').split('\n').filter((line) => line.trim() !== '' && !/^Use --debug flag/.test(line)).join('\n');
  for (const secret of redact) if (secret !== '') text = text.split(secret).join('***');
  return text.length > MAX_ERROR_CHARS ? `…${text.slice(text.length - MAX_ERROR_CHARS)}` : text;
}

export const spawnProcess: ProcessRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const timeoutMs = options.timeoutMs ?? 120_000;
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env === undefined ? process.env : { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let outputBytes = 0;
    let overflowed = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (options.maxOutputBytes !== undefined && outputBytes > options.maxOutputBytes) {
        if (!overflowed) child.kill('SIGKILL');
        overflowed = true;
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => undefined); // a tool that exits without reading stdin is not our error
    child.stdin.end(options.input);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const fix = error.code === 'ENOENT' ? `is "${command}" installed and on PATH?` : undefined;
      reject(new ToolError(`could not start ${command}: ${error.message}`, fix === undefined ? { cause: error } : { cause: error, fix }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const result: RunResult = {
        exitCode: code ?? -1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: performance.now() - started,
      };
      if (overflowed) {
        reject(new ToolError(`${commandName(command)} ${args[0] ?? ''} wrote more than ${String(options.maxOutputBytes)} bytes of output (maxFileSize) and was stopped`, {
          fix: 'check what makes the output so large; if it is legitimate, raise maxFileSize under "limits:" in launchpad.yaml or in LAUNCHPAD_LIMITS',
        }));
      } else if (timedOut) {
        reject(new ToolError(`${commandName(command)} ${args[0] ?? ''} timed out after ${timeoutMs} ms`, { errorClass: 'retryable' }));
      } else if (result.exitCode !== 0 && options.allowFailure !== true) {
        const detail = trimToolOutput(result.stderr || result.stdout, options.redact);
        reject(new ToolError(`${commandName(command)} ${args[0] ?? ''} failed (exit ${result.exitCode}): ${detail}`));
      } else {
        resolve(result);
      }
    });
  });

function commandName(command: string): string {
  return command.split('/').pop() ?? command;
}

let currentRunner: ProcessRunner = spawnProcess;

/** Runs a program through the current runner (the real one unless a test replaced it). */
export function runProcess(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
  return currentRunner(command, args, options);
}

/** Replaces the runner (for tests); returns a function that restores the previous one. */
export function setProcessRunner(runner: ProcessRunner): () => void {
  const previous = currentRunner;
  currentRunner = runner;
  return () => {
    currentRunner = previous;
  };
}
