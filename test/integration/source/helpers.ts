/** Shared by the source integration tests: temp dirs, and a process runner that counts what git was asked to do. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setProcessRunner, spawnProcess } from '../../../src/process/run.js';

export async function tempDir(prefix: string): Promise<{ readonly path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `launchpad-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface ProcessLog {
  /** argv of every process started, in order (the real programs still run). */
  readonly calls: string[][];
  /** How many git invocations had this subcommand (the first argument that is not an option or its value). */
  count(subcommand: string): number;
  restore(): void;
}

/** Wraps the real runner: every process still runs, and its argv is recorded. */
export function recordProcesses(): ProcessLog {
  const calls: string[][] = [];
  const restore = setProcessRunner((command, args, options) => {
    calls.push([command, ...args]);
    return spawnProcess(command, args, options);
  });
  return {
    calls,
    count: (subcommand) => calls.filter((argv) => gitSubcommand(argv.slice(1)) === subcommand).length,
    restore,
  };
}

function gitSubcommand(args: readonly string[]): string | undefined {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--git-dir' || arg === '--work-tree' || arg === '-C' || arg === '-c') index++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}
