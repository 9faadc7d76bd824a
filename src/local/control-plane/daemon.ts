/**
 * Long-running processes (etcd, kube-apiserver, …) for a test control plane. The process seam in
 * `src/process/run.ts` runs a program to completion; daemons need what it does not offer: their own process group
 * (so stopping one also ends anything it started), output streamed to a log file, and a guarantee that they are
 * ended when the Node process exits for any reason. That is all this module does, and the only place that calls
 * `child_process.spawn` directly.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { ToolError } from '../../errors.js';

export interface DaemonOptions {
  /** Short name used in messages, e.g. "kube-apiserver". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  readonly cwd?: string;
}

export interface Daemon {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Settles with the exit code (or the signal's name) when the process ends, for whatever reason. */
  readonly exited: Promise<number | string>;
  /** The exit code or signal if it has ended, else undefined. */
  exitStatus(): number | string | undefined;
  /** Ends the process group: SIGTERM, then SIGKILL after `graceMs`. Resolves once the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Map<number, Daemon>();

/** Starts a daemon in its own process group with output going to its log file. */
export function startDaemon(options: DaemonOptions): Daemon {
  const log = openSync(options.logFile, 'a');
  let status: number | string | undefined;
  try {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', log, log],
    });
    const exited = new Promise<number | string>((resolve) => {
      child.on('error', (error) => {
        status = `failed to start: ${error.message}`;
        resolve(status);
      });
      child.on('exit', (code, signal) => {
        status = code ?? signal ?? 'unknown';
        resolve(status);
      });
    });
    const pid = child.pid;
    if (pid === undefined) throw new ToolError(`could not start ${options.name} (${options.command})`, { fix: `is ${options.command} an executable file?` });
    // The Node process must be free to exit while daemons run; exit handlers below still end them.
    child.unref();
    const daemon: Daemon = {
      name: options.name,
      pid,
      logFile: options.logFile,
      exited,
      exitStatus: () => status,
      stop: (graceMs = 10_000) => stopGroup(daemon, graceMs),
    };
    running.set(pid, daemon);
    void exited.then(() => running.delete(pid));
    installExitHandlers();
    return daemon;
  } finally {
    closeSync(log);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function stopGroup(daemon: Daemon, graceMs: number): Promise<void> {
  if (daemon.exitStatus() !== undefined) {
    signalGroup(daemon.pid, 'SIGKILL'); // children it left behind, if any
    return;
  }
  signalGroup(daemon.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killLater = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(daemon.pid, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([daemon.exited, killLater]);
  clearTimeout(timer);
  await daemon.exited;
  signalGroup(daemon.pid, 'SIGKILL');
}

/** Whether a process is still running (a zombie, killed but not yet reaped, counts as gone). Linux reads /proc. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

const exitCallbacks = new Set<() => void>();

/** Registers synchronous clean-up (e.g. removing temp dirs) to run when the process exits; returns an unregister function. */
export function onProcessExit(callback: () => void): () => void {
  exitCallbacks.add(callback);
  installExitHandlers();
  return () => exitCallbacks.delete(callback);
}

/** Kills every daemon this process started and runs the exit callbacks; synchronous, so it works in 'exit'. */
export function killAllNow(): void {
  const pids = [...running.keys()];
  for (const pid of pids) signalGroup(pid, 'SIGKILL');
  waitSync(() => pids.every((pid) => !isAlive(pid)), 3000);
  for (const callback of exitCallbacks) {
    try {
      callback();
    } catch {
      // best effort during exit
    }
  }
  exitCallbacks.clear();
}

function waitSync(done: () => boolean, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!done() && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
}

let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      // Another listener (e.g. `launchpad dev cluster`) owns this signal and stops things gracefully; the 'exit'
      // handler remains the backstop.
      if (process.listenerCount(signal) > 1) return;
      killAllNow();
      // Re-raise without us listening, so the process ends the way it would have had we never been here.
      process.removeListener(signal, handler);
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}
