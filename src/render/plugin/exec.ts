/**
 * Runs one plugin command. Like the cmp-server: an argv (never a shell unless the plugin's command is one), in the
 * application's folder of the private copy, with a deadline after which the whole process group is stopped (TERM,
 * then KILL) — a plugin is usually `sh -c '…'` with children, and killing only the shell would leave them holding
 * the output open. Unlike process/run.ts this needs its own process group, hence its own spawn.
 */
import { spawn } from 'node:child_process';
import { RenderError } from '../../errors.js';

export interface PluginExecOptions {
  readonly cwd: string;
  /** Added to Launchpad's own environment (as the sidecar's environment is to Argo CD's plugin). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** The plugin's whole time limit, for messages (`timeoutMs` is what is left of it). @default timeoutMs */
  readonly limitMs?: number;
  readonly maxOutputBytes: number;
  /** "plugin kustomize-helm (plugins/kh/plugin.yaml) generate", for messages. */
  readonly label: string;
  /** Where the plugin names the program, e.g. spec.generate.command. */
  readonly field: string;
}

export interface PluginExecResult {
  readonly stdout: string;
  readonly durationMs: number;
}

/** How long a plugin gets between TERM and KILL to clean up (Argo CD gives 5 s). */
const TERM_GRACE_MS = 5_000;
const STDERR_KEEP_BYTES = 64 * 1024;
const STDERR_LINES = 10;

/** The last non-empty lines of stderr, where tools say what went wrong. */
export function stderrTail(stderr: string): string {
  const lines = stderr.replace(/\r/g, '').split('\n').filter((line) => line.trim() !== '');
  const tail = lines.slice(-STDERR_LINES).join('\n');
  return tail.length > 2000 ? `…${tail.slice(-2000)}` : tail;
}

/** The command as it would be typed, for messages (arguments with spaces quoted). */
export function showCommand(argv: readonly string[]): string {
  return argv.map((part) => (/^[\w./:=@%+,-]+$/.test(part) ? part : `'${part.replace(/'/g, "'\\''")}'`)).join(' ');
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export function runPluginCommand(argv: readonly string[], options: PluginExecOptions): Promise<PluginExecResult> {
  const [program, ...args] = argv;
  const shown = showCommand(argv);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(program ?? '', args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stdout: Buffer[] = [];
    let stderr = Buffer.alloc(0);
    let outputBytes = 0;
    let stopped: 'timeout' | 'output' | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      outcome();
    };
    const stop = (why: 'timeout' | 'output'): void => {
      if (stopped !== undefined) return;
      stopped = why;
      killGroup(child.pid, 'SIGTERM');
      const grace = why === 'output' ? 0 : TERM_GRACE_MS;
      timers.push(setTimeout(() => {
        killGroup(child.pid, 'SIGKILL');
      }, grace).unref());
      // A child that left the group may keep the pipes open: give up on it a little after the KILL.
      timers.push(setTimeout(() => {
        finish(() => {
          reject(failure());
        });
      }, grace + 1_000).unref());
    };
    const failure = (): RenderError => {
      const tail = stderrTail(stderr.toString('utf8'));
      const said = tail === '' ? '' : `; its stderr ends:\n${tail}`;
      if (stopped === 'timeout') {
        return new RenderError(`${options.label} \`${shown}\` did not finish within ${(options.limitMs ?? options.timeoutMs) / 1000} s and was stopped${said}`, {
          errorClass: 'retryable', fix: 'make the command faster, or raise the plugin\'s "timeout" in launchpad.yaml `plugins:`',
        });
      }
      return new RenderError(`${options.label} \`${shown}\` wrote more than ${options.maxOutputBytes} bytes of output (maxFileSize) and was stopped`, {
        fix: 'check what makes the output so large; if it is legitimate, raise maxFileSize under "limits:" in launchpad.yaml',
      });
    };
    timers.push(setTimeout(() => {
      stop('timeout');
    }, options.timeoutMs));
    child.stdout.on('data', (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > options.maxOutputBytes) stop('output');
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_KEEP_BYTES) stderr = stderr.subarray(stderr.length - STDERR_KEEP_BYTES);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const fix = error.code === 'ENOENT' ? `is "${program ?? ''}" installed and on PATH? (the plugin names it in ${options.field})` : `check ${options.field}`;
      finish(() => {
        reject(new RenderError(`${options.label} \`${shown}\` could not start: ${error.message}`, { fix, cause: error }));
      });
    });
    child.on('close', (code, signal) => {
      finish(() => {
        if (stopped !== undefined) {
          reject(failure());
          return;
        }
        if (code !== 0) {
          const tail = stderrTail(stderr.toString('utf8'));
          const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `failed (exit ${code})`;
          reject(new RenderError(`${options.label} \`${shown}\` ${how}${tail === '' ? ' and wrote nothing to stderr' : `; its stderr ends:\n${tail}`}`, {
            fix: 'run the command in the application\'s folder to see the whole error, and fix the plugin or the files it reads',
          }));
          return;
        }
        resolve({ stdout: Buffer.concat(stdout).toString('utf8'), durationMs: performance.now() - started });
      });
    });
  });
}
