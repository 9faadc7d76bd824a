/** Runs `launchpad install` in-process (it is not wired into the CLI's command list here) and captures its stdout. */
import { Command } from 'commander';
import { registerInstall } from '../../../src/cli/commands/install.js';

/**
 * Parses `install <args>` on a fresh program. Only strings are captured: the command writes strings, while the test
 * runner's own reports (written to stdout by a test file's process) are binary and pass through untouched.
 */
export async function runInstall(args: readonly string[]): Promise<string> {
  const program = new Command('launchpad').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerInstall(program);
  const chunks: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const capture = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string') {
      chunks.push(chunk);
      return true;
    }
    return (original as (...parts: unknown[]) => boolean)(chunk, ...rest);
  };
  process.stdout.write = capture;
  try {
    await program.parseAsync(['install', ...args], { from: 'user' });
  } finally {
    process.stdout.write = original;
  }
  return chunks.join('');
}
