/**
 * The real tools the Sealed Secrets tests and benchmark compare against: kubeseal (and the controller binary) built by
 * scripts/install-kubeseal.sh, and `launchpad seal` run in a child process with only that command registered.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `name` (kubeseal or controller) from $LAUNCHPAD_KUBESEAL_DIR or the newest kubeseal-v* under the tools cache. */
export function findSealedSecretsTool(name: 'kubeseal' | 'controller'): string | undefined {
  const toolsDir = process.env.LAUNCHPAD_TOOLS_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'launchpad', 'tools');
  const dirs = process.env.LAUNCHPAD_KUBESEAL_DIR ? [process.env.LAUNCHPAD_KUBESEAL_DIR] : (() => {
    try {
      return readdirSync(toolsDir).filter((e) => e.startsWith('kubeseal-v') && !e.endsWith('.partial')).sort().reverse().map((e) => join(toolsDir, e));
    } catch {
      return [];
    }
  })();
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not this one
    }
  }
  return undefined;
}

export function run(command: string, args: readonly string[], input?: string | Buffer, cwd?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000, env: { ...process.env, KUBECONFIG: '/nonexistent-launchpad-test-kubeconfig' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code: code ?? (signal === null ? -1 : 128), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(input ?? '');
  });
}

const compiled = (path: string): string => new URL(`../../../${path}`, import.meta.url).href;

/** A commander program with only `registerSeal` on it, handling errors as bin/launchpad.js's main() does. */
const PROGRAM = `
const { Command, CommanderError } = await import('commander');
const { registerSeal } = await import(${JSON.stringify(compiled('src/cli/commands/seal.js'))});
const { describeError } = await import(${JSON.stringify(compiled('src/errors.js'))});
const program = new Command('launchpad').exitOverride();
registerSeal(program);
try {
  await program.parseAsync(process.argv.slice(1), { from: 'user' });
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else {
    process.stderr.write('launchpad: ' + describeError(error) + '\\n');
    process.exitCode = 2;
  }
}
`;

export function launchpadSeal(args: readonly string[], input?: string | Buffer, cwd?: string): Promise<Run> {
  return run(process.execPath, ['--input-type=module', '-e', PROGRAM, '--', 'seal', ...args], input, cwd);
}
